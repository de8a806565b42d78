//! The `attribute` tag of an item: the ONDC category's mandatory attributes, each taken from
//! where the taxonomy says and translated from haat's vocabulary to ONDC's.
//!
//! haat's attribute values are its own closed lists (`women`, `free-size`, `tussar`); ONDC
//! has its own (`female`, `Free Size`, `tussar silk`). The tables below translate every value
//! haat's default taxonomy allows; a value they do not know is reported, never guessed.

use std::borrow::Cow;

use haat_catalogue::{AttributeValue, ListingContent, OndcCategory, OndcDomain, OndcSource};

use crate::{SellerProfile, Unmappable};

/// The attribute codes ONDC requires of an item in `category` of `domain`, in the order the
/// tag lists them; `None` for a category haat does not publish to.
pub(crate) fn mandatory(domain: OndcDomain, category: &str) -> Option<&'static [&'static str]> {
    const FASHION: &[&str] = &[
        "gender",
        "colour",
        "colour_name",
        "size",
        "brand",
        "size_chart",
        "fabric",
    ];
    const HOME: &[&str] = &["brand", "colour", "colour_name", "material"];
    match (domain, category) {
        (OndcDomain::Ret12, "Sarees" | "Kurtas & Kurta Sets" | "Blouses") => Some(FASHION),
        (OndcDomain::Ret16, "Home Decor" | "Home Furnishing - Bedding and Linen") => Some(HOME),
        _ => None,
    }
}

/// What an ONDC category asks of its items and where each answer comes from, resolved once
/// per category of an export rather than once per item.
pub(crate) struct AttributePlan<'a> {
    ondc: &'a OndcCategory,
    /// The mandatory codes, in the tag's order; `None` for a category haat does not publish to.
    codes: Option<&'static [&'static str]>,
    /// Where each code's value comes from, in the order of `codes`.
    sources: Vec<Source<'a>>,
    /// Where the colour's name comes from (a hex the listing lacks is looked up from it).
    colour_name: Source<'a>,
    /// The seller's brand, for a listing that names none.
    brand: Option<&'a str>,
    /// The seller's size chart for the category, for a listing that gives none.
    size_chart: Option<&'a str>,
}

/// Where an attribute's value comes from: fixed by the category, or a listing attribute.
#[derive(Clone, Copy)]
enum Source<'a> {
    Fixed(&'a str),
    Attribute(&'a str),
}

impl<'a> AttributePlan<'a> {
    fn new(ondc: &'a OndcCategory, seller: &'a SellerProfile) -> AttributePlan<'a> {
        let codes = mandatory(ondc.domain(), ondc.category());
        // Where the category says, else the listing's attribute of the same name.
        let source = |code: &'a str| match ondc.source(code) {
            Some(OndcSource::Fixed(value)) => Source::Fixed(value.as_str()),
            Some(OndcSource::Attribute(name)) => Source::Attribute(name.as_str()),
            None => Source::Attribute(code),
        };
        AttributePlan {
            ondc,
            codes,
            sources: codes
                .unwrap_or_default()
                .iter()
                .map(|code| source(code))
                .collect(),
            colour_name: source("colour_name"),
            brand: seller.brand.as_deref(),
            size_chart: seller.size_charts.get(ondc.category()).map(String::as_str),
        }
    }

    /// The plan of `ondc` among `plans`, made and kept there the first time it is asked for.
    pub(crate) fn of<'p>(
        plans: &'p mut Vec<AttributePlan<'a>>,
        ondc: &'a OndcCategory,
        seller: &'a SellerProfile,
    ) -> &'p AttributePlan<'a> {
        let at = match plans.iter().position(|p| std::ptr::eq(p.ondc, ondc)) {
            Some(at) => at,
            None => {
                plans.push(AttributePlan::new(ondc, seller));
                plans.len() - 1
            }
        };
        &plans[at]
    }
}

/// The most attributes an ONDC category of [`mandatory`] asks for.
const MOST: usize = 7;

/// An item's attribute entries `(code, value)`, held in the item rather than in an allocation
/// of their own: a lakh-item export made and freed one per item.
#[derive(Clone, Debug)]
pub(crate) struct AttributeList<'a> {
    entries: [(&'static str, Cow<'a, str>); MOST],
    len: usize,
}

impl<'a> AttributeList<'a> {
    fn new() -> AttributeList<'a> {
        AttributeList {
            entries: std::array::from_fn(|_| ("", Cow::Borrowed(""))),
            len: 0,
        }
    }

    /// Adds an entry; `false` if the list is full.
    fn push(&mut self, code: &'static str, value: Cow<'a, str>) -> bool {
        match self.entries.get_mut(self.len) {
            Some(slot) => {
                *slot = (code, value);
                self.len += 1;
                true
            }
            None => false,
        }
    }

    /// The entries, in the order added.
    pub(crate) fn as_slice(&self) -> &[(&'static str, Cow<'a, str>)] {
        self.entries.get(..self.len).unwrap_or_default()
    }
}

/// The item's attribute entries `(code, value)` for the plan's category, in the order of
/// [`mandatory`].
pub(crate) fn item_attributes<'a>(
    plan: &AttributePlan<'a>,
    content: &'a ListingContent,
) -> Result<AttributeList<'a>, Unmappable> {
    let ondc = plan.ondc;
    let codes = plan.codes.ok_or_else(|| Unmappable::NoOndcCategory {
        category: content.category.clone(),
    })?;
    let mut out = AttributeList::new();
    for (&code, &source) in codes.iter().zip(&plan.sources) {
        let value = raw_value(code, source, plan, content);
        let Some(value) = value else {
            // A colour named but with no hex given or known: say so, rather than that the
            // colour is missing.
            if code == "colour"
                && let Some(name) = source_value(plan.colour_name, content)
            {
                return Err(Unmappable::UnknownColour {
                    name: name.into_owned(),
                });
            }
            return Err(Unmappable::MissingAttribute {
                ondc_category: ondc.category().to_owned(),
                code,
            });
        };
        let value = translate(code, ondc.category(), value)?;
        if !out.push(code, value) {
            // Only a table above longer than `MOST` could get here.
            return Err(Unmappable::NoOndcCategory {
                category: content.category.clone(),
            });
        }
    }
    Ok(out)
}

/// The haat-side value of ONDC attribute `code`: from its source; a brand or size chart the
/// listing lacks comes from the seller's profile; a colour's hex the listing lacks comes from
/// its colour name.
fn raw_value<'a>(
    code: &'static str,
    source: Source<'a>,
    plan: &AttributePlan<'a>,
    content: &'a ListingContent,
) -> Option<Cow<'a, str>> {
    let own = source_value(source, content);
    own.or_else(|| match code {
        "brand" => plan.brand.map(Cow::Borrowed),
        "size_chart" => plan.size_chart.map(Cow::Borrowed),
        // The colour name comes after the hex in the tag; look it up from the listing.
        "colour" => {
            let name = source_value(plan.colour_name, content)?;
            if is_colour_name(&name) {
                colour_hex(&name)
            } else {
                colour_hex(&colour_name(&name)?)
            }
            .map(Cow::Borrowed)
        }
        _ => None,
    })
}

/// The value `source` gives for a listing with `content`.
fn source_value<'a>(source: Source<'a>, content: &'a ListingContent) -> Option<Cow<'a, str>> {
    match source {
        Source::Fixed(value) => Some(Cow::Borrowed(value)),
        Source::Attribute(name) => listing_attribute(content, name).map(attribute_text),
    }
}

/// The listing's attribute `name`. A listing has a handful of attributes and an item asks for
/// half a dozen, most of them missing: a scan comparing lengths first (one compare for most
/// names) is cheaper than `Attributes::get`'s binary search, whose every step orders two
/// strings (a quarter of a lakh-item export's time).
fn listing_attribute<'a>(content: &'a ListingContent, name: &str) -> Option<&'a AttributeValue> {
    content
        .attributes
        .iter()
        .find_map(|(n, value)| (n == name).then_some(value))
}

fn attribute_text(value: &AttributeValue) -> Cow<'_, str> {
    match value {
        AttributeValue::Bool(true) => Cow::Borrowed("yes"),
        AttributeValue::Bool(false) => Cow::Borrowed("no"),
        other => match other.as_text() {
            Some(text) => Cow::Borrowed(text),
            None => Cow::Owned(other.to_string()),
        },
    }
}

/// Translates a haat value of ONDC attribute `code` into ONDC's vocabulary; a value already
/// in it is kept as it is, borrowed.
fn translate<'a>(
    code: &'static str,
    category: &str,
    value: Cow<'a, str>,
) -> Result<Cow<'a, str>, Unmappable> {
    let invalid = |value: &str, expected: &'static str| Unmappable::InvalidAttribute {
        code,
        value: value.to_owned(),
        expected,
    };
    match code {
        "gender" => gender(&value)
            .map(Cow::Borrowed)
            .ok_or_else(|| invalid(&value, "one of female, male, girl, boy, infant, unisex")),
        "size" => {
            size(category, &value).ok_or_else(|| invalid(&value, "a size of the ONDC category"))
        }
        "fabric" => fabric(&value)
            .map(Cow::Borrowed)
            .ok_or_else(|| invalid(&value, "a fabric of ONDC's list")),
        "colour" if !is_hex_colour(&value) => Err(invalid(&value, "#RRGGBB")),
        "colour" if value.bytes().any(|b| b.is_ascii_lowercase()) => {
            Ok(Cow::Owned(value.to_ascii_uppercase()))
        }
        "colour_name" if is_colour_name(&value) => Ok(value),
        "colour_name" => colour_name(&value)
            .map(Cow::Owned)
            .ok_or_else(|| invalid(&value, "lower-case letters and spaces")),
        "size_chart" if !is_url(&value) => Err(invalid(&value, "an http(s) URL")),
        "colour" | "size_chart" => Ok(value),
        _ => match value {
            Cow::Borrowed(text) if !text.trim().is_empty() => Ok(Cow::Borrowed(text.trim())),
            Cow::Owned(text) if !text.trim().is_empty() => Ok(Cow::Owned(text.trim().to_owned())),
            other => Err(invalid(&other, "a value")),
        },
    }
}

/// haat's genders (`women`, ...) and ONDC's own spellings.
fn gender(value: &str) -> Option<&'static str> {
    Some(match value {
        "women" | "female" => "female",
        "men" | "male" => "male",
        "girls" | "girl" => "girl",
        "boys" | "boy" => "boy",
        "unisex" => "unisex",
        "infant" => "infant",
        _ => return None,
    })
}

/// haat's sizes (`m`, `free-size`) as ONDC writes them; a blouse takes a bust size (`34`,
/// `34 Alterable`) and no letter size.
fn size(category: &str, value: &str) -> Option<Cow<'static, str>> {
    if category == "Blouses" {
        let bust = value.strip_suffix(" Alterable").unwrap_or(value);
        let ok = bust
            .parse::<u8>()
            .is_ok_and(|n| (26..=60).contains(&n) && n % 2 == 0);
        return ok.then(|| Cow::Owned(value.to_owned()));
    }
    if category == "Sarees" {
        return (value == "Free Size").then_some(Cow::Borrowed("Free Size"));
    }
    let ondc = match value {
        "xs" | "XS" => "XS",
        "s" | "S" => "S",
        "m" | "M" => "M",
        "l" | "L" => "L",
        "xl" | "XL" => "XL",
        "xxl" | "XXL" => "XXL",
        "xxxl" | "XXXL" => "XXXL",
        "free-size" | "Free Size" => "Free Size",
        _ => return None,
    };
    Some(Cow::Borrowed(ondc))
}

/// haat's fabrics as ONDC names them. Matka is a coarse silk, and muslin is ONDC's `mulmul`.
fn fabric(value: &str) -> Option<&'static str> {
    Some(match value {
        "cotton" => "cotton",
        "silk" | "matka" => "silk",
        "tussar" => "tussar silk",
        "muslin" => "mulmul",
        "linen" => "linen",
        "cotton-silk" => "cotton silk",
        "art-silk" => "art silk",
        _ => return None,
    })
}

/// A colour's name as ONDC takes it: lower-case letters and single spaces (`off-white` is
/// `off white`); `None` if anything else is left.
fn colour_name(value: &str) -> Option<String> {
    let spaced: String = value
        .trim()
        .chars()
        .map(|c| {
            if c == '-' {
                ' '
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect();
    let name = spaced.split_whitespace().collect::<Vec<_>>().join(" ");
    (!name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == ' ')).then_some(name)
}

/// The hex of a colour name: the whole name, else its first colour (`red and white` is a red
/// saree with white: `#FF0000`).
fn colour_hex(name: &str) -> Option<&'static str> {
    named_hex(name).or_else(|| {
        let first = name.split(" and ").next()?;
        named_hex(first.trim())
    })
}

/// The colour names of haat's sellers' listings, with the CSS/X11 hex where CSS names the
/// colour and the textile trade's usual shade where it does not (leaf green, peacock blue,
/// mustard, rust).
fn named_hex(name: &str) -> Option<&'static str> {
    Some(match name {
        "red" => "#FF0000",
        "white" => "#FFFFFF",
        "black" => "#000000",
        "off white" => "#FAF9F6",
        "cream" => "#FFFDD0",
        "beige" => "#F5F5DC",
        "indigo" => "#4B0082",
        "blue" => "#0000FF",
        "navy blue" | "navy" => "#000080",
        "sky blue" => "#87CEEB",
        "peacock blue" => "#005F69",
        "green" => "#008000",
        "leaf green" => "#5CA904",
        "olive" => "#808000",
        "teal" => "#008080",
        "yellow" => "#FFFF00",
        "mustard" => "#FFDB58",
        "gold" => "#FFD700",
        "orange" => "#FFA500",
        "rust" => "#B7410E",
        "maroon" => "#800000",
        "pink" => "#FFC0CB",
        "peach" => "#FFE5B4",
        "magenta" => "#FF00FF",
        "purple" => "#800080",
        "brown" => "#A52A2A",
        "grey" | "gray" => "#808080",
        "silver" => "#C0C0C0",
        _ => return None,
    })
}

/// Whether `value` is already a colour name as ONDC takes it (what [`colour_name`] would
/// return unchanged).
fn is_colour_name(value: &str) -> bool {
    !value.is_empty()
        && !value.starts_with(' ')
        && !value.ends_with(' ')
        && !value.contains("  ")
        && value.bytes().all(|b| b.is_ascii_lowercase() || b == b' ')
}

fn is_hex_colour(value: &str) -> bool {
    value.len() == 7
        && value.starts_with('#')
        && value.bytes().skip(1).all(|b| b.is_ascii_hexdigit())
}

/// An http(s) URL without spaces, ending in a character ONDC's size-chart rule accepts.
pub(crate) fn is_url(value: &str) -> bool {
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"));
    rest.is_some_and(|rest| {
        !rest.is_empty()
            && !rest
                .bytes()
                .any(|b| b.is_ascii_whitespace() || !b.is_ascii())
            && value
                .bytes()
                .last()
                .is_some_and(|b| b.is_ascii_alphanumeric() || b"-+&@#/%=~_|".contains(&b))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_names_and_hex() {
        assert_eq!(colour_name("Off-White").as_deref(), Some("off white"));
        assert_eq!(colour_name("red & white"), None);
        assert_eq!(colour_hex("red and white"), Some("#FF0000"));
        assert_eq!(colour_hex("leaf green"), Some("#5CA904"));
        assert_eq!(colour_hex("peach"), Some("#FFE5B4"));
        assert_eq!(colour_hex("chartreuse"), None);
    }

    #[test]
    fn every_categorys_attributes_fit_an_items_list() {
        for (domain, category) in [
            (OndcDomain::Ret12, "Sarees"),
            (OndcDomain::Ret12, "Kurtas & Kurta Sets"),
            (OndcDomain::Ret12, "Blouses"),
            (OndcDomain::Ret16, "Home Decor"),
            (OndcDomain::Ret16, "Home Furnishing - Bedding and Linen"),
        ] {
            let codes = mandatory(domain, category).unwrap();
            assert!(codes.len() <= MOST, "{category}");
        }
    }

    #[test]
    fn sizes_by_category() {
        assert_eq!(
            size("Kurtas & Kurta Sets", "free-size").as_deref(),
            Some("Free Size")
        );
        assert_eq!(size("Blouses", "m"), None);
        assert_eq!(
            size("Blouses", "36 Alterable").as_deref(),
            Some("36 Alterable")
        );
        assert_eq!(size("Blouses", "60").as_deref(), Some("60"));
        assert_eq!(size("Blouses", "27"), None);
        assert_eq!(size("Blouses", "062"), None);
        assert_eq!(size("Sarees", "m"), None);
    }
}
