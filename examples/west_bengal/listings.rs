//! Chapter 2: the onboarded sellers list their products.
//!
//! The Nadia saree house imports its 300-row sheet in one call (the bad rows are reported, the
//! good ones become drafts), every draft goes through the automatic checks, operations review
//! and activation; the Ghurni artisan's first Dokra listing fails the checks and is fixed; the
//! Shantipur home weaver and the Barasat trader list one product each.

use chrono::{DateTime, Duration, Utc};
use haat::catalogue::{
    AttributeValue, Catalogue, ImportOptions, ListingCommand, ListingContent, ListingEvent,
    QualityGate, Taxonomy, check_listing, import_csv_with,
};
use haat::core::{Actor, ListingId, Locale, Money, StaffId};

use crate::onboarding::Onboarded;

const REVIEWER: Actor = Actor::Operations(StaffId::new(11));
const NADIA_SHEET: &str = include_str!("../data/nadia_saree_house.csv");
/// The rows of the sheet that are bad on purpose (see `generate_nadia_saree_house.py`).
const DELIBERATELY_BAD_ROWS: [usize; 5] = [17, 58, 133, 201, 262];

/// `first` (a new draft, or an edit of one), then submission, operations' review and
/// activation by the seller: how a listing goes live.
fn publish(
    catalogue: &mut Catalogue,
    log: &mut Vec<ListingEvent>,
    first: ListingCommand,
    now: DateTime<Utc>,
) -> Result<(), Box<dyn std::error::Error>> {
    let (actor, listing) = (first.actor(), first.listing());
    for command in [
        first,
        ListingCommand::SubmitForReview { actor, listing },
        ListingCommand::PassReview {
            actor: REVIEWER,
            listing,
        },
        ListingCommand::Activate { actor, listing },
    ] {
        log.extend(catalogue.execute(&command, now)?);
    }
    Ok(())
}

/// Runs the chapter; returns the catalogue and its events.
pub fn run(
    onboarded: &Onboarded,
) -> Result<(Catalogue, Vec<ListingEvent>), Box<dyn std::error::Error>> {
    println!("\n2. Listings: a sheet imported, reviews, a quality report");
    let mut now = onboarded.ended_at + Duration::hours(1);
    let mut catalogue = Catalogue::new(Taxonomy::west_bengal_default());
    let mut log = Vec::new();
    let mut next_id = 1u64;

    // The saree house imports its sheet, asking for the listing-quality rules (title, images)
    // at upload too, so that every draft it keeps is ready for review.
    let house = onboarded.saree_house;
    let report = import_csv_with(
        NADIA_SHEET.as_bytes(),
        house,
        catalogue.taxonomy(),
        |sku| catalogue.has_sku(house, sku),
        ImportOptions::default().with_quality_gate(QualityGate::Errors),
    )?;
    println!(
        "Nadia saree house imports nadia_saree_house.csv: {}",
        crate::refusals::of_import(&report)
    );
    // The sheet has a few rows damaged on purpose, to show the report; any other refusal means
    // the sheet or the import changed, and the main job fails.
    if report.bad_rows() != DELIBERATELY_BAD_ROWS {
        return Err(format!(
            "the sheet's refused rows are {:?}, not the deliberately bad {DELIBERATELY_BAD_ROWS:?}",
            report.bad_rows()
        )
        .into());
    }
    for error in &report.errors {
        println!(
            "  row {:>3} {:<14} {}",
            error.row, error.column, error.reason
        );
    }
    let seller = Actor::Seller(report.seller);
    for (_, content) in report.drafts {
        let listing = ListingId::new(next_id);
        next_id += 1;
        let draft = ListingCommand::CreateDraft {
            actor: seller,
            listing,
            seller: report.seller,
            content,
        };
        publish(&mut catalogue, &mut log, draft, now)?;
        now += Duration::seconds(5);
    }
    let active = catalogue.listings().filter(|l| l.is_active()).count();
    let value = catalogue
        .listings()
        .filter(|l| l.is_active())
        .try_fold(Money::ZERO, |sum, l| sum.checked_add(l.content().price))
        .unwrap_or(Money::ZERO);
    println!(
        "  {active} listings reviewed and active, worth {} at list price ({})",
        Locale::EnIn.inr(value),
        Locale::BnIn.inr(value)
    );

    // The artisan's first Dokra listing fails the checks, then passes.
    let artisan = onboarded.artisan;
    let me = Actor::Seller(artisan);
    let listing = ListingId::new(next_id);
    let mut attributes = haat::catalogue::Attributes::new();
    attributes.insert("metal".to_owned(), AttributeValue::text("brass"));
    attributes.insert("height_cm".to_owned(), AttributeValue::Number(18.into()));
    attributes.insert("colour".to_owned(), AttributeValue::text("gold"));
    let mut dokra = ListingContent {
        title: "BEST PRICE dokra horse!!".into(),
        description: "Lost-wax cast brass horse from Bikna, Bankura.".into(),
        category: "handicrafts/dokra".parse()?,
        attributes,
        images: vec!["http://img.haat.example/dokra/horse-1.jpg".into()],
        price: Money::from_rupees(1_850),
        mrp: Some(Money::from_rupees(2_100)),
        hsn: "8306".parse()?,
        packaged: None,
        sku: "DOKRA-HORSE-18".parse()?,
    };
    log.extend(catalogue.execute(
        &ListingCommand::CreateDraft {
            actor: me,
            listing,
            seller: artisan,
            content: dokra.clone(),
        },
        now,
    )?);
    log.extend(catalogue.execute(&ListingCommand::SubmitForReview { actor: me, listing }, now)?);
    let first = check_listing(&dokra, catalogue.taxonomy());
    println!("Ghurni artisan's Dokra horse, first try: {first}");
    dokra.title = "Dokra brass horse, lost-wax cast, 18 cm".into();
    dokra.images = (1..=3)
        .map(|i| format!("https://img.haat.example/dokra/horse-{i}.jpg"))
        .collect();
    now += Duration::minutes(20);
    let edit = ListingCommand::EditContent {
        actor: me,
        listing,
        content: dokra.clone(),
    };
    publish(&mut catalogue, &mut log, edit, now)?;
    println!(
        "  fixed and live: {}",
        check_listing(&dokra, catalogue.taxonomy())
    );

    // The home weaver of Shantipur and the Barasat trader list one product each, as JSON from
    // a seller app; chapter 3 stocks and sells them. Each gives what ONDC's buyer apps show
    // too: the colour and, for the trader's bedsheet, the EAN of the barcode on its pack.
    let home_weaver: ListingContent = serde_json::from_str(
        r#"{
            "title": "Shantipur tant saree, white with a red border",
            "description": "Cotton tant woven at home on a frame loom in Shantipur, Nadia.",
            "category": "textiles/sarees/handloom/tant",
            "attributes": {"blouse_piece": false, "fabric": "cotton", "length_m": 5.5,
                           "colour": "white"},
            "images": ["https://img.haat.example/shantipur/tant-1.jpg",
                       "https://img.haat.example/shantipur/tant-2.jpg",
                       "https://img.haat.example/shantipur/tant-3.jpg"],
            "price": "1350.00", "mrp": "1500.00", "hsn": "5208", "sku": "SHANTIPUR-TANT"
        }"#,
    )?;
    let trader: ListingContent = serde_json::from_str(
        r#"{
            "title": "Printed cotton double bedsheet with two pillow covers",
            "description": "Screen-printed cotton, 274 x 228 cm, stocked by a Barasat wholesaler.",
            "category": "home-furnishing/bedsheets",
            "attributes": {"bed_size": "double", "fabric": "cotton", "colour": "blue",
                           "length_cm": 274, "width_cm": 228, "ean": "8906123400272"},
            "images": ["https://img.haat.example/barasat/bedsheet-1.jpg",
                       "https://img.haat.example/barasat/bedsheet-2.jpg",
                       "https://img.haat.example/barasat/bedsheet-3.jpg"],
            "price": "899.00", "mrp": "1199.00", "hsn": "6302", "sku": "BEDSHEET-DBL-2"
        }"#,
    )?;
    for (who, seller, content) in [
        ("Shantipur home weaver", onboarded.home_weaver, home_weaver),
        ("Barasat trader", onboarded.barasat_trader, trader),
    ] {
        next_id += 1; // past the artisan's listing
        let listing = ListingId::new(next_id);
        let title = content.title.clone();
        let draft = ListingCommand::CreateDraft {
            actor: Actor::Seller(seller),
            listing,
            seller,
            content,
        };
        publish(&mut catalogue, &mut log, draft, now)?;
        println!("{who} lists \"{title}\": reviewed and live");
    }
    println!("{} listing events recorded", log.len());
    Ok((catalogue, log))
}
