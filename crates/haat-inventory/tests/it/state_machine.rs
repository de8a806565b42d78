//! A property-based state-machine test over random sequences of every operation, including
//! retries, expiries and transfers.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use haat_core::{Actor, LocationId, OrderId, SellerId, StaffId};
use haat_inventory::*;
use proptest::prelude::*;

use crate::ledger::{key, t};

const SKUS: [&str; 2] = ["TANT-01", "DOKRA-02"];

fn k(i: u8) -> StockKey {
    // 2 sellers × 2 SKUs × 3 locations.
    let i = i % 12;
    key(
        u64::from(i / 6) + 1,
        SKUS[usize::from(i / 3 % 2)],
        u64::from(i % 3) + 1,
    )
}

#[derive(Clone, Debug)]
enum Step {
    Expect(u8, u64),
    Receive(u8, u64, u64, bool),
    Qc(u8, u64, u64),
    Reserve(Vec<(u8, u64)>, i64),
    ReserveCell(u8, u64, i64),
    Release(usize),
    Commit(usize),
    Cancel(usize),
    Return(u8, u64, bool),
    Adjust(u8, i64, u64, bool),
    TransferOut(u8, u8, u64),
    TransferIn(usize, bool),
    Damage(u8, u64),
    WriteOff(u8, u64),
    Safety(u8, u64),
    ReorderPoint(u8, u64),
    Expire,
    Retry(usize),
    Wait(i64),
}

fn step() -> impl Strategy<Value = Step> {
    let cell = 0u8..12;
    let q = 0u64..8;
    prop_oneof![
        3 => (cell.clone(), 1u64..20).prop_map(|(c, n)| Step::Expect(c, n)),
        3 => (cell.clone(), q.clone(), 0u64..3, any::<bool>()).prop_map(|(c, g, d, a)| Step::Receive(c, g, d, a)),
        1 => (cell.clone(), q.clone(), 0u64..2).prop_map(|(c, p, f)| Step::Qc(c, p, f)),
        4 => (prop::collection::vec((cell.clone(), 0u64..5), 0..4), 1i64..40).prop_map(|(l, e)| Step::Reserve(l, e)),
        2 => (cell.clone(), 0u64..5, -2i64..40).prop_map(|(c, q, e)| Step::ReserveCell(c, q, e)),
        1 => (0usize..64).prop_map(Step::Release),
        2 => (0usize..64).prop_map(Step::Commit),
        1 => (0usize..64).prop_map(Step::Cancel),
        1 => (cell.clone(), 1u64..3, any::<bool>()).prop_map(|(c, n, r)| Step::Return(c, n, r)),
        1 => (cell.clone(), -1i64..2, 0u64..30, any::<bool>()).prop_map(|(c, s, n, cc)| Step::Adjust(c, s, n, cc)),
        1 => (cell.clone(), 0u8..3, q.clone()).prop_map(|(c, l, n)| Step::TransferOut(c, l, n)),
        1 => (0usize..16, any::<bool>()).prop_map(|(i, a)| Step::TransferIn(i, a)),
        1 => (cell.clone(), q.clone()).prop_map(|(c, n)| Step::Damage(c, n)),
        1 => (cell.clone(), 0u64..3).prop_map(|(c, n)| Step::WriteOff(c, n)),
        1 => (cell.clone(), 0u64..4).prop_map(|(c, n)| Step::Safety(c, n)),
        1 => (cell.clone(), 0u64..6).prop_map(|(c, n)| Step::ReorderPoint(c, n)),
        1 => Just(Step::Expire),
        2 => (0usize..64).prop_map(Step::Retry),
        2 => (0i64..15).prop_map(Step::Wait),
    ]
}

/// The actor numbered `i`: sellers 1 and 2, an operations user, the system, in turn.
pub fn actor(i: usize) -> Actor {
    match i % 4 {
        0 => Actor::Seller(SellerId::new(1)),
        1 => Actor::Seller(SellerId::new(2)),
        2 => Actor::Operations(StaffId::new(3)),
        _ => Actor::System,
    }
}

struct Run {
    ledger: StockLedger,
    now: DateTime<Utc>,
    reservations: Vec<ReservationId>,
    /// Transfers sent: their id and destination.
    transfers: Vec<(u64, StockKey)>,
    /// Commands that succeeded, for retries.
    done: Vec<(Command, Outcome)>,
    next_key: u128,
}

impl Run {
    fn pick<T: Copy>(list: &[T], i: usize) -> Option<T> {
        (!list.is_empty()).then(|| list[i % list.len()])
    }

    fn operation(&mut self, step: &Step) -> Option<Operation> {
        Some(match step {
            Step::Expect(c, n) => Operation::ExpectInbound {
                key: k(*c),
                quantity: *n,
                purchase_order: format!("PO-{c}"),
            },
            Step::Receive(c, g, d, a) => Operation::ReceiveInbound {
                key: k(*c),
                purchase_order: format!("PO-{c}"),
                good: *g,
                damaged: *d,
                into: if *a {
                    Receipt::Available
                } else {
                    Receipt::QualityCheck
                },
            },
            Step::Qc(c, p, f) => Operation::CompleteQualityCheck {
                key: k(*c),
                passed: *p,
                failed: *f,
            },
            Step::Reserve(lines, e) => Operation::Reserve {
                owner: ReservationOwner::Order(OrderId::new(self.next_key as u64)),
                expires_at: self.now + Duration::minutes(*e),
                lines: lines
                    .iter()
                    .map(|(c, q)| ReserveLine {
                        key: k(*c),
                        quantity: *q,
                    })
                    .collect(),
            },
            Step::Release(i) => Operation::Release {
                reservation: Self::pick(&self.reservations, *i)?,
            },
            Step::Commit(i) => Operation::Commit {
                reservation: Self::pick(&self.reservations, *i)?,
            },
            Step::Cancel(i) => Operation::Cancel {
                reservation: Self::pick(&self.reservations, *i)?,
            },
            Step::Return(c, n, r) => Operation::Return {
                key: k(*c),
                quantity: *n,
                order: OrderId::new(1),
                condition: if *r {
                    ReturnCondition::Restock
                } else {
                    ReturnCondition::Damaged
                },
            },
            Step::Adjust(c, skew, counted, cycle) => {
                let on_hand = self.ledger.quantities(&k(*c)).on_hand();
                Operation::Adjust {
                    key: k(*c),
                    expected_on_hand: on_hand.saturating_add_signed(*skew),
                    counted_on_hand: *counted,
                    reason: if *cycle {
                        AdjustmentReason::CycleCount(1)
                    } else if *counted > on_hand {
                        AdjustmentReason::Found
                    } else {
                        AdjustmentReason::Lost
                    },
                }
            }
            Step::TransferOut(c, l, n) => {
                let id = self.next_key as u64;
                self.transfers
                    .push((id, k(*c).at(LocationId::new(u64::from(*l) + 1))));
                Operation::TransferOut {
                    transfer: id,
                    key: k(*c),
                    to: LocationId::new(u64::from(*l) + 1),
                    quantity: *n,
                }
            }
            Step::TransferIn(i, a) => {
                let (transfer, key) = self
                    .transfers
                    .get(*i % self.transfers.len().max(1))?
                    .clone();
                Operation::TransferIn {
                    transfer,
                    key,
                    into: if *a {
                        Receipt::Available
                    } else {
                        Receipt::QualityCheck
                    },
                }
            }
            Step::Damage(c, n) => Operation::MarkDamaged {
                key: k(*c),
                quantity: *n,
            },
            Step::WriteOff(c, n) => Operation::WriteOff {
                key: k(*c),
                quantity: *n,
            },
            Step::Safety(c, n) => Operation::SetSafetyStock {
                key: k(*c),
                quantity: *n,
            },
            Step::ReorderPoint(c, n) => Operation::SetReorderPoint {
                key: k(*c),
                reorder_point: *n,
            },
            Step::Expire => Operation::Expire,
            Step::Retry(_) | Step::Wait(_) | Step::ReserveCell(..) => return None,
        })
    }
}

/// The identities every ledger state must satisfy.
fn check_invariants(
    ledger: &StockLedger,
    reservations: &[ReservationId],
    now: DateTime<Utc>,
) -> Result<(), TestCaseError> {
    let movements: Vec<Movement> = ledger.movements().collect();
    // Per key: units in (received from incoming, found, transferred in) less units sent
    // away = on hand + in transit + shipped + written off; and every bucket is the net of its
    // movements (so nothing was clipped at zero).
    let mut net: BTreeMap<(StockKey, Option<Bucket>), i128> = BTreeMap::new();
    let mut received: BTreeMap<StockKey, i128> = BTreeMap::new();
    for m in &movements {
        let q = i128::from(m.quantity);
        *net.entry((m.key.clone(), m.from)).or_default() -= q;
        *net.entry((m.key.clone(), m.to)).or_default() += q;
        let into_stock = |b: Option<Bucket>| b.is_some_and(|b| b != Bucket::Incoming);
        let entered = (m.from == Some(Bucket::Incoming) || m.from.is_none()) && into_stock(m.to);
        let left = m.to.is_none();
        *received.entry(m.key.clone()).or_default() += if entered {
            q
        } else if left {
            -q
        } else {
            0
        };
    }
    let levels = ledger.levels();
    let mut total_received = 0i128;
    let mut total_held = 0i128;
    for (key, q) in levels.iter() {
        for b in Bucket::ALL {
            let expected = net.get(&(key.clone(), Some(b))).copied().unwrap_or(0);
            prop_assert_eq!(i128::from(q.get(b)), expected, "{} {}", key, b);
        }
        let parts: u128 = [
            q.available(),
            q.reserved(),
            q.damaged(),
            q.quality_check(),
            q.safety_stock(),
        ]
        .iter()
        .map(|&n| u128::from(n))
        .sum();
        prop_assert_eq!(u128::from(q.on_hand()), parts, "on hand of {}", key);
        let held = i128::from(q.on_hand())
            + i128::from(q.in_transit())
            + i128::from(q.shipped())
            + i128::from(q.written_off());
        prop_assert_eq!(
            received.get(key).copied().unwrap_or(0),
            held,
            "units of {}",
            key
        );
        total_held += held;
    }
    for (key, r) in &received {
        if levels.get(key).is_empty() {
            prop_assert_eq!(*r, 0, "units of {}", key);
        }
        total_received += r;
    }
    prop_assert_eq!(total_received, total_held);
    // Reserved is exactly what open reservations hold. And the plain model of the hold
    // tables (storage.rs: holds linked per cell, each cell's earliest expiry): a cell's units
    // free to promise at `now` are its available units plus what the open reservations past
    // their expiry hold there, scanned here from a plain list of reservations.
    let mut held: BTreeMap<StockKey, u64> = BTreeMap::new();
    let mut lapsed: BTreeMap<StockKey, u64> = BTreeMap::new();
    for &id in reservations {
        if let Some(r) = ledger.reservation(id)
            && r.status() == ReservationStatus::Active
        {
            for (key, q) in r.lines() {
                *held.entry(key.clone()).or_default() += q;
                if r.expires_at() <= now {
                    *lapsed.entry(key.clone()).or_default() += q;
                }
            }
        }
    }
    for (key, q) in levels.iter() {
        prop_assert_eq!(
            q.reserved(),
            held.get(key).copied().unwrap_or(0),
            "reserved of {}",
            key
        );
        let at_now = ledger.available(key.seller(), key.sku(), key.location(), now);
        let plain = q.available() + lapsed.get(key).copied().unwrap_or(0);
        prop_assert_eq!(at_now, plain, "available at now of {}", key);
        prop_assert!(at_now <= q.available() + q.reserved());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn the_ledger_never_oversells_or_drifts(steps in prop::collection::vec((step(), 0usize..4), 1..60)) {
        let mut run = Run { ledger: StockLedger::new(), now: t(0), reservations: vec![], transfers: vec![], done: vec![], next_key: 1 };
        for (step, who) in &steps {
            match step {
                Step::Wait(m) => { run.now += Duration::minutes(*m); continue; }
                Step::Retry(i) => {
                    if let Some((command, outcome)) = run.done.get(i % run.done.len().max(1)).cloned() {
                        let before = run.ledger.clone();
                        let again = run.ledger.execute(&command, run.now);
                        prop_assert_eq!(again, Ok(Outcome { replayed: true, ..outcome }));
                        prop_assert!(run.ledger == before, "a retry moved something");
                    }
                    continue;
                }
                _ => {}
            }
            if let Step::ReserveCell(c, q, e) = step {
                // Checkout's path: a one-line reservation by cell handle.
                let Some(cell) = run.ledger.cell(&k(*c)) else { continue };
                let request = CellReservation {
                    cell,
                    quantity: *q,
                    owner: ReservationOwner::Cart(run.next_key as u64),
                    expires_at: run.now + Duration::minutes(*e),
                };
                let key = IdempotencyKey::new(run.next_key);
                run.next_key += 1;
                let before = run.ledger.clone();
                match run.ledger.reserve_cell(actor(*who), key, request, run.now) {
                    Ok(outcome) => {
                        if let Some(r) = outcome.reservation {
                            run.reservations.push(r);
                        }
                        let after = run.ledger.clone();
                        let again = run.ledger.reserve_cell(actor(*who), key, request, run.now);
                        prop_assert_eq!(again, Ok(Outcome { replayed: true, ..outcome }));
                        prop_assert!(run.ledger == after, "a retry moved something");
                    }
                    Err(_) => prop_assert!(run.ledger == before, "a refused operation moved something"),
                }
                check_invariants(&run.ledger, &run.reservations, run.now)?;
                continue;
            }
            let Some(op) = run.operation(step) else { continue };
            let command = Command::new(actor(*who), IdempotencyKey::new(run.next_key), op);
            run.next_key += 1;
            let before = run.ledger.clone();
            let decided = before.decide(&command, run.now);
            match run.ledger.execute(&command, run.now) {
                Ok(outcome) => {
                    // What `execute` writes is what `decide` decides (the checkout paths,
                    // which skip the planner, included), and applying it gives the same
                    // ledger.
                    let written: Vec<LedgerEvent> = run.ledger.events_since(outcome.first_seq).collect();
                    prop_assert_eq!(decided, Ok(written.clone()));
                    let mut applied = before.clone();
                    for event in &written {
                        applied.apply(event);
                    }
                    prop_assert!(applied == run.ledger, "applying the decided events differs from executing");
                    if let Some(r) = outcome.reservation {
                        run.reservations.push(r);
                    }
                    run.done.push((command, outcome));
                }
                Err(error) => {
                    prop_assert_eq!(decided, Err(error));
                    prop_assert!(run.ledger == before, "a refused operation moved something");
                }
            }
            check_invariants(&run.ledger, &run.reservations, run.now)?;
        }
        // Replaying the ledger's events gives the same ledger; rebuilding its levels from
        // the movements gives the live levels.
        let events: Vec<LedgerEvent> = run.ledger.events().collect();
        prop_assert!(StockLedger::replay(&events) == run.ledger, "replay differs");
        let movements: Vec<Movement> = run.ledger.movements().collect();
        prop_assert_eq!(StockLedger::rebuild(&movements), run.ledger.levels());
        prop_assert!(run.ledger.reconcile(&run.ledger.levels()).is_empty());
    }
}
