//! Automatic quality checks on listing content: every problem at once, each with a field path,
//! a code and a severity, and a score with the reasons behind it.
//!
//! The checks run on every submission and on every row of a bulk import, so the passing path
//! allocates nothing: words are compared in place without lower-casing copies, and messages are
//! only formatted for problems actually found.

use std::fmt;
use std::sync::Arc;

use haat_core::{Decimal, Money};
use serde::{Deserialize, Serialize};

use crate::listing::{country_code_for_name, iso_country};
use crate::taxonomy::{NumberText, parse_number_in};
use crate::{
    AttributeSchema, AttributeType, AttributeValue, Category, Declaration, ListingContent, Taxonomy,
};

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

/// Phrases that make a title an advertisement, as sequences of lower-case words (punctuation and
/// case are ignored when matching: "BEST-PRICE!" matches "best price").
pub(crate) const PROMOTIONAL_PHRASES: &[&[&str]] = &[
    &["best", "price"],
    &["lowest", "price"],
    &["100", "original"],
    &["100", "genuine"],
    &["free", "delivery"],
    &["free", "shipping"],
    &["cash", "on", "delivery"],
    &["buy", "now"],
    &["limited", "time"],
    &["limited", "stock"],
    &["hurry"],
    &["sale"],
    &["offer"],
    &["offers"],
    &["discount"],
    &["cheapest"],
    &["deal"],
    &["deals"],
    &["bestseller"],
];

/// Characters a title may not contain (besides emoji and control characters).
pub(crate) const FORBIDDEN_TITLE_CHARACTERS: &[char] = &[
    '!', '$', '?', '_', '{', '}', '^', '¬', '¦', '<', '>', '~', '*',
];

/// Short words that may repeat freely in a title.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "&", "of", "the", "with", "for", "in", "by",
];

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

/// The most words of a title examined for phrases and repeats (a 150-character title has at
/// most 75).
const MAX_WORDS: usize = 96;

fn check_title(title: &str, report: &mut QualityReport) {
    // Most titles are plain ASCII without a forbidden character: for those the character count
    // is the length, and one pass over the bytes (a table lookup each) finds the words.
    let mut words: [&str; MAX_WORDS] = [""; MAX_WORDS];
    // Per word, its length and lower-cased first and last bytes (ASCII titles only): two words
    // with different keys are different words, so most pairs are told apart by one compare.
    let mut keys = [0u32; MAX_WORDS];
    let plain_count = plain_words(title, &mut words, &mut keys);
    let plain = plain_count.is_some();
    let chars = if plain {
        title.len()
    } else {
        title.chars().count()
    };
    if chars < TITLE_MIN_CHARS {
        report.push(
            "title",
            IssueCode::TitleTooShort,
            format!("title has {chars} characters; the fewest is {TITLE_MIN_CHARS}"),
        );
    } else if chars > TITLE_MAX_CHARS {
        report.push(
            "title",
            IssueCode::TitleTooLong,
            format!("title has {chars} characters; the most is {TITLE_MAX_CHARS}"),
        );
    }

    if !plain {
        for (position, character) in title.chars().enumerate() {
            if is_forbidden(character) {
                // One issue per distinct character.
                let first = title.chars().position(|c| c == character) == Some(position);
                if first {
                    report.push(
                        "title",
                        IssueCode::ForbiddenCharacter,
                        format!(
                            "title has {character:?} at position {}; remove it",
                            position + 1
                        ),
                    );
                }
            }
        }
    }

    let count = match plain_count {
        Some(count) => count,
        None => fill_words(
            &mut words,
            title.split(|c: char| !c.is_alphanumeric() && !is_combining(c)),
        ),
    };
    let words = &words[..count];
    let keys = &keys[..count];

    for start in 0..words.len() {
        // Only the phrases whose first word has this word's length and first letter are
        // compared (for most words, none).
        let mut candidates = phrase_candidates(words[start]);
        while candidates != 0 {
            let phrase = PROMOTIONAL_PHRASES[candidates.trailing_zeros() as usize];
            candidates &= candidates - 1;
            if phrase.len() <= words.len() - start
                && phrase
                    .iter()
                    .zip(&words[start..])
                    .all(|(p, w)| w.eq_ignore_ascii_case(p))
            {
                report.push(
                    "title",
                    IssueCode::PromotionalPhrase,
                    format!(
                        "title contains the promotional phrase '{}'; describe the product instead",
                        phrase.join(" ")
                    ),
                );
            }
        }
    }

    let same = |a: &str, b: &str| {
        if plain {
            a.eq_ignore_ascii_case(b)
        } else {
            same_word(a, b)
        }
    };
    for (i, word) in words.iter().enumerate() {
        // Count earlier occurrences, stopping once past the limit (only the occurrence that
        // reaches it is reported); the stop-word test runs only for a word that repeats.
        let mut before = 0;
        for (w, key) in words[..i].iter().zip(keys) {
            if *key == keys[i] && same(w, word) {
                before += 1;
                if before > MAX_WORD_REPEATS {
                    break;
                }
            }
        }
        if before == MAX_WORD_REPEATS && !STOP_WORDS.iter().any(|s| word.eq_ignore_ascii_case(s)) {
            let total = before + 1 + words[i + 1..].iter().filter(|w| same(w, word)).count();
            report.push(
                "title",
                IssueCode::RepeatedWord,
                format!("title repeats '{word}' {total} times; the most is {MAX_WORD_REPEATS}"),
            );
        }
    }
}

/// What each byte is in a plain title: [`WORD_BYTE`] (an ASCII letter or digit, what
/// `char::is_alphanumeric` says for ASCII), [`SEPARATOR_BYTE`], or [`NOT_PLAIN`] (a forbidden
/// character, a control character, or part of a non-ASCII character).
const TITLE_BYTES: [u8; 256] = {
    let mut table = [NOT_PLAIN; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = if FORBIDDEN_ASCII[b] {
            NOT_PLAIN
        } else if (b as u8).is_ascii_alphanumeric() {
            WORD_BYTE
        } else {
            SEPARATOR_BYTE
        };
        b += 1;
    }
    table
};
const SEPARATOR_BYTE: u8 = 0;
const WORD_BYTE: u8 = 1;
const NOT_PLAIN: u8 = 2;

/// For a plain title (ASCII, no forbidden or control character), puts its words in `words`
/// and their keys in `keys` (up to [`MAX_WORDS`]) and returns how many; `None` for any other
/// title, whose words the general split finds.
fn plain_words<'a>(
    title: &'a str,
    words: &mut [&'a str; MAX_WORDS],
    keys: &mut [u32; MAX_WORDS],
) -> Option<usize> {
    let bytes = title.as_bytes();
    // No early exit: the loop has no branch per byte but the accumulation.
    let not_plain = bytes
        .iter()
        .fold(0u8, |acc, &b| acc | TITLE_BYTES[usize::from(b)]);
    if not_plain & NOT_PLAIN != 0 {
        return None;
    }
    let mut count = 0;
    let mut start = None;
    for (i, &b) in bytes.iter().chain(std::iter::once(&b' ')).enumerate() {
        match (TITLE_BYTES[usize::from(b)] == WORD_BYTE, start) {
            (true, None) => start = Some(i),
            (false, Some(from)) => {
                start = None;
                if count == MAX_WORDS {
                    break;
                }
                // ASCII throughout, so every byte index is a character boundary.
                let word = title.get(from..i).unwrap_or("");
                let first = bytes[from].to_ascii_lowercase();
                let last = bytes[i - 1].to_ascii_lowercase();
                words[count] = word;
                keys[count] =
                    (i - from).min(0xFF) as u32 | u32::from(first) << 8 | u32::from(last) << 16;
                count += 1;
            }
            _ => {}
        }
    }
    Some(count)
}

/// Puts the non-empty pieces of `split` into `words`, up to its length; returns how many.
fn fill_words<'a>(words: &mut [&'a str; MAX_WORDS], split: impl Iterator<Item = &'a str>) -> usize {
    let mut count = 0;
    for word in split.filter(|w| !w.is_empty()) {
        if count == MAX_WORDS {
            break;
        }
        words[count] = word;
        count += 1;
    }
    count
}

/// The ASCII characters [`is_forbidden`] refuses (listed ones and control characters), as a
/// table indexed by byte.
const FORBIDDEN_ASCII: [bool; 128] = {
    let mut table = [false; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = b < 0x20 || b == 0x7F;
        b += 1;
    }
    let mut i = 0;
    while i < FORBIDDEN_TITLE_CHARACTERS.len() {
        let c = FORBIDDEN_TITLE_CHARACTERS[i] as u32;
        if c < 128 {
            table[c as usize] = true;
        }
        i += 1;
    }
    table
};

/// For each first byte and each length of a word, the promotional phrases (bit `i` for
/// `PROMOTIONAL_PHRASES[i]`) whose first word starts with that byte (either case) and has that
/// length: computed from [`PROMOTIONAL_PHRASES`] so the filter cannot drift from the list.
const PHRASE_CANDIDATES: ([u32; 256], [u32; 32]) = {
    assert!(PROMOTIONAL_PHRASES.len() <= 32, "one bit per phrase");
    let mut by_first = [0u32; 256];
    let mut by_len = [0u32; 32];
    let mut i = 0;
    while i < PROMOTIONAL_PHRASES.len() {
        let word = PROMOTIONAL_PHRASES[i][0].as_bytes();
        assert!(
            !word.is_empty() && word.len() < 32,
            "first words are 1 to 31 bytes"
        );
        by_first[word[0].to_ascii_lowercase() as usize] |= 1 << i;
        by_first[word[0].to_ascii_uppercase() as usize] |= 1 << i;
        by_len[word.len()] |= 1 << i;
        i += 1;
    }
    (by_first, by_len)
};

/// The promotional phrases `word` could begin (a necessary test: the rest is compared).
fn phrase_candidates(word: &str) -> u32 {
    let (by_first, by_len) = &PHRASE_CANDIDATES;
    match (word.as_bytes().first(), by_len.get(word.len())) {
        (Some(&first), Some(&len)) => by_first[usize::from(first)] & len,
        _ => 0,
    }
}

fn same_word(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.chars()
            .flat_map(char::to_lowercase)
            .eq(b.chars().flat_map(char::to_lowercase))
    }
}

/// Marks (Bengali vowel signs, virama, nukta, ...) belong to the word they sit in.
fn is_combining(c: char) -> bool {
    matches!(c, '\u{0981}'..='\u{0983}' | '\u{09BC}'..='\u{09D7}' | '\u{0900}'..='\u{0903}' | '\u{093A}'..='\u{094F}' | '\u{200C}' | '\u{200D}' | '\u{0300}'..='\u{036F}')
}

fn is_forbidden(c: char) -> bool {
    FORBIDDEN_TITLE_CHARACTERS.contains(&c) || is_emoji(c) || (c.is_control())
}

fn is_emoji(c: char) -> bool {
    matches!(
        c,
        '\u{1F000}'..='\u{1FAFF}'
            | '\u{2600}'..='\u{27BF}'
            | '\u{2B00}'..='\u{2BFF}'
            | '\u{FE0F}'
            | '\u{E0020}'..='\u{E007F}'
    )
}

fn check_description(description: &str, report: &mut QualityReport) {
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

fn check_images(images: &[String], warnings: bool, report: &mut QualityReport) {
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

fn check_attributes(content: &ListingContent, category: &Category, report: &mut QualityReport) {
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
fn not_a_leaf(category: &Category, report: &mut QualityReport) {
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

fn check_price(
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

fn check_declarations(content: &ListingContent, report: &mut QualityReport) {
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
