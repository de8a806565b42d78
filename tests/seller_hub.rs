//! The seller hub over real HTTP on 127.0.0.1: the built example started as a child on an
//! ephemeral port and a fresh SQLite file, every route of its OpenAPI document requested,
//! the document checked against the routes, and the logs checked for personal data.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod hub_client;

use std::collections::BTreeSet;

use hub_client::{Hub, Reply};
use serde_json::{Value, json};

const STAFF: &str = "staff-demo";

fn kyc(pan: &str, gstin: &str, pin: &str) -> Value {
    json!({
        "legal_name": "Bonolota Handloom",
        "pan": pan,
        "gst": {"kind": "registered", "number": gstin},
        "address": {"lines": "12 Tantipara, Shantipur", "pin_code": pin},
        "bank": {"account": "001234567890", "ifsc": "SBIN0000123", "holder_name": "Bonolota Handloom"},
        "email": "bonolota@example.in"
    })
}

fn content(sku: &str) -> Value {
    json!({
        "title": "Handwoven Shantipuri cotton saree, blue and white",
        "description": "Woven on a pit loom in Shantipur, Nadia, with a fine 100-count weft, by Bonolota Handloom.",
        "category": "textiles/sarees/handloom/shantipuri",
        "attributes": {"blouse_piece": true, "fabric": "cotton", "gi_name": "Santipore Saree", "gi_tag": true, "length_m": 5.5},
        "images": ["https://img.example.in/b-1.jpg", "https://img.example.in/b-2.jpg", "https://img.example.in/b-3.jpg"],
        "price": "2150.00", "mrp": "2400.00", "hsn": "5208", "sku": sku
    })
}

#[track_caller]
fn check(reply: &Reply, status: u16) -> &Value {
    assert_eq!(
        reply.status, status,
        "{} {}: {}",
        reply.method, reply.path, reply.text
    );
    &reply.json
}

#[track_caller]
fn check_problem(reply: &Reply, status: u16, field: &str) {
    check(reply, status);
    assert_eq!(
        reply.header("content-type").as_deref(),
        Some("application/problem+json"),
        "{}",
        reply.text
    );
    let fields: Vec<&str> = reply.json["errors"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["field"].as_str()).collect())
        .unwrap_or_default();
    if !field.is_empty() {
        assert!(fields.contains(&field), "want {field} in {}", reply.text);
    }
}

#[test]
fn every_route_over_http() {
    let mut hub = Hub::start(&[]);
    let seeded_key = hub.seller_key(1);

    // Registration, KYC with problems field by field, then a clean one.
    let r = hub.post(
        "/api/sellers",
        None,
        &json!({
            "display_name": "Bonolota Handloom", "mobile": "9830098300", "pin_code": "741404",
            "tags": ["weaver", "woman_led"]
        }),
    );
    let body = check(&r, 201);
    let seller = body["seller"].as_u64().unwrap();
    let key = body["api_key"].as_str().unwrap().to_owned();
    assert!(
        seller > 300,
        "a new id past the scenario's sellers: {seller}"
    );

    // A GSTIN of Karnataka (29) for a place of business in Nadia: the state mismatch, named.
    let r = hub.post(
        &format!("/api/sellers/{seller}/kyc"),
        Some(&key),
        &kyc("ABCPB1234K", &gstin("29", "ABCPB1234K"), "741404"),
    );
    check_problem(&r, 422, "body.gst");
    assert_eq!(r.json["code"], "kyc_problems");
    let r = hub.post(
        &format!("/api/sellers/{seller}/kyc"),
        Some(&key),
        &kyc("ABCPB1234K", &gstin("19", "ABCPB1234K"), "741404"),
    );
    check(&r, 200);
    // A seller cannot verify itself; staff can.
    let r = hub.post_empty(&format!("/api/sellers/{seller}/kyc/verify"), Some(&key));
    check_problem(&r, 403, "");
    assert_eq!(r.json["code"], "forbidden");
    check(
        &hub.post_empty(&format!("/api/sellers/{seller}/kyc/verify"), Some(STAFF)),
        200,
    );
    check(
        &hub.post_empty(&format!("/api/sellers/{seller}/activate"), Some(STAFF)),
        200,
    );
    check(
        &hub.post(
            &format!("/api/sellers/{seller}/programmes"),
            Some(STAFF),
            &json!({"programme": 1}),
        ),
        200,
    );
    let r = hub.get(&format!("/api/sellers/{seller}"), Some(&key));
    assert_eq!(check(&r, 200)["status"], "active");
    assert_eq!(r.json["programmes"], json!([1]));
    check_problem(&hub.get("/api/sellers/1", Some(&key)), 403, "");

    // Another registration whose KYC is rejected.
    let r = hub.post(
        "/api/sellers",
        Some(STAFF),
        &json!({
            "display_name": "Mati Crafts", "mobile": "9830098301", "pin_code": "722101"
        }),
    );
    let other = check(&r, 201)["seller"].as_u64().unwrap();
    let other_key = r.json["api_key"].as_str().unwrap().to_owned();
    check(
        &hub.post(
            &format!("/api/sellers/{other}/kyc"),
            Some(&other_key),
            &kyc("ABCPM1234K", &gstin("19", "ABCPM1234K"), "722101"),
        ),
        200,
    );
    check(
        &hub.post(
            &format!("/api/sellers/{other}/kyc/reject"),
            Some(STAFF),
            &json!({"reasons": [{"kind": "document_illegible"}]}),
        ),
        200,
    );

    // A listing: draft, a price edit, content edit, review, live.
    let r = hub.post(
        "/api/listings",
        Some(&key),
        &json!({"seller": seller, "content": content("BON-BLU-001")}),
    );
    let stream = check(&r, 201)["stream"].as_str().unwrap().to_owned();
    let listing: u64 = stream.trim_start_matches("listing/").parse().unwrap();
    // Another seller's key on this listing: the domain's Forbidden, as 403.
    check_problem(
        &hub.put(
            &format!("/api/listings/{listing}/price"),
            Some(&seeded_key),
            &json!({"price": "10.00"}),
        ),
        403,
        "",
    );
    check_problem(
        &hub.get(&format!("/api/listings/{listing}"), Some(&seeded_key)),
        403,
        "",
    );
    // A draft for another seller is refused too.
    check_problem(
        &hub.post(
            "/api/listings",
            Some(&seeded_key),
            &json!({"seller": seller, "content": content("X-1")}),
        ),
        403,
        "",
    );
    check(
        &hub.put(
            &format!("/api/listings/{listing}/price"),
            Some(&key),
            &json!({"price": "2100.00", "mrp": "2400.00"}),
        ),
        200,
    );
    check(
        &hub.put(
            &format!("/api/listings/{listing}/content"),
            Some(&key),
            &json!({"content": content("BON-BLU-001")}),
        ),
        200,
    );
    check(
        &hub.post_empty(&format!("/api/listings/{listing}/submit"), Some(&key)),
        200,
    );
    check(
        &hub.post(
            &format!("/api/listings/{listing}/review"),
            Some(STAFF),
            &json!({"pass": true}),
        ),
        200,
    );
    check(
        &hub.post_empty(&format!("/api/listings/{listing}/activate"), Some(&key)),
        200,
    );
    let r = hub.get(&format!("/api/listings/{listing}"), Some(&key));
    assert_eq!(check(&r, 200)["status"], "active");

    // Bulk import: one good row, one with a bad price, each answered.
    let csv = "sku,title,description,category,hsn,price,mrp,images,attr.fabric,attr.length_m,attr.blouse_piece,attr.gi_tag,attr.gi_name\n\
BON-IMP-001,\"Handwoven Shantipuri saree, green with red border\",\"Woven on a pit loom in Shantipur by Bonolota Handloom; cotton, 5.5 m.\",textiles/sarees/handloom/shantipuri,5208,1850,1950,https://img.example.in/i-1.jpg|https://img.example.in/i-2.jpg|https://img.example.in/i-3.jpg,cotton,5.5,yes,yes,Santipore Saree\n\
BON-IMP-002,\"Handwoven Shantipuri saree, black\",\"Woven on a pit loom in Shantipur by Bonolota Handloom; cotton, 5.5 m.\",textiles/sarees/handloom/shantipuri,5208,not-a-price,1950,https://img.example.in/j-1.jpg,cotton,5.5,yes,yes,Santipore Saree\n";
    let r = hub.post_text(
        &format!("/api/sellers/{seller}/listings/import?format=csv"),
        Some(&key),
        csv,
    );
    let report = check(&r, 200);
    assert_eq!(report["rows"], 2, "{}", r.text);
    assert_eq!(report["created"], 1, "{}", r.text);
    assert_eq!(report["report"][0]["result"], "created", "{}", r.text);
    assert_eq!(report["report"][1]["result"], "refused", "{}", r.text);
    assert!(
        report["report"][1]["errors"][0]["field"]
            .as_str()
            .unwrap()
            .contains("price"),
        "{}",
        r.text
    );

    // Stock received, then seen.
    check(&hub.post(&format!("/api/sellers/{seller}/stock"), Some(&key),
        &json!({"sku": "BON-BLU-001", "location": 2001, "quantity": 5, "purchase_order": "PO-1"})), 200);
    let available = |hub: &mut Hub| -> u64 {
        let r = hub.get(&format!("/api/sellers/{seller}/stock"), Some(&key));
        check(&r, 200)
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["sku"] == "BON-BLU-001")
            .map(|c| c["available"].as_u64().unwrap())
            .unwrap()
    };
    assert_eq!(available(&mut hub), 5);
    check_problem(
        &hub.get(&format!("/api/sellers/{seller}/stock"), Some(&seeded_key)),
        403,
        "",
    );

    // Checkout retried with the same Idempotency-Key: one order, stock taken once.
    let cart =
        json!({"buyer": 77, "pin_code": "700001", "lines": [{"listing": listing, "quantity": 2}]});
    let first = hub.post_keyed("/api/orders", Some(STAFF), &cart, "checkout-77-1");
    let order_stream = check(&first, 201)["stream"].as_str().unwrap().to_owned();
    assert_eq!(first.json["replayed"], false);
    let again = hub.post_keyed("/api/orders", Some(STAFF), &cart, "checkout-77-1");
    assert!(again.status == 200 || again.status == 201, "{}", again.text);
    assert_eq!(again.json["stream"], order_stream.as_str());
    assert_eq!(again.json["replayed"], true);
    assert_eq!(available(&mut hub), 3, "two units reserved once");
    // The same key on another route is another request: it keys its own outcome.
    let r = hub.post_keyed(
        "/api/sellers",
        None,
        &json!({"display_name": "Key Reuse House", "mobile": "9830098303", "pin_code": "741404"}),
        "checkout-77-1",
    );
    assert!(
        check(&r, 201)["outcome"]["stream"]
            .as_str()
            .unwrap()
            .starts_with("seller/")
    );
    check_problem(&hub.post("/api/orders", Some(&key), &cart), 403, "");
    let order: u64 = order_stream.trim_start_matches("order/").parse().unwrap();
    let r = hub.get(&format!("/api/orders/{order}"), Some(&key));
    assert_eq!(check(&r, 200)["seller"], seller);
    check_problem(
        &hub.get(&format!("/api/orders/{order}"), Some(&seeded_key)),
        403,
        "",
    );
    for step in ["pack", "dispatch"] {
        check(
            &hub.post_empty(&format!("/api/orders/{order}/{step}"), Some(&key)),
            200,
        );
    }
    // The courier's delivery is recorded by the marketplace, not the seller.
    check_problem(
        &hub.post_empty(&format!("/api/orders/{order}/deliver"), Some(&key)),
        403,
        "",
    );
    check(
        &hub.post_empty(&format!("/api/orders/{order}/deliver"), Some(STAFF)),
        200,
    );
    // The invoice: issued once by the seller, numbered in its series, read back.
    let r = hub.post_empty(&format!("/api/orders/{order}/invoice"), Some(&key));
    assert_eq!(check(&r, 200)["stream"], format!("invoices/{seller}"));
    check_problem(
        &hub.post_empty(&format!("/api/orders/{order}/invoice"), Some(&key)),
        409,
        "",
    );
    let r = hub.get(&format!("/api/orders/{order}/invoice"), Some(&key));
    assert_eq!(check(&r, 200)["order"], order);
    assert!(r.json["number"].as_str().is_some(), "{}", r.text);
    check_problem(
        &hub.get(&format!("/api/orders/{order}/invoice"), Some(&seeded_key)),
        403,
        "",
    );
    check(
        &hub.post(
            &format!("/api/orders/{order}/returns"),
            Some(STAFF),
            &json!({"lines": [{"line": 0, "quantity": 1, "bucket": "sellable"}]}),
        ),
        200,
    );
    // A second order, cancelled by the buyer; one more returned to origin.
    let r = hub.post(
        "/api/orders",
        Some(STAFF),
        &json!({"buyer": 78, "pin_code": "700001", "lines": [{"listing": listing, "quantity": 1}]}),
    );
    let second = check(&r, 201)["stream"]
        .as_str()
        .unwrap()
        .trim_start_matches("order/")
        .to_owned();
    check(
        &hub.post(
            &format!("/api/orders/{second}/cancel"),
            Some(STAFF),
            &json!({"cancelled_by": "buyer"}),
        ),
        200,
    );
    check_problem(
        &hub.post_empty(&format!("/api/orders/{second}/teleport"), Some(STAFF)),
        400,
        "path.step",
    );
    let r = hub.post(
        "/api/orders",
        Some(STAFF),
        &json!({"buyer": 79, "pin_code": "700001", "lines": [{"listing": listing, "quantity": 1}]}),
    );
    let third = check(&r, 201)["stream"]
        .as_str()
        .unwrap()
        .trim_start_matches("order/")
        .to_owned();
    check(
        &hub.post_empty(&format!("/api/orders/{third}/pack"), Some(&key)),
        200,
    );
    check(
        &hub.post_empty(&format!("/api/orders/{third}/dispatch"), Some(&key)),
        200,
    );
    check(
        &hub.post_empty(
            &format!("/api/orders/{third}/return_to_origin"),
            Some(STAFF),
        ),
        200,
    );
    // More than is left: refused, nothing oversold.
    let r = hub.post("/api/orders", Some(STAFF), &json!({"buyer": 80, "pin_code": "700001", "lines": [{"listing": listing, "quantity": 50}]}));
    assert!(r.status == 409 || r.status == 422, "{}", r.text);

    // The scenario's seller 2 (the Barasat home store): its settlement up to the end of
    // FY2025-26, drawn from its delivered orders.
    let barasat = hub.seller_key(2);
    let r = hub.get("/api/sellers/2/settlement?until=2026-03-31", Some(&barasat));
    let statements = check(&r, 200).as_array().unwrap();
    assert_eq!(statements.len(), 1, "{}", r.text);
    assert!(
        !statements[0]["entries"].as_array().unwrap().is_empty(),
        "{}",
        r.text
    );
    assert!(statements[0]["net"].as_str().is_some(), "{}", r.text);
    check_problem(
        &hub.get("/api/sellers/2/settlement?until=31-03-2026", Some(&barasat)),
        400,
        "query.until",
    );
    check_problem(&hub.get("/api/sellers/2/settlement", Some(&key)), 403, "");

    // Workshops: scheduled, attended, an attendee linked to a seller.
    let r = hub.post(
        "/api/workshops",
        Some(STAFF),
        &json!({
            "pin_code": "741101", "venue": "Krishnanagar town hall", "date": "2026-01-15",
            "partner": "textiles", "capacity": 30
        }),
    );
    let workshop = check(&r, 201)["stream"]
        .as_str()
        .unwrap()
        .trim_start_matches("workshop/")
        .to_owned();
    check(
        &hub.post(
            &format!("/api/workshops/{workshop}/attendance"),
            Some(STAFF),
            &json!({"attendee": 1, "name": "Rina Das"}),
        ),
        200,
    );
    check(
        &hub.post(
            &format!("/api/workshops/{workshop}/links"),
            Some(STAFF),
            &json!({"attendee": 1, "seller": seller}),
        ),
        200,
    );
    check_problem(&hub.post("/api/workshops", Some(&key), &json!({
        "pin_code": "741101", "venue": "x", "date": "2026-01-15", "partner": "textiles", "capacity": 30
    })), 403, "");

    // Search finds the live listing.
    let r = hub.get(&format!("/api/search?q=saree&seller={seller}"), None);
    let hits = check(&r, 200);
    assert!(
        hits["hits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["listing"] == listing),
        "{}",
        r.text
    );
    check_problem(
        &hub.get("/api/search?seller=abc", None),
        400,
        "query.seller",
    );

    // Bad JSON, bad fields and bad identifiers: 400 naming the field and the reason.
    let r = hub.post_raw("/api/sellers", None, "{\"display_name\": ");
    check_problem(&r, 400, "body.display_name");
    assert!(
        r.json["detail"].as_str().unwrap().contains("EOF"),
        "{}",
        r.text
    );
    let r = hub.post_raw("/api/sellers", None, "not json");
    check_problem(&r, 400, "body");
    let r = hub.post(
        "/api/sellers",
        None,
        &json!({"display_name": "A", "mobile": "12", "pin_code": "741404"}),
    );
    check_problem(&r, 400, "body.mobile");
    let r = hub.post(
        "/api/sellers",
        None,
        &json!({"display_name": "A", "mobile": "9830098300"}),
    );
    check_problem(&r, 400, "body");
    assert!(
        r.json["detail"].as_str().unwrap().contains("pin_code"),
        "{}",
        r.text
    );
    check_problem(
        &hub.get("/api/sellers/forty-two", Some(STAFF)),
        400,
        "path.seller",
    );
    check_problem(
        &hub.get("/api/listings/-1", Some(STAFF)),
        400,
        "path.listing",
    );
    check_problem(&hub.get("/api/orders/1x", Some(STAFF)), 400, "path.order");
    check_problem(
        &hub.post_keyed("/api/orders", Some(STAFF), &cart, &"k".repeat(600)),
        400,
        "header.idempotency-key",
    );
    let r = hub.get("/api/sellers/1", None);
    assert_eq!(r.status, 401, "{}", r.text);
    let r = hub.get("/api/sellers/1", Some("seller-1-0000000000000000"));
    assert_eq!(r.status, 401, "a forged key: {}", r.text);

    // The OpenAPI document names exactly the routes the test requested.
    let r = hub.get("/api-docs/openapi.json", None);
    let doc = check(&r, 200).clone();
    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .filter(|m| ["get", "post", "put", "delete", "patch"].contains(&m.as_str()))
                .map(move |m| (m.to_uppercase(), path.clone()))
        })
        .collect();
    let requested = hub.requested_templates(&documented);
    let undocumented = hub.undocumented(&documented);
    assert!(
        undocumented.is_empty(),
        "requests the document does not describe: {undocumented:?}"
    );
    let missing: Vec<_> = documented.difference(&requested).collect();
    assert!(
        missing.is_empty(),
        "documented routes no test requested: {missing:?}"
    );
    assert!(documented.len() >= 24, "{documented:?}");
    let r = hub.get("/docs/", None);
    assert_eq!(r.status, 200);
    assert!(r.text.contains("swagger"), "the vendored UI is served");

    // The dashboard (the browser test looks at it closely).
    let r = hub.get("/dashboard?lang=bn&fy=FY2025-26", None);
    assert_eq!(r.status, 200);
    assert!(r.text.contains("<svg"));
    check_problem(&hub.get("/dashboard?fy=2025", None), 400, "query.fy");

    // Shutdown on SIGTERM, cleanly; and no personal data in any log line.
    let logs = hub.stop();
    assert!(logs.contains("req-1"), "request ids in the logs");
    for secret in [
        "ABCPB1234K",
        "9830098300",
        "001234567890",
        "Rina Das",
        "bonolota@example.in",
    ] {
        assert!(!logs.contains(secret), "{secret} leaked into the logs");
    }
}

/// A GSTIN for `pan` in state `state`, with its check character.
fn gstin(state: &str, pan: &str) -> String {
    let first14 = format!("{state}{pan}1Z");
    let c = haat::seller::gstin_check_character(&first14).unwrap();
    format!("{first14}{c}")
}

#[test]
fn restart_keeps_everything_and_does_not_seed_again() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hub.db");
    hub_client::seeded_store(&db);
    let db = db.to_str().unwrap();
    let mut hub = Hub::start(&["--store", db]);
    let sellers = |page: &str| {
        page.split("id=\"sellers\">")
            .nth(1)
            .and_then(|s| s.split('<').next())
            .map(str::to_owned)
    };
    // Without `fy` the dashboard shows the year of the last order placed: the scenario's
    // latest, FY2025-26.
    let before = hub.get("/dashboard?lang=en", None).text;
    assert!(before.contains("id=\"fy\">FY2025-26<"), "{before}");
    assert_eq!(sellers(&before), Some("300".into()));
    let r = hub.post(
        "/api/sellers",
        None,
        &json!({"display_name": "Restart House", "mobile": "9830098302", "pin_code": "741404"}),
    );
    let seller = check(&r, 201)["seller"].as_u64().unwrap();
    let at: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(r.json["outcome"]["events"][0]["at"].clone()).unwrap();
    let year = haat::core::FinancialYear::containing(at);
    hub.stop();
    let mut hub = Hub::start(&["--store", db]);
    assert!(
        !hub.lines
            .lock()
            .unwrap()
            .iter()
            .any(|l| l.starts_with("seeded")),
        "a store with events is not seeded again"
    );
    let r = hub.get(&format!("/api/sellers/{seller}"), Some(STAFF));
    assert_eq!(check(&r, 200)["display_name"], "Restart House");
    let after = hub.get("/dashboard?lang=en", None).text;
    assert_eq!(sellers(&after), Some("300".into()), "the scenario, once");
    let now = hub.get(&format!("/dashboard?lang=en&fy={year}"), None).text;
    assert_eq!(
        sellers(&now),
        Some("301".into()),
        "the new seller counted in its year"
    );
    hub.stop();
}

/// The text of the element with `id`.
fn text_of(page: &str, id: &str) -> String {
    let start = page
        .find(&format!("id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no #{id} in the page"));
    let rest = &page[start + id.len() + 6..];
    rest[..rest.find('<').unwrap()].to_owned()
}

/// The cells of the data rows (not the heading) of the table with `id`.
fn rows(page: &str, id: &str) -> Vec<Vec<String>> {
    let start = page
        .find(&format!("<table id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no table #{id} in the page"));
    let table = &page[start..];
    let table = &table[..table.find("</table>").unwrap()];
    table
        .split("<tr>")
        .skip(1)
        .filter(|row| !row.starts_with("<th"))
        .map(|row| {
            row.split("<td>")
                .skip(1)
                .map(|cell| cell[..cell.find("</td>").unwrap()].to_owned())
                .collect()
        })
        .collect()
}

/// An empty store is seeded with the small West Bengal scenario, so the dashboard of the
/// scenario's latest year is `haat_sim::run(&ScenarioConfig::small(), ..).report()`: every
/// number the page shows is that report's, in English and in Bengali, the chart included.
#[test]
fn the_dashboard_is_the_small_scenarios_report() {
    use haat::core::{CompactStyle, Decimal, Locale, Money};
    use haat::metrics::FunnelStep;

    let outcome = haat_sim::run(&haat_sim::ScenarioConfig::small(), &mut |_| {});
    assert_eq!(outcome.counts.unexpected_rejections(), 0);
    let report = outcome.report().unwrap();
    let fy = report.financial_year;
    let mut hub = Hub::start(&[]);
    for (lang, locale, unknown) in [("en", Locale::EnIn, "Unknown"), ("bn", Locale::BnIn, "অজানা")]
    {
        let r = hub.get(&format!("/dashboard?lang={lang}&fy={fy}"), None);
        assert_eq!(r.status, 200, "{}", r.text);
        let page = r.text;
        let int = |n: u64| locale.integer(i64::try_from(n).unwrap());
        let rupees = |m: Money| {
            let value = Decimal::from(m.paise()) / Decimal::from(100);
            format!("₹{}", locale.compact(value, CompactStyle::Short))
        };
        let percent = |p: Option<Decimal>| p.map_or_else(|| "–".to_owned(), |p| locale.percent(p));
        let cards = [
            ("sellers", int(report.sellers.registered_total)),
            ("active", int(report.sellers.active_total)),
            ("registered", int(report.sellers.registered)),
            ("listings", int(report.listings.live)),
            ("orders", int(report.sales.orders)),
            ("gmv", rupees(report.sales.gmv)),
        ];
        for (id, want) in cards {
            assert_eq!(text_of(&page, id), want, "#{id} in {lang}");
        }
        assert!(
            page.contains(&report.chart_svg(locale)),
            "the chart is the report's ({lang})"
        );
        let districts: Vec<Vec<String>> = report
            .districts
            .iter()
            .map(|row| {
                vec![
                    row.district
                        .map_or(unknown, |d| d.name_in(locale))
                        .replace('&', "&amp;"),
                    int(row.sellers),
                    int(row.active_sellers),
                    int(row.live_listings),
                    rupees(row.gmv),
                ]
            })
            .collect();
        assert!(districts.len() > 5, "the scenario spans the state");
        assert_eq!(rows(&page, "districts"), districts, "districts in {lang}");
        // The funnel and the programme rows: the first cell is the page's own label.
        let funnel: Vec<Vec<String>> = FunnelStep::ALL
            .iter()
            .map(|step| {
                let stage = report.funnel.total.stages.iter().find(|s| s.step == *step);
                vec![
                    int(stage.map_or(0, |s| s.count)),
                    percent(stage.and_then(|s| s.conversion_percent)),
                ]
            })
            .collect();
        let shown: Vec<Vec<String>> = rows(&page, "funnel")
            .into_iter()
            .map(|row| row[1..].to_vec())
            .collect();
        assert_eq!(shown, funnel, "the workshop funnel in {lang}");
        let programmes: Vec<Vec<String>> = [&report.programmes.enrolled, &report.programmes.others]
            .iter()
            .map(|cohort| {
                vec![
                    int(cohort.sellers),
                    percent(cohort.activation_percent),
                    rupees(cohort.net_sales),
                    int(cohort.live_listings),
                ]
            })
            .collect();
        let shown: Vec<Vec<String>> = rows(&page, "programmes")
            .into_iter()
            .map(|row| row[1..].to_vec())
            .collect();
        assert_eq!(shown, programmes, "the programme comparison in {lang}");
    }
    hub.stop();
}
