//! The parsers of haat-inventory on arbitrary text: idempotency keys, and stock keys and
//! bucket quantities as JSON (as stored events carry them), with the sums callers take of them.
#![no_main]

mod common;

use common::round_trip;
use haat_inventory::{Bucket, IdempotencyKey, Quantities, StockKey};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(key) = round_trip::<IdempotencyKey>(text) {
        let _ = key.get();
    }
    if let Ok(key) = serde_json::from_str::<StockKey>(text) {
        let _ = (key.seller(), key.sku(), key.location(), key.to_string());
    }
    if let Ok(quantities) = serde_json::from_str::<Quantities>(text) {
        let _ = (quantities.available(), quantities.reserved());
        let _ = (
            quantities.unavailable(),
            quantities.on_hand(),
            quantities.is_empty(),
        );
        for bucket in Bucket::ALL {
            let _ = (quantities.get(bucket), bucket.name());
        }
    }
});
