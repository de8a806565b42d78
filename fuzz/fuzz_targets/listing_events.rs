//! Listing events deserialised from arbitrary JSON Lines and applied, in order, to a listing,
//! a catalogue and a search index; the first line is then searched for in the index. Applying
//! never fails, and the index answers.
#![no_main]

mod common;

use std::sync::{Arc, LazyLock};

use common::{from_json_line, lines};
use haat_catalogue::{Catalogue, Listing, ListingEvent, SearchIndex, SearchQuery, Taxonomy};
use libfuzzer_sys::fuzz_target;

static TAXONOMY: LazyLock<Arc<Taxonomy>> =
    LazyLock::new(|| Arc::new(Taxonomy::west_bengal_default()));

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut lines = lines(text);
    let query = lines.next().unwrap_or_default();
    let events: Vec<ListingEvent> = lines.filter_map(from_json_line).collect();
    let _ = Listing::replay(&events);
    let mut catalogue = Catalogue::new(Arc::clone(&TAXONOMY));
    let mut index = SearchIndex::new();
    for event in &events {
        catalogue.apply(event);
        index.apply(event);
    }
    let _ = catalogue.listings().count();
    let _ = index.search(&SearchQuery::new().text(query));
    let _ = index.search(&SearchQuery::new().text(query).in_stock_only());
    index.compact();
    let _ = index.search(&SearchQuery::new().text(query));
});
