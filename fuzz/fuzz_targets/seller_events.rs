//! Seller and workshop events deserialised from arbitrary JSON Lines and applied, in order, to
//! a new seller and a new workshop: applying never fails, and the state answers its queries.
#![no_main]

mod common;

use chrono::{TimeZone, Utc};
use common::{from_json_line, lines};
use haat_core::StateCode;
use haat_seller::{Seller, SellerEvent, Workshop, WorkshopEvent};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut seller = Seller::default();
    let mut workshop = Workshop::default();
    for line in lines(text) {
        if let Some(event) = from_json_line::<SellerEvent>(line) {
            seller.apply(&event);
        } else if let Some(event) = from_json_line::<WorkshopEvent>(line) {
            workshop.apply(&event);
        }
    }
    let now = Utc
        .with_ymd_and_hms(2026, 4, 2, 0, 0, 0)
        .single()
        .unwrap_or_default();
    let _ = (
        seller.id(),
        seller.status(),
        seller.is_active(),
        seller.home_state(),
    );
    let _ = (
        seller.supply_scope(),
        seller.workforce_at(now),
        seller.commission_waived(now),
    );
    let _ = (
        seller.active_benefits(now),
        seller.may_supply_to(StateCode::WEST_BENGAL),
    );
    let _ = (
        workshop.id(),
        workshop.status(),
        workshop.district(),
        workshop.capacity(),
    );
    let _ = (workshop.attendee_count(), workshop.sellers_count());
});
