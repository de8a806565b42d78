//! Property: any sequence of appends, single or batched, reads back exactly as appended (in
//! each stream and in the global order), and a refused one leaves nothing; events appended as
//! JSON text the caller printed ([`EncodedEvent`]) read back as the same values would.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{TimeZone, Utc};
use haat_core::{Actor, SellerId, StaffId};
use haat_store::{
    AppendRequest, CommandId, EncodedEvent, EventStore, Metadata, NewEvent, StoreError, StreamId,
};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::Value;

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1.0e12f64..1.0e12).prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,6}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

#[derive(Clone, Debug)]
struct Op {
    stream: usize,
    /// How far the expected version is from the truth: mostly 0, sometimes stale or ahead.
    skew: i8,
    events: Vec<NewEvent>,
    /// Appended as text printed by the caller (`AppendRequest::encoded`), not as values.
    encoded: bool,
    meta: Metadata,
}

fn op() -> impl Strategy<Value = Op> {
    let event = ("[a-z]{1,8}\\.[a-z]{1,8}", 1u32..4, json_value())
        .prop_map(|(t, v, p)| NewEvent::new(t, v, p));
    let actor = prop_oneof![
        Just(Actor::System),
        (1u64..1000).prop_map(|s| Actor::Seller(SellerId::new(s))),
        (1u64..1000).prop_map(|s| Actor::Operations(StaffId::new(s))),
    ];
    let meta = (
        actor,
        proptest::option::of("[ -~]{1,12}"),
        0i64..4_000_000_000,
        0u32..1_000_000_000,
    )
        .prop_map(|(actor, correlation, secs, nanos)| Metadata {
            actor,
            command_id: None,
            correlation_id: correlation,
            recorded_at: Utc.timestamp_opt(secs, nanos).unwrap(),
        });
    (
        0usize..3,
        prop_oneof![6 => Just(0i8), 1 => Just(-1i8), 1 => Just(1i8)],
        prop::collection::vec(event, 0..4),
        any::<bool>(),
        meta,
    )
        .prop_map(|(stream, skew, events, encoded, meta)| Op {
            stream,
            skew,
            events,
            encoded,
            meta,
        })
}

/// Runs `cases` random sequences against `store`, each on streams of its own.
pub fn appends_read_back(store: &impl EventStore, cases: u32) {
    static CASE: AtomicU64 = AtomicU64::new(0);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (prop::collection::vec(op(), 1..12), any::<bool>());
    runner
        .run(&strategy, |(ops, batched)| {
            let case = CASE.fetch_add(1, Ordering::Relaxed);
            let streams: Vec<StreamId> = (0..3)
                .map(|i| StreamId::new("prop", format!("{}-{case}-{i}", std::process::id())).unwrap())
                .collect();
            let head = store.head_position().unwrap();
            let mut model: BTreeMap<usize, Vec<(NewEvent, Metadata)>> = BTreeMap::new();
            let mut expected_all = Vec::new();
            let mut ops = ops;
            for (i, op) in ops.iter_mut().enumerate() {
                op.meta.command_id = Some(CommandId::new(format!("{case}-{i}")).unwrap());
            }
            let chunk = if batched { 3 } else { 1 };
            for group in ops.chunks(chunk) {
                let texts: Vec<Vec<EncodedEvent>> = group
                    .iter()
                    .map(|op| {
                        op.events
                            .iter()
                            .map(|e| {
                                EncodedEvent::new(&e.event_type, e.schema_version, &e.payload)
                                    .unwrap()
                            })
                            .collect()
                    })
                    .collect();
                // What each request expects, from the model as the batch will see it.
                let mut version: BTreeMap<usize, u64> =
                    (0..3).map(|s| (s, model.get(&s).map_or(0, Vec::len) as u64)).collect();
                let mut expectations = Vec::new();
                let requests: Vec<AppendRequest<'_>> = group
                    .iter()
                    .zip(&texts)
                    .map(|(op, text)| {
                        let actual = version[&op.stream];
                        let expected = actual.saturating_add_signed(op.skew.into());
                        let ok = expected == actual;
                        if ok {
                            *version.get_mut(&op.stream).unwrap() += op.events.len() as u64;
                        }
                        expectations.push((ok, actual, expected));
                        let stream = &streams[op.stream];
                        if op.encoded {
                            AppendRequest::encoded(stream, expected, text, &op.meta)
                        } else {
                            AppendRequest::new(stream, expected, &op.events, &op.meta)
                        }
                    })
                    .collect();
                let answers = store.append_batch(&requests).unwrap();
                for ((op, (ok, actual, expected)), answer) in
                    group.iter().zip(expectations).zip(answers)
                {
                    if ok {
                        let appended = answer.unwrap();
                        prop_assert_eq!(appended.positions.len(), op.events.len());
                        let entry = model.entry(op.stream).or_default();
                        for (e, p) in op.events.iter().zip(&appended.positions) {
                            entry.push((e.clone(), op.meta.clone()));
                            expected_all.push((*p, op.stream, entry.len() as u64, e.clone()));
                        }
                    } else {
                        let is_conflict = matches!(
                            answer,
                            Err(StoreError::Conflict { expected: e, actual: a, .. }) if (e, a) == (expected, actual)
                        );
                        prop_assert!(is_conflict);
                    }
                }
            }
            for (s, id) in streams.iter().enumerate() {
                let read = store.read_stream(id, 0).unwrap();
                let want = model.get(&s).cloned().unwrap_or_default();
                prop_assert_eq!(read.len(), want.len());
                for (n, (got, (event, meta))) in read.iter().zip(&want).enumerate() {
                    prop_assert_eq!(got.version, n as u64 + 1);
                    prop_assert_eq!(&got.event_type, &event.event_type);
                    prop_assert_eq!(got.schema_version, event.schema_version);
                    prop_assert_eq!(&got.payload, &event.payload);
                    prop_assert_eq!(&got.metadata, meta);
                }
            }
            // The batch read answers what the one-stream reads answer, in the order asked,
            // repeats and empty streams included.
            let asked: Vec<(StreamId, u64)> = [(0, 0), (1, 1), (2, 0), (0, 2), (1, 1)]
                .iter()
                .map(|(s, after)| (streams[*s].clone(), *after))
                .collect();
            let one_by_one: Vec<_> = asked
                .iter()
                .map(|(s, after)| store.read_stream(s, *after).unwrap())
                .collect();
            prop_assert_eq!(store.read_streams(&asked).unwrap(), one_by_one);
            let all = store.read_all(head, usize::MAX).unwrap();
            let positions: Vec<u64> = all.iter().map(|e| e.position).collect();
            let want: Vec<u64> = (head + 1..=head + expected_all.len() as u64).collect();
            prop_assert_eq!(positions, want);
            for (got, (p, s, v, e)) in all.iter().zip(&expected_all) {
                prop_assert_eq!((got.position, &got.stream, got.version), (*p, &streams[*s], *v));
                prop_assert_eq!(&got.payload, &e.payload);
            }
            Ok(())
        })
        .unwrap();
}

/// Property: claims and releases spread over batches leave each value with the owner a plain
/// model says (the first live claimant keeps it until it releases), and every refused request
/// is refused with the owner the model names.
pub fn claims_follow_the_model(store: &impl EventStore, cases: u32) {
    static CASE: AtomicU64 = AtomicU64::new(0);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    // (stream, claims, releases) over 3 streams and 4 values; batches of 1 to 4.
    let request = (
        0usize..3,
        prop::collection::btree_set(0usize..4, 0..3),
        prop::collection::btree_set(0usize..4, 0..2),
    );
    let strategy = prop::collection::vec(prop::collection::vec(request, 1..5), 1..6);
    runner
        .run(&strategy, |batches| {
            let case = CASE.fetch_add(1, Ordering::Relaxed);
            let tag = format!("{}-{case}", std::process::id());
            let streams: Vec<StreamId> = (0..3)
                .map(|i| StreamId::new("listing", format!("{tag}-{i}")).unwrap())
                .collect();
            let values: Vec<haat_store::Claim> = (0..4)
                .map(|v| haat_store::Claim::new(format!("sku:{tag}"), format!("SKU-{v}")))
                .collect();
            let mut owner: BTreeMap<usize, usize> = BTreeMap::new();
            let mut version = [0u64; 3];
            let meta = Metadata::new(Actor::System, Utc.timestamp_opt(0, 0).unwrap());
            let events = [NewEvent::new("listing.touched", 1, Value::Null)];
            for batch in batches {
                let owned: Vec<(usize, Vec<haat_store::Claim>, Vec<haat_store::Claim>)> = batch
                    .iter()
                    .map(|(s, c, r)| {
                        (
                            *s,
                            c.iter().map(|v| values[*v].clone()).collect(),
                            r.iter().map(|v| values[*v].clone()).collect(),
                        )
                    })
                    .collect();
                // The model, request by request, as the batch must see it.
                let mut expected = Vec::new();
                let mut sim_version = version;
                for (s, claims, releases) in &batch {
                    let taken = claims
                        .iter()
                        .find_map(|v| owner.get(v).filter(|o| **o != *s).copied());
                    match taken {
                        Some(o) => expected.push(Err(o)),
                        None => {
                            for v in claims {
                                owner.insert(*v, *s);
                            }
                            for v in releases {
                                if owner.get(v) == Some(s) {
                                    owner.remove(v);
                                }
                            }
                            sim_version[*s] += 1;
                            expected.push(Ok(()));
                        }
                    }
                }
                // Each request expects the version its stream's earlier accepted requests left.
                let mut running = version;
                let requests: Vec<AppendRequest<'_>> = owned
                    .iter()
                    .zip(&expected)
                    .map(|((s, claims, releases), e)| {
                        let r = AppendRequest::new(&streams[*s], running[*s], &events, &meta)
                            .claims(claims)
                            .releases(releases);
                        if e.is_ok() {
                            running[*s] += 1;
                        }
                        r
                    })
                    .collect();
                let answers = store.append_batch(&requests).unwrap();
                for (answer, want) in answers.iter().zip(&expected) {
                    match (answer, want) {
                        (Ok(_), Ok(())) => {}
                        (Err(StoreError::ClaimTaken { owner: o, .. }), Err(s)) => {
                            prop_assert_eq!(o, &streams[*s]);
                        }
                        (got, want) => prop_assert!(false, "got {:?}, want {:?}", got, want),
                    }
                }
                version = sim_version;
                for (v, claim) in values.iter().enumerate() {
                    let stored = store.claim_owner(claim).unwrap();
                    prop_assert_eq!(stored, owner.get(&v).map(|s| streams[*s].clone()));
                }
            }
            Ok(())
        })
        .unwrap();
}
