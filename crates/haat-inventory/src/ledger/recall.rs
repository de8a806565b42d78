//! What the idempotency memory answers: a retried key's first outcome, a conflict, or where a
//! new key will be remembered. A commit's key is kept on the reservation it committed (a retry
//! reads the reservation anyway), every other operation's in the table (`idempotency.rs`).

use super::{CommitMemo, JournalEntry, OperationMeta, StockLedger, StoredReference, idempotency};
use crate::{Command, Error, MovementReason, Operation, Outcome};

/// What the idempotency memory says of a command's key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Recall {
    /// The key was used for this very payload: its first outcome, to answer again.
    Replay(Outcome),
    /// A key not seen before: where the table will remember it (a slot found by the probe,
    /// `usize::MAX` when there is none to offer).
    New {
        /// The table slot the probe ended at.
        slot_hint: usize,
    },
}

impl StockLedger {
    /// [`recall`](Self::recall) for a command: a commit's key is looked for on its
    /// reservation, every other operation's in the table.
    #[inline]
    pub(super) fn recall_command(
        &self,
        command: &Command,
        fingerprint: u64,
    ) -> Result<Recall, Error> {
        let key = command.idempotency_key().get();
        match command.operation() {
            Operation::Commit { reservation } => {
                self.recall_commit(key, reservation.get(), fingerprint)
            }
            _ => self.recall(key, fingerprint),
        }
    }

    /// A commit's retry is recognised on the reservation it committed.
    #[inline]
    pub(super) fn recall_commit(
        &self,
        key: u128,
        id: u64,
        fingerprint: u64,
    ) -> Result<Recall, Error> {
        match self.record(id) {
            Some(res) if res.commit.first_seq != 0 && res.commit.key == key => {
                if res.commit.fingerprint == fingerprint {
                    Ok(Recall::Replay(Outcome {
                        first_seq: res.commit.first_seq,
                        events: res.commit.events,
                        reservation: None,
                        replayed: true,
                    }))
                } else {
                    Err(Error::IdempotencyConflict { key })
                }
            }
            _ => Ok(Recall::New {
                slot_hint: usize::MAX,
            }),
        }
    }

    /// Remember an operation's outcome under its key: on the reservation for a commit (the
    /// entry just applied is its last `committed` movement), in the table otherwise.
    pub(super) fn remember(
        &mut self,
        meta: OperationMeta,
        fingerprint: u64,
        outcome: Outcome,
        hint: Option<usize>,
    ) {
        if let Some((
            m,
            JournalEntry::Move {
                reason: MovementReason::Committed,
                reference: StoredReference::Reservation(id),
                ..
            },
        )) = self.journal.last()
            && self.meta_at(*m).key == meta.key
        {
            let id = *id;
            if let Some(res) = self.record_mut(id) {
                res.commit = CommitMemo {
                    key: meta.key,
                    fingerprint,
                    first_seq: outcome.first_seq,
                    events: outcome.events,
                };
                return;
            }
        }
        self.remembered
            .insert(meta.key, fingerprint, meta.at, outcome, hint);
    }

    /// The first outcome of a retried operation (`Ok(Ok(_))`), or where a new key will be
    /// remembered (`Ok(Err(hint))`).
    pub(super) fn recall(&self, key: u128, fingerprint: u64) -> Result<Recall, Error> {
        self.answer(key, fingerprint, self.remembered.probe(key))
    }

    /// [`recall`](Self::recall)'s answer from a probe already made.
    #[inline]
    pub(super) fn answer(
        &self,
        key: u128,
        fingerprint: u64,
        probe: idempotency::Probe,
    ) -> Result<Recall, Error> {
        match probe {
            idempotency::Probe::Vacant(hint) => Ok(Recall::New { slot_hint: hint }),
            idempotency::Probe::Found(stored, memo) if stored == fingerprint => {
                Ok(Recall::Replay(Outcome {
                    replayed: true,
                    ..memo.outcome()
                }))
            }
            idempotency::Probe::Found(..) => Err(Error::IdempotencyConflict { key }),
        }
    }

    /// How many idempotency keys the ledger remembers in its table: every operation's but a
    /// commit's, which is remembered on the reservation it committed.
    pub fn remembered_keys(&self) -> usize {
        self.remembered.len()
    }
}
