//! The default West Bengal taxonomy.

use haat_core::Decimal;

use super::{
    AttributeSchema as S, AttributeType as T, CategoryDef, OndcCategory, OndcDomain, Taxonomy,
};
use crate::Error;

/// The Geographical Indications registered for West Bengal's handloom sarees.
pub(super) const SAREE_GIS: [&str; 6] = [
    "Santipore Saree",
    "Dhaniakhali Saree",
    "Baluchari Saree",
    "Tangail Saree of Bengal",
    "Korial Saree of Bengal",
    "Garad Saree of Bengal",
];

fn def(path: &str, en: &str, bn: &str) -> Result<CategoryDef, Error> {
    Ok(CategoryDef::new(path.parse()?, en, bn))
}

fn dec(mantissa: i64, scale: u32) -> Decimal {
    Decimal::new(mantissa, scale)
}

/// The attributes ONDC asks of every fashion and home item that are the same kind of fact in
/// every category: who made it (`brand`), its colour as `#RRGGBB` (its name is `colour`), and
/// the Bengali title and description a Bengali catalogue shows. Optional here: a listing without them is still a listing, and the
/// ONDC export reports it (and what it lacks) instead of publishing it.
fn ondc_common(def: CategoryDef) -> CategoryDef {
    def.attribute("brand", S::optional(T::text(1, 60)))
        .attribute("colour_hex", S::optional(T::text(7, 7)))
        .attribute("title_bn", S::optional(T::text(3, 200)))
        .attribute("description_bn", S::optional(T::text(1, 5_000)))
}

/// What ONDC's fashion categories ask beyond [`ondc_common`]: a size chart's URL.
fn ondc_fashion(def: CategoryDef) -> CategoryDef {
    ondc_common(def).attribute("size_chart", S::optional(T::text(10, 300)))
}

/// What ONDC's home categories ask beyond [`ondc_common`]: the product's EAN (GTIN), which
/// `ONDC:RET16` takes as the item's code. A handicraft without one is not published there.
fn ondc_home(def: CategoryDef) -> CategoryDef {
    ondc_common(def).attribute("ean", S::optional(T::text(8, 13)))
}

/// A fashion category of ONDC, its colour name taken from the listing's `colour` and its hex
/// from `colour_hex`.
fn ret12(category: &str) -> OndcCategory {
    OndcCategory::new(OndcDomain::Ret12, category)
        .from_attribute("colour_name", "colour")
        .from_attribute("colour", "colour_hex")
}

/// A home category of ONDC, colours as in [`ret12`].
fn ret16(category: &str) -> OndcCategory {
    OndcCategory::new(OndcDomain::Ret16, category)
        .from_attribute("colour_name", "colour")
        .from_attribute("colour", "colour_hex")
}

pub(super) fn build(t: &mut Taxonomy) -> Result<(), Error> {
    let fabrics = [
        "cotton",
        "silk",
        "tussar",
        "muslin",
        "matka",
        "linen",
        "cotton-silk",
        "art-silk",
    ];
    let weaves = [
        "tant",
        "baluchari",
        "jamdani",
        "dhaniakhali",
        "shantipuri",
        "tangail",
        "garad",
        "korial",
        "plain",
    ];

    // Textiles and sarees.
    t.add(ondc_fashion(
        def("textiles", "Textiles", "বস্ত্র")?.hsn(["50", "52", "54"]),
    ))?;
    t.add(
        def("textiles/sarees", "Sarees", "শাড়ি")?
            .hsn(["5007", "5208", "5209", "5407", "5408"])
            .attribute("fabric", S::required(T::enumeration(fabrics)))
            .attribute(
                "length_m",
                S::required(T::number("m", dec(50, 1), dec(90, 1))),
            )
            .attribute("blouse_piece", S::required(T::Bool))
            .attribute("gi_tag", S::optional(T::Bool))
            .attribute("gi_name", S::optional(T::enumeration(SAREE_GIS)))
            .attribute("weave", S::optional(T::enumeration(weaves)))
            .attribute("colour", S::optional(T::text(3, 40)))
            .ondc(
                ret12("Sarees")
                    .fixed("gender", "female")
                    .fixed("size", "Free Size"),
            ),
    )?;
    t.add(
        def("textiles/sarees/handloom", "Handloom sarees", "তাঁতের শাড়ি")?
            .attribute("weaver_cluster", S::optional(T::text(3, 60))),
    )?;
    t.add(
        def("textiles/sarees/handloom/tant", "Tant sarees", "তাঁত শাড়ি")?
            .hsn(["5208", "5209"])
            .attribute("fabric", S::required(T::enumeration(["cotton"]))),
    )?;
    t.add(
        def(
            "textiles/sarees/handloom/baluchari",
            "Baluchari sarees",
            "বালুচরী শাড়ি",
        )?
        .hsn(["5007"])
        .attribute("fabric", S::required(T::enumeration(["silk", "tussar"]))),
    )?;
    t.add(
        def(
            "textiles/sarees/handloom/jamdani",
            "Jamdani sarees",
            "জামদানি শাড়ি",
        )?
        .hsn(["5007", "5208", "5209"])
        .attribute(
            "fabric",
            S::required(T::enumeration(["cotton", "muslin", "silk", "cotton-silk"])),
        ),
    )?;
    t.add(
        def(
            "textiles/sarees/handloom/dhaniakhali",
            "Dhaniakhali sarees",
            "ধনেখালি শাড়ি",
        )?
        .hsn(["5208", "5209"])
        .attribute("fabric", S::required(T::enumeration(["cotton"]))),
    )?;
    t.add(
        def(
            "textiles/sarees/handloom/shantipuri",
            "Shantipuri sarees",
            "শান্তিপুরী শাড়ি",
        )?
        .hsn(["5208", "5209"])
        .attribute(
            "fabric",
            S::required(T::enumeration(["cotton", "cotton-silk"])),
        ),
    )?;

    // Apparel.
    let sizes = ["xs", "s", "m", "l", "xl", "xxl", "xxxl", "free-size"];
    t.add(ondc_fashion(
        def("apparel", "Apparel", "পোশাক")?
            .hsn(["61", "62"])
            .attribute("size", S::required(T::enumeration(sizes)))
            .attribute(
                "gender",
                S::optional(T::enumeration(["women", "men", "girls", "boys", "unisex"])),
            )
            .attribute("fabric", S::optional(T::enumeration(fabrics)))
            .attribute("colour", S::optional(T::text(3, 40))),
    ))?;
    t.add(def("apparel/kurtas", "Kurtas", "কুর্তা")?.ondc(ret12("Kurtas & Kurta Sets")))?;
    // The panjabi is the Bengali man's kurta.
    t.add(
        def("apparel/panjabi", "Panjabi", "পাঞ্জাবি")?
            .ondc(ret12("Kurtas & Kurta Sets").fixed("gender", "male")),
    )?;
    t.add(
        def("apparel/blouses", "Blouses", "ব্লাউজ")?.ondc(ret12("Blouses").fixed("gender", "female")),
    )?;

    // Handicrafts.
    t.add(ondc_home(
        def("handicrafts", "Handicrafts", "হস্তশিল্প")?
            .hsn(["44", "46", "69", "74", "83", "96"])
            .attribute(
                "height_cm",
                S::optional(T::number("cm", dec(1, 0), dec(300, 0))),
            )
            .attribute("weight_g", S::optional(T::integer("g", 1, 50_000)))
            .attribute("gi_tag", S::optional(T::Bool))
            .attribute("artisan_district", S::optional(T::text(3, 40)))
            .attribute("colour", S::optional(T::text(3, 40)))
            .ondc(ret16("Home Decor")),
    ))?;
    t.add(
        def("handicrafts/dokra", "Dokra metal craft", "ডোকরা")?
            .hsn(["8306", "7419"])
            .attribute(
                "metal",
                S::required(T::enumeration(["brass", "bell-metal", "bronze"])),
            )
            .ondc(ret16("Home Decor").from_attribute("material", "metal")),
    )?;
    t.add(
        def("handicrafts/terracotta", "Terracotta", "পোড়ামাটির শিল্প")?
            .hsn(["6913"])
            .attribute(
                "finish",
                S::optional(T::enumeration(["natural", "painted", "glazed"])),
            )
            .ondc(ret16("Home Decor").fixed("material", "terracotta")),
    )?;
    t.add(
        def("handicrafts/sholapith", "Sholapith craft", "শোলার কাজ")?
            .hsn(["4602", "9601"])
            .attribute(
                "use",
                S::optional(T::enumeration(["decor", "bridal", "puja"])),
            )
            .ondc(ret16("Home Decor").fixed("material", "sholapith")),
    )?;

    // Home furnishing.
    t.add(ondc_home(
        def("home-furnishing", "Home furnishing", "গৃহসজ্জা")?
            .hsn(["63"])
            .attribute(
                "length_cm",
                S::optional(T::number("cm", dec(10, 0), dec(500, 0))),
            )
            .attribute(
                "width_cm",
                S::optional(T::number("cm", dec(10, 0), dec(500, 0))),
            )
            .attribute("fabric", S::optional(T::enumeration(fabrics)))
            .attribute("colour", S::optional(T::text(3, 40)))
            .ondc(
                ret16("Home Furnishing - Bedding and Linen").from_attribute("material", "fabric"),
            ),
    ))?;
    t.add(
        def("home-furnishing/nakshi-kantha", "Nakshi kantha", "নকশি কাঁথা")?
            .hsn(["6302", "6304"])
            .attribute("layers", S::optional(T::integer("layers", 1, 9))),
    )?;
    t.add(
        def("home-furnishing/bedsheets", "Bedsheets", "বিছানার চাদর")?
            .hsn(["6302"])
            .attribute(
                "bed_size",
                S::required(T::enumeration(["single", "double", "king"])),
            ),
    )?;

    // Packaged food and produce.
    t.add(
        def("food", "Food and produce", "খাদ্য ও কৃষিপণ্য")?
            .hsn(["09", "10", "17"])
            .packaged(true)
            // Packaged food is ONDC's grocery domain (RET10), which haat does not publish to.
            .not_on_ondc()
            .attribute("shelf_life_days", S::optional(T::integer("days", 1, 1_095)))
            .attribute("organic", S::optional(T::Bool)),
    )?;
    t.add(def("food/tea", "Tea", "চা")?.hsn(["0902"]))?;
    t.add(
        def("food/tea/darjeeling", "Darjeeling tea", "দার্জিলিং চা")?
            .attribute(
                "flush",
                S::required(T::enumeration(["first", "second", "monsoon", "autumn"])),
            )
            .attribute("estate", S::optional(T::text(3, 60))),
    )?;
    t.add(def("food/rice", "Rice", "চাল")?.hsn(["1006"]))?;
    t.add(
        def("food/rice/gobindobhog", "Gobindobhog rice", "গোবিন্দভোগ চাল")?
            .attribute("crop_year", S::optional(T::integer("year", 2000, 2100))),
    )?;
    t.add(def("food/jaggery", "Jaggery", "গুড়")?.hsn(["1701", "1702"]))?;
    t.add(
        def("food/jaggery/nolen-gur", "Nolen gur", "নলেন গুড়")?
            .attribute("form", S::required(T::enumeration(["jhola", "patali"]))),
    )?;
    Ok(())
}
