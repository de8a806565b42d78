//! The generic checks: each takes a harness and holds for every backend.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Barrier;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, TimeZone, Utc};
use haat_core::{Actor, StaffId};
use haat_store::{
    AppendRequest, Appended, Claim, CommandId, EventStore, Metadata, NewEvent, StoreError,
    StreamId, UpcastError, Upcasters,
};
use serde_json::{Value, json};

use crate::harness::Harness;

pub fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 10, 1, 5, 30, 0).unwrap()
}

pub fn meta() -> Metadata {
    Metadata::new(Actor::System, at())
}

pub fn stream(s: &str) -> StreamId {
    s.parse().unwrap()
}

pub fn event(n: u64) -> NewEvent {
    NewEvent::new("test.happened", 1, json!({ "n": n }))
}

fn command(id: &str) -> CommandId {
    CommandId::new(id).unwrap()
}

#[track_caller]
fn check_conflict(result: Result<Appended, StoreError>, expected: u64, actual: u64) {
    match result {
        Err(StoreError::Conflict {
            expected: e,
            actual: a,
            ..
        }) => assert_eq!((e, a), (expected, actual)),
        other => panic!("expected a conflict at {expected} (actual {actual}), got {other:?}"),
    }
}

/// The contract's basics, for a store with no harness (SQLite in memory).
pub fn basic_contract(store: &impl EventStore) {
    let seller = stream("seller/42");
    let order = stream("order/981");
    let full_meta = Metadata::new(Actor::Operations(StaffId::new(3)), at())
        .with_command(command("c-1"))
        .with_correlation("checkout-9");
    let a = store
        .append(&seller, 0, &[event(1), event(2)], &full_meta, None)
        .unwrap();
    assert_eq!(a.version, 2);
    assert_eq!(a.positions, vec![1, 2]);
    let b = store.append(&order, 0, &[event(3)], &meta(), None).unwrap();
    assert_eq!(b.positions, vec![3]);
    let c = store
        .append(&seller, 2, &[event(4)], &meta(), None)
        .unwrap();
    assert_eq!((c.version, c.positions.clone()), (3, vec![4]));

    let all = store.read_all(0, 100).unwrap();
    assert_eq!(
        all.iter().map(|e| e.position).collect::<Vec<_>>(),
        vec![1, 2, 3, 4]
    );
    assert_eq!(all[0].metadata, full_meta);
    assert_eq!(all[0].payload, json!({ "n": 1 }));
    assert_eq!(all[0].event_type, "test.happened");
    assert_eq!(all[0].schema_version, 1);
    assert_eq!(store.read_all(1, 2).unwrap().len(), 2);
    assert_eq!(store.read_all(4, 10).unwrap(), vec![]);

    let tail = store.read_stream(&seller, 1).unwrap();
    assert_eq!(
        tail.iter()
            .map(|e| (e.version, e.position))
            .collect::<Vec<_>>(),
        vec![(2, 2), (3, 4)]
    );
    assert_eq!(store.stream_version(&seller).unwrap(), 3);
    assert_eq!(store.stream_version(&stream("seller/none")).unwrap(), 0);
    assert_eq!(store.head_position().unwrap(), 4);

    // Expecting behind or ahead of the stream is a conflict that stores nothing.
    check_conflict(store.append(&seller, 2, &[event(5)], &meta(), None), 2, 3);
    check_conflict(store.append(&seller, 7, &[event(5)], &meta(), None), 7, 3);
    check_conflict(
        store.append(&stream("seller/new"), 1, &[event(5)], &meta(), None),
        1,
        0,
    );
    assert_eq!(store.head_position().unwrap(), 4);
    // A later append still gets the next position: refused appends leave no hole.
    let d = store.append(&order, 1, &[event(6)], &meta(), None).unwrap();
    assert_eq!(d.positions, vec![5]);
}

pub fn append_and_read_back(h: &impl Harness) {
    basic_contract(h.store());
}

/// Threads race to append to one stream, each re-reading the version after a conflict:
/// every version is won by exactly one append, and every event arrives exactly once.
pub fn concurrent_appenders_one_wins_each_version(h: &impl Harness) {
    const THREADS: u64 = 4;
    const EACH: u64 = 25;
    let store = h.store();
    let hot = stream("ledger/3");
    let barrier = Barrier::new(4);
    let (won, conflicts): (Vec<Vec<u64>>, Vec<u64>) = std::thread::scope(|s| {
        let handles: Vec<_> = (0..THREADS)
            .map(|t| {
                let (hot, barrier) = (&hot, &barrier);
                s.spawn(move || {
                    barrier.wait();
                    let (mut versions, mut conflicts) = (Vec::new(), 0);
                    for i in 0..EACH {
                        loop {
                            let expected = store.stream_version(hot).unwrap();
                            match store.append(hot, expected, &[event(t * 1000 + i)], &meta(), None)
                            {
                                Ok(a) => {
                                    assert_eq!(a.version, expected + 1);
                                    versions.push(a.version);
                                    break;
                                }
                                Err(StoreError::Conflict { .. }) => conflicts += 1,
                                Err(e) => panic!("unexpected {e}"),
                            }
                        }
                    }
                    (versions, conflicts)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).unzip()
    });
    let versions: BTreeSet<u64> = won.iter().flatten().copied().collect();
    assert_eq!(
        versions.len() as u64,
        THREADS * EACH,
        "no version won twice"
    );
    assert_eq!(versions, (1..=THREADS * EACH).collect());
    let events = store.read_stream(&hot, 0).unwrap();
    let ns: BTreeSet<u64> = events
        .iter()
        .map(|e| e.payload["n"].as_u64().unwrap())
        .collect();
    let expected: BTreeSet<u64> = (0..THREADS)
        .flat_map(|t| (0..EACH).map(move |i| t * 1000 + i))
        .collect();
    assert_eq!(ns, expected, "nothing lost, nothing duplicated");
    assert_eq!(events.len() as u64, THREADS * EACH);
    let _ = conflicts;
}

/// While writers append (single and batched), a reader following `read_all` sees every
/// position exactly once, in order, never a later one before an earlier one.
pub fn read_all_has_no_gaps_while_writers_run(h: &impl Harness) {
    const WRITERS: u64 = 3;
    const APPENDS: u64 = 40;
    let store = h.store();
    let done = AtomicBool::new(false);
    std::thread::scope(|s| {
        let writers: Vec<_> = (0..WRITERS)
            .map(|w| {
                s.spawn(move || {
                    let id = stream(&format!("order/{w}"));
                    let mut version = 0;
                    for i in 0..APPENDS {
                        let events = [event(i), event(i + 1)];
                        let a = if i % 4 == 0 {
                            // A batch of one command of two events and a refused one.
                            let m = meta();
                            let ok = AppendRequest::new(&id, version, &events, &m);
                            let stale = AppendRequest::new(&id, version, &events[..1], &m);
                            let mut answers = store.append_batch(&[ok, stale]).unwrap();
                            assert!(matches!(
                                answers.pop(),
                                Some(Err(StoreError::Conflict { .. }))
                            ));
                            answers.pop().unwrap().unwrap()
                        } else {
                            store.append(&id, version, &events, &meta(), None).unwrap()
                        };
                        version = a.version;
                    }
                })
            })
            .collect();
        let done = &done;
        let reader = s.spawn(move || {
            let mut last = 0u64;
            loop {
                let finished = done.load(Ordering::SeqCst);
                let batch = store.read_all(last, 7).unwrap();
                for e in &batch {
                    assert_eq!(e.position, last + 1, "a gap or a repeat after {last}");
                    last = e.position;
                }
                if finished && batch.is_empty() {
                    return last;
                }
            }
        });
        for w in writers {
            w.join().unwrap();
        }
        done.store(true, Ordering::SeqCst);
        let seen = reader.join().unwrap();
        assert_eq!(seen, WRITERS * APPENDS * 2);
    });
}

/// A command id records the first outcome in the append's transaction; a retry gets
/// `DuplicateCommand` and appends nothing; the outcome outlives a restart.
pub fn command_outcomes_are_idempotent_across_reopen(h: &impl Harness) {
    let store = h.store();
    let seller = stream("seller/7");
    let first = meta().with_command(command("register-7"));
    let appended = store.append(&seller, 0, &[event(1)], &first, None).unwrap();
    let answer = json!({ "accepted": true, "seller": 7 });
    let listing = stream("listing/1");
    let second = meta().with_command(command("draft-1"));
    store
        .append(&listing, 0, &[event(2)], &second, Some(&answer))
        .unwrap();
    // A rejected command keeps its answer too, with no events.
    let refusal = json!({ "rejected": "gstin invalid" });
    let third = meta().with_command(command("register-8"));
    let none = store
        .append(&stream("seller/8"), 0, &[], &third, Some(&refusal))
        .unwrap();
    assert_eq!((none.version, none.positions.len()), (0, 0));

    // Retried, on the same stream or elsewhere: refused, nothing appended.
    for target in [&seller, &listing] {
        let v = store.stream_version(target).unwrap();
        match store.append(target, v, &[event(9)], &first, None) {
            Err(StoreError::DuplicateCommand { command: c }) => {
                assert_eq!(c.as_str(), "register-7")
            }
            other => panic!("expected a duplicate command, got {other:?}"),
        }
    }
    assert_eq!(store.head_position().unwrap(), 2);

    let check = |s: &dyn EventStore| {
        assert_eq!(
            s.command_outcome(&command("register-7")).unwrap(),
            Some(serde_json::to_value(&appended).unwrap())
        );
        assert_eq!(
            s.command_outcome(&command("draft-1")).unwrap(),
            Some(answer.clone())
        );
        assert_eq!(
            s.command_outcome(&command("register-8")).unwrap(),
            Some(refusal.clone())
        );
        assert_eq!(s.command_outcome(&command("never")).unwrap(), None);
    };
    check(store);
    let reopened = h.reopen(Upcasters::pass_through());
    check(&reopened);
    assert!(matches!(
        reopened.append(&stream("seller/9"), 0, &[event(1)], &first, None),
        Err(StoreError::DuplicateCommand { .. })
    ));

    // Two threads racing with one command id: exactly one records it.
    let race = meta().with_command(command("race"));
    let wins: usize = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|t| {
                let race = &race;
                s.spawn(move || {
                    let id = stream(&format!("order/race-{t}"));
                    store.append(&id, 0, &[event(t)], race, None).is_ok() as usize
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    });
    assert_eq!(wins, 1);
}

pub fn snapshots_round_trip(h: &impl Harness) {
    let store = h.store();
    let seller = stream("seller/42");
    assert_eq!(store.load_snapshot(&seller).unwrap(), None);
    let state = json!({ "status": "active", "listings": [1, 2, 3], "name": "Tanti Ghar" });
    store.save_snapshot(&seller, 10, 2, &state).unwrap();
    let snap = store.load_snapshot(&seller).unwrap().unwrap();
    assert_eq!(
        (
            snap.stream.clone(),
            snap.version,
            snap.schema_version,
            snap.state.clone()
        ),
        (seller.clone(), 10, 2, state.clone())
    );
    // An older snapshot never replaces a newer one; a newer one does.
    store.save_snapshot(&seller, 5, 2, &json!("old")).unwrap();
    assert_eq!(store.load_snapshot(&seller).unwrap().unwrap().version, 10);
    store.save_snapshot(&seller, 20, 3, &json!("new")).unwrap();
    let snap = store.load_snapshot(&seller).unwrap().unwrap();
    assert_eq!(
        (snap.version, snap.schema_version, snap.state),
        (20, 3, json!("new"))
    );
    let listing = stream("listing/9");
    store.save_snapshot(&listing, 3, 1, &json!([1])).unwrap();
    let many = store
        .load_snapshots(&[
            listing.clone(),
            stream("seller/none"),
            seller.clone(),
            listing.clone(),
        ])
        .unwrap();
    let versions: Vec<Option<(StreamId, u64)>> = many
        .iter()
        .map(|s| s.as_ref().map(|s| (s.stream.clone(), s.version)))
        .collect();
    assert_eq!(
        versions,
        vec![
            Some((listing.clone(), 3)),
            None,
            Some((seller.clone(), 20)),
            Some((listing, 3))
        ]
    );
    assert_eq!(store.load_snapshots(&[]).unwrap(), vec![]);
    let reopened = h.reopen(Upcasters::pass_through());
    assert_eq!(
        reopened.load_snapshot(&seller).unwrap().unwrap().version,
        20
    );
    assert_eq!(reopened.load_snapshot(&stream("seller/1")).unwrap(), None);
}

pub fn projection_checkpoint_and_state_together(h: &impl Harness) {
    let store = h.store();
    assert_eq!(store.load_projection("metrics").unwrap(), None);
    store
        .save_projection("metrics", 41, &json!({ "orders": 41 }))
        .unwrap();
    store
        .save_projection("search", 3, &json!({ "terms": ["saree"] }))
        .unwrap();
    store
        .save_projection("metrics", 42, &json!({ "orders": 42 }))
        .unwrap();
    let reopened = h.reopen(Upcasters::pass_through());
    assert_eq!(
        reopened.load_projection("metrics").unwrap(),
        Some((42, json!({ "orders": 42 })))
    );
    assert_eq!(
        reopened.load_projection("search").unwrap(),
        Some((3, json!({ "terms": ["saree"] })))
    );
    // A damaged state row is a typed error, not a projection silently starting over.
    h.tamper("UPDATE projections SET state = '{\"orders\": 4' WHERE name = 'metrics'");
    assert!(matches!(
        reopened.load_projection("metrics"),
        Err(StoreError::CorruptRecord { .. })
    ));
}

/// Threads race to claim the same SKUs for their own listings: each SKU ends with exactly one
/// owner, whose append is the one that succeeded.
pub fn unique_claims_hold_under_concurrent_writers(h: &impl Harness) {
    const SKUS: u64 = 15;
    let store = h.store();
    let barrier = Barrier::new(4);
    let wins: Vec<Vec<(u64, StreamId)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4u64)
            .map(|t| {
                let barrier = &barrier;
                s.spawn(move || {
                    barrier.wait();
                    let mut won = Vec::new();
                    for sku in 0..SKUS {
                        let listing = stream(&format!("listing/{t}-{sku}"));
                        let claims = [Claim::new("sku:seller/42", format!("KH-{sku}"))];
                        let gstin = [Claim::new("gstin", format!("19AAAPB{sku:04}C1Z5"))];
                        let claims: &[Claim] = if sku % 3 == 0 { &gstin } else { &claims };
                        match store.append_with_claims(
                            &listing,
                            0,
                            &[event(sku)],
                            &meta(),
                            claims,
                            None,
                        ) {
                            Ok(_) => won.push((sku, listing)),
                            Err(StoreError::ClaimTaken { owner, .. }) => {
                                assert_ne!(owner, listing)
                            }
                            Err(e) => panic!("unexpected {e}"),
                        }
                    }
                    won
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut owners: BTreeMap<u64, Vec<StreamId>> = BTreeMap::new();
    for (sku, listing) in wins.into_iter().flatten() {
        owners.entry(sku).or_default().push(listing);
    }
    assert_eq!(owners.len() as u64, SKUS);
    for (sku, winners) in owners {
        assert_eq!(winners.len(), 1, "sku {sku} claimed by {winners:?}");
        let claim = if sku % 3 == 0 {
            Claim::new("gstin", format!("19AAAPB{sku:04}C1Z5"))
        } else {
            Claim::new("sku:seller/42", format!("KH-{sku}"))
        };
        assert_eq!(store.claim_owner(&claim).unwrap(), Some(winners[0].clone()));
        assert_eq!(store.stream_version(&winners[0]).unwrap(), 1);
    }
    // Every losing append left no event behind.
    assert_eq!(store.head_position().unwrap(), SKUS);
}

pub fn claims_release_and_reclaim(h: &impl Harness) {
    let store = h.store();
    let (a, b) = (stream("listing/a"), stream("listing/b"));
    let sku = [Claim::new("sku:seller/1", "SAREE-1")];
    store
        .append_with_claims(&a, 0, &[event(1)], &meta(), &sku, None)
        .unwrap();
    // The owner may claim again (a retried import); another stream may not.
    store
        .append_with_claims(&a, 1, &[event(2)], &meta(), &sku, None)
        .unwrap();
    match store.append_with_claims(&b, 0, &[event(3)], &meta(), &sku, None) {
        Err(StoreError::ClaimTaken { claim, owner }) => {
            assert_eq!((claim, owner), (sku[0].clone(), a.clone()))
        }
        other => panic!("expected the claim taken, got {other:?}"),
    }
    assert_eq!(store.stream_version(&b).unwrap(), 0);
    // A release by a stream that does not hold it does nothing; the owner's release frees it.
    let m = meta();
    store
        .submit(&AppendRequest::new(&b, 0, &[event(4)], &m).releases(&sku))
        .unwrap();
    assert_eq!(store.claim_owner(&sku[0]).unwrap(), Some(a.clone()));
    store
        .submit(&AppendRequest::new(&a, 2, &[event(5)], &m).releases(&sku))
        .unwrap();
    assert_eq!(store.claim_owner(&sku[0]).unwrap(), None);
    store
        .append_with_claims(&b, 1, &[event(6)], &meta(), &sku, None)
        .unwrap();
    assert_eq!(store.claim_owner(&sku[0]).unwrap(), Some(b));
}

/// A batch checks each request as if alone, in order; refused ones leave nothing behind.
pub fn batches_check_each_request(h: &impl Harness) {
    let store = h.store();
    let (s1, s2, s3) = (stream("seller/1"), stream("seller/2"), stream("seller/3"));
    let claim = [Claim::new("gstin", "19AAAPB1234C1Z5")];
    let m = meta();
    let m_cmd = meta().with_command(command("batch-1"));
    let one = [event(1)];
    let two = [event(2), event(3)];
    let requests = [
        AppendRequest::new(&s1, 0, &one, &m_cmd).claims(&claim),
        // The same stream again, expecting the version the first request made.
        AppendRequest::new(&s1, 1, &two, &m),
        // Stale: s1 is at 3 now within the batch.
        AppendRequest::new(&s1, 1, &one, &m),
        // The same command id again.
        AppendRequest::new(&s2, 0, &one, &m_cmd),
        // The claim is s1's.
        AppendRequest::new(&s3, 0, &one, &m).claims(&claim),
        AppendRequest::new(&s2, 0, &two, &m),
    ];
    let answers = store.append_batch(&requests).unwrap();
    assert_eq!(answers.len(), 6);
    assert_eq!(answers[0].as_ref().unwrap().positions, vec![1]);
    assert_eq!(answers[1].as_ref().unwrap().positions, vec![2, 3]);
    assert!(matches!(
        answers[2],
        Err(StoreError::Conflict {
            expected: 1,
            actual: 3,
            ..
        })
    ));
    assert!(matches!(
        answers[3],
        Err(StoreError::DuplicateCommand { .. })
    ));
    assert!(matches!(answers[4], Err(StoreError::ClaimTaken { .. })));
    assert_eq!(answers[5].as_ref().unwrap().positions, vec![4, 5]);
    assert_eq!(store.head_position().unwrap(), 5);
    assert_eq!(store.stream_version(&s3).unwrap(), 0);
    assert_eq!(store.claim_owner(&claim[0]).unwrap(), Some(s1));
    let all = store.read_all(0, 10).unwrap();
    assert_eq!(
        all.iter()
            .map(|e| (
                e.stream.to_string(),
                e.version,
                e.payload["n"].as_u64().unwrap()
            ))
            .collect::<Vec<_>>(),
        vec![
            ("seller/1".into(), 1, 1),
            ("seller/1".into(), 2, 2),
            ("seller/1".into(), 3, 3),
            ("seller/2".into(), 1, 2),
            ("seller/2".into(), 2, 3),
        ]
    );
    assert_eq!(store.append_batch(&[]).unwrap().len(), 0);
}

/// A damaged row fails the read with an error naming where it is; the events after it are
/// still there and readable past it.
pub fn corrupt_row_is_a_typed_error_and_nothing_after_it_is_lost(h: &impl Harness) {
    let store = h.store();
    let order = stream("order/5");
    store
        .append(&order, 0, &[event(1), event(2), event(3)], &meta(), None)
        .unwrap();
    h.tamper("UPDATE events SET payload = '{\"n\": 2' WHERE position = 2");
    for result in [store.read_all(0, 10), store.read_stream(&order, 0)] {
        match result {
            Err(StoreError::Corrupt {
                stream,
                version,
                position,
                reason,
            }) => {
                assert_eq!(
                    (stream.as_str(), version, position),
                    ("order/5", Some(2), 2)
                );
                assert!(reason.contains("payload"), "{reason}");
            }
            other => panic!("expected a corrupt row, got {other:?}"),
        }
    }
    let err = store.read_all(0, 10).unwrap_err().to_string();
    assert!(
        err.contains("position 2") && err.contains("order/5"),
        "{err}"
    );
    // The one before reads; so does the one after.
    assert_eq!(store.read_all(0, 1).unwrap().len(), 1);
    let after = store.read_all(2, 10).unwrap();
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].payload, json!({ "n": 3 }));

    // A bad timestamp or a negative version is also named.
    h.tamper("UPDATE events SET recorded_at = 'yesterday' WHERE position = 3");
    assert!(matches!(
        store.read_all(2, 10),
        Err(StoreError::Corrupt { position: 3, .. })
    ));
    h.tamper(
        "UPDATE events SET version = -3, recorded_at = '2025-10-01T05:30:00Z' WHERE position = 3",
    );
    assert!(matches!(
        store.read_all(2, 10),
        Err(StoreError::Corrupt {
            position: 3,
            version: Some(-3),
            ..
        })
    ));
}

pub fn unknown_type_and_future_schema_are_typed_errors(h: &impl Harness) {
    let store = h.store();
    let seller = stream("seller/42");
    store
        .append(
            &seller,
            0,
            &[
                NewEvent::new("seller.registered", 1, json!({})),
                NewEvent::new("seller.renamed", 3, json!({})),
                NewEvent::new("seller.teleported", 1, json!({})),
            ],
            &meta(),
            None,
        )
        .unwrap();
    let strict = h.reopen(
        Upcasters::new()
            .event("seller.registered", 1)
            .event("seller.renamed", 2)
            .event("seller.teleported", 1),
    );
    assert_eq!(strict.read_all(0, 1).unwrap().len(), 1);
    match strict.read_stream(&seller, 0) {
        Err(StoreError::FutureSchema {
            stream,
            version,
            position,
            event_type,
            stored,
            current,
        }) => assert_eq!(
            (
                stream,
                version,
                position,
                event_type.as_str(),
                stored,
                current
            ),
            (seller.clone(), 2, 2, "seller.renamed", 3, 2)
        ),
        other => panic!("expected a future schema, got {other:?}"),
    }
    let unknowing = h.reopen(
        Upcasters::new()
            .event("seller.registered", 1)
            .event("seller.renamed", 3),
    );
    assert_eq!(unknowing.read_all(0, 2).unwrap().len(), 2);
    match unknowing.read_all(0, 10) {
        Err(StoreError::UnknownEventType {
            stream,
            version,
            position,
            event_type,
        }) => assert_eq!(
            (stream, version, position, event_type.as_str()),
            (seller.clone(), 3, 3, "seller.teleported")
        ),
        other => panic!("expected an unknown type, got {other:?}"),
    }
    // A gap in the upcaster chain is an error, never a silent pass.
    let gappy = h.reopen(Upcasters::new().event("seller.registered", 3).upcaster(
        "seller.registered",
        1,
        Ok,
    ));
    assert!(matches!(
        gappy.read_all(0, 1),
        Err(StoreError::Upcast {
            from: 2,
            position: 1,
            ..
        })
    ));
}

/// The event type changes shape: version 1 stored a single `name`, today's version 2 has a
/// legal name and a shop name. An old event still loads, as today's type.
pub fn upcasters_bring_a_v1_event_to_today(h: &impl Harness) {
    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct RegisteredV2 {
        legal_name: String,
        shop_name: String,
        district: String,
    }
    let store = h.store();
    let seller = stream("seller/42");
    store
        .append(
            &seller,
            0,
            &[NewEvent::new(
                "seller.registered",
                1,
                json!({ "name": "Tanti Ghar", "district": "Nadia" }),
            )],
            &meta(),
            None,
        )
        .unwrap();
    let today = h.reopen(Upcasters::new().event("seller.registered", 2).upcaster(
        "seller.registered",
        1,
        |mut v: Value| {
            let name = v["name"]
                .as_str()
                .ok_or_else(|| UpcastError::new("v1 registration has no name"))?
                .to_owned();
            let obj = v
                .as_object_mut()
                .ok_or_else(|| UpcastError::new("not an object"))?;
            obj.remove("name");
            obj.insert("legal_name".into(), json!(name));
            obj.insert("shop_name".into(), json!(name));
            Ok(v)
        },
    ));
    let events = today.read_stream(&seller, 0).unwrap();
    assert_eq!(events[0].schema_version, 2);
    let registered: RegisteredV2 = serde_json::from_value(events[0].payload.clone()).unwrap();
    assert_eq!(
        registered,
        RegisteredV2 {
            legal_name: "Tanti Ghar".into(),
            shop_name: "Tanti Ghar".into(),
            district: "Nadia".into(),
        }
    );
    // The stored row is untouched: the raw store still reads version 1.
    assert_eq!(store.read_stream(&seller, 0).unwrap()[0].schema_version, 1);
    // A v1 payload the upcaster cannot read is a typed error naming it.
    store
        .append(
            &seller,
            1,
            &[NewEvent::new(
                "seller.registered",
                1,
                json!({ "district": "Nadia" }),
            )],
            &meta(),
            None,
        )
        .unwrap();
    match today.read_stream(&seller, 0) {
        Err(StoreError::Upcast {
            version, reason, ..
        }) => assert_eq!(
            (version, reason.as_str()),
            (2, "v1 registration has no name")
        ),
        other => panic!("expected an upcast failure, got {other:?}"),
    }
}

pub fn appends_read_back_as_appended(h: &impl Harness) {
    crate::props::appends_read_back(h.store(), 32);
}

pub fn claims_follow_a_plain_model(h: &impl Harness) {
    crate::props::claims_follow_the_model(h.store(), 32);
}

/// A batch larger than a backend writes in one statement (SQLite: 64 rows) keeps every row in
/// its place: events of many streams and one long request, the leftover rows, each command's
/// outcome; and a reader of some stream kinds gets the same events `read_all` has of them.
pub fn large_batches_and_reads_by_kind(h: &impl Harness) {
    let store = h.store();
    let streams: Vec<StreamId> = (0..150)
        .map(|i| {
            stream(&format!(
                "{}/{i}",
                if i % 3 == 0 { "ledger" } else { "order" }
            ))
        })
        .collect();
    let metas: Vec<Metadata> = (0..150)
        .map(|i| meta().with_command(command(&format!("large-{i}"))))
        .collect();
    let one: Vec<[NewEvent; 1]> = (0..150).map(|i| [event(i)]).collect();
    let long: Vec<NewEvent> = (1000..1130).map(event).collect();
    let seller = stream("seller/9");
    let mut requests: Vec<AppendRequest<'_>> = streams
        .iter()
        .zip(&metas)
        .zip(&one)
        .map(|((s, m), e)| AppendRequest::new(s, 0, e, m))
        .collect();
    requests.insert(70, AppendRequest::new(&seller, 0, &long, &metas[0]));
    let answers = store.append_batch(&requests).unwrap();
    // The long request reuses the first command id: refused, the others all kept.
    assert!(matches!(
        answers[70],
        Err(StoreError::DuplicateCommand { .. })
    ));
    requests.remove(70);
    let m = meta();
    requests.push(AppendRequest::new(&seller, 0, &long, &m));
    let answers = store.append_batch(&requests).unwrap();
    // Sent again, each of the 150 is a retried command: its first outcome stands.
    assert!(
        answers[..150]
            .iter()
            .all(|a| matches!(a, Err(StoreError::DuplicateCommand { .. })))
    );
    assert_eq!(
        answers[150].as_ref().unwrap().positions,
        (151..=280).collect::<Vec<u64>>()
    );
    let all = store.read_all(0, usize::MAX).unwrap();
    assert_eq!(all.len(), 280);
    for (i, e) in all.iter().enumerate() {
        assert_eq!(e.position, i as u64 + 1);
        let (want_stream, want_n) = if i < 150 {
            (&streams[i], i as u64)
        } else {
            (&seller, 1000 + i as u64 - 150)
        };
        assert_eq!(
            (&e.stream, e.payload["n"].as_u64().unwrap()),
            (want_stream, want_n)
        );
    }
    for (i, m) in metas.iter().enumerate() {
        let outcome = store
            .command_outcome(m.command_id.as_ref().unwrap())
            .unwrap();
        assert_eq!(
            outcome,
            Some(json!({ "stream": streams[i].to_string(), "version": 1, "positions": [i + 1] }))
        );
    }
    // Read by kind, in pages that end on events of either kind.
    for page in [1, 7, 64, 500] {
        let (mut kept, mut after) = (Vec::new(), 0);
        while let (events, Some(last)) = store
            .read_all_of_kinds(after, page, &["order", "seller"])
            .unwrap()
        {
            assert!(last > after);
            kept.extend(events);
            after = last;
        }
        assert_eq!(after, 280);
        let want: Vec<_> = all
            .iter()
            .filter(|e| e.stream.kind() != "ledger")
            .cloned()
            .collect();
        assert_eq!(kept, want);
    }
}
