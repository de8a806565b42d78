//! The planner: checks an operation against the ledger and lists the entries it would write.
//! Pure (`&self`); the entries are applied by `apply_entry`, the one place state changes.

use std::sync::Arc;

use haat_core::{Actor, SellerId};

use super::{JournalEntry, NO_HOLD, StockLedger, StoredReference, instant};
use crate::{
    AdjustmentReason, Bucket, Error, MovementReason, Operation, Receipt, ReservationId,
    ReservationOwner, ReservationStatus, ReserveLine, ReturnCondition, StockKey,
};

fn authorise(actor: Actor, seller: SellerId) -> Result<(), Error> {
    if actor.may_act_for(seller) {
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
            } => {
                authorise(actor, key.seller())?;
                nonzero(key, *quantity)?;
                self.room(key, *quantity)?;
                let c = self.open(key, plan);
                let po = StoredReference::PurchaseOrder(Arc::from(purchase_order.as_str()));
                plan.push(mv(
                    c,
                    None,
                    Some(Bucket::Incoming),
                    *quantity,
                    MovementReason::Expected,
                    po,
                ));
            }
            Operation::ReceiveInbound {
                key,
                purchase_order,
                good,
                damaged,
                into,
            } => {
                authorise(actor, key.seller())?;
                let total = good.checked_add(*damaged).ok_or_else(|| Error::Overflow {
                    sku: key.sku().clone(),
                    location: key.location(),
                })?;
                nonzero(key, total)?;
                let c = self.take(key, Bucket::Incoming, total)?;
                let po: Arc<str> = Arc::from(purchase_order.as_str());
                if *good > 0 {
                    plan.push(mv(
                        c,
                        Some(Bucket::Incoming),
                        Some(receipt_bucket(*into)),
                        *good,
                        MovementReason::Received,
                        StoredReference::PurchaseOrder(po.clone()),
                    ));
                }
                if *damaged > 0 {
                    plan.push(mv(
                        c,
                        Some(Bucket::Incoming),
                        Some(Bucket::Damaged),
                        *damaged,
                        MovementReason::Received,
                        StoredReference::PurchaseOrder(po),
                    ));
                }
            }
            Operation::CompleteQualityCheck {
                key,
                passed,
                failed,
            } => {
                authorise(actor, key.seller())?;
                let total = passed.checked_add(*failed).ok_or_else(|| Error::Overflow {
                    sku: key.sku().clone(),
                    location: key.location(),
                })?;
                nonzero(key, total)?;
                let c = self.take(key, Bucket::QualityCheck, total)?;
                if *passed > 0 {
                    plan.push(mv(
                        c,
                        Some(Bucket::QualityCheck),
                        Some(Bucket::Available),
                        *passed,
                        MovementReason::QualityChecked,
                        StoredReference::None,
                    ));
                }
                if *failed > 0 {
                    plan.push(mv(
                        c,
                        Some(Bucket::QualityCheck),
                        Some(Bucket::Damaged),
                        *failed,
                        MovementReason::QualityChecked,
                        StoredReference::None,
                    ));
                }
            }
            Operation::Reserve {
                owner,
                expires_at,
                lines,
            } => {
                let demand = demand(actor, lines)?;
                let mut cells = Vec::with_capacity(demand.len());
                for (key, q) in &demand {
                    match self.index.get(*key) {
                        Some(&c) => cells.push((c, *q)),
                        None => return Err(unstocked(key, *q)),
                    }
                }
                let id = self.plan_reserve(
                    actor,
                    *owner,
                    expires_at.timestamp_millis(),
                    now,
                    &mut cells,
                    plan,
                )?;
                return Ok(Some(id));
            }
            Operation::Release { reservation } => {
                let res = self.open_reservation(actor, *reservation, "released")?;
                self.plan_lines(
                    *reservation,
                    res.first_hold,
                    Bucket::Reserved,
                    Some(Bucket::Available),
                    MovementReason::Released,
                    plan,
                );
            }
            Operation::Commit { reservation } => {
                let res = self.open_reservation(actor, *reservation, "committed")?;
                if now >= res.expires_at {
                    return Err(Error::ReservationExpired {
                        reservation: *reservation,
                        expired_at: instant(res.expires_at),
                    });
                }
                self.plan_lines(
                    *reservation,
                    res.first_hold,
                    Bucket::Reserved,
                    Some(Bucket::Shipped),
                    MovementReason::Committed,
                    plan,
                );
            }
            Operation::Cancel { reservation } => {
                // Only a held reservation is cancelled. A committed one shipped: its units
                // come back through a return the marketplace records, never by cancelling.
                let res = self.open_reservation(actor, *reservation, "cancelled")?;
                self.plan_lines(
                    *reservation,
                    res.first_hold,
                    Bucket::Reserved,
                    Some(Bucket::Available),
                    MovementReason::Cancelled,
                    plan,
                );
            }
            Operation::Return {
                key,
                quantity,
                order,
                condition,
            } => {
                authorise(actor, key.seller())?;
                // Shipped units are the marketplace's record of what left for buyers: only the
                // marketplace, which receives the return, takes units out of it.
                if !actor.is_marketplace() {
                    return Err(Error::MarketplaceOnly {
                        actor,
                        operation: "record a return",
                    });
                }
                nonzero(key, *quantity)?;
                let c = self.take(key, Bucket::Shipped, *quantity)?;
                let to = match condition {
                    ReturnCondition::Restock => Bucket::Available,
                    ReturnCondition::Damaged => Bucket::Damaged,
                };
                plan.push(mv(
                    c,
                    Some(Bucket::Shipped),
                    Some(to),
                    *quantity,
                    MovementReason::Returned,
                    StoredReference::Order(*order),
                ));
            }
            Operation::Adjust {
                key,
                expected_on_hand,
                counted_on_hand,
                reason,
            } => {
                authorise(actor, key.seller())?;
                let actual = self
                    .index
                    .get(key)
                    .map_or(0, |&c| self.quantities_of(c).on_hand());
                if actual != *expected_on_hand {
                    return Err(Error::StaleCount {
                        sku: key.sku().clone(),
                        location: key.location(),
                        expected: *expected_on_hand,
                        actual,
                    });
                }
                let reference = match reason {
                    AdjustmentReason::CycleCount(id) => StoredReference::Count(*id),
                    AdjustmentReason::Found | AdjustmentReason::Lost => StoredReference::None,
                };
                let counted = matches!(reason, AdjustmentReason::CycleCount(_));
                if counted_on_hand > expected_on_hand {
                    let up = counted_on_hand - expected_on_hand;
                    self.room(key, up)?;
                    let c = self.open(key, plan);
                    let why = if counted {
                        MovementReason::Counted
                    } else {
                        MovementReason::Found
                    };
                    plan.push(mv(c, None, Some(Bucket::Available), up, why, reference));
                } else if counted_on_hand < expected_on_hand {
                    let down = expected_on_hand - counted_on_hand;
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
            }
            Operation::TransferOut {
                transfer,
                key,
                to,
                quantity,
            } => {
                authorise(actor, key.seller())?;
                nonzero(key, *quantity)?;
                if *to == key.location() {
                    return Err(Error::TransferToSelf {
                        sku: key.sku().clone(),
                        location: *to,
                    });
                }
                if self
                    .transfers
                    .contains_key(&(key.seller(), key.sku().clone(), *transfer))
                {
                    return Err(Error::DuplicateTransfer {
                        transfer: *transfer,
                    });
                }
                let source = self.take(key, Bucket::Available, *quantity)?;
                let dest_key = key.at(*to);
                self.room(&dest_key, *quantity)?;
                let dest = self.open(&dest_key, plan);
                plan.push(mv(
                    source,
                    Some(Bucket::Available),
                    None,
                    *quantity,
                    MovementReason::TransferredOut,
                    StoredReference::Transfer(*transfer),
                ));
                plan.push(mv(
                    dest,
                    None,
                    Some(Bucket::InTransit),
                    *quantity,
                    MovementReason::TransferredOut,
                    StoredReference::Transfer(*transfer),
                ));
            }
            Operation::TransferIn {
                transfer,
                key,
                into,
            } => {
                authorise(actor, key.seller())?;
                // The transfer is looked for among the seller's transfers of this SKU, and must
                // be on its way to this key's location.
                let &(dest, qty) = self
                    .transfers
                    .get(&(key.seller(), key.sku().clone(), *transfer))
                    .filter(|&&(dest, _)| self.index.get(key) == Some(&dest))
                    .ok_or(Error::UnknownTransfer {
                        transfer: *transfer,
                    })?;
                plan.push(mv(
                    dest,
                    Some(Bucket::InTransit),
                    Some(receipt_bucket(*into)),
                    qty,
                    MovementReason::TransferredIn,
                    StoredReference::Transfer(*transfer),
                ));
            }
            Operation::MarkDamaged { key, quantity } => {
                authorise(actor, key.seller())?;
                nonzero(key, *quantity)?;
                let c = self.take(key, Bucket::Available, *quantity)?;
                plan.push(mv(
                    c,
                    Some(Bucket::Available),
                    Some(Bucket::Damaged),
                    *quantity,
                    MovementReason::MarkedDamaged,
                    StoredReference::None,
                ));
            }
            Operation::WriteOff { key, quantity } => {
                authorise(actor, key.seller())?;
                nonzero(key, *quantity)?;
                let c = self.take(key, Bucket::Damaged, *quantity)?;
                plan.push(mv(
                    c,
                    Some(Bucket::Damaged),
                    Some(Bucket::WrittenOff),
                    *quantity,
                    MovementReason::WrittenOff,
                    StoredReference::None,
                ));
            }
            Operation::SetSafetyStock { key, quantity } => {
                authorise(actor, key.seller())?;
                let (cell, current) = self.units(key, Bucket::SafetyStock);
                if *quantity > current {
                    let up = quantity - current;
                    let c = self.take(key, Bucket::Available, up)?;
                    plan.push(mv(
                        c,
                        Some(Bucket::Available),
                        Some(Bucket::SafetyStock),
                        up,
                        MovementReason::SafetyStockSet,
                        StoredReference::None,
                    ));
                } else if let (Some(c), true) = (cell, *quantity < current) {
                    plan.push(mv(
                        c,
                        Some(Bucket::SafetyStock),
                        Some(Bucket::Available),
                        current - quantity,
                        MovementReason::SafetyStockSet,
                        StoredReference::None,
                    ));
                }
            }
            Operation::SetReorderPoint { key, reorder_point } => {
                authorise(actor, key.seller())?;
                let c = self.open(key, plan);
                plan.push(JournalEntry::ReorderPoint {
                    cell: c,
                    value: *reorder_point,
                });
            }
            Operation::Expire => {
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
        }
        Ok(None)
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
