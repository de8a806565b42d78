//! A thread-safe stock ledger: shards of [`StockLedger`] behind mutexes.

use std::sync::{Mutex, MutexGuard};

use chrono::{DateTime, Utc};
use haat_core::{Actor, FastHashMap, LocationId, SellerId, Sku};

use crate::ledger::{Fingerprint, check_expiry, demand, fingerprint, route, unstocked};
use crate::{
    AvailableStock, Command, Error, IdempotencyKey, Levels, Operation, Outcome, Quantities,
    ReservationId, ReservationOwner, ReserveLine, StockKey, StockLedger,
};

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
/// A request gets the answer one [`StockLedger`] would give it, however many shards there
/// are. Idempotency keys are one namespace across the shards, as in one ledger: the shared
/// ledger keeps its own directory of the keys it carried out (split by the key's hash into as
/// many parts as there are shards, each behind its own mutex, taken before any shard's), and
/// refuses a key reused with another payload (`IdempotencyConflict`) even when the two
/// requests name stock in different shards. (A commit's key, which one ledger remembers on
/// the reservation it committed, is remembered on each part the same way.) Transfer ids are
/// a seller's own numbers for a SKU's transfers, so a transfer lives in its SKU's shard and a
/// `TransferIn` goes there by its key.
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
    /// The idempotency keys carried out, by a hash of the key.
    keys: Box<[Mutex<KeyDirectory>]>,
}

/// The keys of the requests a shared ledger carried out: the payload's fingerprint and when
/// it was first carried out (for forgetting), per key.
#[derive(Debug, Default)]
struct KeyDirectory(FastHashMap<u128, (u64, i64)>);

impl SharedLedger {
    /// A shared ledger with `shards` shards (at least 1).
    pub fn new(shards: usize) -> Self {
        let n = shards.max(1);
        Self {
            shards: (0..n).map(|_| Mutex::new(StockLedger::new())).collect(),
            keys: (0..n)
                .map(|_| Mutex::new(KeyDirectory::default()))
                .collect(),
        }
    }

    /// How many shards.
    pub fn shard_count(&self) -> usize {
        self.shards.len()
    }

    /// The shard that holds `seller`'s `sku` (at every location): from a fixed hash of the
    /// seller and SKU, the same on every build and platform, so a service that stores each
    /// shard's events apart finds a SKU's history in the same shard after an upgrade.
    pub fn shard_of(&self, seller: SellerId, sku: &Sku) -> usize {
        (route(seller, sku) % self.shards.len() as u64) as usize
    }

    fn lock(&self, shard: usize) -> MutexGuard<'_, StockLedger> {
        lock(&self.shards[shard])
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

    /// Forget what [`StockLedger::forget_settled_before`] forgets, in every shard, and the
    /// idempotency keys recorded before `before` from the shared ledger's own directory.
    pub fn forget_settled_before(&self, before: DateTime<Utc>) {
        let cutoff = before.timestamp_millis();
        for keys in &self.keys {
            lock(keys).0.retain(|_, &mut (_, at)| at >= cutoff);
        }
        for shard in 0..self.shards.len() {
            self.lock(shard).forget_settled_before(before);
        }
    }

    /// Carry out `run` for the request with idempotency key `key` and payload fingerprint
    /// `fingerprint`, as one ledger would: refused if the key was carried out with another
    /// payload; remembered if it succeeds. `run` is told whether it is a retry (the shards
    /// answer it with the first outcome). The key's directory stays locked throughout, so two
    /// requests with one key are never both carried out.
    fn once<R>(
        &self,
        key: IdempotencyKey,
        fingerprint: u64,
        now: DateTime<Utc>,
        run: impl FnOnce(bool) -> Result<R, Error>,
    ) -> Result<R, Error> {
        let part = (Fingerprint::default()
            .word(key.get() as u64)
            .word((key.get() >> 64) as u64)
            .finish()
            % self.keys.len() as u64) as usize;
        let mut keys = lock(&self.keys[part]);
        let retry = match keys.0.get(&key.get()) {
            Some(&(known, _)) if known != fingerprint => {
                return Err(Error::IdempotencyConflict { key: key.get() });
            }
            Some(_) => true,
            None => false,
        };
        let result = run(retry);
        if result.is_ok() {
            keys.0
                .entry(key.get())
                .or_insert((fingerprint, now.timestamp_millis()));
        }
        result
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

    /// Carry out an operation that names one key (`TransferIn` names where it arrives), or
    /// `Expire`, run on every shard (the outcome is the last shard's).
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
            | Operation::TransferIn { key, .. }
            | Operation::MarkDamaged { key, .. }
            | Operation::WriteOff { key, .. }
            | Operation::SetSafetyStock { key, .. }
            | Operation::SetReorderPoint { key, .. } => key,
            Operation::Expire => {
                return self.once(command.idempotency_key(), fingerprint(command), now, |_| {
                    let mut last = Err(Error::Unroutable {
                        operation: "expire",
                    });
                    for shard in 0..self.shards.len() {
                        last = self.lock(shard).execute(command, now);
                        last.as_ref().map_err(Clone::clone)?;
                    }
                    last
                });
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
        let shard = self.shard_of(key.seller(), key.sku());
        self.once(command.idempotency_key(), fingerprint(command), now, |_| {
            self.lock(shard).execute(command, now)
        })
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
        // The whole request's fingerprint, as one ledger would take it.
        let whole = Command::new(
            actor,
            idempotency_key,
            Operation::Reserve {
                owner,
                expires_at,
                lines,
            },
        );
        let Operation::Reserve { lines, .. } = whole.operation() else {
            return Err(Error::EmptyReservation);
        };
        self.once(idempotency_key, fingerprint(&whole), now, |retry| {
            // The checks one ledger makes on the whole request before it looks at stock, in
            // its order, so the split request is refused for the same reason.
            let demand = demand(actor, lines)?;
            let mut by_shard: Vec<(usize, Vec<ReserveLine>)> = Vec::new();
            for line in lines {
                let shard = self.shard_of(line.key.seller(), line.key.sku());
                match by_shard.iter_mut().find(|(s, _)| *s == shard) {
                    Some((_, ls)) => ls.push(line.clone()),
                    None => by_shard.push((shard, vec![line.clone()])),
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
            let outcomes = self.all_or_nothing(&commands, now, |guards| {
                if retry {
                    // Answered by the shards with the first outcome, as one ledger would.
                    return Ok(());
                }
                // A key no shard has seen, then an expiry in the past, as one ledger checks.
                for (key, quantity) in &demand {
                    let shard = self.shard_of(key.seller(), key.sku());
                    let seen = commands
                        .iter()
                        .zip(guards)
                        .find(|((s, _), _)| *s == shard)
                        .is_some_and(|(_, ledger)| ledger.cell(key).is_some());
                    if !seen {
                        return Err(unstocked(key, *quantity));
                    }
                }
                check_expiry(expires_at.timestamp_millis(), now.timestamp_millis())
            })?;
            let mut parts = Vec::with_capacity(outcomes.len());
            for (shard, outcome) in outcomes {
                if let Some(id) = outcome.reservation {
                    parts.push((shard, id));
                }
            }
            Ok(SharedReservation { parts })
        })
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
        let run = |_| self.all_or_nothing(&commands, now, |_| Ok(())).map(|_| ());
        match commands.first().map(|(_, c)| c.operation()) {
            // One ledger keeps a commit's key on the reservation it committed, not among its
            // other keys: so does each shard, for its part.
            Some(Operation::Commit { .. }) | None => run(false),
            Some(_) => {
                // The whole request's payload: the operation and every part.
                let mut f = Fingerprint::default();
                f.actor(actor);
                f.word(match commands.first().map(|(_, c)| c.operation()) {
                    Some(Operation::Release { .. }) => 5,
                    _ => 7,
                });
                f.word(reservation.parts.len() as u64);
                for &(shard, id) in &reservation.parts {
                    f.word(shard as u64).word(id.get());
                }
                self.once(idempotency_key, f.finish(), now, run)
            }
        }
    }

    /// Lock the commands' shards in ascending order, run `check` on them, decide each, and
    /// apply only if all pass.
    fn all_or_nothing(
        &self,
        commands: &[(usize, Command)],
        now: DateTime<Utc>,
        check: impl FnOnce(&[MutexGuard<'_, StockLedger>]) -> Result<(), Error>,
    ) -> Result<Vec<(usize, Outcome)>, Error> {
        let mut guards: Vec<MutexGuard<'_, StockLedger>> = Vec::with_capacity(commands.len());
        for (shard, _) in commands {
            guards.push(self.lock(*shard % self.shards.len()));
        }
        check(&guards)?;
        if commands.len() > 1 {
            // Every part is decided, and the refusal is the one a single ledger, seeing the
            // whole request, would give first: a reservation it does not know, then one the
            // actor may not touch, then the first part's.
            let first = |e: &Error| match e {
                Error::UnknownReservation { .. } => 0,
                Error::Forbidden { .. } => 1,
                _ => 2,
            };
            let refusal = guards
                .iter()
                .zip(commands)
                .filter_map(|(guard, (_, command))| guard.decide(command, now).err())
                .min_by_key(first);
            if let Some(error) = refusal {
                return Err(error);
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

/// Lock `mutex`. A ledger's operations check everything before changing anything and the
/// change itself cannot fail, so state whose holder panicked is still consistent.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
