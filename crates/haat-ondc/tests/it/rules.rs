//! The checks every exported catalogue passes: ONDC's retail `on_search` JSON Schema, strictly
//! (draft-07, formats asserted, no unknown format let through), and the item rules ONDC's
//! validator applies in code, read from `ret12-fashion-attributes.json`. Both files are copies
//! of `tests/data/` (see its README).

// Helpers shared by the tests: they may fail loudly, as the tests themselves do.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

use haat_core::Money;
use jsonschema::Validator;
use serde_json::{Value, json};

const SCHEMA: &str = include_str!("../data/retail-on_search.schema.json");
const RULES: &str = include_str!("../data/ret12-fashion-attributes.json");
const EXAMPLE: &str = include_str!("../data/example-on_search-RET12-minimal.json");

/// `url` as ajv-formats checks it, in substance: an http, https or ftp URL with a host and no
/// whitespace.
fn is_url(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once("://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    matches!(
        scheme.to_ascii_lowercase().as_str(),
        "http" | "https" | "ftp"
    ) && !host.is_empty()
        && !text.chars().any(char::is_whitespace)
}

/// `duration` as ajv-formats checks it: `P` then years, months, days, and a time part, or
/// weeks; at least one part.
fn is_duration(text: &str) -> bool {
    let Some(rest) = text.strip_prefix('P') else {
        return false;
    };
    if rest.is_empty() {
        return false;
    }
    if let Some(weeks) = rest.strip_suffix('W') {
        return !weeks.is_empty() && weeks.bytes().all(|b| b.is_ascii_digit());
    }
    let (date, time) = match rest.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (rest, None),
    };
    let parts_ok = |part: &str, units: &[u8]| {
        let mut digits = 0;
        let mut last = 0;
        for b in part.bytes() {
            if b.is_ascii_digit() {
                digits += 1;
            } else {
                let Some(at) = units.iter().position(|&u| u == b) else {
                    return false;
                };
                if digits == 0 || at < last {
                    return false;
                }
                last = at + 1;
                digits = 0;
            }
        }
        digits == 0
    };
    parts_ok(date, b"YMD") && time.is_none_or(|t| !t.is_empty() && parts_ok(t, b"HMS"))
}

/// `rfc3339-date-time` as ONDC's validator defines it: exactly what JavaScript's
/// `Date.toISOString()` writes.
fn is_iso_string(text: &str) -> bool {
    let b = text.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    b.len() == 24
        && [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22]
            .iter()
            .all(|&i| digit(i))
        && (b[4], b[7], b[10], b[13], b[16], b[19], b[23])
            == (b'-', b'-', b'T', b':', b':', b'.', b'Z')
        && chrono::DateTime::parse_from_rfc3339(text).is_ok()
}

fn validator() -> &'static Validator {
    static VALIDATOR: OnceLock<Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let schema: Value = serde_json::from_str(SCHEMA).unwrap();
        jsonschema::draft7::options()
            .should_validate_formats(true)
            .should_ignore_unknown_formats(false)
            .with_format("url", is_url)
            .with_format("duration", is_duration)
            .with_format("rfc3339-date-time", is_iso_string)
            .build(&schema)
            .unwrap()
    })
}

fn rules() -> &'static Value {
    static RULES_JSON: OnceLock<Value> = OnceLock::new();
    RULES_JSON.get_or_init(|| serde_json::from_str(RULES).unwrap())
}

/// Whether the whole of `text` matches `pattern` (an ECMA-262 regex, as the rules file writes
/// them), checked by the schema crate's own regex engine.
fn matches(pattern: &str, text: &str) -> bool {
    thread_local! {
        static COMPILED: RefCell<HashMap<String, Validator>> = RefCell::new(HashMap::new());
    }
    COMPILED.with(|compiled| {
        let mut compiled = compiled.borrow_mut();
        let validator = compiled.entry(pattern.to_owned()).or_insert_with(|| {
            let schema = json!({"type": "string", "pattern": pattern});
            jsonschema::draft7::new(&schema).unwrap()
        });
        validator.is_valid(&json!(text))
    })
}

/// Every schema error of `message`, as `path: error`.
pub fn schema_errors(message: &Value) -> Vec<String> {
    validator()
        .iter_errors(message)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// Whether `value` is one `allowed` admits: `{"enum": NAME}`, `{"in": [...]}` or
/// `{"pattern": REGEX}`.
fn admits(allowed: &Value, value: &str) -> bool {
    if let Some(name) = allowed["enum"].as_str() {
        let list = rules()["enums"][name].as_array().unwrap();
        list.iter().any(|v| v == value)
    } else if let Some(list) = allowed["in"].as_array() {
        list.iter().any(|v| v == value)
    } else if let Some(pattern) = allowed["pattern"].as_str() {
        matches(pattern, value)
    } else {
        panic!("an allowed-values entry the test does not know: {allowed}")
    }
}

fn tag<'a>(item: &'a Value, code: &str) -> Vec<&'a Value> {
    item["tags"]
        .as_array()
        .map(|tags| tags.iter().filter(|t| t["code"] == code).collect())
        .unwrap_or_default()
}

/// Every breach of ONDC's item rules in `message`, as `item id: problem`.
pub fn rule_problems(message: &Value) -> Vec<String> {
    let rules = rules();
    let mut problems = Vec::new();
    let context = &message["context"];
    let domain = context["domain"].as_str().unwrap_or("");
    let now = context["timestamp"].as_str().unwrap_or("");
    let stamp = rules["item_rules"]["timestamp"]["pattern"]
        .as_str()
        .unwrap();
    if !matches(stamp, now) {
        problems.push(format!("context: timestamp {now}"));
    }
    if context["transaction_id"] == context["message_id"] {
        problems.push("context: transaction_id equals message_id".into());
    }
    let table = &rules["domains"][domain];
    let code_pattern = table["descriptor_code"]["pattern"].as_str().unwrap();
    let providers = message["message"]["catalog"]["bpp/providers"]
        .as_array()
        .unwrap();
    for provider in providers {
        for item in provider["items"].as_array().unwrap() {
            let id = item["id"].as_str().unwrap_or("?");
            let mut problem = |what: String| problems.push(format!("item {id}: {what}"));
            let category = item["category_id"].as_str().unwrap_or("");
            let Some(rule) = table["categories"].get(category) else {
                problem(format!(
                    "category {category:?} has no attribute table in {domain}"
                ));
                continue;
            };
            if rule["schema_rejects"] == true {
                problem(format!("category {category:?} is not in the schema's list"));
            }
            let code = item["descriptor"]["code"].as_str().unwrap_or("");
            if !matches(code_pattern, code) {
                problem(format!(
                    "descriptor.code {code:?} is not of {domain}'s form"
                ));
            }
            let time = item["time"]["timestamp"].as_str().unwrap_or("");
            if !matches(stamp, time) || time > now {
                problem(format!("time {time} (context {now})"));
            }
            // The origin tag.
            match tag(item, "origin").as_slice() {
                [origin] => {
                    let list = origin["list"].as_array().unwrap();
                    let ok = list.len() == 1
                        && list[0]["code"] == "country"
                        && matches("^[A-Z]{3}$", list[0]["value"].as_str().unwrap_or(""));
                    if !ok {
                        problem(format!("origin {origin}"));
                    }
                }
                other => problem(format!("{} origin tags", other.len())),
            }
            // The attribute tag: the mandatory codes, no code the category lacks, values from
            // their lists.
            let attribute_tags = tag(item, "attribute");
            let [attributes] = attribute_tags.as_slice() else {
                problem(format!("{} attribute tags", attribute_tags.len()));
                continue;
            };
            let list = attributes["list"].as_array().unwrap();
            let known = |code: &str| {
                ["mandatory", "optional"].iter().any(|k| {
                    rule[*k]
                        .as_array()
                        .is_some_and(|l| l.iter().any(|c| c == code))
                })
            };
            for mandatory in rule["mandatory"].as_array().unwrap() {
                if !list.iter().any(|e| e["code"] == *mandatory) {
                    problem(format!("mandatory attribute {mandatory} missing"));
                }
            }
            for entry in list {
                let code = entry["code"].as_str().unwrap_or("");
                let value = entry["value"].as_str().unwrap_or("");
                if !known(code) {
                    problem(format!("attribute {code:?} is not one of {category:?}'s"));
                    continue;
                }
                let allowed = rule["values"]
                    .get(code)
                    .or_else(|| table["attribute_values"].get(code));
                if let Some(allowed) = allowed
                    && !admits(allowed, value)
                {
                    problem(format!("attribute {code} = {value:?} is not allowed"));
                }
            }
            // The @ondc/org fields.
            for field in [
                "returnable",
                "cancellable",
                "seller_pickup_return",
                "available_on_cod",
            ] {
                if !item[format!("@ondc/org/{field}")].is_boolean() {
                    problem(format!("@ondc/org/{field} is not a boolean"));
                }
            }
            for field in ["return_window", "time_to_ship"] {
                let value = item[format!("@ondc/org/{field}")].as_str().unwrap_or("");
                if !is_duration(value) {
                    problem(format!("@ondc/org/{field} {value:?} is not a duration"));
                }
            }
            let care = item["@ondc/org/contact_details_consumer_care"]
                .as_str()
                .unwrap_or("");
            let parts: Vec<&str> = care.split(',').collect();
            let phone_ok = parts.get(2).is_some_and(|p| {
                matches!(p.len(), 10 | 11) && p.bytes().all(|b| b.is_ascii_digit())
            });
            if parts.len() != 3 || !phone_ok {
                problem(format!("consumer care {care:?}"));
            }
            // Price and quantity.
            let price: Money = item["price"]["value"]
                .as_str()
                .unwrap_or("")
                .parse()
                .unwrap();
            let mrp: Money = item["price"]["maximum_value"]
                .as_str()
                .unwrap_or("")
                .parse()
                .unwrap();
            if price > mrp {
                problem(format!("price {price} above MRP {mrp}"));
            }
            let available = item["quantity"]["available"]["count"]
                .as_str()
                .unwrap_or("");
            let maximum = item["quantity"]["maximum"]["count"].as_str().unwrap_or("");
            let whole = !maximum.is_empty() && maximum.bytes().all(|b| b.is_ascii_digit());
            if !matches!(available, "99" | "0") || !whole || (available == "99" && maximum == "0") {
                problem(format!(
                    "quantity available {available:?}, maximum {maximum:?}"
                ));
            }
        }
    }
    problems
}

/// Asserts `message` passes the schema and the item rules, listing what fails.
#[track_caller]
pub fn check_catalogue(message: &Value) {
    let errors = schema_errors(message);
    assert!(errors.is_empty(), "schema errors:\n{}", errors.join("\n"));
    let problems = rule_problems(message);
    assert!(
        problems.is_empty(),
        "rule breaches:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_reference_example_passes_both_checks() {
    check_catalogue(&serde_json::from_str(EXAMPLE).unwrap());
}

#[test]
fn the_checks_catch_what_ondc_refuses() {
    let example: Value = serde_json::from_str(EXAMPLE).unwrap();
    // Without its terms the seller app's descriptor fails the schema.
    let mut no_terms = example.clone();
    no_terms["message"]["catalog"]["bpp/descriptor"]
        .as_object_mut()
        .unwrap()
        .remove("tags");
    assert!(!schema_errors(&no_terms).is_empty());
    // A timestamp without milliseconds fails the format.
    let mut seconds = example.clone();
    seconds["context"]["timestamp"] = json!("2023-06-03T08:00:30Z");
    assert!(!schema_errors(&seconds).is_empty());
    // A colour by name, a missing brand, an HSN code in RET16's place: the rules catch them.
    let item =
        |m: &mut Value| -> Value { m["message"]["catalog"]["bpp/providers"][0]["items"][0].take() };
    let mut named = example.clone();
    let mut first = item(&mut named);
    first["tags"][1]["list"][1]["value"] = json!("coral");
    named["message"]["catalog"]["bpp/providers"][0]["items"][0] = first;
    assert_eq!(
        rule_problems(&named).len(),
        1,
        "{:?}",
        rule_problems(&named)
    );
    let mut brandless = example.clone();
    let mut first = item(&mut brandless);
    first["tags"][1]["list"].as_array_mut().unwrap().remove(4);
    brandless["message"]["catalog"]["bpp/providers"][0]["items"][0] = first;
    assert_eq!(rule_problems(&brandless).len(), 1);
    let mut home = example.clone();
    home["context"]["domain"] = json!("ONDC:RET16");
    assert!(!rule_problems(&home).is_empty());
}

#[test]
fn format_checks() {
    assert!(
        is_duration("P7D") && is_duration("PT48H") && is_duration("P1DT2H") && is_duration("P2W")
    );
    assert!(!is_duration("P") && !is_duration("7D") && !is_duration("PT") && !is_duration("P1H"));
    assert!(is_iso_string("2025-10-01T05:30:00.000Z"));
    assert!(!is_iso_string("2025-10-01T05:30:00Z") && !is_iso_string("2025-13-01T05:30:00.000Z"));
    assert!(
        is_url("https://a.example.in/x.png") && !is_url("a.example.in") && !is_url("https:// x")
    );
}
