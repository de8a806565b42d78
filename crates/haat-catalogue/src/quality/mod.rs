//! Automatic quality checks on listing content: every problem at once, each with a field path,
//! a code and a severity, and a score with the reasons behind it.
//!
//! The checks run on every submission and on every row of a bulk import, so the passing path
//! allocates nothing: words are compared in place without lower-casing copies, and messages are
//! only formatted for problems actually found.

mod content;
mod title;

use std::fmt;

use serde::{Deserialize, Serialize};

use content::{
    check_attributes, check_declarations, check_description, check_images, check_price, not_a_leaf,
};
use title::check_title;

use crate::{Category, ListingContent, Taxonomy};

/// The fewest characters a title may have.
pub const TITLE_MIN_CHARS: usize = 10;
/// The most characters a title may have.
pub const TITLE_MAX_CHARS: usize = 150;
/// A description shorter than this (in characters) costs score.
pub const DESCRIPTION_MIN_CHARS: usize = 30;
/// Fewer images than this costs score.
pub const IMAGES_RECOMMENDED: usize = 3;
/// A discount above this percentage of the MRP is flagged as suspicious.
pub const SUSPICIOUS_DISCOUNT_PERCENT: i128 = 80;
/// The most times one word may appear in a title.
pub const MAX_WORD_REPEATS: usize = 2;

/// How serious a quality issue is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Blocks submission for review.
    Error,
    /// Worth fixing; costs score but does not block.
    Warning,
}

/// What kind of problem a quality issue is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum IssueCode {
    /// The title has fewer than [`TITLE_MIN_CHARS`] characters.
    TitleTooShort,
    /// The title has more than [`TITLE_MAX_CHARS`] characters.
    TitleTooLong,
    /// The title contains a promotional phrase ("best price", "sale", ...).
    PromotionalPhrase,
    /// The title contains a forbidden character or an emoji.
    ForbiddenCharacter,
    /// A word appears more than [`MAX_WORD_REPEATS`] times in the title.
    RepeatedWord,
    /// The description is short (warning).
    DescriptionShort,
    /// There is no image.
    NoImage,
    /// Fewer images than recommended (warning).
    FewImages,
    /// An image URL is not `https://`.
    ImageNotHttps,
    /// The category is not in the taxonomy.
    UnknownCategory,
    /// The category has subcategories: listings go in leaf categories only.
    CategoryNotLeaf,
    /// A required attribute is missing.
    MissingAttribute,
    /// An attribute the category does not define.
    UnknownAttribute,
    /// An attribute's value is of the wrong kind (text for a number, ...).
    AttributeWrongType,
    /// An enumerated attribute has a value outside its list.
    AttributeNotAllowed,
    /// A number is outside its range, or a text outside its length limits.
    AttributeOutOfRange,
    /// A whole number was expected.
    AttributeNotInteger,
    /// A number was given in a different unit from the schema's.
    AttributeWrongUnit,
    /// The selling price is zero or negative.
    PriceNotPositive,
    /// The selling price is above the MRP.
    PriceAboveMrp,
    /// The MRP is zero or negative.
    MrpNotPositive,
    /// A packaged commodity has no MRP.
    MrpRequired,
    /// The discount on the MRP is suspiciously large (warning).
    SuspiciousDiscount,
    /// A packaged commodity has no Legal Metrology declarations.
    DeclarationsMissing,
    /// One Legal Metrology declaration is absent or blank; the path names which (see
    /// [`Declaration`](crate::Declaration)).
    DeclarationBlank,
    /// The declared net quantity is zero or negative.
    NetQuantityNotPositive,
    /// The country of origin is not an ISO 3166-1 alpha-2 code.
    CountryNotIso3166,
    /// The declared unit sale price is not the MRP divided by the net quantity in the unit
    /// Rule 6(11) asks for.
    UnitSalePriceWrong,
    /// The consumer-care telephone number or e-mail address is not one.
    ConsumerCareInvalid,
    /// The HSN code is not in a family allowed for the category.
    HsnNotAllowed,
}

impl IssueCode {
    /// The code's name as in JSON (`title_too_short`).
    pub fn as_str(self) -> &'static str {
        match self {
            IssueCode::TitleTooShort => "title_too_short",
            IssueCode::TitleTooLong => "title_too_long",
            IssueCode::PromotionalPhrase => "promotional_phrase",
            IssueCode::ForbiddenCharacter => "forbidden_character",
            IssueCode::RepeatedWord => "repeated_word",
            IssueCode::DescriptionShort => "description_short",
            IssueCode::NoImage => "no_image",
            IssueCode::FewImages => "few_images",
            IssueCode::ImageNotHttps => "image_not_https",
            IssueCode::UnknownCategory => "unknown_category",
            IssueCode::CategoryNotLeaf => "category_not_leaf",
            IssueCode::MissingAttribute => "missing_attribute",
            IssueCode::UnknownAttribute => "unknown_attribute",
            IssueCode::AttributeWrongType => "attribute_wrong_type",
            IssueCode::AttributeNotAllowed => "attribute_not_allowed",
            IssueCode::AttributeOutOfRange => "attribute_out_of_range",
            IssueCode::AttributeNotInteger => "attribute_not_integer",
            IssueCode::AttributeWrongUnit => "attribute_wrong_unit",
            IssueCode::PriceNotPositive => "price_not_positive",
            IssueCode::PriceAboveMrp => "price_above_mrp",
            IssueCode::MrpNotPositive => "mrp_not_positive",
            IssueCode::MrpRequired => "mrp_required",
            IssueCode::SuspiciousDiscount => "suspicious_discount",
            IssueCode::DeclarationsMissing => "declarations_missing",
            IssueCode::DeclarationBlank => "declaration_blank",
            IssueCode::NetQuantityNotPositive => "net_quantity_not_positive",
            IssueCode::CountryNotIso3166 => "country_not_iso3166",
            IssueCode::UnitSalePriceWrong => "unit_sale_price_wrong",
            IssueCode::ConsumerCareInvalid => "consumer_care_invalid",
            IssueCode::HsnNotAllowed => "hsn_not_allowed",
        }
    }

    /// How serious the problem is.
    pub fn severity(self) -> Severity {
        match self {
            IssueCode::DescriptionShort | IssueCode::FewImages | IssueCode::SuspiciousDiscount => {
                Severity::Warning
            }
            _ => Severity::Error,
        }
    }

    /// The score points the problem costs: 20 for an error, 10 for a suspicious discount, 5 for
    /// other warnings.
    pub fn points(self) -> u8 {
        match self {
            IssueCode::SuspiciousDiscount => 10,
            _ if self.severity() == Severity::Warning => 5,
            _ => 20,
        }
    }
}

impl fmt::Display for IssueCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem found in a listing's content.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct QualityIssue {
    /// Which field: `title`, `images[2]`, `attributes.length_m`, `packaged.address`.
    pub path: String,
    /// What kind of problem.
    pub code: IssueCode,
    /// Whether it blocks.
    pub severity: Severity,
    /// The score points it costs.
    pub points: u8,
    /// A sentence for the seller.
    pub message: String,
}

impl fmt::Display for QualityIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{severity} {} at {}: {} (-{})",
            self.code, self.path, self.message, self.points
        )
    }
}

/// Everything the automatic checks found, and the score.
///
/// The score starts at 100 and each issue takes off its [`points`](QualityIssue::points), down to
/// 0: the issues *are* the reasons behind the score, each deduction attributed to a field.
///
/// ```
/// use haat_catalogue::{ListingContent, QualityReport, check_listing, Taxonomy};
/// # let content: ListingContent = serde_json::from_str(r#"{
/// #     "title": "Handwoven Shantipuri cotton saree, red and white",
/// #     "description": "Woven on a pit loom in Shantipur, Nadia, with a fine 100-count weft.",
/// #     "category": "textiles/sarees/handloom/shantipuri",
/// #     "attributes": {"blouse_piece": true, "fabric": "cotton", "gi_name": "Santipore Saree",
/// #                    "gi_tag": true, "length_m": 5.5},
/// #     "images": ["https://img.example.in/shantipuri-1.jpg",
/// #                "https://img.example.in/shantipuri-2.jpg",
/// #                "https://img.example.in/shantipuri-3.jpg"],
/// #     "price": "2450.00", "mrp": "2800.00", "hsn": "5208", "sku": "SHP-RED-001"
/// # }"#)?;
/// let report = check_listing(&content, &Taxonomy::west_bengal_default());
/// assert!(report.passes());
/// assert_eq!(report.score(), 100);
/// # Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct QualityReport {
    issues: Vec<QualityIssue>,
    score: u8,
}

impl Default for QualityReport {
    fn default() -> QualityReport {
        QualityReport {
            issues: Vec::new(),
            score: 100,
        }
    }
}

impl QualityReport {
    /// Every problem found, in the order the checks ran (title, description, images, category
    /// and attributes, price, declarations, HSN).
    pub fn issues(&self) -> &[QualityIssue] {
        &self.issues
    }

    /// 0–100: 100 less the points of every issue.
    pub fn score(&self) -> u8 {
        self.score
    }

    /// Whether nothing blocks submission (warnings allowed).
    pub fn passes(&self) -> bool {
        !self.issues.iter().any(|i| i.severity == Severity::Error)
    }

    /// The blocking issues.
    pub fn errors(&self) -> impl Iterator<Item = &QualityIssue> {
        self.issues.iter().filter(|i| i.severity == Severity::Error)
    }

    /// The non-blocking issues.
    pub fn warnings(&self) -> impl Iterator<Item = &QualityIssue> {
        self.issues
            .iter()
            .filter(|i| i.severity == Severity::Warning)
    }

    /// Whether an issue with `code` was found at `path`.
    pub fn has(&self, path: &str, code: IssueCode) -> bool {
        self.issues.iter().any(|i| i.path == path && i.code == code)
    }

    fn push(&mut self, path: impl Into<String>, code: IssueCode, message: String) {
        let points = code.points();
        self.score = self.score.saturating_sub(points);
        self.issues.push(QualityIssue {
            path: path.into(),
            code,
            severity: code.severity(),
            points,
            message,
        });
    }
}

impl fmt::Display for QualityReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "score {}/100", self.score)?;
        for issue in &self.issues {
            write!(f, "\n  {issue}")?;
        }
        Ok(())
    }
}

/// Checks a listing's content against the rules and its category's schema, and reports every
/// problem at once.
///
/// The checks: title length, promotional phrases, forbidden characters and emoji, words repeated
/// more than twice (case-insensitive; short words like "and" excepted); description length
/// (warning); at least one image, every image `https://`, fewer than three (warning); category
/// known; required attributes present, every attribute defined for the category and valid for
/// its type (enum value, range, whole number, unit); 0 < price ≤ MRP; MRP required for packaged
/// goods; the Legal Metrology declarations for packaged goods; HSN in the category's families;
/// a discount above 80% of the MRP (warning). The category must be a leaf: a category with
/// subcategories takes no listings.
///
/// Never panics, and is deterministic: the same content and taxonomy give the same report.
///
/// ```
/// use haat_catalogue::{IssueCode, ListingContent, Taxonomy, check_listing};
/// # let mut content: ListingContent = serde_json::from_str(r#"{
/// #     "title": "Handwoven Shantipuri cotton saree, red and white",
/// #     "description": "Woven on a pit loom in Shantipur, Nadia, with a fine 100-count weft.",
/// #     "category": "textiles/sarees/handloom/shantipuri",
/// #     "attributes": {"blouse_piece": true, "fabric": "cotton", "gi_name": "Santipore Saree",
/// #                    "gi_tag": true, "length_m": 5.5},
/// #     "images": ["https://img.example.in/shantipuri-1.jpg",
/// #                "https://img.example.in/shantipuri-2.jpg",
/// #                "https://img.example.in/shantipuri-3.jpg"],
/// #     "price": "2450.00", "mrp": "2800.00", "hsn": "5208", "sku": "SHP-RED-001"
/// # }"#)?;
/// content.title = "BEST PRICE saree!!".into();
/// content.images.push("http://img.example.in/2.jpg".into());
/// let report = check_listing(&content, &Taxonomy::west_bengal_default());
/// assert!(!report.passes());
/// assert!(report.has("title", IssueCode::PromotionalPhrase));
/// assert!(report.has("title", IssueCode::ForbiddenCharacter));
/// assert!(report.has("images[3]", IssueCode::ImageNotHttps));
/// # Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())
/// ```
pub fn check_listing(content: &ListingContent, taxonomy: &Taxonomy) -> QualityReport {
    check_listing_in(content, taxonomy.get(&content.category), Scope::ALL)
}

/// Which of the checks [`check_listing_in`] runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Scope {
    /// The listing-quality rules: title and images.
    pub(crate) listing_rules: bool,
    /// The warnings (short description, few images, suspicious discount); without them no
    /// warning's message is formatted.
    pub(crate) warnings: bool,
}

impl Scope {
    /// Everything: what [`check_listing`] and a submission for review run.
    pub(crate) const ALL: Scope = Scope {
        listing_rules: true,
        warnings: true,
    };
}

/// [`check_listing`] with the category already looked up (`None`: not in the taxonomy), for the
/// bulk import, which has resolved it while parsing the row, and with a choice of checks: the
/// content's validity for its category (schema and attributes, price and MRP, declarations,
/// HSN) always, the title and image rules and the warnings as `scope` says.
pub(crate) fn check_listing_in(
    content: &ListingContent,
    category: Option<&Category>,
    scope: Scope,
) -> QualityReport {
    let mut report = QualityReport::default();
    if scope.listing_rules {
        check_title(&content.title, &mut report);
    }
    if scope.warnings {
        check_description(&content.description, &mut report);
    }
    if scope.listing_rules {
        check_images(&content.images, scope.warnings, &mut report);
    }
    match category {
        Some(category) => {
            if !category.is_leaf() {
                not_a_leaf(category, &mut report);
            }
            check_attributes(content, category, &mut report)
        }
        None => report.push(
            "category",
            IssueCode::UnknownCategory,
            format!("category '{}' is not in the taxonomy", content.category),
        ),
    }
    let packaged = category.is_some_and(Category::is_packaged);
    check_price(
        content.price,
        content.mrp,
        packaged,
        scope.warnings,
        &mut report,
    );
    if packaged {
        check_declarations(content, &mut report);
    }
    if let Some(category) = category
        && !category.allows_hsn(&content.hsn)
    {
        report.push(
            "hsn",
            IssueCode::HsnNotAllowed,
            format!(
                "HSN {} is not allowed in '{}'; use a code starting {}",
                content.hsn,
                category.id(),
                category.hsn_prefixes().join(", ")
            ),
        );
    }
    report
}
