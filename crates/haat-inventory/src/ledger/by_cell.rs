//! Reservations by cell handle, one at a time and in batches, and batched commits: the same
//! rules, outcomes and events as [`StockLedger::execute`], with the rows each request needs read
//! ahead, a group at a time, so that their cache misses overlap.

use chrono::{DateTime, Utc};
use haat_core::Actor;

use super::{Lines, OneLine, OperationMeta, Recall, StockLedger, fingerprint, millis};
use crate::{
    CellId, Command, Error, IdempotencyKey, Operation, Outcome, ReservationId, ReservationOwner,
    ReserveLine,
};

/// A reservation of a few lines by cell handle: an [`Operation::Reserve`] whose keys the
/// caller has resolved to cells once (checkout keeps them per listing and location) rather
/// than handing the ledger keys to hash on every request.
///
/// It stands for the `Operation::Reserve` with the same owner and expiry and a
/// [`ReserveLine`] per `(cell, quantity)`, in order, keyed by the cell's key: placed by
/// [`StockLedger::reserve_lines`], it writes the same events and answers the same outcomes,
/// and a retry may come either way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CellLines<'a> {
    /// Whom the holds are for.
    pub owner: ReservationOwner,
    /// When the holds lapse.
    pub expires_at: DateTime<Utc>,
    /// Each line's cell (from [`StockLedger::cell`]) and units wanted, in order.
    pub lines: &'a [(CellId, u64)],
}

/// A single-line reservation by cell handle: the hot path of checkout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CellReservation {
    /// The cell (from [`StockLedger::cell`]).
    pub cell: CellId,
    /// Units wanted.
    pub quantity: u64,
    /// Whom the hold is for.
    pub owner: ReservationOwner,
    /// When the hold lapses.
    pub expires_at: DateTime<Utc>,
}

/// How many requests [`StockLedger::reserve_cells`] reads ahead: two random reads each, 32
/// in flight, about what one core's memory system keeps going at once.
pub const RESERVE_GROUP: usize = 16;

impl StockLedger {
    /// Reserve units of one cell by handle: the same as a one-line
    /// [`Operation::Reserve`], without hashing a key. A retry must use this method again
    /// (its fingerprint is its own).
    ///
    /// # Errors
    ///
    /// As [`execute`](Self::execute); `UnknownCell` for a handle this ledger did not issue.
    pub fn reserve_cell(
        &mut self,
        actor: Actor,
        idempotency_key: IdempotencyKey,
        request: CellReservation,
        now: DateTime<Utc>,
    ) -> Result<Outcome, Error> {
        let expires_at = millis(request.expires_at);
        self.reserve_cell_at(actor, idempotency_key, request, millis(now), expires_at)
    }

    /// [`reserve_cell`](Self::reserve_cell) with `now` and the request's expiry in
    /// milliseconds, worked out already.
    pub(super) fn reserve_cell_at(
        &mut self,
        actor: Actor,
        idempotency_key: IdempotencyKey,
        request: CellReservation,
        at: i64,
        expires_at: i64,
    ) -> Result<Outcome, Error> {
        let key = idempotency_key.get();
        // Read the key's slot and the cell first: both are random reads of large arrays,
        // independent of each other, so issued back to back their cache misses overlap
        // instead of following one another. (`black_box` keeps the reads here; the values
        // are read again below, by then from cache.)
        let home = self.remembered.touch(key);
        if let Some(cell) = self.cells.get(request.cell.index()) {
            std::hint::black_box(cell.available());
        }
        let fingerprint = fingerprint::fingerprint_cell(actor, &request, expires_at);
        let hint = match self.answer(key, fingerprint, self.remembered.probe_from(key, home))? {
            Recall::Replay(outcome) => return Ok(outcome),
            Recall::New { slot_hint } => slot_hint,
        };
        let c = request.cell.0;
        if c as usize >= self.cells.len() {
            return Err(Error::UnknownCell {
                index: request.cell.index(),
            });
        }
        let meta = OperationMeta { at, actor, key };
        let one = OneLine {
            cell: c,
            qty: request.quantity,
            owner: request.owner,
            expires_at,
        };
        if self.can_place_one(&meta, &one) {
            return Ok(self.place_one(meta, fingerprint, hint, one));
        }
        let mut plan = std::mem::take(&mut self.scratch);
        plan.clear();
        let result = self.plan_reserve(
            actor,
            request.owner,
            expires_at,
            at,
            &mut [(c, request.quantity)],
            &mut plan,
        );
        let outcome = result.map(|reservation| {
            self.commit_plan(meta, &mut plan, fingerprint, Some(reservation), hint)
        });
        plan.clear();
        self.scratch = plan;
        outcome
    }

    /// The [`Operation::Reserve`] that `request` stands for, its keys read from this ledger;
    /// `None` if a handle is not this ledger's.
    pub fn reserve_operation(&self, request: CellLines<'_>) -> Option<Operation> {
        let lines = request
            .lines
            .iter()
            .map(|&(cell, quantity)| {
                Some(ReserveLine {
                    key: self.keys.get(cell.index())?.clone(),
                    quantity,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Operation::Reserve {
            owner: request.owner,
            expires_at: request.expires_at,
            lines,
        })
    }

    /// Reserve lines by cell handle: exactly what [`execute`](Self::execute) does with the
    /// command of [`reserve_operation`](Self::reserve_operation) — the same fingerprint (a
    /// retry may come either way), events, state and answers — without hashing a key or
    /// cloning one. Anything the direct path does not place (a short cell, an error to
    /// report, many lines) goes through `execute` with that command.
    ///
    /// # Errors
    ///
    /// As [`execute`](Self::execute); `UnknownCell` for a handle this ledger did not issue.
    pub fn reserve_lines(
        &mut self,
        actor: Actor,
        idempotency_key: IdempotencyKey,
        request: CellLines<'_>,
        now: DateTime<Utc>,
    ) -> Result<Outcome, Error> {
        if let Some(&(cell, _)) = request
            .lines
            .iter()
            .find(|(cell, _)| cell.index() >= self.cells.len())
        {
            return Err(Error::UnknownCell {
                index: cell.index(),
            });
        }
        if let Some(direct) = self.direct_reserve(actor, idempotency_key, request, now)? {
            let (meta, fingerprint, hint, lines) = direct;
            return Ok(self.place_lines(
                meta,
                fingerprint,
                hint,
                request.owner,
                millis(request.expires_at),
                &lines,
            ));
        }
        let operation = self
            .reserve_operation(request)
            .ok_or(Error::UnknownCell { index: usize::MAX })?;
        self.execute(&Command::new(actor, idempotency_key, operation), now)
    }

    /// Whether [`reserve_lines`](Self::reserve_lines) would place `request` at `now` on its
    /// direct path: a key not used before, and every cell of this ledger with the units,
    /// for an actor who may hold them. Pure. `true` promises that `reserve_lines` succeeds
    /// (before anything else changes these cells or this key); `false` promises nothing —
    /// ask [`decide`](Self::decide) with the command of
    /// [`reserve_operation`](Self::reserve_operation).
    pub fn may_reserve_lines(
        &self,
        actor: Actor,
        idempotency_key: IdempotencyKey,
        request: CellLines<'_>,
        now: DateTime<Utc>,
    ) -> bool {
        request
            .lines
            .iter()
            .all(|(cell, _)| cell.index() < self.cells.len())
            && matches!(
                self.direct_reserve(actor, idempotency_key, request, now),
                Ok(Some(_))
            )
    }

    /// What `execute` asks before placing a reservation directly, by cell: the fingerprint,
    /// a new key (a retry answers `Err` or is left to `execute`, as `None`), the demand per
    /// cell, and the decider's predicates. Every handle must be this ledger's.
    #[allow(clippy::type_complexity)]
    fn direct_reserve(
        &self,
        actor: Actor,
        idempotency_key: IdempotencyKey,
        request: CellLines<'_>,
        now: DateTime<Utc>,
    ) -> Result<Option<(OperationMeta, u64, usize, Lines)>, Error> {
        let expires_at = millis(request.expires_at);
        if request
            .lines
            .iter()
            .any(|(cell, _)| cell.index() >= self.keys.len())
        {
            return Ok(None);
        }
        // Every handle is in range (just checked).
        let keys = request
            .lines
            .iter()
            .map(|&(cell, quantity)| (&self.keys[cell.index()], quantity));
        let fingerprint = fingerprint::fingerprint_reserve(actor, request.owner, expires_at, keys);
        let key = idempotency_key.get();
        let hint = match self.recall(key, fingerprint)? {
            Recall::Replay(_) => return Ok(None),
            Recall::New { slot_hint } => slot_hint,
        };
        let meta = OperationMeta {
            at: millis(now),
            actor,
            key,
        };
        let lines = Lines::of(request.lines.iter().map(|(c, q)| (c, *q)), |c: &CellId| {
            Some(c.0)
        });
        Ok(lines
            .filter(|lines| self.can_place_lines(&meta, lines, expires_at))
            .map(|lines| (meta, fingerprint, hint, lines)))
    }

    /// [`reserve_cell`](Self::reserve_cell) for each request in turn, for one actor (a
    /// checkout worker draining its queue): the same outcomes, in the same order, and the same
    /// events and state as the calls one by one would give — a retry within the batch answers
    /// with the first outcome, a refused request writes nothing and the rest go on.
    ///
    /// Faster than the calls one by one on a large ledger: each reservation needs its key's
    /// idempotency slot and its cell, two random reads of large tables, and one request's
    /// reads stall it for a whole memory latency (about 200 ns on the reference machine),
    /// while the processor can have dozens in flight. This reads the slots and cells of up to
    /// [`RESERVE_GROUP`] requests first, so their misses overlap, then places them.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use haat_core::{Actor, LocationId, SellerId};
    /// use haat_inventory::{
    ///     AdjustmentReason, CellReservation, Command, IdempotencyKey, Operation,
    ///     ReservationOwner, StockKey, StockLedger,
    /// };
    ///
    /// let now = Utc.with_ymd_and_hms(2025, 10, 1, 10, 0, 0).single().ok_or("time")?;
    /// let key = StockKey::new(SellerId::new(7), "TANT-RED".parse()?, LocationId::new(1));
    /// let mut ledger = StockLedger::new();
    /// let found = Operation::Adjust {
    ///     key: key.clone(),
    ///     expected_on_hand: 0,
    ///     counted_on_hand: 3,
    ///     reason: AdjustmentReason::Found,
    /// };
    /// ledger.execute(&Command::new(Actor::System, IdempotencyKey::new(1), found), now)?;
    /// let cell = ledger.cell(&key).ok_or("no cell")?;
    /// let hold = |cart: u64, quantity: u64| CellReservation {
    ///     cell,
    ///     quantity,
    ///     owner: ReservationOwner::Cart(cart),
    ///     expires_at: now + chrono::Duration::minutes(15),
    /// };
    /// let outcomes = ledger.reserve_cells(
    ///     Actor::System,
    ///     &[
    ///         (IdempotencyKey::new(10), hold(1, 2)),
    ///         (IdempotencyKey::new(11), hold(2, 2)), // one unit left: refused
    ///         (IdempotencyKey::new(10), hold(1, 2)), // a retry: the first answer again
    ///     ],
    ///     now,
    /// );
    /// assert!(outcomes[0].is_ok() && outcomes[1].is_err());
    /// assert_eq!(outcomes[2].as_ref().ok().map(|o| o.replayed), Some(true));
    /// assert_eq!(ledger.cell_available(cell, now), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn reserve_cells(
        &mut self,
        actor: Actor,
        requests: &[(IdempotencyKey, CellReservation)],
        now: DateTime<Utc>,
    ) -> Vec<Result<Outcome, Error>> {
        let at = millis(now);
        let mut expiry = (now, at);
        let mut outcomes = Vec::with_capacity(requests.len());
        for group in requests.chunks(RESERVE_GROUP) {
            // Reading ahead one request at a time would not do: a read that misses holds up
            // every instruction after it from retiring, so the processor soon stops issuing
            // new ones. Issued together, a group's reads wait out one latency between them.
            for (key, request) in group {
                self.remembered.touch(key.get());
                if let Some(cell) = self.cells.get(request.cell.index()) {
                    std::hint::black_box(cell.available());
                }
            }
            // And the memo log's entries and the reservation slots the group will write: a
            // write that misses holds up every write after it, and a journal entry is built
            // on the stack and copied, so the copy's loads wait for those writes.
            self.remembered.touch_log(group.len());
            for res in self.reservations.upcoming(group.len()) {
                std::hint::black_box(res.expires_at);
            }
            for &(key, request) in group {
                // A batch's holds mostly share one expiry: convert it once.
                if request.expires_at != expiry.0 {
                    expiry = (request.expires_at, millis(request.expires_at));
                }
                outcomes.push(self.reserve_cell_at(actor, key, request, at, expiry.1));
            }
        }
        outcomes
    }

    /// Commit many reservations, for one actor (a dispatch worker marking shipped orders):
    /// the same outcomes, events and state as an [`Operation::Commit`] for each through
    /// [`execute`](Self::execute), in order; a retry (by either way) answers with the first
    /// outcome, a refused commit writes nothing and the rest go on.
    ///
    /// Faster than `execute` one by one: the reservations' records are read first, a group
    /// at a time, so their cache misses overlap, and no `Command` is built for each.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use haat_core::{Actor, LocationId, SellerId};
    /// use haat_inventory::{
    ///     AdjustmentReason, CellReservation, Command, IdempotencyKey, Operation,
    ///     ReservationOwner, StockKey, StockLedger,
    /// };
    ///
    /// let now = Utc.with_ymd_and_hms(2025, 10, 1, 10, 0, 0).single().ok_or("time")?;
    /// let key = StockKey::new(SellerId::new(7), "TANT-RED".parse()?, LocationId::new(1));
    /// let mut ledger = StockLedger::new();
    /// let found = Operation::Adjust {
    ///     key: key.clone(),
    ///     expected_on_hand: 0,
    ///     counted_on_hand: 3,
    ///     reason: AdjustmentReason::Found,
    /// };
    /// ledger.execute(&Command::new(Actor::System, IdempotencyKey::new(1), found), now)?;
    /// let cell = ledger.cell(&key).ok_or("no cell")?;
    /// let hold = CellReservation {
    ///     cell,
    ///     quantity: 2,
    ///     owner: ReservationOwner::Cart(1),
    ///     expires_at: now + chrono::Duration::minutes(15),
    /// };
    /// let placed = ledger.reserve_cell(Actor::System, IdempotencyKey::new(10), hold, now)?;
    /// let reservation = placed.reservation.ok_or("no reservation")?;
    /// let outcomes = ledger.commit_reservations(
    ///     Actor::System,
    ///     &[
    ///         (IdempotencyKey::new(11), reservation),
    ///         (IdempotencyKey::new(11), reservation), // a retry: the first answer again
    ///         (IdempotencyKey::new(12), reservation), // a second commit: refused
    ///     ],
    ///     now,
    /// );
    /// assert_eq!(outcomes[1].as_ref().ok().map(|o| o.replayed), Some(true));
    /// assert!(outcomes[0].is_ok() && outcomes[2].is_err());
    /// assert_eq!(ledger.quantities(&key).shipped(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn commit_reservations(
        &mut self,
        actor: Actor,
        commits: &[(IdempotencyKey, ReservationId)],
        now: DateTime<Utc>,
    ) -> Vec<Result<Outcome, Error>> {
        let at = millis(now);
        let mut outcomes = Vec::with_capacity(commits.len());
        for group in commits.chunks(RESERVE_GROUP) {
            for (_, id) in group {
                if let Some(res) = self.record(id.get()) {
                    std::hint::black_box(res.first_hold);
                }
            }
            for &(key, id) in group {
                outcomes.push(self.commit_reservation(actor, key, id, at, now));
            }
        }
        outcomes
    }

    /// One commit of [`commit_reservations`](Self::commit_reservations), `at` being `now` in
    /// milliseconds.
    pub(super) fn commit_reservation(
        &mut self,
        actor: Actor,
        key: IdempotencyKey,
        id: ReservationId,
        at: i64,
        now: DateTime<Utc>,
    ) -> Result<Outcome, Error> {
        let fingerprint = fingerprint::fingerprint_commit(actor, id);
        if let Recall::Replay(outcome) = self.recall_commit(key.get(), id.get(), fingerprint)? {
            return Ok(outcome);
        }
        let meta = OperationMeta {
            at,
            actor,
            key: key.get(),
        };
        match self.commit_one(meta, fingerprint, id.get()) {
            Some(outcome) => Ok(outcome),
            // Anything the direct path does not take: the decider decides, as `execute` does.
            None => self.execute(
                &Command::new(actor, key, Operation::Commit { reservation: id }),
                now,
            ),
        }
    }
}
