//! A bounded load test of the seller hub on loopback, and `kill -9` under load.
//!
//! Two phases, each a fixed number of requests from several client threads. First reads
//! alone (the listing and a search), then checkouts (one unit each, every one with its own
//! `Idempotency-Key`, retried with the same key on 503) with reads between them; the test
//! prints reads per second and their p50/p99 latency alone and under the checkouts, and
//! checkouts per second and theirs (docs/BENCHMARKS.md keeps the release build's numbers:
//! `HAAT_HUB_BIN=target/release/examples/seller_hub`), and then checks the ledger: no more
//! units sold than received, stock taken for each placed order once, and every acknowledged
//! order there. It asserts nothing about time.
//!
//! PostgreSQL: `HAAT_TEST_POSTGRES` (default `postgres://postgres@127.0.0.1:5432/test`); the
//! test skips with a line saying why when the server is missing, and fails instead when
//! `HAAT_REQUIRE_POSTGRES=1`.
// Rates per second are reported in floating point: they measure, they never hold money.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::float_arithmetic
)]

mod hub_client;

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hub_client::{Hub, binary, try_send};
use serde_json::{Value, json};

const STAFF: &str = "staff-demo";
const CLIENTS: usize = 6;
const CHECKOUTS_PER_CLIENT: usize = 25;
const READS_PER_CLIENT: usize = 50;
/// Reads per client in the phase with no checkouts.
const READS_ALONE_PER_CLIENT: usize = 100;
/// Fewer units than checkouts: the last checkouts find the listing sold out.
const STOCK: u64 = 120;

/// A seller with one live listing and `STOCK` units: (seller key, seller, listing).
fn shop(hub: &mut Hub, n: u64) -> (String, u64, u64) {
    let r = hub.post(
        "/api/sellers",
        None,
        &json!({
            "display_name": format!("Load House {n}"), "mobile": "9830011111", "pin_code": "741404"
        }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let seller = r.json["seller"].as_u64().unwrap();
    let key = r.json["api_key"].as_str().unwrap().to_owned();
    let pan = format!(
        "AB{}PL{:04}K",
        ["C", "F", "H"][(n % 3) as usize],
        1000 + seller % 9000
    );
    let first14 = format!("19{pan}1Z");
    let gstin = format!(
        "{first14}{}",
        haat::seller::gstin_check_character(&first14).unwrap()
    );
    let kyc = json!({
        "legal_name": format!("Load House {n}"), "pan": pan,
        "gst": {"kind": "registered", "number": gstin},
        "address": {"lines": "1 Tantipara", "pin_code": "741404"},
        "bank": {"account": "001234567890", "ifsc": "SBIN0000123", "holder_name": format!("Load House {n}")},
        "email": "load@example.in"
    });
    let r = hub.post(&format!("/api/sellers/{seller}/kyc"), Some(&key), &kyc);
    assert_eq!(r.status, 200, "{}", r.text);
    for step in ["kyc/verify", "activate"] {
        let r = hub.post_empty(&format!("/api/sellers/{seller}/{step}"), Some(STAFF));
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let content = json!({
        "title": "Handwoven Shantipuri cotton saree, load test weave",
        "description": "Woven on a pit loom in Shantipur, Nadia, with a fine 100-count weft, for the load test.",
        "category": "textiles/sarees/handloom/shantipuri",
        "attributes": {"blouse_piece": true, "fabric": "cotton", "gi_name": "Santipore Saree", "gi_tag": true, "length_m": 5.5},
        "images": ["https://img.example.in/l-1.jpg", "https://img.example.in/l-2.jpg", "https://img.example.in/l-3.jpg"],
        "price": "1999.00", "mrp": "2200.00", "hsn": "5208", "sku": "LOAD-001"
    });
    let r = hub.post(
        "/api/listings",
        Some(&key),
        &json!({"seller": seller, "content": content}),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let listing: u64 = r.json["stream"]
        .as_str()
        .unwrap()
        .trim_start_matches("listing/")
        .parse()
        .unwrap();
    for (path, k, body) in [
        ("submit", key.as_str(), None),
        ("review", STAFF, Some(json!({"pass": true}))),
        ("activate", key.as_str(), None),
    ] {
        let path = format!("/api/listings/{listing}/{path}");
        let r = match body {
            Some(b) => hub.post(&path, Some(k), &b),
            None => hub.post_empty(&path, Some(k)),
        };
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let r = hub.post(
        &format!("/api/sellers/{seller}/stock"),
        Some(&key),
        &json!({
            "sku": "LOAD-001", "location": 2001, "quantity": STOCK, "purchase_order": "PO-LOAD"
        }),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    (key, seller, listing)
}

fn available(addr: &str, key: &str, seller: u64) -> u64 {
    let r = try_send(
        addr,
        "GET",
        &format!("/api/sellers/{seller}/stock"),
        Some(key),
        &[],
        None,
    )
    .unwrap();
    r.json
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["sku"] == "LOAD-001")
        .unwrap()["available"]
        .as_u64()
        .unwrap()
}

/// A checkout with `idem`, retried with the same key while the hub answers 503. `None` when
/// the connection failed (a killed hub).
fn checkout(addr: &str, listing: u64, buyer: u64, idem: &str) -> Option<Value> {
    let body = serde_json::to_vec(&json!({"buyer": buyer, "pin_code": "700001", "lines": [{"listing": listing, "quantity": 1}]})).unwrap();
    // A client's retry, as a storefront would: the same key, a growing pause, a bound.
    for attempt in 0..100u64 {
        let r = try_send(
            addr,
            "POST",
            "/api/orders",
            Some(STAFF),
            &[("Idempotency-Key", idem)],
            Some(("application/json", &body)),
        )
        .ok()?;
        if r.status == 503 {
            std::thread::sleep(Duration::from_millis(attempt.min(20)));
            continue;
        }
        return Some(json!({"status": r.status, "body": r.json}));
    }
    panic!("checkout {idem} still contended after 100 tries");
}

/// Read `k` of a client: the listing on even turns, a search on odd ones. Answers how long
/// the read took.
fn read(addr: &str, listing: u64, k: usize) -> Duration {
    let t = Instant::now();
    let path = if k.is_multiple_of(2) {
        format!("/api/listings/{listing}")
    } else {
        "/api/search?q=saree".to_owned()
    };
    let r = try_send(addr, "GET", &path, Some(STAFF), &[], None).unwrap();
    assert_eq!(r.status, 200, "{}", r.text);
    t.elapsed()
}

/// `CLIENTS` clients each reading `READS_ALONE_PER_CLIENT` times, nothing else running:
/// every read's latency, and the phase's wall time.
fn reads_alone(addr: &str, listing: u64) -> (Vec<Duration>, Duration) {
    let started = Instant::now();
    let threads: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let addr = addr.to_owned();
            std::thread::spawn(move || {
                (0..READS_ALONE_PER_CLIENT)
                    .map(|k| read(&addr, listing, k))
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut reads: Vec<Duration> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    let elapsed = started.elapsed();
    reads.sort();
    (reads, elapsed)
}

fn percentile(sorted: &[Duration], p: usize) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}

fn load(label: &str, mut hub: Hub) {
    let (key, seller, listing) = shop(&mut hub, 1);
    let addr = hub.addr.clone();
    let (alone, alone_elapsed) = reads_alone(&addr, listing);
    assert_eq!(alone.len(), CLIENTS * READS_ALONE_PER_CLIENT);
    println!(
        "{label}: reads alone: {} clients, {} reads in {:.2} s: {:.0} reads/s (p50 {:?}, p99 {:?})",
        CLIENTS,
        alone.len(),
        alone_elapsed.as_secs_f64(),
        alone.len() as f64 / alone_elapsed.as_secs_f64(),
        percentile(&alone, 50),
        percentile(&alone, 99),
    );
    let checkouts = Arc::new(Mutex::new(Vec::new()));
    let reads = Arc::new(Mutex::new(Vec::new()));
    let placed = Arc::new(Mutex::new(Vec::new()));
    let started = Instant::now();
    let threads: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let (addr, checkouts, reads, placed) = (
                addr.clone(),
                Arc::clone(&checkouts),
                Arc::clone(&reads),
                Arc::clone(&placed),
            );
            std::thread::spawn(move || {
                for k in 0..CHECKOUTS_PER_CLIENT.max(READS_PER_CLIENT) {
                    if k < CHECKOUTS_PER_CLIENT {
                        let t = Instant::now();
                        let answer = checkout(
                            &addr,
                            listing,
                            (c * 1000 + k) as u64,
                            &format!("load-{c}-{k}"),
                        )
                        .unwrap();
                        checkouts.lock().unwrap().push(t.elapsed());
                        match answer["status"].as_u64().unwrap() {
                            201 => placed
                                .lock()
                                .unwrap()
                                .push(answer["body"]["stream"].as_str().unwrap().to_owned()),
                            409 | 422 => {}
                            other => panic!("checkout answered {other}: {answer}"),
                        }
                    }
                    if k < READS_PER_CLIENT {
                        let took = read(&addr, listing, k);
                        reads.lock().unwrap().push(took);
                    }
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let elapsed = started.elapsed();
    let mut checkouts = checkouts.lock().unwrap().clone();
    let mut reads = reads.lock().unwrap().clone();
    checkouts.sort();
    reads.sort();
    let placed = placed.lock().unwrap().clone();
    let secs = elapsed.as_secs_f64();
    println!(
        "{label}: under checkouts: {} clients, {} checkouts ({} placed) and {} reads in {secs:.2} s: {:.0} checkouts/s (p50 {:?}, p99 {:?}), {:.0} reads/s (p50 {:?}, p99 {:?})",
        CLIENTS,
        checkouts.len(),
        placed.len(),
        reads.len(),
        checkouts.len() as f64 / secs,
        percentile(&checkouts, 50),
        percentile(&checkouts, 99),
        reads.len() as f64 / secs,
        percentile(&reads, 50),
        percentile(&reads, 99),
    );
    // No oversell, no lost order, stock taken once per order: checked against the ledger.
    let distinct: BTreeSet<&String> = placed.iter().collect();
    assert_eq!(
        distinct.len(),
        placed.len(),
        "each acknowledged checkout is its own order"
    );
    assert!(
        placed.len() as u64 <= STOCK,
        "oversold: {} orders for {STOCK} units",
        placed.len()
    );
    assert_eq!(
        placed.len() as u64,
        STOCK.min((CLIENTS * CHECKOUTS_PER_CLIENT) as u64),
        "every unit sold while stock lasted"
    );
    assert_eq!(available(&addr, &key, seller), STOCK - placed.len() as u64);
    for stream in &placed {
        let order = stream.trim_start_matches("order/");
        let r = try_send(
            &addr,
            "GET",
            &format!("/api/orders/{order}"),
            Some(STAFF),
            &[],
            None,
        )
        .unwrap();
        assert_eq!(r.status, 200, "{stream} lost: {}", r.text);
    }
    hub.stop();
}

#[test]
fn bounded_load_on_sqlite() {
    load("sqlite", Hub::start(&["--no-seed"]));
}

fn postgres_url() -> Option<String> {
    let url = std::env::var("HAAT_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let reachable = std::net::TcpStream::connect_timeout(
        &url.split('@')
            .nth(1)
            .and_then(|h| h.split('/').next())
            .and_then(|h| h.parse().ok())
            .unwrap_or_else(|| "127.0.0.1:5432".parse().unwrap()),
        Duration::from_secs(2),
    )
    .is_ok();
    if reachable {
        return Some(url);
    }
    assert!(
        std::env::var("HAAT_REQUIRE_POSTGRES").as_deref() != Ok("1"),
        "HAAT_REQUIRE_POSTGRES=1 but no PostgreSQL at {url}"
    );
    eprintln!("skipped: no PostgreSQL at {url} (set HAAT_TEST_POSTGRES)");
    None
}

#[test]
fn bounded_load_on_postgres() {
    let Some(url) = postgres_url() else { return };
    let schema = format!("hub_load_{}", std::process::id());
    load(
        "postgres",
        Hub::start_with(
            binary(false),
            &["--postgres", &url, "--schema", &schema, "--no-seed"],
        ),
    );
    // The test's schema is its own: drop it.
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    client
        .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
        .unwrap();
}

/// `kill -9` while clients check out: every acknowledged order is there after a restart,
/// each key retried answers its first order, and no unit is sold twice. On both backends.
#[test]
fn kill_under_load_loses_nothing_acknowledged_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.db");
    let db = db.to_str().unwrap().to_owned();
    kill_under_load("sqlite", &["--store", &db, "--no-seed"]);
}

#[test]
fn kill_under_load_loses_nothing_acknowledged_on_postgres() {
    let Some(url) = postgres_url() else { return };
    let schema = format!("hub_crash_{}", std::process::id());
    kill_under_load(
        "postgres",
        &["--postgres", &url, "--schema", &schema, "--no-seed"],
    );
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    client
        .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
        .unwrap();
}

fn kill_under_load(label: &str, args: &[&str]) {
    let mut hub = Hub::start(args);
    let (key, seller, listing) = shop(&mut hub, 2);
    let addr = hub.addr.clone();
    let acked = Arc::new(Mutex::new(Vec::<(String, String)>::new()));
    let sent = Arc::new(Mutex::new(Vec::<String>::new()));
    let threads: Vec<_> = (0..4)
        .map(|c| {
            let (addr, acked, sent) = (addr.clone(), Arc::clone(&acked), Arc::clone(&sent));
            std::thread::spawn(move || {
                for k in 0..40 {
                    let idem = format!("crash-{c}-{k}");
                    sent.lock().unwrap().push(idem.clone());
                    match checkout(&addr, listing, (c * 100 + k) as u64, &idem) {
                        Some(a) if a["status"] == 201 => {
                            acked
                                .lock()
                                .unwrap()
                                .push((idem, a["body"]["stream"].as_str().unwrap().to_owned()));
                        }
                        Some(_) => {}
                        None => return,
                    }
                }
            })
        })
        .collect();
    // Kill once some orders are acknowledged, while the clients are still sending.
    while acked.lock().unwrap().len() < 20 {
        std::thread::sleep(Duration::from_millis(5));
    }
    hub.kill();
    for t in threads {
        t.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    let sent = sent.lock().unwrap().clone();
    let hub = Hub::start(args);
    // Every acknowledged order is there, and its key answers the same order.
    for (idem, stream) in &acked {
        let again = checkout(&hub.addr, listing, 0, idem).unwrap();
        assert_eq!(
            again["body"]["stream"].as_str(),
            Some(stream.as_str()),
            "{idem}: {again}"
        );
        assert_eq!(again["body"]["replayed"], true, "{idem} placed twice");
    }
    // Each key sent, retried, answers one order or a refusal; the orders and the ledger agree.
    let mut orders = BTreeSet::new();
    for idem in &sent {
        let answer = checkout(&hub.addr, listing, 0, idem).unwrap();
        if answer["status"] == 201 || answer["status"] == 200 {
            assert!(
                orders.insert(answer["body"]["stream"].as_str().unwrap().to_owned()),
                "{idem}: one order per key"
            );
        }
    }
    assert!(orders.len() as u64 <= STOCK, "oversold");
    assert!(
        available(&hub.addr, &key, seller) <= STOCK - orders.len() as u64,
        "stock taken for every order"
    );
    println!(
        "{label}: kill -9 under load: {} acknowledged before the kill, {} orders after retrying every key",
        acked.len(),
        orders.len()
    );
    hub.stop();
}
