//! What the synthetic sellers list: one template per leaf of the default taxonomy.

use haat_catalogue::{
    AttributeValue, CategoryId, HsnCode, ListingContent, NetQuantity, PackagedDeclarations,
    QuantityUnit, UnitSalePrice,
};
use haat_core::{Decimal, Money, Month, SellerId, Sku};

use crate::Rng;

/// The kind of seller a template suits, to match listings to who makes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Trade {
    Weaver,
    Artisan,
    Farmer,
    Trader,
}

#[derive(Clone, Copy, Debug)]
enum Attrs {
    Saree {
        fabrics: &'static [&'static str],
        weave: &'static str,
    },
    /// Clothes for `gender` (haat's word: `women`, `men`).
    Apparel {
        gender: &'static str,
    },
    Dokra,
    Plain,
    Bedsheet,
    Tea,
    Gur,
}

struct Spec {
    path: &'static str,
    hsn: &'static str,
    noun: &'static str,
    sku: &'static str,
    trade: Trade,
    price: (u64, u64),
    attrs: Attrs,
    packaged: Option<(&'static str, &'static str)>,
}

const SPECS: [Spec; 15] = [
    Spec {
        path: "textiles/sarees/handloom/tant",
        hsn: "5208",
        noun: "tant saree",
        sku: "TANT",
        trade: Trade::Weaver,
        price: (650, 3_500),
        attrs: Attrs::Saree {
            fabrics: &["cotton"],
            weave: "tant",
        },
        packaged: None,
    },
    Spec {
        path: "textiles/sarees/handloom/shantipuri",
        hsn: "5208",
        noun: "Shantipuri saree",
        sku: "SHP",
        trade: Trade::Weaver,
        price: (900, 6_000),
        attrs: Attrs::Saree {
            fabrics: &["cotton", "cotton-silk"],
            weave: "shantipuri",
        },
        packaged: None,
    },
    Spec {
        path: "textiles/sarees/handloom/dhaniakhali",
        hsn: "5209",
        noun: "Dhaniakhali saree",
        sku: "DHN",
        trade: Trade::Weaver,
        price: (700, 2_800),
        attrs: Attrs::Saree {
            fabrics: &["cotton"],
            weave: "dhaniakhali",
        },
        packaged: None,
    },
    Spec {
        path: "textiles/sarees/handloom/jamdani",
        hsn: "5208",
        noun: "jamdani saree",
        sku: "JAM",
        trade: Trade::Weaver,
        price: (1_800, 12_000),
        attrs: Attrs::Saree {
            fabrics: &["cotton", "muslin"],
            weave: "jamdani",
        },
        packaged: None,
    },
    Spec {
        path: "textiles/sarees/handloom/baluchari",
        hsn: "5007",
        noun: "Baluchari silk saree",
        sku: "BAL",
        trade: Trade::Weaver,
        price: (4_500, 15_000),
        attrs: Attrs::Saree {
            fabrics: &["silk", "tussar"],
            weave: "baluchari",
        },
        packaged: None,
    },
    Spec {
        path: "apparel/kurtas",
        hsn: "6206",
        noun: "cotton kurta",
        sku: "KRT",
        trade: Trade::Trader,
        price: (399, 1_900),
        attrs: Attrs::Apparel { gender: "women" },
        packaged: None,
    },
    Spec {
        path: "apparel/panjabi",
        hsn: "6205",
        noun: "panjabi",
        sku: "PNJ",
        trade: Trade::Trader,
        price: (499, 2_400),
        attrs: Attrs::Apparel { gender: "men" },
        packaged: None,
    },
    Spec {
        path: "handicrafts/dokra",
        hsn: "8306",
        noun: "dokra figurine",
        sku: "DKR",
        trade: Trade::Artisan,
        price: (350, 5_000),
        attrs: Attrs::Dokra,
        packaged: None,
    },
    Spec {
        path: "handicrafts/terracotta",
        hsn: "6913",
        noun: "terracotta horse",
        sku: "TRC",
        trade: Trade::Artisan,
        price: (180, 2_200),
        attrs: Attrs::Plain,
        packaged: None,
    },
    Spec {
        path: "handicrafts/sholapith",
        hsn: "4602",
        noun: "sholapith decor piece",
        sku: "SHL",
        trade: Trade::Artisan,
        price: (220, 3_000),
        attrs: Attrs::Plain,
        packaged: None,
    },
    Spec {
        path: "home-furnishing/nakshi-kantha",
        hsn: "6304",
        noun: "nakshi kantha throw",
        sku: "KNT",
        trade: Trade::Artisan,
        price: (1_400, 8_500),
        attrs: Attrs::Plain,
        packaged: None,
    },
    Spec {
        path: "home-furnishing/bedsheets",
        hsn: "6302",
        noun: "handloom bedsheet",
        sku: "BED",
        trade: Trade::Trader,
        price: (450, 2_400),
        attrs: Attrs::Bedsheet,
        packaged: None,
    },
    Spec {
        path: "food/tea/darjeeling",
        hsn: "0902",
        noun: "Darjeeling tea",
        sku: "TEA",
        trade: Trade::Farmer,
        price: (240, 1_800),
        attrs: Attrs::Tea,
        packaged: Some(("Darjeeling black tea", "250 g")),
    },
    Spec {
        path: "food/rice/gobindobhog",
        hsn: "1006",
        noun: "Gobindobhog rice",
        sku: "RICE",
        trade: Trade::Farmer,
        price: (140, 650),
        attrs: Attrs::Plain,
        packaged: Some(("Gobindobhog rice", "1 kg")),
    },
    Spec {
        path: "food/jaggery/nolen-gur",
        hsn: "1701",
        noun: "nolen gur",
        sku: "GUR",
        trade: Trade::Farmer,
        price: (160, 750),
        attrs: Attrs::Gur,
        packaged: Some(("Date palm jaggery", "500 g")),
    },
];

const COLOURS: [&str; 10] = [
    "red and white",
    "indigo",
    "mustard",
    "off-white",
    "maroon",
    "leaf green",
    "peacock blue",
    "black",
    "rust",
    "pink",
];

const SIZES: [&str; 6] = ["s", "m", "l", "xl", "xxl", "free-size"];

/// One template, with its parsed ids.
pub(crate) struct Product {
    category: CategoryId,
    hsn: HsnCode,
    spec: &'static Spec,
}

impl Product {
    /// Who lists this.
    pub(crate) fn trade(&self) -> Trade {
        self.spec.trade
    }
}

/// Every template; `None` only if the taxonomy's ids stopped parsing.
pub(crate) fn products() -> Option<Vec<Product>> {
    SPECS
        .iter()
        .map(|spec| {
            Some(Product {
                category: spec.path.parse().ok()?,
                hsn: spec.hsn.parse().ok()?,
                spec,
            })
        })
        .collect()
}

/// The EAN-13 on the pack of a trader's listing `number` of `seller`: GS1 India's prefix
/// `890`, the seller's id in six digits and the listing's number in three, then the check
/// digit. Made from the ids rather than drawn, so that the scenario's draws stay as they were;
/// unique for the first million sellers' first thousand listings each.
fn trade_ean(seller: SellerId, number: u32) -> String {
    let body = format!("890{:06}{:03}", seller.get() % 1_000_000, number % 1_000);
    // From the right, the digits before the check digit weigh 3, 1, 3, ...
    let sum: u32 = body
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let digit = u32::from(b - b'0');
            if i % 2 == 0 { digit * 3 } else { digit }
        })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

/// A listing of `product`: the `number`-th of `seller`, made in `district`. With `flawed`,
/// the title carries a promotional phrase the quality checks refuse.
pub(crate) fn content(
    rng: &mut Rng,
    product: &Product,
    seller: SellerId,
    number: u32,
    district: &str,
    flawed: bool,
) -> Option<ListingContent> {
    let spec = product.spec;
    let colour = rng.pick(&COLOURS).copied().unwrap_or("red and white");
    let title = if flawed {
        format!("Best price {} from {district}, {colour}", spec.noun)
    } else {
        format!("Handmade {} from {district}, {colour}", spec.noun)
    };
    let description = format!(
        "A {} made by hand in {district}, West Bengal, and checked piece by piece before it ships.",
        spec.noun
    );
    let mut attributes = haat_catalogue::Attributes::new();
    let mut put = |name: &str, value: AttributeValue| {
        attributes.insert(name.to_owned(), value);
    };
    match spec.attrs {
        Attrs::Saree { fabrics, weave } => {
            put("fabric", AttributeValue::text(*rng.pick(fabrics)?));
            put(
                "length_m",
                AttributeValue::Number(Decimal::new(55 + rng.below(10) as i64, 1)),
            );
            put("blouse_piece", AttributeValue::Bool(rng.chance_bp(6_000)));
            put("weave", AttributeValue::text(weave));
            put("colour", AttributeValue::text(colour));
        }
        Attrs::Apparel { gender } => {
            put("size", AttributeValue::text(*rng.pick(&SIZES)?));
            put("fabric", AttributeValue::text("cotton"));
            put("gender", AttributeValue::text(gender));
            put("colour", AttributeValue::text(colour));
        }
        Attrs::Dokra => {
            put(
                "metal",
                AttributeValue::text(if rng.chance_bp(7_000) {
                    "brass"
                } else {
                    "bell-metal"
                }),
            );
        }
        Attrs::Bedsheet => {
            put(
                "bed_size",
                AttributeValue::text(if rng.chance_bp(7_000) {
                    "double"
                } else {
                    "king"
                }),
            );
            put("fabric", AttributeValue::text("cotton"));
            put("colour", AttributeValue::text(colour));
            put("ean", AttributeValue::text(trade_ean(seller, number)));
        }
        Attrs::Tea => {
            let flush = *rng.pick(&["first", "second", "autumn"])?;
            put("flush", AttributeValue::text(flush));
        }
        Attrs::Gur => {
            put(
                "form",
                AttributeValue::text(if rng.chance_bp(5_000) {
                    "jhola"
                } else {
                    "patali"
                }),
            );
        }
        Attrs::Plain => {}
    }
    let rupees = rng.between(spec.price.0 / 10, spec.price.1 / 10) * 10;
    let price = Money::from_rupees(i64::try_from(rupees).ok()?);
    let markup = rng.between(0, 30);
    let mrp = Money::from_rupees(i64::try_from(rupees + rupees * markup / 100).ok()?);
    let packaged = match spec.packaged {
        Some((generic, quantity)) => {
            let net_quantity = quantity
                .parse::<NetQuantity>()
                .ok()
                .or(Some(NetQuantity::new(Decimal::ONE, QuantityUnit::Piece)))?;
            Some(Box::new(PackagedDeclarations {
                manufacturer_or_packer: format!("{district} Farmer Producer Company"),
                address: format!("{district}, West Bengal"),
                importer: String::new(),
                importer_address: String::new(),
                generic_name: generic.to_owned(),
                net_quantity,
                country_of_origin: "IN".to_owned(),
                // Synthetic packs all say they were packed the month before the first
                // simulated year: earlier than any listing, without drawing from the generator.
                manufactured: Month::new(2024, 3),
                unit_sale_price: net_quantity
                    .unit_sale_price(mrp)
                    .filter(UnitSalePrice::must_be_declared)
                    .map(|usp| usp.price()),
                consumer_care_phone: "1800-345-0000".to_owned(),
                consumer_care_email: format!(
                    "care@{}.example.in",
                    district.to_ascii_lowercase().replace(' ', "-")
                ),
            }))
        }
        None => None,
    };
    let slug = spec.sku;
    let images = (1..=3)
        .map(|i| format!("https://img.example.in/{slug}/{number}-{i}.jpg"))
        .collect();
    let sku: Sku = format!("{slug}-{number:04}").parse().ok()?;
    Some(ListingContent {
        title,
        description,
        category: product.category.clone(),
        attributes,
        images,
        price,
        mrp: Some(mrp),
        hsn: product.hsn,
        packaged,
        sku,
    })
}

/// The same content with the flaw fixed.
pub(crate) fn fixed(content: &ListingContent) -> ListingContent {
    let mut fixed = content.clone();
    fixed.title = fixed.title.replacen("Best price", "Handmade", 1);
    fixed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trade_ean_carries_the_gs1_check_digit() {
        // Weighted from the right 3, 1, 3, ..., 890612340027's digits sum to 98: the check
        // digit 2 brings it to 100.
        assert_eq!(trade_ean(SellerId::new(612_340), 27), "8906123400272");
        assert_eq!(trade_ean(SellerId::new(4), 7), "8900000040070");
    }
}
