//! The content rules: description, images, attributes against the category's schema, price
//! and MRP, and the Legal Metrology declarations of packaged goods.

use std::sync::Arc;

use haat_core::{Decimal, Money};

use super::{
    DESCRIPTION_MIN_CHARS, IMAGES_RECOMMENDED, IssueCode, QualityReport,
    SUSPICIOUS_DISCOUNT_PERCENT,
};
use crate::listing::{country_code_for_name, iso_country};
use crate::taxonomy::{NumberText, parse_number_in};
use crate::{
    AttributeSchema, AttributeType, AttributeValue, Category, Declaration, ListingContent,
};

pub(super) fn check_description(description: &str, report: &mut QualityReport) {
    let chars = description.trim().chars().count();
    if chars < DESCRIPTION_MIN_CHARS {
        report.push(
            "description",
            IssueCode::DescriptionShort,
            format!(
                "description has {chars} characters; at least {DESCRIPTION_MIN_CHARS} help buyers decide"
            ),
        );
    }
}

pub(super) fn check_images(images: &[String], warnings: bool, report: &mut QualityReport) {
    if images.is_empty() {
        report.push(
            "images",
            IssueCode::NoImage,
            "a listing needs at least one image".to_owned(),
        );
    } else if warnings && images.len() < IMAGES_RECOMMENDED {
        report.push(
            "images",
            IssueCode::FewImages,
            format!(
                "{} image(s); at least {IMAGES_RECOMMENDED} show the product better",
                images.len()
            ),
        );
    }
    for (i, url) in images.iter().enumerate() {
        if !is_https_url(url) {
            report.push(
                format!("images[{i}]"),
                IssueCode::ImageNotHttps,
                format!(
                    "image URL '{}' is not an https:// address",
                    truncate(url, 80)
                ),
            );
        }
    }
}

fn is_https_url(url: &str) -> bool {
    const SCHEME: &[u8] = b"https://";
    let url = url.as_bytes();
    if url.len() <= SCHEME.len() || !url[..SCHEME.len()].eq_ignore_ascii_case(SCHEME) {
        return false;
    }
    let rest = &url[SCHEME.len()..];
    let host = rest.split(|&b| b == b'/').next().unwrap_or(&[]);
    // Folds without an early exit, which the compiler turns into a few wide compares.
    let host_ok = host.iter().fold(true, |ok, &b| {
        ok & (b.is_ascii_alphanumeric() | (b == b'.') | (b == b'-') | (b == b':'))
    });
    // ASCII whitespace and control characters are exactly the bytes up to a space, and DEL.
    let clean = url
        .iter()
        .fold(true, |ok, &b| ok & (b > b' ') & (b != 0x7F));
    !host.is_empty() && host_ok && clean
}

fn truncate(s: &str, max_chars: usize) -> String {
    match s.char_indices().nth(max_chars) {
        Some((end, _)) => format!("{}…", &s[..end]),
        None => s.to_owned(),
    }
}

pub(super) fn check_attributes(
    content: &ListingContent,
    category: &Category,
    report: &mut QualityReport,
) {
    let schema = category.attributes();
    let names = category.shared_names();
    let mut given = content.attributes.entries().iter().peekable();
    let mut defined = schema.iter().zip(names).peekable();
    loop {
        match (given.peek(), defined.peek()) {
            (None, None) => break,
            (Some((name, _)), None) => {
                unknown_attribute(name, category, report);
                given.next();
            }
            (None, Some(((name, s), _))) => {
                missing_attribute(name, s, report);
                defined.next();
            }
            (Some((gname, value)), Some(((dname, s), shared))) => {
                // A name the import took from this schema is the same text: no comparison.
                let order = if Arc::ptr_eq(gname, shared) {
                    std::cmp::Ordering::Equal
                } else {
                    (**gname).cmp(dname.as_str())
                };
                match order {
                    std::cmp::Ordering::Less => {
                        unknown_attribute(gname, category, report);
                        given.next();
                    }
                    std::cmp::Ordering::Greater => {
                        missing_attribute(dname, s, report);
                        defined.next();
                    }
                    std::cmp::Ordering::Equal => {
                        check_value(gname, value, s, report);
                        given.next();
                        defined.next();
                    }
                }
            }
        }
    }
}

/// How many leaf categories a refusal of a parent category names.
const LEAVES_NAMED: usize = 5;

/// A parent category's HSN families are whole chapters, which only its leaves narrow to codes
/// the GST rate table prices: listings go in leaf categories, as marketplaces place products
/// only in leaf browse nodes.
pub(super) fn not_a_leaf(category: &Category, report: &mut QualityReport) {
    let leaves = category.leaves();
    let mut named = leaves
        .iter()
        .take(LEAVES_NAMED)
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    if leaves.len() > LEAVES_NAMED {
        named.push_str(&format!(" (and {} more)", leaves.len() - LEAVES_NAMED));
    }
    report.push(
        "category",
        IssueCode::CategoryNotLeaf,
        format!(
            "'{}' has subcategories and takes no listings itself; choose a leaf category such as {named}",
            category.id()
        ),
    );
}

fn unknown_attribute(name: &str, category: &Category, report: &mut QualityReport) {
    report.push(
        format!("attributes.{name}"),
        IssueCode::UnknownAttribute,
        format!(
            "'{name}' is not an attribute of '{}'; known: {}",
            category.id(),
            category
                .attributes()
                .iter()
                .map(|(n, _)| n.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    );
}

fn missing_attribute(name: &str, schema: &AttributeSchema, report: &mut QualityReport) {
    if schema.is_required() {
        report.push(
            format!("attributes.{name}"),
            IssueCode::MissingAttribute,
            format!("'{name}' is required: {}", schema.ty().describe()),
        );
    }
}

fn check_value(
    name: &str,
    value: &AttributeValue,
    schema: &AttributeSchema,
    report: &mut QualityReport,
) {
    let wrong_type = |report: &mut QualityReport| {
        report.push(
            format!("attributes.{name}"),
            IssueCode::AttributeWrongType,
            format!(
                "'{name}' must be {}, not {} '{value}'",
                schema.ty().describe(),
                value.kind()
            ),
        );
    };
    match (schema.ty(), value) {
        (AttributeType::Text { min_len, max_len }, AttributeValue::Text(text)) => {
            let chars = text.chars().count();
            if chars < *min_len || chars > *max_len {
                report.push(
                    format!("attributes.{name}"),
                    IssueCode::AttributeOutOfRange,
                    format!("'{name}' has {chars} characters; it must have {min_len} to {max_len}"),
                );
            }
        }
        (AttributeType::Enum { values }, AttributeValue::Text(text)) => {
            if !values.iter().any(|v| v == text) {
                report.push(
                    format!("attributes.{name}"),
                    IssueCode::AttributeNotAllowed,
                    format!(
                        "'{name}' is '{text}'; it must be one of {}",
                        values.join(", ")
                    ),
                );
            }
        }
        (
            AttributeType::Number {
                unit,
                min,
                max,
                integer,
            },
            value,
        ) => {
            let number = match value {
                AttributeValue::Number(n) => *n,
                AttributeValue::Text(text) => match parse_number_in(text, unit) {
                    Err(NumberText::WrongUnit(given)) => {
                        report.push(
                            format!("attributes.{name}"),
                            IssueCode::AttributeWrongUnit,
                            format!("'{name}' is in {unit}, not {given}"),
                        );
                        return;
                    }
                    _ => return wrong_type(report),
                },
                AttributeValue::Bool(_) => return wrong_type(report),
            };
            check_number(name, number, unit, *min, *max, *integer, report);
        }
        (AttributeType::Bool, AttributeValue::Bool(_)) => {}
        _ => wrong_type(report),
    }
}

fn check_number(
    name: &str,
    number: Decimal,
    unit: &str,
    min: Decimal,
    max: Decimal,
    integer: bool,
    report: &mut QualityReport,
) {
    if integer && !number.fract().is_zero() {
        report.push(
            format!("attributes.{name}"),
            IssueCode::AttributeNotInteger,
            format!("'{name}' is {number}; it must be a whole number"),
        );
    }
    if number < min || number > max {
        report.push(
            format!("attributes.{name}"),
            IssueCode::AttributeOutOfRange,
            format!("'{name}' is {number} {unit}; it must be {min} to {max} {unit}"),
        );
    }
}

pub(super) fn check_price(
    price: Money,
    mrp: Option<Money>,
    packaged: bool,
    warnings: bool,
    report: &mut QualityReport,
) {
    if !price.is_positive() {
        report.push(
            "price",
            IssueCode::PriceNotPositive,
            format!("price is ₹{price}; it must be more than zero"),
        );
    }
    match mrp {
        None if packaged => report.push(
            "mrp",
            IssueCode::MrpRequired,
            "packaged goods must show their MRP (Legal Metrology)".to_owned(),
        ),
        None => {}
        Some(mrp) if !mrp.is_positive() => report.push(
            "mrp",
            IssueCode::MrpNotPositive,
            format!("MRP is ₹{mrp}; it must be more than zero"),
        ),
        Some(mrp) => {
            if price > mrp {
                report.push(
                    "price",
                    IssueCode::PriceAboveMrp,
                    format!(
                        "price ₹{price} is above the MRP ₹{mrp}; nothing may sell above its MRP"
                    ),
                );
            } else if warnings
                && price.is_positive()
                && (mrp.paise() - price.paise()) * 100 > mrp.paise() * SUSPICIOUS_DISCOUNT_PERCENT
            {
                report.push(
                    "mrp",
                    IssueCode::SuspiciousDiscount,
                    format!(
                        "price ₹{price} is more than {SUSPICIOUS_DISCOUNT_PERCENT}% below the MRP ₹{mrp}; check the MRP is real"
                    ),
                );
            }
        }
    }
}

pub(super) fn check_declarations(content: &ListingContent, report: &mut QualityReport) {
    let Some(d) = &content.packaged else {
        report.push(
            "packaged",
            IssueCode::DeclarationsMissing,
            "packaged goods need the Legal Metrology declarations: manufacturer or packer and address (and importer for imported goods), generic name, net quantity, country of origin, month and year of manufacture, unit sale price, consumer-care telephone and e-mail".to_owned(),
        );
        return;
    };
    for declaration in d.missing(content.mrp) {
        report.push(
            declaration.path(),
            IssueCode::DeclarationBlank,
            format!("{declaration} is missing"),
        );
    }
    let country = d.country_of_origin.trim();
    if !country.is_empty() && iso_country(country).is_none() {
        let hint = match country_code_for_name(country) {
            Some(code) => format!("; {country} is '{code}'"),
            None => String::new(),
        };
        report.push(
            Declaration::CountryOfOrigin.path(),
            IssueCode::CountryNotIso3166,
            format!(
                "country of origin '{}' is not an ISO 3166 two-letter country code{hint}",
                truncate(country, 40)
            ),
        );
    }
    if d.net_quantity.amount() <= Decimal::ZERO {
        report.push(
            "packaged.net_quantity",
            IssueCode::NetQuantityNotPositive,
            format!(
                "net quantity is {}; it must be more than zero",
                d.net_quantity
            ),
        );
    }
    if let (Some(declared), Some(mrp)) = (d.unit_sale_price, content.mrp)
        && let Some(expected) = d.unit_sale_price_mismatch(mrp)
    {
        report.push(
            Declaration::UnitSalePrice.path(),
            IssueCode::UnitSalePriceWrong,
            format!(
                "unit sale price is ₹{declared}; an MRP of ₹{mrp} for {} is {expected}",
                d.net_quantity
            ),
        );
    }
    let phone = d.consumer_care_phone.trim();
    if !phone.is_empty() && !is_phone_number(phone) {
        report.push(
            Declaration::ConsumerCarePhone.path(),
            IssueCode::ConsumerCareInvalid,
            format!(
                "consumer-care number '{}' is not a telephone number: 8 to 15 digits, with spaces, hyphens, brackets or a leading +",
                truncate(phone, 40)
            ),
        );
    }
    let email = d.consumer_care_email.trim();
    if !email.is_empty() && !is_email_address(email) {
        report.push(
            Declaration::ConsumerCareEmail.path(),
            IssueCode::ConsumerCareInvalid,
            format!(
                "consumer-care e-mail '{}' is not an address like care@example.in",
                truncate(email, 60)
            ),
        );
    }
}

/// A telephone number as printed on a pack: 8 to 15 digits (the most E.164 allows), grouped by
/// spaces, hyphens or brackets, with an optional leading `+`: `+91 33 2222 1234`,
/// `1800-123-4567`.
fn is_phone_number(text: &str) -> bool {
    let rest = text.strip_prefix('+').unwrap_or(text);
    let digits = rest.bytes().filter(u8::is_ascii_digit).count();
    rest.bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b' ' | b'-' | b'(' | b')'))
        && (8..=15).contains(&digits)
}

/// An e-mail address in its plain form: one `@` between a non-empty local part and a domain of
/// at least two non-empty labels, no spaces.
fn is_email_address(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !text.chars().any(char::is_whitespace)
        && !domain.contains('@')
        && domain.split('.').count() >= 2
        && domain.split('.').all(|label| !label.is_empty())
}
