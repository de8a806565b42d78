//! The shared ledger answers as one ledger would, however many shards it has.

use chrono::{DateTime, Duration, Utc};
use haat_core::{Actor, LocationId, OrderId, SellerId};
use haat_inventory::*;
use proptest::prelude::*;

use crate::ledger::{key, t};
use crate::state_machine::actor;

fn found(key: &StockKey, units: u64) -> Operation {
    Operation::Adjust {
        key: key.clone(),
        expected_on_hand: 0,
        counted_on_hand: units,
        reason: AdjustmentReason::Found,
    }
}

/// Two of seller 1's SKUs that a shared ledger of `shards` shards keeps in different shards.
fn apart(shared: &SharedLedger) -> (StockKey, StockKey) {
    let first = key(1, "SKU-0", 7);
    let shard = shared.shard_of(first.seller(), first.sku());
    let second = (1..)
        .map(|i| key(1, &format!("SKU-{i}"), 7))
        .find(|k| shared.shard_of(k.seller(), k.sku()) != shard)
        .unwrap();
    (first, second)
}

#[test]
fn a_key_reused_with_another_payload_is_refused_across_shards() {
    let shared = SharedLedger::new(8);
    let (a, b) = apart(&shared);
    let reused = IdempotencyKey::new(42);
    shared
        .execute(&Command::new(Actor::System, reused, found(&a, 5)), t(0))
        .unwrap();
    // The same key for stock in another shard: one ledger refuses it, so does this one.
    assert_eq!(
        shared.execute(&Command::new(Actor::System, reused, found(&b, 5)), t(1)),
        Err(Error::IdempotencyConflict { key: 42 })
    );
    assert_eq!(shared.quantities(&b).available(), 0);
    // And a reservation, whichever shards its lines fall in.
    let reserve = |lines: Vec<ReserveLine>| {
        shared.reserve(
            Actor::System,
            reused,
            ReservationOwner::Order(OrderId::new(1)),
            t(30),
            lines,
            t(2),
        )
    };
    assert_eq!(
        reserve(vec![ReserveLine {
            key: b.clone(),
            quantity: 1,
        }]),
        Err(Error::IdempotencyConflict { key: 42 })
    );
    // The first request, retried, still answers with its outcome.
    let again = shared
        .execute(&Command::new(Actor::System, reused, found(&a, 5)), t(3))
        .unwrap();
    assert!(again.replayed);
    assert_eq!(shared.quantities(&a).available(), 5);
}

#[test]
fn a_forgotten_key_is_new_again_as_in_one_ledger() {
    let shared = SharedLedger::new(8);
    let (a, b) = apart(&shared);
    let mut one = StockLedger::new();
    let reused = IdempotencyKey::new(7);
    let first = Command::new(Actor::System, reused, found(&a, 5));
    let second = Command::new(Actor::System, reused, found(&b, 5));
    shared.execute(&first, t(0)).unwrap();
    one.execute(&first, t(0)).unwrap();
    shared.forget_settled_before(t(10));
    one.forget_settled_before(t(10));
    assert!(one.execute(&second, t(11)).is_ok());
    assert!(shared.execute(&second, t(11)).is_ok());
    assert_eq!(shared.levels(), one.levels());
}

#[test]
fn sellers_transfers_with_the_same_id_do_not_meet() {
    for shards in 1..=8 {
        let shared = SharedLedger::new(shards);
        let a = key(1, "TANT-01", 7);
        let b = key(2, "TANT-01", 7);
        for (i, (seller, k)) in [(1, &a), (2, &b)].into_iter().enumerate() {
            let actor = Actor::Seller(SellerId::new(seller));
            let run = |n: u128, op| {
                shared.execute(&Command::new(actor, IdempotencyKey::new(n), op), t(0))
            };
            run(10 * i as u128 + 1, found(k, 10)).unwrap();
            run(
                10 * i as u128 + 2,
                Operation::TransferOut {
                    transfer: 555,
                    key: k.clone(),
                    to: LocationId::new(8),
                    quantity: 4 + i as u64,
                },
            )
            .unwrap();
        }
        // Seller 2's transfer 555 arrives at seller 2's stock, whatever shard seller 1's is in.
        let arrive = shared.execute(
            &Command::new(
                Actor::Seller(SellerId::new(2)),
                IdempotencyKey::new(30),
                Operation::TransferIn {
                    transfer: 555,
                    key: b.at(LocationId::new(8)),
                    into: Receipt::Available,
                },
            ),
            t(1),
        );
        assert!(arrive.is_ok(), "{shards} shards: {arrive:?}");
        assert_eq!(shared.quantities(&b.at(LocationId::new(8))).available(), 5);
        assert_eq!(shared.quantities(&a.at(LocationId::new(8))).in_transit(), 4);
        // Seller 2 cannot take seller 1's transfer in.
        assert_eq!(
            shared.execute(
                &Command::new(
                    Actor::Seller(SellerId::new(2)),
                    IdempotencyKey::new(31),
                    Operation::TransferIn {
                        transfer: 555,
                        key: a.at(LocationId::new(8)),
                        into: Receipt::Available,
                    },
                ),
                t(1),
            ),
            Err(Error::Forbidden {
                actor: Actor::Seller(SellerId::new(2)),
                seller: SellerId::new(1),
            })
        );
    }
}

const SKUS: [&str; 3] = ["TANT-01", "DOKRA-02", "SHOLA-03"];

/// 2 sellers × 3 SKUs × 2 locations.
fn k(i: u8) -> StockKey {
    let i = i % 12;
    key(
        u64::from(i / 6) + 1,
        SKUS[usize::from(i / 2 % 3)],
        u64::from(i % 2) + 1,
    )
}

#[derive(Clone, Debug)]
enum Step {
    Found(u8, u64),
    Reserve(Vec<(u8, u64)>, i64),
    Release(usize),
    Commit(usize),
    Cancel(usize),
    Damage(u8, u64),
    TransferOut(u64, u8, u64),
    TransferIn(u64, u8),
    Expire,
    Wait(i64),
}

fn step() -> impl Strategy<Value = Step> {
    let cell = 0u8..12;
    prop_oneof![
        3 => (cell.clone(), 1u64..10).prop_map(|(c, n)| Step::Found(c, n)),
        4 => (prop::collection::vec((cell.clone(), 0u64..4), 0..4), -1i64..30).prop_map(|(l, e)| Step::Reserve(l, e)),
        1 => (0usize..16).prop_map(Step::Release),
        2 => (0usize..16).prop_map(Step::Commit),
        1 => (0usize..16).prop_map(Step::Cancel),
        1 => (cell.clone(), 0u64..4).prop_map(|(c, n)| Step::Damage(c, n)),
        1 => (0u64..3, cell.clone(), 0u64..4).prop_map(|(id, c, n)| Step::TransferOut(id, c, n)),
        1 => (0u64..3, cell.clone()).prop_map(|(id, c)| Step::TransferIn(id, c)),
        1 => Just(Step::Expire),
        2 => (0i64..20).prop_map(Step::Wait),
    ]
}

/// What a request was answered: done (and whether as a retry), or the kind of refusal.
#[derive(Debug, PartialEq)]
enum Answer {
    Done(Option<bool>),
    Refused(std::mem::Discriminant<Error>),
}

fn answer<T>(result: &Result<T, Error>, replayed: impl Fn(&T) -> Option<bool>) -> Answer {
    match result {
        Ok(value) => Answer::Done(replayed(value)),
        Err(error) => Answer::Refused(std::mem::discriminant(error)),
    }
}

/// One ledger and a shared ledger given the same requests.
struct Pair {
    one: StockLedger,
    shared: SharedLedger,
    reservations: Vec<(ReservationId, SharedReservation)>,
    now: DateTime<Utc>,
}

impl Pair {
    fn execute(&mut self, command: &Command) -> (Answer, Answer) {
        let one = self.one.execute(command, self.now);
        let shared = self.shared.execute(command, self.now);
        (
            answer(&one, |o| Some(o.replayed)),
            answer(&shared, |o| Some(o.replayed)),
        )
    }

    fn on_reservation(
        &mut self,
        i: usize,
        who: Actor,
        idempotency_key: IdempotencyKey,
        op: fn(ReservationId) -> Operation,
    ) -> Option<(Answer, Answer)> {
        let (id, parts) = self
            .reservations
            .get(i % self.reservations.len().max(1))?
            .clone();
        let one = self
            .one
            .execute(&Command::new(who, idempotency_key, op(id)), self.now);
        let shared = match op(id) {
            Operation::Release { .. } => {
                self.shared.release(who, idempotency_key, &parts, self.now)
            }
            Operation::Commit { .. } => self.shared.commit(who, idempotency_key, &parts, self.now),
            _ => self.shared.cancel(who, idempotency_key, &parts, self.now),
        };
        Some((answer(&one, |_| None), answer(&shared, |_| None)))
    }

    fn step(
        &mut self,
        step: &Step,
        who: Actor,
        idempotency_key: IdempotencyKey,
    ) -> Option<(Answer, Answer)> {
        let command = |op| Command::new(who, idempotency_key, op);
        Some(match step {
            Step::Found(c, n) => {
                let on_hand = self.one.quantities(&k(*c)).on_hand();
                self.execute(&command(Operation::Adjust {
                    key: k(*c),
                    expected_on_hand: on_hand,
                    counted_on_hand: on_hand + n,
                    reason: AdjustmentReason::Found,
                }))
            }
            Step::Reserve(lines, e) => {
                let owner = ReservationOwner::Order(OrderId::new(idempotency_key.get() as u64));
                // A reservation of several SKUs is one reservation per shard, and a short
                // reservation releases the expired holds of its own shards only: such
                // reservations are kept from lapsing here (see docs/DESIGN.md).
                let skus: std::collections::BTreeSet<(SellerId, &str)> = lines
                    .iter()
                    .map(|(c, _)| {
                        (
                            SellerId::new(u64::from(c % 12 / 6) + 1),
                            SKUS[usize::from(c % 12 / 2 % 3)],
                        )
                    })
                    .collect();
                let minutes = if skus.len() > 1 { 100_000 } else { *e };
                let expires_at = self.now + Duration::minutes(minutes);
                let lines: Vec<ReserveLine> = lines
                    .iter()
                    .map(|(c, q)| ReserveLine {
                        key: k(*c),
                        quantity: *q,
                    })
                    .collect();
                let one = self.one.execute(
                    &command(Operation::Reserve {
                        owner,
                        expires_at,
                        lines: lines.clone(),
                    }),
                    self.now,
                );
                let shared =
                    self.shared
                        .reserve(who, idempotency_key, owner, expires_at, lines, self.now);
                if let (Ok(o), Ok(s)) = (&one, &shared)
                    && let Some(id) = o.reservation
                    && !o.replayed
                {
                    self.reservations.push((id, s.clone()));
                }
                (answer(&one, |_| None), answer(&shared, |_| None))
            }
            Step::Release(i) => self.on_reservation(*i, who, idempotency_key, |reservation| {
                Operation::Release { reservation }
            })?,
            Step::Commit(i) => self.on_reservation(*i, who, idempotency_key, |reservation| {
                Operation::Commit { reservation }
            })?,
            Step::Cancel(i) => self.on_reservation(*i, who, idempotency_key, |reservation| {
                Operation::Cancel { reservation }
            })?,
            Step::Damage(c, n) => self.execute(&command(Operation::MarkDamaged {
                key: k(*c),
                quantity: *n,
            })),
            Step::TransferOut(id, c, n) => self.execute(&command(Operation::TransferOut {
                transfer: *id,
                key: k(*c),
                to: LocationId::new(3),
                quantity: *n,
            })),
            Step::TransferIn(id, c) => self.execute(&command(Operation::TransferIn {
                transfer: *id,
                key: k(*c).at(LocationId::new(3)),
                into: Receipt::Available,
            })),
            Step::Expire => self.execute(&command(Operation::Expire)),
            Step::Wait(m) => {
                self.now += Duration::minutes(*m);
                return None;
            }
        })
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The same request gets the same answer however the ledger is sharded: for 1 to 8 shards,
    /// every request's answer (done, as a retry or not, or the kind of refusal) and the levels
    /// after it are one ledger's. Idempotency keys come from a small pool, so keys are reused,
    /// with the same payload (a retry) and with another (a conflict), across shards.
    #[test]
    fn the_same_request_gets_the_same_answer_however_the_ledger_is_sharded(
        shards in 1usize..=8,
        steps in prop::collection::vec((step(), 0usize..4, 0u128..12), 1..50),
    ) {
        let mut pair = Pair { one: StockLedger::new(), shared: SharedLedger::new(shards), reservations: vec![], now: t(0) };
        for (i, (step, who, key)) in steps.iter().enumerate() {
            if let Some((one, shared)) = pair.step(step, actor(*who), IdempotencyKey::new(*key)) {
                prop_assert_eq!(one, shared, "step {}: {:?} by {:?} with key {}", i, step, actor(*who), key);
            }
            prop_assert_eq!(pair.one.levels(), pair.shared.levels(), "levels after step {}: {:?}", i, step);
        }
    }
}
