//! Crash safety: `examples/store_service` is killed with SIGKILL at random moments while it
//! writes commands, restarted each time, and then run to a clean stop; the store must hold
//! every command it acknowledged, no half-written event, no oversold stock, orders and the
//! ledger in agreement, and a metrics projection that equals a rebuild from scratch.
//!
//! SQLite in a temporary file, and PostgreSQL by the store tests' rule: `HAAT_TEST_POSTGRES`
//! (default `postgres://postgres@127.0.0.1:5432/test`), skipped with one line when unreachable
//! unless `HAAT_REQUIRE_POSTGRES=1`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use haat::catalogue::ListingEvent;
use haat::core::{OrderId, SellerId};
use haat::inventory::{ReservationStatus, StockKey};
use haat::orders::{Order, OrderEvent, OrderStatus};
use haat::seller::{SellerEvent, WorkshopEvent};
use support::Schema;

use haat_store::{
    CommandHandler, CommandId, EventStore, MetricsProjection, PostgresStore, SellerStock,
    SqliteStore, StreamId,
};

/// Kills per backend; with the delays below a backend's run takes ten to twenty seconds in a
/// debug build.
const KILLS: u64 = 10;
/// The final run goes at least this far: five sellers' commands, every kind of command.
const MIN_COMMANDS: u64 = 160;

#[test]
fn sqlite_keeps_every_acknowledged_command_through_kills() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("service.db");
    let args = vec![file.to_string_lossy().into_owned()];
    let acks = crash_and_restart(&args, 1);
    let store = SqliteStore::open(&file).unwrap();
    check(&store, &acks);
}

#[test]
fn postgres_keeps_every_acknowledged_command_through_kills() {
    let Some(url) = support::postgres("the PostgreSQL crash test") else {
        return;
    };
    let schema = Schema::new(&url, "haat_crash");
    let args = vec![
        "--postgres".to_owned(),
        url.clone(),
        "--schema".to_owned(),
        schema.name.clone(),
    ];
    let acks = crash_and_restart(&args, 2);
    let store = PostgresStore::connect_in_schema(&url, &schema.name, 2).unwrap();
    check(&store, &acks);
}

/// An acknowledged command: its number, and the stream and version it reported.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Ack {
    command: u64,
    stream: StreamId,
    version: u64,
}

/// Runs the service `KILLS` times, killing it a pseudo-random while after it has opened the
/// store each time, then once to a clean stop past the last command acknowledged (and at least
/// `MIN_COMMANDS`, so the store holds every kind of command however slow the machine);
/// answers every ack printed.
fn crash_and_restart(args: &[String], seed: u64) -> Vec<Ack> {
    let binary = support::example("store_service");
    let acks = Arc::new(Mutex::new(Vec::new()));
    let mut rng = seed;
    for _ in 0..KILLS {
        rng = rng
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let delay = 100 + (rng >> 33) % 1_200;
        let mut child = spawn(&binary, args, None);
        let (started, reader) = collect(&mut child, Arc::clone(&acks));
        // Killed only once it has opened the store and said where it resumes (or died).
        let _ = started.recv();
        std::thread::sleep(Duration::from_millis(delay));
        // `Child::kill` is SIGKILL on Unix: no destructor, no flush, no clean close.
        let _ = child.kill();
        let _ = child.wait();
        reader.join().unwrap();
    }
    let last = acks
        .lock()
        .unwrap()
        .iter()
        .map(|a: &Ack| a.command)
        .max()
        .unwrap_or(0);
    let mut child = spawn(&binary, args, Some((last + 40).max(MIN_COMMANDS)));
    let (_, reader) = collect(&mut child, Arc::clone(&acks));
    let status = child.wait().unwrap();
    reader.join().unwrap();
    assert!(status.success(), "the final run failed: {status}");
    acks.lock().unwrap().clone()
}

fn spawn(binary: &PathBuf, args: &[String], commands: Option<u64>) -> Child {
    let mut command = Command::new(binary);
    command.args(args).args(["--progress", "25"]);
    if let Some(n) = commands {
        command.args(["--commands", &n.to_string()]);
    }
    command
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap()
}

/// Reads the child's acks until its stdout closes; the receiver hears once the child has
/// printed its first line (where it resumes), or has died.
fn collect(
    child: &mut Child,
    acks: Arc<Mutex<Vec<Ack>>>,
) -> (mpsc::Receiver<()>, std::thread::JoinHandle<()>) {
    let stdout = child.stdout.take().unwrap();
    let (tell, started) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            let _ = tell.send(());
            let words: Vec<&str> = line.split_whitespace().collect();
            if let ["ack", n, _, stream, version] = words.as_slice() {
                acks.lock().unwrap().push(Ack {
                    command: n.parse().unwrap(),
                    stream: stream.parse().unwrap(),
                    version: version.parse().unwrap(),
                });
            }
        }
    });
    (started, reader)
}

/// Everything a crash must not break.
fn check<S: EventStore>(store: &S, acks: &[Ack]) {
    // 1. Every acknowledged command is there, with the events it reported.
    for ack in acks {
        let id = CommandId::new(format!("cmd-{}", ack.command)).unwrap();
        assert!(
            store.command_outcome(&id).unwrap().is_some(),
            "command {} was acknowledged and is lost",
            ack.command
        );
        assert!(store.stream_version(&ack.stream).unwrap() >= ack.version);
    }

    // 2. No half-written event: the whole store reads, positions 1..=head without a gap, every
    //    stream's versions 1..=n, every payload an event of its stream's kind.
    let mut position = 0;
    let mut versions: BTreeMap<StreamId, u64> = BTreeMap::new();
    loop {
        let events = store.read_all(position, 500).unwrap();
        if events.is_empty() {
            break;
        }
        for event in events {
            assert_eq!(
                event.position,
                position + 1,
                "a gap before {}",
                event.position
            );
            position = event.position;
            let version = versions.entry(event.stream.clone()).or_default();
            assert_eq!(event.version, *version + 1, "a gap in {}", event.stream);
            *version = event.version;
            let payload = event.payload.clone();
            let reads = match event.stream.kind() {
                "seller" => serde_json::from_value::<SellerEvent>(payload).is_ok(),
                "workshop" => serde_json::from_value::<WorkshopEvent>(payload).is_ok(),
                "listing" => serde_json::from_value::<ListingEvent>(payload).is_ok(),
                "order" => serde_json::from_value::<OrderEvent>(payload).is_ok(),
                "ledger" => serde_json::from_value::<haat::inventory::LedgerEvent>(payload).is_ok(),
                other => panic!("an event of unknown kind {other}"),
            };
            assert!(reads, "event at position {} does not read", event.position);
        }
    }
    assert_eq!(position, store.head_position().unwrap());

    // 3. No stock oversold, and every order agrees with its seller's ledger.
    let handler = CommandHandler::new(store);
    let mut orders = Vec::new();
    let mut sellers = BTreeSet::new();
    for stream in versions.keys() {
        match stream.kind() {
            "order" => orders.push(OrderId::new(stream.id().parse().unwrap())),
            "ledger" => {
                sellers.insert(SellerId::new(stream.id().parse().unwrap()));
            }
            _ => {}
        }
    }
    let mut ledgers = BTreeMap::new();
    for seller in sellers {
        let ledger = handler.load::<SellerStock>(&seller).unwrap().state.0;
        let keys: BTreeSet<StockKey> = ledger.movements().map(|m| m.key).collect();
        for key in keys {
            let q = ledger.quantities(&key);
            assert!(q.reserved() <= q.on_hand(), "{key:?} oversold: {q:?}");
            assert_eq!(q.available() + q.reserved(), q.on_hand(), "{key:?}: {q:?}");
        }
        ledgers.insert(seller, ledger);
    }
    assert!(!orders.is_empty(), "no order was placed");
    for id in orders {
        let order = handler.load::<Order>(&id).unwrap().state;
        let seller = order.seller().unwrap();
        let reservation = ledgers[&seller]
            .reservation(order.reservation().unwrap())
            .unwrap();
        let expected = match order.status().unwrap() {
            OrderStatus::Placed | OrderStatus::Packed => ReservationStatus::Active,
            OrderStatus::Dispatched => ReservationStatus::Committed,
            OrderStatus::Cancelled => ReservationStatus::Cancelled,
            other => panic!("the service never moves an order to {other}"),
        };
        assert_eq!(reservation.status(), expected, "order {id}");
    }

    // 4. The projection the service saved, caught up, equals a rebuild from position 0.
    let mut live = MetricsProjection::load(store).unwrap();
    live.catch_up(store, 200).unwrap();
    let rebuilt = MetricsProjection::rebuild(store, 200).unwrap();
    assert_eq!(live.position(), rebuilt.position());
    assert_eq!(live.inputs(), rebuilt.inputs());
    assert_eq!(live.metrics(), rebuilt.metrics());
}
