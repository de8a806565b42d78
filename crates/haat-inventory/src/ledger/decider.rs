//! The decider: the ledger's domain rules. For each operation — a movement of stock, a
//! reservation, its commit, release or cancel, expiry — whether it may happen (who may act,
//! which bucket must hold the units, which reservation may still close) and the journal entries
//! it writes. Pure (`&self`): it reads the ledger through the storage accessors and never sees
//! the layout; the entries are applied by `apply.rs`, the one place state changes. `plan` is
//! the entry point, one function per rule below it; the predicates the direct checkout path
//! asks (`may_place_directly`, `may_commit_at`, `may_act_for`) are the rules' own.

use std::sync::Arc;

use haat_core::{Actor, LocationId, OrderId, SellerId};

use super::{JournalEntry, NO_HOLD, StockLedger, StoredReference, instant};
use crate::{
    AdjustmentReason, Bucket, Error, MovementReason, Operation, Receipt, ReservationId,
    ReservationOwner, ReservationStatus, ReserveLine, ReturnCondition, StockKey,
};

/// How a held reservation is closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Close {
    Release,
    Commit,
    Cancel,
}

impl Close {
    /// The word a `ReservationClosed` refusal uses for the operation.
    fn done(self) -> &'static str {
        match self {
            Close::Release => "released",
            Close::Commit => "committed",
            Close::Cancel => "cancelled",
        }
    }
}

/// Whether `actor` may move `seller`'s stock: the seller itself, or the marketplace. The one
/// authorisation rule, which the direct checkout path asks too.
#[inline]
pub(super) fn may_act_for(actor: Actor, seller: SellerId) -> bool {
    actor.may_act_for(seller)
}

/// Whether a reservation lapsing at `expires_at` may still be committed at `now`: a hold
/// counts until the instant it lapses, not at it.
#[inline]
pub(super) fn may_commit_at(expires_at: i64, now: i64) -> bool {
    now < expires_at
}

/// Whether a reservation for `quantity` units lapsing at `expires_at` may be placed at `now`
/// against `available` units with no expired hold to release first: units wanted, an expiry
/// after now, and the units there. Anything else goes to `plan_reserve`.
#[inline]
pub(super) fn may_place_directly(quantity: u64, expires_at: i64, now: i64, available: u64) -> bool {
    quantity > 0 && expires_at > now && available >= quantity
}

fn authorise(actor: Actor, seller: SellerId) -> Result<(), Error> {
    if may_act_for(actor, seller) {
        Ok(())
    } else {
        Err(Error::Forbidden { actor, seller })
    }
}

fn nonzero(key: &StockKey, quantity: u64) -> Result<(), Error> {
    if quantity == 0 {
        Err(Error::ZeroQuantity {
            sku: key.sku().clone(),
            location: key.location(),
        })
    } else {
        Ok(())
    }
}

fn mv(
    cell: u32,
    from: Option<Bucket>,
    to: Option<Bucket>,
    qty: u64,
    reason: MovementReason,
    reference: StoredReference,
) -> JournalEntry {
    JournalEntry::Move {
        cell,
        from,
        to,
        qty,
        reason,
        reference,
    }
}

fn receipt_bucket(into: Receipt) -> Bucket {
    match into {
        Receipt::QualityCheck => Bucket::QualityCheck,
        Receipt::Available => Bucket::Available,
    }
}

/// A reservation request's demand per key, in order of first appearance, after the checks
/// that need no stock: lines to reserve, every line's seller the actor's to act for, every
/// quantity above zero, no sum that overflows. A [`SharedLedger`](crate::SharedLedger) runs
/// them on the whole request before splitting it, so it refuses what one ledger refuses.
pub(crate) fn demand(actor: Actor, lines: &[ReserveLine]) -> Result<Vec<(&StockKey, u64)>, Error> {
    if lines.is_empty() {
        return Err(Error::EmptyReservation);
    }
    // Every line's seller first, so a refusal says nothing about any line; then sum demand per
    // key, checking every line's quantity.
    for line in lines {
        authorise(actor, line.key.seller())?;
    }
    let mut demand: Vec<(&StockKey, u64)> = Vec::with_capacity(lines.len());
    for line in lines {
        nonzero(&line.key, line.quantity)?;
        match demand.iter_mut().find(|(k, _)| **k == line.key) {
            Some((_, q)) => {
                *q = q
                    .checked_add(line.quantity)
                    .ok_or_else(|| Error::Overflow {
                        sku: line.key.sku().clone(),
                        location: line.key.location(),
                    })?;
            }
            None => demand.push((&line.key, line.quantity)),
        }
    }
    Ok(demand)
}

/// The refusal of a reservation of `quantity` units of a key the ledger has never seen.
pub(crate) fn unstocked(key: &StockKey, quantity: u64) -> Error {
    Error::InsufficientStock {
        sku: key.sku().clone(),
        location: key.location(),
        bucket: Bucket::Available,
        requested: quantity,
        available: 0,
    }
}

/// The refusal of a reservation that would lapse at or before `now`.
pub(crate) fn check_expiry(expires_at: i64, now: i64) -> Result<(), Error> {
    if expires_at <= now {
        Err(Error::ExpiryInPast {
            expires_at: instant(expires_at),
            now: instant(now),
        })
    } else {
        Ok(())
    }
}

impl StockLedger {
    fn short(&self, key: &StockKey, bucket: Bucket, requested: u64, available: u64) -> Error {
        Error::InsufficientStock {
            sku: key.sku().clone(),
            location: key.location(),
            bucket,
            requested,
            available,
        }
    }

    /// The cell of `key`, opening it in the plan if the ledger has not seen it.
    fn open(&self, key: &StockKey, plan: &mut Vec<JournalEntry>) -> u32 {
        if let Some(&c) = self.index.get(key) {
            return c;
        }
        let mut pending = 0u32;
        for entry in plan.iter() {
            if let JournalEntry::Open(k) = entry {
                if k == key {
                    return self.cells.len() as u32 + pending;
                }
                pending += 1;
            }
        }
        plan.push(JournalEntry::Open(key.clone()));
        self.cells.len() as u32 + pending
    }

    /// Units in `bucket` of `key` (0 for a key never seen).
    fn units(&self, key: &StockKey, bucket: Bucket) -> (Option<u32>, u64) {
        match self.index.get(key) {
            Some(&c) => (Some(c), self.bucket(c, bucket)),
            None => (None, 0),
        }
    }

    /// The cell of `key`, which must hold at least `quantity` in `bucket`.
    fn take(&self, key: &StockKey, bucket: Bucket, quantity: u64) -> Result<u32, Error> {
        match self.units(key, bucket) {
            (Some(c), n) if n >= quantity => Ok(c),
            (_, n) => Err(self.short(key, bucket, quantity, n)),
        }
    }

    /// Refuse an inflow that would make a cell's total overflow.
    fn room(&self, key: &StockKey, quantity: u64) -> Result<(), Error> {
        let total = match self.index.get(key) {
            Some(&c) => self
                .quantities_of(c)
                .buckets
                .iter()
                .try_fold(0u64, |a, &n| a.checked_add(n)),
            None => Some(0),
        };
        match total.and_then(|t| t.checked_add(quantity)) {
            Some(_) => Ok(()),
            None => Err(Error::Overflow {
                sku: key.sku().clone(),
                location: key.location(),
            }),
        }
    }

    /// Check `op` for `actor` at `now` and list the entries it would write in `plan`: the
    /// decider's one entry point, one rule per operation below. Answers with the id of the
    /// reservation a `Reserve` places.
    pub(super) fn plan(
        &self,
        actor: Actor,
        op: &Operation,
        now: i64,
        plan: &mut Vec<JournalEntry>,
    ) -> Result<Option<u64>, Error> {
        match op {
            Operation::ExpectInbound {
                key,
                quantity,
                purchase_order,
            } => self.plan_expect_inbound(actor, key, *quantity, purchase_order, plan)?,
            Operation::ReceiveInbound {
                key,
                purchase_order,
                good,
                damaged,
                into,
            } => {
                let po = Arc::from(purchase_order.as_str());
                self.plan_receive_inbound(actor, key, po, *good, *damaged, *into, plan)?;
            }
            Operation::CompleteQualityCheck {
                key,
                passed,
                failed,
            } => self.plan_quality_check(actor, key, *passed, *failed, plan)?,
            Operation::Reserve {
                owner,
                expires_at,
                lines,
            } => {
                let id = self.plan_reserve_lines(
                    actor,
                    *owner,
                    expires_at.timestamp_millis(),
                    now,
                    lines,
                    plan,
                )?;
                return Ok(Some(id));
            }
            Operation::Release { reservation } => {
                self.plan_close(actor, *reservation, Close::Release, now, plan)?;
            }
            Operation::Commit { reservation } => {
                self.plan_close(actor, *reservation, Close::Commit, now, plan)?;
            }
            Operation::Cancel { reservation } => {
                self.plan_close(actor, *reservation, Close::Cancel, now, plan)?;
            }
            Operation::Return {
                key,
                quantity,
                order,
                condition,
            } => self.plan_return(actor, key, *quantity, *order, *condition, plan)?,
            Operation::Adjust {
                key,
                expected_on_hand,
                counted_on_hand,
                reason,
            } => self.plan_adjust(
                actor,
                key,
                *expected_on_hand,
                *counted_on_hand,
                *reason,
                plan,
            )?,
            Operation::TransferOut {
                transfer,
                key,
                to,
                quantity,
            } => self.plan_transfer_out(actor, *transfer, key, *to, *quantity, plan)?,
            Operation::TransferIn {
                transfer,
                key,
                into,
            } => self.plan_transfer_in(actor, *transfer, key, *into, plan)?,
            Operation::MarkDamaged { key, quantity } => {
                let damage = (
                    Bucket::Available,
                    Bucket::Damaged,
                    MovementReason::MarkedDamaged,
                );
                self.plan_move(actor, key, *quantity, damage, plan)?;
            }
            Operation::WriteOff { key, quantity } => {
                let write_off = (
                    Bucket::Damaged,
                    Bucket::WrittenOff,
                    MovementReason::WrittenOff,
                );
                self.plan_move(actor, key, *quantity, write_off, plan)?;
            }
            Operation::SetSafetyStock { key, quantity } => {
                self.plan_safety_stock(actor, key, *quantity, plan)?;
            }
            Operation::SetReorderPoint { key, reorder_point } => {
                authorise(actor, key.seller())?;
                let c = self.open(key, plan);
                plan.push(JournalEntry::ReorderPoint {
                    cell: c,
                    value: *reorder_point,
                });
            }
            Operation::Expire => self.plan_expire(actor, now, plan),
        }
        Ok(None)
    }

    /// Units announced on a purchase order: nothing to take, only room to check.
    fn plan_expect_inbound(
        &self,
        actor: Actor,
        key: &StockKey,
        quantity: u64,
        purchase_order: &str,
        plan: &mut Vec<JournalEntry>,
    ) -> Result<(), Error> {
        authorise(actor, key.seller())?;
        nonzero(key, quantity)?;
        self.room(key, quantity)?;
        let c = self.open(key, plan);
        let po = StoredReference::PurchaseOrder(Arc::from(purchase_order));
        plan.push(mv(
            c,
            None,
            Some(Bucket::Incoming),
            quantity,
            MovementReason::Expected,
            po,
        ));
        Ok(())
    }

    /// Expected units arrive: the good ones into `into`, the damaged ones aside.
    #[allow(clippy::too_many_arguments)]
    fn plan_receive_inbound(
        &self,
        actor: Actor,
        key: &StockKey,
        po: Arc<str>,
        good: u64,
        damaged: u64,
        into: Receipt,
        plan: &mut Vec<JournalEntry>,
    ) -> Result<(), Error> {
        authorise(actor, key.seller())?;
        let total = good.checked_add(damaged).ok_or_else(|| Error::Overflow {
            sku: key.sku().clone(),
            location: key.location(),
        })?;
        nonzero(key, total)?;
        let c = self.take(key, Bucket::Incoming, total)?;
        if good > 0 {
            plan.push(mv(
                c,
                Some(Bucket::Incoming),
                Some(receipt_bucket(into)),
                good,
                MovementReason::Received,
                StoredReference::PurchaseOrder(po.clone()),
            ));
        }
        if damaged > 0 {
            plan.push(mv(
                c,
                Some(Bucket::Incoming),
                Some(Bucket::Damaged),
                damaged,
                MovementReason::Received,
                StoredReference::PurchaseOrder(po),
            ));
        }
        Ok(())
    }

    /// Units in quality check pass to available or fail to damaged.
    fn plan_quality_check(
        &self,
        actor: Actor,
        key: &StockKey,
        passed: u64,
        failed: u64,
        plan: &mut Vec<JournalEntry>,
    ) -> Result<(), Error> {
        authorise(actor, key.seller())?;
        let total = passed.checked_add(failed).ok_or_else(|| Error::Overflow {
            sku: key.sku().clone(),
            location: key.location(),
        })?;
        nonzero(key, total)?;
        let c = self.take(key, Bucket::QualityCheck, total)?;
        if passed > 0 {
            plan.push(mv(
                c,
                Some(Bucket::QualityCheck),
                Some(Bucket::Available),
                passed,
                MovementReason::QualityChecked,
                StoredReference::None,
            ));
        }
        if failed > 0 {
            plan.push(mv(
                c,
                Some(Bucket::QualityCheck),
                Some(Bucket::Damaged),
                failed,
                MovementReason::QualityChecked,
                StoredReference::None,
            ));
        }
        Ok(())
    }

    /// A reservation request by key: its demand per cell, then [`plan_reserve`]'s rule.
    ///
    /// [`plan_reserve`]: Self::plan_reserve
    fn plan_reserve_lines(
        &self,
        actor: Actor,
        owner: ReservationOwner,
        expires_at: i64,
        now: i64,
        lines: &[ReserveLine],
        plan: &mut Vec<JournalEntry>,
    ) -> Result<u64, Error> {
        let demand = demand(actor, lines)?;
        let mut cells = Vec::with_capacity(demand.len());
        for (key, q) in &demand {
            match self.index.get(*key) {
                Some(&c) => cells.push((c, *q)),
                None => return Err(unstocked(key, *q)),
            }
        }
        self.plan_reserve(actor, owner, expires_at, now, &mut cells, plan)
    }

    /// Release, commit or cancel a held reservation: every line moves out of reserved.
    fn plan_close(
        &self,
        actor: Actor,
        reservation: ReservationId,
        close: Close,
        now: i64,
        plan: &mut Vec<JournalEntry>,
    ) -> Result<(), Error> {
        // Only a held reservation is closed. A committed one shipped: its units come back
        // through a return the marketplace records, never by cancelling.
        let res = self.open_reservation(actor, reservation, close.done())?;
        if close == Close::Commit && !may_commit_at(res.expires_at, now) {
            return Err(Error::ReservationExpired {
                reservation,
                expired_at: instant(res.expires_at),
            });
        }
        let (to, reason) = match close {
            Close::Release => (Bucket::Available, MovementReason::Released),
            Close::Commit => (Bucket::Shipped, MovementReason::Committed),
            Close::Cancel => (Bucket::Available, MovementReason::Cancelled),
        };
        self.plan_lines(
            reservation,
            res.first_hold,
            Bucket::Reserved,
            Some(to),
            reason,
            plan,
        );
        Ok(())
    }

    /// Shipped units come back, to be restocked or set aside as damaged.
    fn plan_return(
        &self,
        actor: Actor,
        key: &StockKey,
        quantity: u64,
        order: OrderId,
        condition: ReturnCondition,
        plan: &mut Vec<JournalEntry>,
    ) -> Result<(), Error> {
        authorise(actor, key.seller())?;
        // Shipped units are the marketplace's record of what left for buyers: only the
        // marketplace, which receives the return, takes units out of it.
        if !actor.is_marketplace() {
            return Err(Error::MarketplaceOnly {
                actor,
                operation: "record a return",
            });
        }
        nonzero(key, quantity)?;
        let c = self.take(key, Bucket::Shipped, quantity)?;
        let to = match condition {
            ReturnCondition::Restock => Bucket::Available,
            ReturnCondition::Damaged => Bucket::Damaged,
        };
        plan.push(mv(
            c,
            Some(Bucket::Shipped),
            Some(to),
            quantity,
            MovementReason::Returned,
            StoredReference::Order(order),
        ));
        Ok(())
    }

    /// A count: refused if the counter's expected figure is stale, else the difference is
    /// found or lost.
    fn plan_adjust(
        &self,
        actor: Actor,
        key: &StockKey,
        expected_on_hand: u64,
        counted_on_hand: u64,
        reason: AdjustmentReason,
        plan: &mut Vec<JournalEntry>,
    ) -> Result<(), Error> {
        authorise(actor, key.seller())?;
        let actual = self
            .index
            .get(key)
            .map_or(0, |&c| self.quantities_of(c).on_hand());
        if actual != expected_on_hand {
            return Err(Error::StaleCount {
                sku: key.sku().clone(),
                location: key.location(),
                expected: expected_on_hand,
                actual,
            });
        }
        let reference = match reason {
            AdjustmentReason::CycleCount(id) => StoredReference::Count(id),
            AdjustmentReason::Found | AdjustmentReason::Lost => StoredReference::None,
        };
        let counted = matches!(reason, AdjustmentReason::CycleCount(_));
        if let Some(up) = counted_on_hand
            .checked_sub(expected_on_hand)
            .filter(|&n| n > 0)
        {
            self.room(key, up)?;
            let c = self.open(key, plan);
            let why = if counted {
                MovementReason::Counted
            } else {
                MovementReason::Found
            };
            plan.push(mv(c, None, Some(Bucket::Available), up, why, reference));
        } else if let Some(down) = expected_on_hand
            .checked_sub(counted_on_hand)
            .filter(|&n| n > 0)
        {
            let c = self.take(key, Bucket::Available, down)?;
            let why = if counted {
                MovementReason::Counted
            } else {
                MovementReason::Lost
            };
            plan.push(mv(
                c,
                Some(Bucket::Available),
                Some(Bucket::WrittenOff),
                down,
                why,
                reference,
            ));
        }
        Ok(())
    }

    /// Units leave a location for another of the seller's: out of available here, into in
    /// transit there.
    fn plan_transfer_out(
        &self,
        actor: Actor,
        transfer: u64,
        key: &StockKey,
        to: LocationId,
        quantity: u64,
        plan: &mut Vec<JournalEntry>,
    ) -> Result<(), Error> {
        authorise(actor, key.seller())?;
        nonzero(key, quantity)?;
        if to == key.location() {
            return Err(Error::TransferToSelf {
                sku: key.sku().clone(),
                location: to,
            });
        }
        if self
            .transfers
            .contains_key(&(key.seller(), key.sku().clone(), transfer))
        {
            return Err(Error::DuplicateTransfer { transfer });
        }
        let source = self.take(key, Bucket::Available, quantity)?;
        let dest_key = key.at(to);
        self.room(&dest_key, quantity)?;
        let dest = self.open(&dest_key, plan);
        plan.push(mv(
            source,
            Some(Bucket::Available),
            None,
            quantity,
            MovementReason::TransferredOut,
            StoredReference::Transfer(transfer),
        ));
        plan.push(mv(
            dest,
            None,
            Some(Bucket::InTransit),
            quantity,
            MovementReason::TransferredOut,
            StoredReference::Transfer(transfer),
        ));
        Ok(())
    }

    /// A transfer arrives: all its units, out of in transit at this key's location.
    fn plan_transfer_in(
        &self,
        actor: Actor,
        transfer: u64,
        key: &StockKey,
        into: Receipt,
        plan: &mut Vec<JournalEntry>,
    ) -> Result<(), Error> {
        authorise(actor, key.seller())?;
        // The transfer is looked for among the seller's transfers of this SKU, and must be on
        // its way to this key's location.
        let &(dest, qty) = self
            .transfers
            .get(&(key.seller(), key.sku().clone(), transfer))
            .filter(|&&(dest, _)| self.index.get(key) == Some(&dest))
            .ok_or(Error::UnknownTransfer { transfer })?;
        plan.push(mv(
            dest,
            Some(Bucket::InTransit),
            Some(receipt_bucket(into)),
            qty,
            MovementReason::TransferredIn,
            StoredReference::Transfer(transfer),
        ));
        Ok(())
    }

    /// `quantity` units from one bucket of `key` to another, for `reason`: marking damaged,
    /// writing off.
    fn plan_move(
        &self,
        actor: Actor,
        key: &StockKey,
        quantity: u64,
        (from, to, reason): (Bucket, Bucket, MovementReason),
        plan: &mut Vec<JournalEntry>,
    ) -> Result<(), Error> {
        authorise(actor, key.seller())?;
        nonzero(key, quantity)?;
        let c = self.take(key, from, quantity)?;
        plan.push(mv(
            c,
            Some(from),
            Some(to),
            quantity,
            reason,
            StoredReference::None,
        ));
        Ok(())
    }

    /// Safety stock set to `quantity`: the difference moves between available and safety.
    fn plan_safety_stock(
        &self,
        actor: Actor,
        key: &StockKey,
        quantity: u64,
        plan: &mut Vec<JournalEntry>,
    ) -> Result<(), Error> {
        authorise(actor, key.seller())?;
        let (cell, current) = self.units(key, Bucket::SafetyStock);
        if let Some(up) = quantity.checked_sub(current).filter(|&n| n > 0) {
            let c = self.take(key, Bucket::Available, up)?;
            plan.push(mv(
                c,
                Some(Bucket::Available),
                Some(Bucket::SafetyStock),
                up,
                MovementReason::SafetyStockSet,
                StoredReference::None,
            ));
        } else if let (Some(c), Some(down)) =
            (cell, current.checked_sub(quantity).filter(|&n| n > 0))
        {
            plan.push(mv(
                c,
                Some(Bucket::SafetyStock),
                Some(Bucket::Available),
                down,
                MovementReason::SafetyStockSet,
                StoredReference::None,
            ));
        }
        Ok(())
    }

    /// Every open reservation due by `now` that `actor` may close is released as expired.
    /// Never refused: a reservation the actor may not touch is left for another.
    fn plan_expire(&self, actor: Actor, now: i64, plan: &mut Vec<JournalEntry>) {
        // The open reservations due by `now`, by id, from the expiry index.
        for id in self.due(now) {
            let Some(res) = self.record(id) else { continue };
            if res.status != ReservationStatus::Active || res.expires_at > now {
                continue;
            }
            if self.authorise_lines(actor, res.first_hold).is_err() {
                continue;
            }
            let id = ReservationId::new(id);
            self.plan_lines(
                id,
                res.first_hold,
                Bucket::Reserved,
                Some(Bucket::Available),
                MovementReason::Expired,
                plan,
            );
        }
    }

    fn authorise_lines(&self, actor: Actor, first_hold: u32) -> Result<(), Error> {
        if actor.is_marketplace() {
            return Ok(());
        }
        let mut h = first_hold;
        while h != NO_HOLD {
            let hold = &self.holds[h as usize];
            authorise(actor, self.keys[hold.cell as usize].seller())?;
            h = hold.next_of_reservation;
        }
        Ok(())
    }

    fn open_reservation(
        &self,
        actor: Actor,
        reservation: ReservationId,
        operation: &'static str,
    ) -> Result<super::ReservationRecord, Error> {
        let res = self
            .record(reservation.get())
            .copied()
            .ok_or(Error::UnknownReservation { reservation })?;
        self.authorise_lines(actor, res.first_hold)?;
        if res.status != ReservationStatus::Active {
            return Err(Error::ReservationClosed {
                reservation,
                status: res.status.name(),
                operation,
            });
        }
        Ok(res)
    }

    /// One movement per line of a reservation, oldest line first.
    fn plan_lines(
        &self,
        reservation: ReservationId,
        first_hold: u32,
        from: Bucket,
        to: Option<Bucket>,
        reason: MovementReason,
        plan: &mut Vec<JournalEntry>,
    ) {
        let start = plan.len();
        let mut h = first_hold;
        while h != NO_HOLD {
            let hold = &self.holds[h as usize];
            plan.push(mv(
                hold.cell,
                Some(from),
                to,
                hold.qty,
                reason,
                StoredReference::Reservation(reservation.get()),
            ));
            h = hold.next_of_reservation;
        }
        plan[start..].reverse();
    }

    /// Plan a reservation of `lines` (demand already summed per cell): every line or none.
    /// If a cell is short, holds on the request's cells that have expired by `now` are
    /// released first (whole reservations), exactly as `available` at `now` counts them.
    pub(super) fn plan_reserve(
        &self,
        actor: Actor,
        owner: ReservationOwner,
        expires_at: i64,
        now: i64,
        lines: &mut [(u32, u64)],
        plan: &mut Vec<JournalEntry>,
    ) -> Result<u64, Error> {
        if let Actor::Seller(_) = actor {
            for &(c, _) in lines.iter() {
                authorise(actor, self.keys[c as usize].seller())?;
            }
        }
        check_expiry(expires_at, now)?;
        let mut short = false;
        for &(c, q) in lines.iter() {
            let cell = &self.cells[c as usize];
            if q == 0 {
                let key = &self.keys[c as usize];
                return Err(Error::ZeroQuantity {
                    sku: key.sku().clone(),
                    location: key.location(),
                });
            }
            if cell.available() < q {
                short = true;
            }
        }
        if short {
            // Slow path: release expired holds on the request's cells, then check again.
            let mut expired: Vec<u64> = Vec::new();
            for &(c, _) in lines.iter() {
                let mut h = self.cells[c as usize].head;
                while h != NO_HOLD {
                    let hold = &self.holds[h as usize];
                    if hold.expires_at <= now && !expired.contains(&hold.reservation) {
                        expired.push(hold.reservation);
                    }
                    h = hold.next;
                }
            }
            expired.sort_unstable();
            let mut freed: Vec<(u32, u64)> = Vec::new();
            let mut releases = Vec::new();
            for id in expired {
                if let Some(res) = self.record(id) {
                    let mut h = res.first_hold;
                    while h != NO_HOLD {
                        let hold = &self.holds[h as usize];
                        if hold.linked {
                            match freed.iter_mut().find(|(c, _)| *c == hold.cell) {
                                Some((_, q)) => *q = q.saturating_add(hold.qty),
                                None => freed.push((hold.cell, hold.qty)),
                            }
                        }
                        h = hold.next_of_reservation;
                    }
                    self.plan_lines(
                        ReservationId::new(id),
                        res.first_hold,
                        Bucket::Reserved,
                        Some(Bucket::Available),
                        MovementReason::Expired,
                        &mut releases,
                    );
                }
            }
            for &(c, q) in lines.iter() {
                let extra = freed.iter().find(|(f, _)| *f == c).map_or(0, |(_, n)| *n);
                let have = self.cells[c as usize].available().saturating_add(extra);
                if have < q {
                    return Err(self.short(&self.keys[c as usize], Bucket::Available, q, have));
                }
            }
            plan.append(&mut releases);
        }
        let id = self.next_reservation_id();
        plan.push(JournalEntry::Placed {
            id,
            owner,
            expires_at,
        });
        for &(c, q) in lines.iter() {
            plan.push(mv(
                c,
                Some(Bucket::Available),
                Some(Bucket::Reserved),
                q,
                MovementReason::Reserved,
                StoredReference::Reservation(id),
            ));
        }
        Ok(id)
    }
}
