//! A seller app on ONDC answering a buyer app: a `select` and a `confirm`, read from files.
//!
//! ```text
//! cargo run --example ondc_seller -- [select.json] [confirm.json]
//! ```
//!
//! The seller is the Nadia saree house of the small West Bengal scenario (run here, seeded, so
//! its listings and stock are always the same); without arguments the requests are the sample
//! files in `examples/data/ondc/`. Prints the `on_select` and the `on_confirm` as JSON, then
//! confirms again, as a buyer app retrying would, and shows that the retry answers the same
//! order and reserves nothing more. A request that cannot be answered is printed as its error
//! (exit status 1); a file that cannot be read or parsed, exit status 2.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::collections::HashMap;
use std::process::ExitCode;

use haat::catalogue::{Catalogue, GstRateTable, Taxonomy};
use haat::core::{Money, OrderId, SellerId};
use haat::inventory::{Allocator, LedgerEvent, StockLedger};
use haat::orders::{BuyerId, OrderBook};
use haat::seller::{Seller, SellerEvent, SellerStatus};
use haat_ondc::wire_order::OrderCall;
use haat_ondc::{Charges, Checkout, Counter, SellerApp, SellerTerms, Storefront};
use haat_sim::{Event, ScenarioConfig};

const NADIA: &str = "Shantipur Saree House";

fn read_call(path: &str) -> Result<OrderCall, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))
}

/// The seller of a stock event: its key's, or, for the events that carry only an idempotency
/// key, the simulator's convention of the seller's id in the key's high 64 bits.
fn stock_seller(event: &LedgerEvent) -> Option<SellerId> {
    let from_key = |raw: u128| u64::try_from(raw >> 64).ok().map(SellerId::new);
    match event {
        LedgerEvent::CellOpened { key, .. } | LedgerEvent::ReorderPointSet { key, .. } => {
            Some(key.seller())
        }
        LedgerEvent::Moved(movement) => Some(movement.key.seller()),
        LedgerEvent::ReservationPlaced {
            idempotency_key, ..
        }
        | LedgerEvent::OperationRecorded {
            idempotency_key, ..
        } => from_key(idempotency_key.get()),
        _ => None,
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/ondc");
    let select_path = args
        .first()
        .cloned()
        .unwrap_or(format!("{dir}/select.json"));
    let confirm_path = args
        .get(1)
        .cloned()
        .unwrap_or(format!("{dir}/confirm.json"));
    let (select, confirm) = match (read_call(&select_path), read_call(&confirm_path)) {
        (Ok(s), Ok(c)) => (s, c),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };

    // The scenario's world: every listing, and each seller's record and stock ledger.
    eprintln!("running the small West Bengal scenario ...");
    let mut catalogue = Catalogue::new(Taxonomy::west_bengal_default());
    let mut sellers: HashMap<SellerId, Vec<SellerEvent>> = HashMap::new();
    let mut stock: HashMap<SellerId, Vec<LedgerEvent>> = HashMap::new();
    let outcome = haat_sim::run_with_sink(
        &ScenarioConfig::small(),
        &mut |_| {},
        Some(&mut |event| match event {
            Event::Seller(e) => sellers.entry(e.seller()).or_default().push(e.clone()),
            Event::Listing(e) => catalogue.apply(e),
            Event::Stock(e) => {
                if let Some(seller) = stock_seller(e) {
                    stock.entry(seller).or_default().push(e.clone());
                }
            }
            _ => {}
        }),
    );
    let Some(now) = outcome.counts.last_order_at else {
        eprintln!("error: the scenario placed no orders");
        return ExitCode::from(2);
    };
    let Some((id, seller)) = sellers
        .iter()
        .map(|(id, events)| (*id, Seller::replay(events)))
        .find(|(_, s)| s.display_name() == Some(NADIA))
    else {
        eprintln!("error: the scenario has no {NADIA}");
        return ExitCode::from(2);
    };
    let mut ledger = StockLedger::replay(stock.get(&id).map_or(&[][..], Vec::as_slice));
    let storefront = Storefront {
        base_url: "https://sellers.haat.example.in".into(),
    };
    let Some(profile) = haat_ondc::seller_profile(&seller, &storefront, SellerTerms::default())
    else {
        eprintln!("error: {NADIA} was never activated");
        return ExitCode::from(2);
    };
    let app = SellerApp::haat_reference();
    let counter = Counter {
        app: &app,
        seller: &profile,
        status: seller.status().unwrap_or(SellerStatus::Registered),
        catalogue: &catalogue,
        rates: GstRateTable::india(),
        charges: Charges {
            delivery: Money::from_rupees(60),
            packing: Money::from_rupees(20),
        },
    };

    let on_select = match haat_ondc::on_select(&counter, &select, &ledger, now) {
        Ok(answer) => answer,
        Err(e) => {
            eprintln!("select refused: {e}");
            return ExitCode::from(1);
        }
    };
    println!(
        "{}",
        serde_json::to_string_pretty(&on_select).unwrap_or_default()
    );

    let allocator = Allocator::new(&outcome.network);
    let mut book = OrderBook::starting_at(OrderId::new(1));
    let buyer = BuyerId::new(1);
    let confirm_once = |book: &mut OrderBook, ledger: &mut StockLedger| {
        let checkout = Checkout {
            book,
            stock: ledger,
            allocator: &allocator,
            buyer,
        };
        haat_ondc::on_confirm(&counter, checkout, &confirm, now)
    };
    let on_confirm = match confirm_once(&mut book, &mut ledger) {
        Ok(answer) => answer,
        Err(e) => {
            eprintln!("confirm refused: {e}");
            return ExitCode::from(1);
        }
    };
    println!(
        "{}",
        serde_json::to_string_pretty(&on_confirm).unwrap_or_default()
    );
    let levels = ledger.levels();
    match confirm_once(&mut book, &mut ledger) {
        Ok(again) if again == on_confirm && ledger.levels() == levels => {
            eprintln!("a retried confirm answered the same order and reserved nothing more");
            ExitCode::SUCCESS
        }
        other => {
            eprintln!("a retried confirm answered differently: {other:?}");
            ExitCode::from(1)
        }
    }
}
