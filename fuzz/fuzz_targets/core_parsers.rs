//! Every `FromStr` of haat-core (amounts, places, periods, locales, identifiers) on arbitrary
//! text, with what callers then do with a parsed value: amounts are counted in paise, added,
//! multiplied and printed in both locales.
#![no_main]

mod common;

use common::round_trip;
use haat_core::{
    Decimal, FinancialYear, FyQuarter, ListingId, Locale, LocationId, Money, Month, OrderId,
    PinCode, ProgrammeId, SellerId, Sku, StaffId, StateCode, WorkshopId,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(amount) = round_trip::<Money>(text) {
        use_amount(amount);
    }
    if let Some(pin) = round_trip::<PinCode>(text) {
        let _ = pin.location();
    }
    let _ = round_trip::<StateCode>(text);
    let _ = StateCode::from_name(text);
    if let Some(fy) = round_trip::<FinancialYear>(text) {
        let _ = (
            fy.start(),
            fy.end(),
            fy.next(),
            fy.previous(),
            fy.quarters(),
        );
    }
    if let Some(month) = round_trip::<Month>(text) {
        let _ = (
            month.start(),
            month.end(),
            month.next(),
            month.previous(),
            month.quarter(),
        );
    }
    if let Some(quarter) = round_trip::<FyQuarter>(text) {
        let _ = (
            quarter.start(),
            quarter.end(),
            quarter.next(),
            quarter.previous(),
        );
    }
    if let Some(locale) = round_trip::<Locale>(text) {
        let _ = locale.digits(text);
    }
    let _ = round_trip::<SellerId>(text);
    let _ = round_trip::<ListingId>(text);
    let _ = round_trip::<LocationId>(text);
    let _ = round_trip::<OrderId>(text);
    let _ = round_trip::<WorkshopId>(text);
    let _ = round_trip::<ProgrammeId>(text);
    let _ = round_trip::<StaffId>(text);
    let _ = round_trip::<Sku>(text);
});

/// What reports and aggregates do with an amount a parser accepted.
fn use_amount(amount: Money) {
    let _ = amount.paise();
    let _ = amount.checked_add(amount);
    let _ = amount.checked_sub(amount);
    let _ = amount.checked_mul(1_000);
    let _ = amount.mul_rounded(Decimal::new(18, 2));
    let _ = Money::checked_sum([amount, amount, amount]);
    for locale in [Locale::EnIn, Locale::BnIn] {
        let _ = locale.inr(amount);
        let _ = locale.number(amount.amount());
        let _ = locale.percent(amount.amount());
    }
}
