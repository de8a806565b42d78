//! The parsers of haat-catalogue on arbitrary text: HSN codes, GST rates, category paths, net
//! quantities and their units, listing content as JSON (with its attribute values, checked
//! against the default taxonomy's schemas) and search-query text.
#![no_main]

mod common;

use std::sync::LazyLock;

use common::{reprint, round_trip};
use haat_catalogue::{
    AttributeValue, CategoryId, HsnCode, ListingContent, NetQuantity, Percent, QuantityUnit,
    SearchIndex, SearchQuery, Taxonomy, check_listing,
};
use libfuzzer_sys::fuzz_target;

static TAXONOMY: LazyLock<Taxonomy> = LazyLock::new(Taxonomy::west_bengal_default);

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(hsn) = round_trip::<HsnCode>(text) {
        let _ = (
            hsn.chapter(),
            hsn.heading(),
            hsn.len(),
            hsn.starts_with("52"),
        );
        for category in TAXONOMY.categories() {
            let _ = category.allows_hsn(&hsn);
        }
    }
    if let Some(rate) = round_trip::<Percent>(text) {
        let _ = (rate.fraction(), rate.is_zero());
    }
    if let Some(category) = round_trip::<CategoryId>(text) {
        let _ = (category.parent(), category.depth(), category.leaf());
        let _ = category.ancestors().count();
        let _ = TAXONOMY.get(&category);
    }
    let _ = reprint::<NetQuantity>(text);
    if let Ok(unit) = text.parse::<QuantityUnit>() {
        assert_eq!(
            unit.symbol().parse::<QuantityUnit>().ok(),
            Some(unit),
            "{text:?}"
        );
    }
    if let Ok(value) = serde_json::from_str::<AttributeValue>(text) {
        let _ = (value.kind(), value.to_string());
    }
    if let Ok(content) = serde_json::from_str::<ListingContent>(text) {
        let _ = check_listing(&content, &TAXONOMY);
        let json = serde_json::to_string(&content).unwrap_or_else(|e| panic!("{content:?}: {e}"));
        match serde_json::from_str::<ListingContent>(&json) {
            Ok(back) => assert_eq!(back, content, "{text:?} serialised as {json}"),
            Err(e) => panic!("{content:?} serialised as {json}, which does not deserialise: {e}"),
        }
    }
    let _ = SearchIndex::new().search(&SearchQuery::new().text(text));
});
