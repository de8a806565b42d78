//! Stock-ledger events deserialised from arbitrary JSON Lines and applied, in order, to a new
//! ledger: applying never fails, and the ledger's levels, movements and reservations answer.
#![no_main]

mod common;

use chrono::{TimeZone, Utc};
use common::{from_json_line, lines};
use haat_inventory::{LedgerEvent, StockLedger};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let events: Vec<LedgerEvent> = lines(text).filter_map(from_json_line).collect();
    let mut ledger = StockLedger::new();
    for event in &events {
        ledger.apply(event);
    }
    let now = Utc
        .with_ymd_and_hms(2026, 4, 2, 0, 0, 0)
        .single()
        .unwrap_or_default();
    let levels = ledger.levels();
    let movements: Vec<_> = ledger.movements().collect();
    let _ = ledger.reconcile(&StockLedger::rebuild(&movements));
    let _ = (levels.total(), ledger.next_seq(), ledger.signals().len());
    for (key, _) in levels.iter() {
        let _ = ledger.available(key.seller(), key.sku(), key.location(), now);
    }
    let _ = ledger.events().count();
    let _ = StockLedger::replay(&events);
});
