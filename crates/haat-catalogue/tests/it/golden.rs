//! Golden JSON for every listing event: the stored form must not drift.

use std::path::PathBuf;

use chrono::{TimeZone, Utc};
use haat_catalogue::{ListingEvent, Taxonomy, check_listing};
use haat_core::{Actor, ListingId, Money, SellerId, StaffId};

use crate::quality::{saree, tea};

fn events() -> Vec<ListingEvent> {
    let (listing, seller) = (ListingId::new(101), SellerId::new(7));
    let at = Utc.with_ymd_and_hms(2025, 10, 1, 4, 30, 0).unwrap();
    let me = Actor::Seller(seller);
    let ops = Actor::Operations(StaffId::new(3));
    let taxonomy = Taxonomy::west_bengal_default();
    let mut bad = tea();
    bad.title = "SALE tea!".into();
    bad.mrp = None;
    vec![
        ListingEvent::DraftCreated {
            listing,
            seller,
            actor: me,
            at,
            content: saree(),
        },
        ListingEvent::ContentEdited {
            listing,
            seller,
            actor: me,
            at,
            content: tea(),
        },
        ListingEvent::PriceChanged {
            listing,
            seller,
            actor: me,
            at,
            price: Money::from_rupees(2_300),
            mrp: Some(Money::from_rupees(2_800)),
        },
        ListingEvent::SubmittedForReview {
            listing,
            seller,
            actor: me,
            at,
            report: check_listing(&saree(), &taxonomy),
        },
        ListingEvent::QualityCheckFailed {
            listing,
            seller,
            actor: me,
            at,
            report: check_listing(&bad, &taxonomy),
        },
        ListingEvent::ReviewPassed {
            listing,
            seller,
            actor: ops,
            at,
            content: saree(),
        },
        ListingEvent::ReviewRejected {
            listing,
            seller,
            actor: ops,
            at,
            reasons: vec!["the photos show a different saree".into()],
        },
        ListingEvent::Activated {
            listing,
            seller,
            actor: me,
            at,
        },
        ListingEvent::Deactivated {
            listing,
            seller,
            actor: ops,
            at,
        },
        ListingEvent::Archived {
            listing,
            seller,
            actor: me,
            at,
        },
    ]
}

#[test]
fn every_listing_event_matches_its_golden_file() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/listing");
    let bless = std::env::var_os("HAAT_BLESS").is_some();
    for event in events() {
        let path = dir.join(format!("{}.json", event.kind()));
        let json = serde_json::to_string_pretty(&event).unwrap() + "\n";
        if bless {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &json).unwrap();
        }
        let golden = std::fs::read_to_string(&path).unwrap_or_else(|_| {
            panic!(
                "missing golden file {}; run with HAAT_BLESS=1 to create it",
                path.display()
            )
        });
        assert_eq!(
            json,
            golden,
            "{} changed its JSON form; stored events would no longer load. If intended, rerun with HAAT_BLESS=1",
            event.kind()
        );
        let back: ListingEvent = serde_json::from_str(&golden).unwrap();
        assert_eq!(back, event, "{} does not round-trip", event.kind());
    }
}

/// Events stored before packaged goods declared their importer, month of manufacture, unit
/// sale price and consumer care (and while the country of origin was free text) still load,
/// with those declarations absent, and write back as they were.
#[test]
fn listing_events_stored_before_the_full_declarations_still_load() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/listing/older");
    let golden = std::fs::read_to_string(dir.join("content_edited.json")).unwrap();
    let event: ListingEvent = serde_json::from_str(&golden).unwrap();
    let ListingEvent::ContentEdited { content, .. } = &event else {
        panic!("not a content edit: {event:?}");
    };
    let declarations = content.packaged.as_ref().unwrap();
    assert_eq!(declarations.country_of_origin, "India");
    assert_eq!(declarations.manufactured, None);
    assert_eq!(declarations.unit_sale_price, None);
    assert_eq!(serde_json::to_string_pretty(&event).unwrap() + "\n", golden);
}
