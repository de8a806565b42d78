//! A thread-safe stock ledger: shards of [`StockLedger`] behind mutexes.

use std::hash::{Hash, Hasher};
use std::sync::{Mutex, MutexGuard};

use chrono::{DateTime, Utc};
use haat_core::{Actor, LocationId, SellerId, Sku};

use crate::{
    AvailableStock, Command, Error, IdempotencyKey, Levels, Operation, Outcome, Quantities,
    ReservationId, ReservationOwner, ReserveLine, StockKey, StockLedger,
};
use haat_core::FastHasher;

/// A reservation placed through a [`SharedLedger`]: one part per shard its lines fall in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharedReservation {
    parts: Vec<(usize, ReservationId)>,
}

impl SharedReservation {
    /// The parts: shard and the reservation in that shard's ledger, in shard order.
    pub fn parts(&self) -> &[(usize, ReservationId)] {
        &self.parts
    }
}

/// A stock ledger a service can share across threads.
///
/// The core [`StockLedger`] is single-threaded and pure; this wrapper shards it by a hash of
/// (seller, SKU) into `N` ledgers, each behind a `Mutex`. Everything about one SKU (all its
/// locations, so transfers too) lives in one shard, so single-key operations lock one mutex. A
/// reservation whose lines fall in several shards locks those shards in ascending order (no
/// deadlock: every thread takes locks in the same order), checks every part with the pure
/// [`StockLedger::decide`], and only then applies them: all or nothing.
///
/// ```
/// use chrono::{DateTime, Duration};
/// use haat_core::{Actor, LocationId, OrderId, SellerId};
/// use haat_inventory::*;
///
/// let shared = SharedLedger::new(8);
/// let now = DateTime::UNIX_EPOCH;
/// let key = StockKey::new(SellerId::new(1), "TANT-01".parse()?, LocationId::new(7));
/// shared.execute(&Command::new(Actor::System, IdempotencyKey::new(1), Operation::Adjust {
///     key: key.clone(), expected_on_hand: 0, counted_on_hand: 5, reason: AdjustmentReason::Found,
/// }), now)?;
/// let held = std::thread::scope(|s| {
///     let handles: Vec<_> = (0..4u128).map(|t| {
///         let (shared, key) = (&shared, key.clone());
///         s.spawn(move || shared.reserve(Actor::System, IdempotencyKey::new(100 + t),
///             ReservationOwner::Order(OrderId::new(t as u64)), now + Duration::minutes(10),
///             vec![ReserveLine { key, quantity: 2 }], now).is_ok())
///     }).collect();
///     handles.into_iter().map(|h| h.join()).filter(|r| matches!(r, Ok(true))).count()
/// });
/// assert_eq!(held, 2); // 5 units: two holds of 2 fit, a third does not
/// assert_eq!(shared.quantities(&key).reserved(), 4);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct SharedLedger {
    shards: Box<[Mutex<StockLedger>]>,
}

impl SharedLedger {
    /// A shared ledger with `shards` shards (at least 1).
    pub fn new(shards: usize) -> Self {
        Self {
            shards: (0..shards.max(1))
                .map(|_| Mutex::new(StockLedger::new()))
                .collect(),
        }
    }

    /// How many shards.
    pub fn shard_count(&self) -> usize {
        self.shards.len()
    }

    /// The shard that holds `seller`'s `sku` (at every location).
    pub fn shard_of(&self, seller: SellerId, sku: &Sku) -> usize {
        let mut h = FastHasher::default();
        seller.hash(&mut h);
        sku.hash(&mut h);
        (h.finish() % self.shards.len() as u64) as usize
    }

    fn lock(&self, shard: usize) -> MutexGuard<'_, StockLedger> {
        // A ledger's operations check everything before changing anything and the change
        // itself cannot fail, so a shard whose holder panicked is still consistent.
        self.shards[shard]
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Read one shard's ledger.
    pub fn with_shard<R>(&self, shard: usize, f: impl FnOnce(&StockLedger) -> R) -> R {
        f(&self.lock(shard % self.shards.len()))
    }

    /// Work on one shard's ledger: read its events since a sequence number and forget those
    /// stored, forget settled history, take its stock signals.
    pub fn with_shard_mut<R>(&self, shard: usize, f: impl FnOnce(&mut StockLedger) -> R) -> R {
        f(&mut self.lock(shard % self.shards.len()))
    }

    /// The quantities of `key`.
    pub fn quantities(&self, key: &StockKey) -> Quantities {
        self.lock(self.shard_of(key.seller(), key.sku()))
            .quantities(key)
    }

    /// The live levels of every shard, merged.
    pub fn levels(&self) -> Levels {
        let mut levels = Levels::default();
        for shard in 0..self.shards.len() {
            for (key, q) in self.lock(shard).levels().iter() {
                levels.set(key.clone(), *q);
            }
        }
        levels
    }

    /// Carry out an operation that names one key (or `TransferIn`, found by its transfer id,
    /// or `Expire`, run on every shard — the outcome is the last shard's).
    ///
    /// # Errors
    ///
    /// As [`StockLedger::execute`]; `Unroutable` for `Reserve`, `Release`, `Commit` and
    /// `Cancel`, which go through [`reserve`](Self::reserve) and the methods taking a
    /// [`SharedReservation`].
    pub fn execute(&self, command: &Command, now: DateTime<Utc>) -> Result<Outcome, Error> {
        let key = match command.operation() {
            Operation::ExpectInbound { key, .. }
            | Operation::ReceiveInbound { key, .. }
            | Operation::CompleteQualityCheck { key, .. }
            | Operation::Return { key, .. }
            | Operation::Adjust { key, .. }
            | Operation::TransferOut { key, .. }
            | Operation::MarkDamaged { key, .. }
            | Operation::WriteOff { key, .. }
            | Operation::SetSafetyStock { key, .. }
            | Operation::SetReorderPoint { key, .. } => key,
            Operation::TransferIn { transfer, .. } => {
                for shard in 0..self.shards.len() {
                    let mut ledger = self.lock(shard);
                    if ledger.has_transfer(*transfer) {
                        return ledger.execute(command, now);
                    }
                }
                return Err(Error::UnknownTransfer {
                    transfer: *transfer,
                });
            }
            Operation::Expire => {
                let mut last = Err(Error::Unroutable {
                    operation: "expire",
                });
                for shard in 0..self.shards.len() {
                    last = self.lock(shard).execute(command, now);
                    last.as_ref().map_err(Clone::clone)?;
                }
                return last;
            }
            Operation::Reserve { .. } => {
                return Err(Error::Unroutable {
                    operation: "reserve",
                });
            }
            Operation::Release { .. } => {
                return Err(Error::Unroutable {
                    operation: "release",
                });
            }
            Operation::Commit { .. } => {
                return Err(Error::Unroutable {
                    operation: "commit",
                });
            }
            Operation::Cancel { .. } => {
                return Err(Error::Unroutable {
                    operation: "cancel",
                });
            }
        };
        self.lock(self.shard_of(key.seller(), key.sku()))
            .execute(command, now)
    }

    /// Reserve every line or none, across shards.
    ///
    /// # Errors
    ///
    /// As [`Operation::Reserve`] in [`StockLedger::execute`]; on an error no shard changes.
    pub fn reserve(
        &self,
        actor: Actor,
        idempotency_key: IdempotencyKey,
        owner: ReservationOwner,
        expires_at: DateTime<Utc>,
        lines: Vec<ReserveLine>,
        now: DateTime<Utc>,
    ) -> Result<SharedReservation, Error> {
        if lines.is_empty() {
            return Err(Error::EmptyReservation);
        }
        let mut by_shard: Vec<(usize, Vec<ReserveLine>)> = Vec::new();
        for line in lines {
            let shard = self.shard_of(line.key.seller(), line.key.sku());
            match by_shard.iter_mut().find(|(s, _)| *s == shard) {
                Some((_, ls)) => ls.push(line),
                None => by_shard.push((shard, vec![line])),
            }
        }
        by_shard.sort_by_key(|(s, _)| *s);
        let commands: Vec<(usize, Command)> = by_shard
            .into_iter()
            .map(|(shard, lines)| {
                (
                    shard,
                    Command::new(
                        actor,
                        idempotency_key,
                        Operation::Reserve {
                            owner,
                            expires_at,
                            lines,
                        },
                    ),
                )
            })
            .collect();
        let outcomes = self.all_or_nothing(&commands, now)?;
        let mut parts = Vec::with_capacity(outcomes.len());
        for (shard, outcome) in outcomes {
            if let Some(id) = outcome.reservation {
                parts.push((shard, id));
            }
        }
        Ok(SharedReservation { parts })
    }

    /// Commit every part of a reservation (its order shipped), or none.
    ///
    /// # Errors
    ///
    /// As [`Operation::Commit`].
    pub fn commit(
        &self,
        actor: Actor,
        idempotency_key: IdempotencyKey,
        reservation: &SharedReservation,
        now: DateTime<Utc>,
    ) -> Result<(), Error> {
        self.each_part(actor, idempotency_key, reservation, now, |r| {
            Operation::Commit { reservation: r }
        })
    }

    /// Release every part of a reservation, or none.
    ///
    /// # Errors
    ///
    /// As [`Operation::Release`].
    pub fn release(
        &self,
        actor: Actor,
        idempotency_key: IdempotencyKey,
        reservation: &SharedReservation,
        now: DateTime<Utc>,
    ) -> Result<(), Error> {
        self.each_part(actor, idempotency_key, reservation, now, |r| {
            Operation::Release { reservation: r }
        })
    }

    /// Cancel every part of a reservation, or none.
    ///
    /// # Errors
    ///
    /// As [`Operation::Cancel`].
    pub fn cancel(
        &self,
        actor: Actor,
        idempotency_key: IdempotencyKey,
        reservation: &SharedReservation,
        now: DateTime<Utc>,
    ) -> Result<(), Error> {
        self.each_part(actor, idempotency_key, reservation, now, |r| {
            Operation::Cancel { reservation: r }
        })
    }

    fn each_part(
        &self,
        actor: Actor,
        idempotency_key: IdempotencyKey,
        reservation: &SharedReservation,
        now: DateTime<Utc>,
        op: impl Fn(ReservationId) -> Operation,
    ) -> Result<(), Error> {
        let commands: Vec<(usize, Command)> = reservation
            .parts
            .iter()
            .map(|&(shard, id)| (shard, Command::new(actor, idempotency_key, op(id))))
            .collect();
        self.all_or_nothing(&commands, now).map(|_| ())
    }

    /// Lock the commands' shards in ascending order, decide each, and apply only if all pass.
    fn all_or_nothing(
        &self,
        commands: &[(usize, Command)],
        now: DateTime<Utc>,
    ) -> Result<Vec<(usize, Outcome)>, Error> {
        let mut guards: Vec<MutexGuard<'_, StockLedger>> = Vec::with_capacity(commands.len());
        for (shard, _) in commands {
            guards.push(self.lock(*shard % self.shards.len()));
        }
        if commands.len() > 1 {
            for (guard, (_, command)) in guards.iter().zip(commands) {
                guard.decide(command, now)?;
            }
        }
        let mut outcomes = Vec::with_capacity(commands.len());
        for (guard, (shard, command)) in guards.iter_mut().zip(commands) {
            outcomes.push((*shard, guard.execute(command, now)?));
        }
        Ok(outcomes)
    }
}

impl AvailableStock for SharedLedger {
    fn available(
        &self,
        seller: SellerId,
        sku: &Sku,
        location: LocationId,
        now: DateTime<Utc>,
    ) -> u64 {
        self.lock(self.shard_of(seller, sku))
            .available(seller, sku, location, now)
    }

    fn available_many(
        &self,
        seller: SellerId,
        sku: &Sku,
        locations: &[LocationId],
        now: DateTime<Utc>,
        out: &mut [u64],
    ) {
        self.lock(self.shard_of(seller, sku))
            .available_many(seller, sku, locations, now, out);
    }
}
