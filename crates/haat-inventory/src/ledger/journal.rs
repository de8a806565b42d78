//! The journal: one compact entry per event, each pointing at its operation's meta (instant,
//! actor, idempotency key) stored once per operation, turned into serde [`LedgerEvent`]s only
//! when a caller reads them; and [`StockLedger::apply`], which folds a serde event back in.

use std::sync::Arc;

use haat_core::{Actor, OrderId};

use super::{StockLedger, instant, millis};
use crate::{
    Bucket, IdempotencyKey, LedgerEvent, Movement, MovementReason, Outcome, Reference,
    ReservationId, ReservationOwner, StockKey,
};

/// What every event of one operation shares: its instant, actor and idempotency key, stored
/// once per operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct OperationMeta {
    pub(super) at: i64,
    pub(super) actor: Actor,
    pub(super) key: u128,
}

/// The meta position of a `CellOpened` entry.
pub(super) const CELL_OPENING_AT: u32 = u32::MAX;

/// The meta a `CellOpened` entry reads back with: no operation's.
pub(super) const CELL_OPENING_META: OperationMeta = OperationMeta {
    at: 0,
    actor: Actor::System,
    key: 0,
};

/// A movement's [`Reference`] as the journal keeps it: a purchase order's number shared, a
/// reservation by its number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum StoredReference {
    PurchaseOrder(Arc<str>),
    Reservation(u64),
    Order(OrderId),
    Transfer(u64),
    Count(u64),
    None,
}

/// One event as the journal keeps it: a cell by number, instants in milliseconds, the rest of
/// the event in its operation's [`OperationMeta`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum JournalEntry {
    Open(StockKey),
    Move {
        cell: u32,
        from: Option<Bucket>,
        to: Option<Bucket>,
        qty: u64,
        reason: MovementReason,
        reference: StoredReference,
    },
    Placed {
        id: u64,
        owner: ReservationOwner,
        expires_at: i64,
    },
    ReorderPoint {
        cell: u32,
        value: u64,
    },
    Recorded {
        fingerprint: u64,
        outcome: Outcome,
    },
}

impl StockLedger {
    /// Fold one event into the ledger. Infallible: an event is a fact.
    pub fn apply(&mut self, event: &LedgerEvent) {
        let (meta, entry) = match event {
            LedgerEvent::CellOpened { key, .. } => {
                (CELL_OPENING_META, JournalEntry::Open(key.clone()))
            }
            LedgerEvent::Moved(m) => {
                let cell = self.cell_or_open(&m.key);
                (
                    OperationMeta {
                        at: millis(m.at),
                        actor: m.actor,
                        key: m.idempotency_key.get(),
                    },
                    JournalEntry::Move {
                        cell,
                        from: m.from,
                        to: m.to,
                        qty: m.quantity,
                        reason: m.reason,
                        reference: match &m.reference {
                            Reference::PurchaseOrder(po) => {
                                StoredReference::PurchaseOrder(Arc::from(po.as_str()))
                            }
                            Reference::Reservation(r) => StoredReference::Reservation(r.get()),
                            Reference::Order(o) => StoredReference::Order(*o),
                            Reference::Transfer(t) => StoredReference::Transfer(*t),
                            Reference::Count(c) => StoredReference::Count(*c),
                            Reference::None => StoredReference::None,
                        },
                    },
                )
            }
            LedgerEvent::ReservationPlaced {
                at,
                actor,
                idempotency_key,
                reservation,
                owner,
                expires_at,
                ..
            } => (
                OperationMeta {
                    at: millis(*at),
                    actor: *actor,
                    key: idempotency_key.get(),
                },
                JournalEntry::Placed {
                    id: reservation.get(),
                    owner: *owner,
                    expires_at: millis(*expires_at),
                },
            ),
            LedgerEvent::ReorderPointSet {
                at,
                actor,
                idempotency_key,
                key,
                reorder_point,
                ..
            } => {
                let cell = self.cell_or_open(key);
                (
                    OperationMeta {
                        at: millis(*at),
                        actor: *actor,
                        key: idempotency_key.get(),
                    },
                    JournalEntry::ReorderPoint {
                        cell,
                        value: *reorder_point,
                    },
                )
            }
            LedgerEvent::OperationRecorded {
                at,
                actor,
                idempotency_key,
                fingerprint,
                outcome,
                ..
            } => (
                OperationMeta {
                    at: millis(*at),
                    actor: *actor,
                    key: idempotency_key.get(),
                },
                JournalEntry::Recorded {
                    fingerprint: *fingerprint,
                    outcome: *outcome,
                },
            ),
        };
        if self.journal.is_empty() && self.journal_base == 0 {
            self.journal_base = event.seq().max(1);
        }
        self.apply_entry(meta, entry);
    }

    /// The sequence number the next event will get.
    pub fn next_seq(&self) -> u64 {
        self.journal_base.max(1) + self.journal.len() as u64
    }

    /// The retained events, oldest first.
    pub fn events(&self) -> impl Iterator<Item = LedgerEvent> + '_ {
        self.events_since(0)
    }

    /// The retained events with sequence number at least `seq`.
    pub fn events_since(&self, seq: u64) -> impl Iterator<Item = LedgerEvent> + '_ {
        let base = self.journal_base.max(1);
        let skip = usize::try_from(seq.saturating_sub(base)).unwrap_or(usize::MAX);
        self.journal
            .iter()
            .enumerate()
            .skip(skip)
            .map(move |(i, (m, entry))| {
                self.materialize(base + i as u64, self.meta_at(*m), entry, &[])
            })
    }

    /// The retained movements, oldest first.
    pub fn movements(&self) -> impl Iterator<Item = Movement> + '_ {
        self.events().filter_map(|e| match e {
            LedgerEvent::Moved(m) => Some(m),
            _ => None,
        })
    }

    /// Drop retained events up to and including `seq` (once a service has stored them).
    pub fn forget_events_through(&mut self, seq: u64) {
        let base = self.journal_base.max(1);
        let n = usize::try_from((seq + 1).saturating_sub(base))
            .unwrap_or(usize::MAX)
            .min(self.journal.len());
        self.journal.drain(..n);
        self.journal_base = base + n as u64;
        // Drop the metas no retained entry refers to, and renumber the rest.
        let first = self
            .journal
            .iter()
            .map(|&(m, _)| m)
            .find(|&m| m != CELL_OPENING_AT)
            .map_or(self.metas.len(), |m| m as usize);
        if first > 0 {
            self.metas.drain(..first);
            for (m, _) in &mut self.journal {
                if *m != CELL_OPENING_AT {
                    *m -= first as u32;
                }
            }
        }
    }

    /// The cell of `key`, opened (with its `CellOpened` entry) if the ledger has not seen it.
    pub(super) fn cell_or_open(&mut self, key: &StockKey) -> u32 {
        match self.index.get(key) {
            Some(&c) => c,
            None => {
                let c = self.cells.len() as u32;
                self.apply_entry(CELL_OPENING_META, JournalEntry::Open(key.clone()));
                c
            }
        }
    }

    /// The position of `meta` in `metas`, adding it unless it is the last one (an operation's
    /// entries share their meta; two metas equal in every field read back the same anyway).
    #[inline]
    pub(super) fn meta_index(&mut self, meta: OperationMeta) -> u32 {
        if self.metas.last() != Some(&meta) {
            self.metas.push(meta);
        }
        (self.metas.len() - 1) as u32
    }

    #[inline]
    pub(super) fn meta_at(&self, m: u32) -> &OperationMeta {
        self.metas.get(m as usize).unwrap_or(&CELL_OPENING_META)
    }

    /// The key of cell `c`, which may be one a plan opens (`pending`, in order) and the
    /// ledger has not yet.
    pub(super) fn key_for(&self, c: u32, pending: &[StockKey]) -> StockKey {
        let i = c as usize;
        match self.keys.get(i) {
            Some(k) => k.clone(),
            None => pending
                .get(i - self.keys.len())
                .cloned()
                .unwrap_or_else(|| self.keys[0].clone()),
        }
    }

    /// The serde event of journal entry `entry`, numbered `seq`.
    pub(super) fn materialize(
        &self,
        seq: u64,
        meta: &OperationMeta,
        entry: &JournalEntry,
        pending: &[StockKey],
    ) -> LedgerEvent {
        let at = instant(meta.at);
        let idempotency_key = IdempotencyKey::new(meta.key);
        match entry {
            JournalEntry::Open(key) => LedgerEvent::CellOpened {
                seq,
                cell: self.index.get(key).copied().unwrap_or_else(|| {
                    let k = pending.iter().position(|p| p == key).unwrap_or(0);
                    (self.keys.len() + k) as u32
                }),
                key: key.clone(),
            },
            JournalEntry::Move {
                cell,
                from,
                to,
                qty,
                reason,
                reference,
            } => LedgerEvent::Moved(Movement {
                seq,
                at,
                actor: meta.actor,
                reason: *reason,
                reference: match reference {
                    StoredReference::PurchaseOrder(po) => Reference::PurchaseOrder(po.to_string()),
                    StoredReference::Reservation(r) => {
                        Reference::Reservation(ReservationId::new(*r))
                    }
                    StoredReference::Order(o) => Reference::Order(*o),
                    StoredReference::Transfer(t) => Reference::Transfer(*t),
                    StoredReference::Count(c) => Reference::Count(*c),
                    StoredReference::None => Reference::None,
                },
                idempotency_key,
                key: self.key_for(*cell, pending),
                from: *from,
                to: *to,
                quantity: *qty,
            }),
            JournalEntry::Placed {
                id,
                owner,
                expires_at,
            } => LedgerEvent::ReservationPlaced {
                seq,
                at,
                actor: meta.actor,
                idempotency_key,
                reservation: ReservationId::new(*id),
                owner: *owner,
                expires_at: instant(*expires_at),
            },
            JournalEntry::ReorderPoint { cell, value } => LedgerEvent::ReorderPointSet {
                seq,
                at,
                actor: meta.actor,
                idempotency_key,
                key: self.key_for(*cell, pending),
                reorder_point: *value,
            },
            JournalEntry::Recorded {
                fingerprint,
                outcome,
            } => LedgerEvent::OperationRecorded {
                seq,
                at,
                actor: meta.actor,
                idempotency_key,
                fingerprint: *fingerprint,
                outcome: *outcome,
            },
        }
    }
}
