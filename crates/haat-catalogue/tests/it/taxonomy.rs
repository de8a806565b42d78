//! The category tree: paths, inheritance, tightening, HSN families.

use haat_catalogue::{AttributeSchema, AttributeType, CategoryDef, CategoryId, Error, Taxonomy};
use proptest::prelude::*;

fn id(s: &str) -> CategoryId {
    s.parse().unwrap()
}

#[track_caller]
fn check_parse(input: &str, expected: Option<&str>) {
    let got = input.parse::<CategoryId>().ok().map(|c| c.to_string());
    assert_eq!(got.as_deref(), expected, "parsing {input:?}");
}

#[test]
fn category_paths_parse_and_normalise() {
    check_parse(
        "textiles/sarees/handloom/baluchari",
        Some("textiles/sarees/handloom/baluchari"),
    );
    check_parse(" Textiles/Sarees/ ", Some("textiles/sarees"));
    check_parse("/food/tea", Some("food/tea"));
    check_parse(
        "home-furnishing/nakshi-kantha",
        Some("home-furnishing/nakshi-kantha"),
    );
    check_parse("", None);
    check_parse("textiles//sarees", None);
    check_parse("textiles/saree s", None);
    check_parse("textiles/শাড়ি", None);
    check_parse("textiles/-sarees", None);
    check_parse("food/tea_leaf", None);
}

#[test]
fn category_relations() {
    let tant = id("textiles/sarees/handloom/tant");
    assert_eq!(tant.parent(), Some(id("textiles/sarees/handloom")));
    let up: Vec<_> = tant.ancestors().collect();
    assert_eq!(
        up,
        [
            id("textiles/sarees/handloom"),
            id("textiles/sarees"),
            id("textiles")
        ]
    );
    assert!(tant.is_within(&tant));
    assert!(tant.is_within(&id("textiles")));
    assert!(!id("textiles").is_within(&tant));
    assert!(!id("textiles/sarees-extra").is_within(&id("textiles/sarees")));
    assert_eq!(tant.depth(), 4);
    assert_eq!(tant.leaf(), "tant");
    assert_eq!(
        serde_json::to_string(&tant).unwrap(),
        "\"textiles/sarees/handloom/tant\""
    );
    assert!(serde_json::from_str::<CategoryId>("\"a//b\"").is_err());
}

#[test]
fn default_taxonomy_covers_west_bengal() {
    let t = Taxonomy::west_bengal_default();
    for (path, hsn_ok, hsn_bad) in [
        ("textiles/sarees/handloom/tant", "52085210", "5007"),
        ("textiles/sarees/handloom/baluchari", "5007", "5208"),
        ("textiles/sarees/handloom/jamdani", "5208", "5407"),
        ("textiles/sarees/handloom/dhaniakhali", "5209", "6204"),
        ("textiles/sarees/handloom/shantipuri", "5208", "5408"),
        ("textiles/sarees", "5407", "6302"),
        ("apparel/kurtas", "6204", "6302"),
        ("handicrafts/dokra", "8306", "6913"),
        ("handicrafts/dokra", "7419", "8301"),
        ("handicrafts/terracotta", "6913", "8306"),
        ("handicrafts/sholapith", "4602", "6913"),
        ("home-furnishing/nakshi-kantha", "6304", "6205"),
        ("food/tea/darjeeling", "0902", "1006"),
        ("food/rice/gobindobhog", "1006", "0902"),
        ("food/jaggery/nolen-gur", "1702", "1006"),
    ] {
        let c = t.get(&id(path)).unwrap_or_else(|| panic!("{path} missing"));
        assert!(
            c.allows_hsn(&hsn_ok.parse().unwrap()),
            "{path} should allow {hsn_ok}"
        );
        assert!(
            !c.allows_hsn(&hsn_bad.parse().unwrap()),
            "{path} should refuse {hsn_bad}"
        );
        assert!(!c.name_en().is_empty() && !c.name_bn().is_empty());
    }
    let tea = t.get(&id("food/tea/darjeeling")).unwrap();
    assert!(tea.is_packaged(), "packaged is inherited from food");
    assert!(!t.get(&id("textiles/sarees")).unwrap().is_packaged());
    let baluchari = t.get(&id("textiles/sarees/handloom/baluchari")).unwrap();
    // Inherited from sarees, and fabric tightened to silk and tussar.
    for name in [
        "length_m",
        "blouse_piece",
        "gi_tag",
        "gi_name",
        "weave",
        "fabric",
    ] {
        assert!(baluchari.attribute(name).is_some(), "{name}");
    }
    assert_eq!(
        baluchari.attribute("fabric").unwrap().ty(),
        &AttributeType::enumeration(["silk", "tussar"])
    );
    let gis = baluchari.attribute("gi_name").unwrap().ty().describe();
    for gi in ["Santipore Saree", "Baluchari Saree", "Dhaniakhali Saree"] {
        assert!(gis.contains(gi));
    }
    assert_eq!(t.children(Some(&id("textiles/sarees/handloom"))).len(), 5);
    assert_eq!(t.categories().len(), t.len());
}

#[test]
fn children_may_tighten_but_not_loosen() {
    let mut t = Taxonomy::new();
    t.add(CategoryDef::new(id("a"), "A", "ক").hsn(["52"]).attribute(
        "len",
        AttributeSchema::required(AttributeType::number("m", 5.into(), 9.into())),
    ))
    .unwrap();
    let loosen = t.add(CategoryDef::new(id("a/b"), "B", "খ").attribute(
        "len",
        AttributeSchema::required(AttributeType::number("m", 4.into(), 9.into())),
    ));
    assert!(matches!(loosen, Err(Error::InvalidTaxonomy { .. })));
    let optional = t.add(CategoryDef::new(id("a/b"), "B", "খ").attribute(
        "len",
        AttributeSchema::optional(AttributeType::number("m", 5.into(), 9.into())),
    ));
    assert!(optional.is_err(), "a required attribute stays required");
    let outside_hsn = t.add(CategoryDef::new(id("a/b"), "B", "খ").hsn(["50"]));
    assert!(outside_hsn.is_err());
    let orphan = t.add(CategoryDef::new(id("x/y"), "Y", "য"));
    assert!(orphan.is_err());
    t.add(
        CategoryDef::new(id("a/b"), "B", "খ")
            .hsn(["5208"])
            .attribute(
                "len",
                AttributeSchema::required(AttributeType::number("m", 6.into(), 7.into())),
            ),
    )
    .unwrap();
    assert!(
        t.add(CategoryDef::new(id("a/b"), "B", "খ")).is_err(),
        "defined twice"
    );
}

#[test]
fn a_category_lists_the_leaves_beneath_it() {
    let t = Taxonomy::west_bengal_default();
    let leaves = |path: &str| -> Vec<String> {
        let category = t.get(&id(path)).unwrap();
        category.leaves().iter().map(|c| c.to_string()).collect()
    };
    assert_eq!(
        leaves("textiles"),
        [
            "textiles/sarees/handloom/baluchari",
            "textiles/sarees/handloom/dhaniakhali",
            "textiles/sarees/handloom/jamdani",
            "textiles/sarees/handloom/shantipuri",
            "textiles/sarees/handloom/tant",
        ]
    );
    assert_eq!(
        leaves("textiles/sarees/handloom/tant"),
        Vec::<String>::new()
    );
    assert!(
        t.get(&id("textiles/sarees/handloom/tant"))
            .unwrap()
            .is_leaf()
    );
    assert!(!t.get(&id("textiles/sarees")).unwrap().is_leaf());
}

/// Paths of up to four segments over a small alphabet, closed under parents, in an order that
/// adds each parent before its children (otherwise any order).
fn arb_tree() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(prop::collection::vec("[a-c]", 1..=4), 1..12)
        .prop_map(|paths| {
            let mut all: Vec<String> = Vec::new();
            for segments in paths {
                for depth in 1..=segments.len() {
                    let path = segments[..depth].join("/");
                    if !all.contains(&path) {
                        all.push(path);
                    }
                }
            }
            all
        })
        .prop_shuffle()
        .prop_map(|mut all| {
            all.sort_by_key(|p| p.matches('/').count());
            all
        })
}

proptest! {
    /// Whatever the order categories are added in, each one's leaves are exactly the categories
    /// beneath it that have no children, and a category is a leaf exactly when it has none.
    #[test]
    fn leaves_are_the_childless_categories_beneath(paths in arb_tree()) {
        let mut t = Taxonomy::new();
        for path in &paths {
            t.add(CategoryDef::new(id(path), path, path)).unwrap();
        }
        for category in t.categories() {
            let expected: Vec<&CategoryId> = t
                .categories()
                .into_iter()
                .filter(|d| d.id() != category.id() && d.id().is_within(category.id()))
                .filter(|d| t.children(Some(d.id())).is_empty())
                .map(|d| d.id())
                .collect();
            let got: Vec<&CategoryId> = category.leaves().iter().collect();
            prop_assert_eq!(got, expected, "{}", category.id());
            prop_assert_eq!(category.is_leaf(), t.children(Some(category.id())).is_empty());
        }
    }
}
