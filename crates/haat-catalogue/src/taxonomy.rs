//! The category tree, the attribute schema of each category, and the HSN families allowed in it.

use std::collections::HashMap;
use std::fmt;

use std::str::FromStr;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use haat_core::{Decimal, FastBuildHasher};

use crate::{Error, HsnCode};

mod default;
mod ondc;

use ondc::OndcMapping;
pub use ondc::{OndcCategory, OndcDomain, OndcSource};

/// The longest category path accepted, in bytes.
pub const CATEGORY_MAX_LEN: usize = 200;

/// A category: a slash-separated path of lower-case ASCII segments, from the root of the tree
/// down, like `textiles/sarees/handloom/baluchari`.
///
/// Each segment is 1 or more of `a-z 0-9 -`. Parsing accepts what a person types: surrounding
/// whitespace and slashes are trimmed and upper case is lowered; anything else is an error that
/// says which character and where. Cloning is cheap (the text is shared).
///
/// ```
/// use haat_catalogue::CategoryId;
/// let baluchari: CategoryId = " Textiles/Sarees/Handloom/Baluchari ".parse()?;
/// assert_eq!(baluchari.as_str(), "textiles/sarees/handloom/baluchari");
/// let sarees: CategoryId = "textiles/sarees".parse()?;
/// assert!(baluchari.is_within(&sarees));
/// assert!(!sarees.is_within(&baluchari));
/// assert_eq!(baluchari.parent().map(|p| p.to_string()).as_deref(), Some("textiles/sarees/handloom"));
/// assert!("textiles//sarees".parse::<CategoryId>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CategoryId(Arc<str>);

impl CategoryId {
    /// The path as text, e.g. `textiles/sarees/handloom`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The category one level up, or `None` for a top-level category.
    ///
    /// ```
    /// use haat_catalogue::CategoryId;
    /// let tant: CategoryId = "textiles/sarees/handloom/tant".parse()?;
    /// assert_eq!(tant.parent().unwrap().as_str(), "textiles/sarees/handloom");
    /// assert_eq!("textiles".parse::<CategoryId>()?.parent(), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn parent(&self) -> Option<CategoryId> {
        self.0
            .rfind('/')
            .map(|slash| CategoryId(Arc::from(&self.0[..slash])))
    }

    /// The proper ancestors, nearest first: the parent, then its parent, up to the top-level
    /// category. A top-level category has none.
    ///
    /// ```
    /// use haat_catalogue::CategoryId;
    /// let tant: CategoryId = "textiles/sarees/tant".parse()?;
    /// let up: Vec<String> = tant.ancestors().map(|c| c.to_string()).collect();
    /// assert_eq!(up, ["textiles/sarees", "textiles"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn ancestors(&self) -> impl Iterator<Item = CategoryId> + '_ {
        self.ancestor_paths().map(|p| CategoryId(Arc::from(p)))
    }

    /// The proper ancestors as borrowed paths, nearest first (no allocation).
    pub fn ancestor_paths(&self) -> impl Iterator<Item = &str> + '_ {
        let s: &str = &self.0;
        std::iter::successors(s.rfind('/').map(|i| &s[..i]), |p: &&str| {
            p.rfind('/').map(|i| &p[..i])
        })
    }

    /// Whether this category is `other` or lies beneath it.
    ///
    /// ```
    /// use haat_catalogue::CategoryId;
    /// let jamdani: CategoryId = "textiles/sarees/jamdani".parse()?;
    /// assert!(jamdani.is_within(&"textiles".parse()?));
    /// assert!(jamdani.is_within(&jamdani));
    /// assert!(!jamdani.is_within(&"textiles/sar".parse()?));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_within(&self, other: &CategoryId) -> bool {
        is_within_path(&self.0, &other.0)
    }

    /// How deep the category is: 1 for a top-level category.
    pub fn depth(&self) -> usize {
        self.0.bytes().filter(|&b| b == b'/').count() + 1
    }

    /// The last segment, e.g. `baluchari`.
    pub fn leaf(&self) -> &str {
        self.0.rsplit('/').next().unwrap_or(&self.0)
    }
}

/// Whether the path `inner` is `outer` or beneath it.
pub(crate) fn is_within_path(inner: &str, outer: &str) -> bool {
    inner.len() >= outer.len()
        && inner.starts_with(outer)
        && (inner.len() == outer.len() || inner.as_bytes()[outer.len()] == b'/')
}

impl FromStr for CategoryId {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        let invalid = |reason| Error::InvalidCategory {
            input: s.trim().to_owned(),
            reason,
        };
        let trimmed = s.trim().trim_matches('/');
        if trimmed.is_empty() {
            return Err(invalid("it is empty"));
        }
        if trimmed.len() > CATEGORY_MAX_LEN {
            return Err(invalid("it is longer than 200 characters"));
        }
        for segment in trimmed.split('/') {
            if segment.is_empty() {
                return Err(invalid("it has an empty segment ('//')"));
            }
            if segment.starts_with('-') || segment.ends_with('-') {
                return Err(invalid("a segment starts or ends with '-'"));
            }
        }
        if let Some((position, character)) = trimmed
            .chars()
            .enumerate()
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '/')))
        {
            return Err(Error::InvalidCategory {
                input: s.trim().to_owned(),
                reason: match character {
                    ' ' => "it has a space; segments use a-z, 0-9 and '-'",
                    _ if !character.is_ascii() => {
                        "it has a non-ASCII character; segments use a-z, 0-9 and '-'"
                    }
                    _ => {
                        let _ = position;
                        "it has a character other than a-z, 0-9, '-' and '/'"
                    }
                },
            });
        }
        if trimmed.bytes().any(|b| b.is_ascii_uppercase()) {
            Ok(CategoryId(Arc::from(trimmed.to_ascii_lowercase())))
        } else {
            Ok(CategoryId(Arc::from(trimmed)))
        }
    }
}

impl std::borrow::Borrow<str> for CategoryId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CategoryId {
    type Error = Error;

    fn try_from(value: String) -> Result<Self, Error> {
        value.parse()
    }
}

impl From<CategoryId> for String {
    fn from(id: CategoryId) -> String {
        id.0.to_string()
    }
}

impl fmt::Display for CategoryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for CategoryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CategoryId({:?})", &*self.0)
    }
}

/// The type of an attribute's value, with its limits.
///
/// ```
/// use haat_catalogue::AttributeType;
/// let length = AttributeType::number("m", "5.0".parse()?, "9.0".parse()?);
/// assert!(length.is_tighter_or_equal(&AttributeType::number("m", "4".parse()?, "10".parse()?)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AttributeType {
    /// Free text of `min_len` to `max_len` characters.
    Text {
        /// The fewest characters.
        min_len: usize,
        /// The most characters.
        max_len: usize,
    },
    /// One of a fixed list of values (canonical spelling, usually lower case).
    Enum {
        /// The allowed values.
        values: Vec<String>,
    },
    /// A number in `unit`, between `min` and `max` inclusive; whole numbers only if `integer`.
    Number {
        /// The unit the number is in (`m`, `cm`, `g`, `days`).
        unit: String,
        /// The smallest allowed value.
        min: Decimal,
        /// The largest allowed value.
        max: Decimal,
        /// Whether only whole numbers are allowed.
        integer: bool,
    },
    /// Yes or no.
    Bool,
}

impl AttributeType {
    /// Free text of `min_len..=max_len` characters.
    pub fn text(min_len: usize, max_len: usize) -> AttributeType {
        AttributeType::Text { min_len, max_len }
    }

    /// One of `values`.
    pub fn enumeration<I, S>(values: I) -> AttributeType
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        AttributeType::Enum {
            values: values.into_iter().map(Into::into).collect(),
        }
    }

    /// A decimal number in `unit`, `min..=max`.
    pub fn number(unit: &str, min: Decimal, max: Decimal) -> AttributeType {
        AttributeType::Number {
            unit: unit.to_owned(),
            min,
            max,
            integer: false,
        }
    }

    /// A whole number in `unit`, `min..=max`.
    pub fn integer(unit: &str, min: i64, max: i64) -> AttributeType {
        AttributeType::Number {
            unit: unit.to_owned(),
            min: Decimal::from(min),
            max: Decimal::from(max),
            integer: true,
        }
    }

    /// Whether every value `self` accepts, `wider` accepts too: what a child category may do
    /// to an attribute it inherits.
    pub fn is_tighter_or_equal(&self, wider: &AttributeType) -> bool {
        match (self, wider) {
            (
                AttributeType::Text { min_len, max_len },
                AttributeType::Text {
                    min_len: wmin,
                    max_len: wmax,
                },
            ) => min_len >= wmin && max_len <= wmax,
            (AttributeType::Enum { values }, AttributeType::Enum { values: wider }) => {
                values.iter().all(|v| wider.contains(v))
            }
            (
                AttributeType::Number {
                    unit,
                    min,
                    max,
                    integer,
                },
                AttributeType::Number {
                    unit: wunit,
                    min: wmin,
                    max: wmax,
                    integer: winteger,
                },
            ) => unit == wunit && min >= wmin && max <= wmax && (*integer || !winteger),
            (AttributeType::Bool, AttributeType::Bool) => true,
            _ => false,
        }
    }

    /// A short description for messages: `text of 1–60 characters`, `number in m from 5.0 to
    /// 9.0`, `one of cotton, silk`, `yes/no`.
    pub fn describe(&self) -> String {
        match self {
            AttributeType::Text { min_len, max_len } => {
                format!("text of {min_len} to {max_len} characters")
            }
            AttributeType::Enum { values } => format!("one of {}", values.join(", ")),
            AttributeType::Number {
                unit,
                min,
                max,
                integer,
            } => format!(
                "{} in {unit} from {min} to {max}",
                if *integer { "whole number" } else { "number" }
            ),
            AttributeType::Bool => "yes/no".to_owned(),
        }
    }
}

/// Whether an attribute must be given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    /// The listing must give it.
    Required,
    /// The listing may give it.
    Optional,
}

/// The schema of one attribute of a category: its type and whether it is required.
///
/// ```
/// use haat_catalogue::{AttributeSchema, AttributeType, Presence};
/// let blouse = AttributeSchema::required(AttributeType::Bool);
/// assert_eq!(blouse.presence(), Presence::Required);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributeSchema {
    ty: AttributeType,
    presence: Presence,
}

impl AttributeSchema {
    /// A required attribute of type `ty`.
    pub fn required(ty: AttributeType) -> AttributeSchema {
        AttributeSchema {
            ty,
            presence: Presence::Required,
        }
    }

    /// An optional attribute of type `ty`.
    pub fn optional(ty: AttributeType) -> AttributeSchema {
        AttributeSchema {
            ty,
            presence: Presence::Optional,
        }
    }

    /// The value's type and limits.
    pub fn ty(&self) -> &AttributeType {
        &self.ty
    }

    /// Required or optional.
    pub fn presence(&self) -> Presence {
        self.presence
    }

    /// Whether the attribute is required.
    pub fn is_required(&self) -> bool {
        self.presence == Presence::Required
    }

    /// Whether this schema accepts no more than `inherited` does (a required attribute stays
    /// required, limits only narrow).
    pub fn is_tighter_or_equal(&self, inherited: &AttributeSchema) -> bool {
        (self.is_required() || !inherited.is_required())
            && self.ty.is_tighter_or_equal(&inherited.ty)
    }
}

/// The definition of one category, as given to [`Taxonomy::add`].
///
/// Attributes, HSN families and the packaged flag are inherited from the parent; a definition
/// adds attributes, and may tighten inherited ones (same type, narrower limits, optional made
/// required) and narrow the HSN families (each prefix within one of the parent's).
///
/// ```
/// use haat_catalogue::{AttributeSchema, AttributeType, CategoryDef};
/// let def = CategoryDef::new("handicrafts/dokra".parse()?, "Dokra metal craft", "ডোকরা")
///     .hsn(["8306", "7419"])
///     .attribute("height_cm", AttributeSchema::optional(AttributeType::number("cm", 1.into(), 150.into())));
/// assert_eq!(def.id().as_str(), "handicrafts/dokra");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategoryDef {
    id: CategoryId,
    name_en: String,
    name_bn: String,
    attributes: Vec<(String, AttributeSchema)>,
    hsn_prefixes: Option<Vec<String>>,
    packaged: Option<bool>,
    ondc: OndcMapping,
}

impl CategoryDef {
    /// A category with its English and Bengali display names.
    pub fn new(id: CategoryId, name_en: &str, name_bn: &str) -> CategoryDef {
        CategoryDef {
            id,
            name_en: name_en.to_owned(),
            name_bn: name_bn.to_owned(),
            attributes: Vec::new(),
            hsn_prefixes: None,
            packaged: None,
            ondc: OndcMapping::Inherit,
        }
    }

    /// The category's path.
    pub fn id(&self) -> &CategoryId {
        &self.id
    }

    /// Adds (or tightens) an attribute.
    pub fn attribute(mut self, name: &str, schema: AttributeSchema) -> CategoryDef {
        self.attributes.push((name.to_owned(), schema));
        self
    }

    /// Sets the HSN code families (prefixes of 2 to 8 digits) allowed in the category.
    pub fn hsn<I, S>(mut self, prefixes: I) -> CategoryDef
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.hsn_prefixes = Some(prefixes.into_iter().map(Into::into).collect());
        self
    }

    /// Marks the category as pre-packaged commodities (MRP and Legal Metrology declarations
    /// required) or not.
    pub fn packaged(mut self, packaged: bool) -> CategoryDef {
        self.packaged = Some(packaged);
        self
    }

    /// Publishes the category's listings (and, unless they say otherwise, its descendants')
    /// on ONDC under `category`.
    pub fn ondc(mut self, category: OndcCategory) -> CategoryDef {
        self.ondc = OndcMapping::Category(category);
        self
    }

    /// Says that no ONDC category of the domains haat publishes to fits the category (nor its
    /// descendants, unless they say otherwise).
    pub fn not_on_ondc(mut self) -> CategoryDef {
        self.ondc = OndcMapping::NotOnOndc;
        self
    }
}

/// A category of the taxonomy, with what it inherits already resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Category {
    id: CategoryId,
    name_en: String,
    name_bn: String,
    attributes: Vec<(String, AttributeSchema)>,
    /// The attribute names again, in the same order, as shared text: a listing's
    /// [`Attributes`](crate::Attributes) built by the import hold these, so the quality checks
    /// match a name to its schema by pointer.
    shared_names: Vec<Arc<str>>,
    hsn_prefixes: Vec<String>,
    packaged: bool,
    /// The ONDC category its listings are published under (`None`: not published).
    ondc: Option<OndcCategory>,
    /// The leaf categories beneath this one, sorted by path; empty for a leaf. Kept up to date
    /// by [`Taxonomy::add`], so the listing checks can name leaves without a walk of the tree.
    leaves: Vec<CategoryId>,
}

impl Category {
    /// The category's path.
    pub fn id(&self) -> &CategoryId {
        &self.id
    }

    /// Its English display name.
    pub fn name_en(&self) -> &str {
        &self.name_en
    }

    /// Its Bengali display name.
    pub fn name_bn(&self) -> &str {
        &self.name_bn
    }

    /// Every attribute a listing here may carry, its own and inherited (tightened where the
    /// category says so), sorted by name.
    pub fn attributes(&self) -> &[(String, AttributeSchema)] {
        &self.attributes
    }

    /// The schema of one attribute.
    pub fn attribute(&self, name: &str) -> Option<&AttributeSchema> {
        self.attributes
            .binary_search_by(|(n, _)| n.as_str().cmp(name))
            .ok()
            .map(|i| &self.attributes[i].1)
    }

    /// The schema of one attribute with its name as shared text.
    pub(crate) fn attribute_entry(&self, name: &str) -> Option<(&Arc<str>, &AttributeSchema)> {
        self.attributes
            .binary_search_by(|(n, _)| n.as_str().cmp(name))
            .ok()
            .map(|i| (&self.shared_names[i], &self.attributes[i].1))
    }

    /// The attribute names as shared text, in the order of [`Category::attributes`].
    pub(crate) fn shared_names(&self) -> &[Arc<str>] {
        &self.shared_names
    }

    /// The HSN families allowed here (empty: any code).
    pub fn hsn_prefixes(&self) -> &[String] {
        &self.hsn_prefixes
    }

    /// Whether `hsn` is in one of the allowed families.
    pub fn allows_hsn(&self, hsn: &HsnCode) -> bool {
        self.hsn_prefixes.is_empty() || self.hsn_prefixes.iter().any(|p| hsn.starts_with(p))
    }

    /// Whether the category holds pre-packaged commodities.
    pub fn is_packaged(&self) -> bool {
        self.packaged
    }

    /// The ONDC category its listings are published under, or `None` if no ONDC category of
    /// the domains haat publishes to fits (its own or inherited from its parent).
    pub fn ondc(&self) -> Option<&OndcCategory> {
        self.ondc.as_ref()
    }

    /// Whether no category lies beneath this one. Listings are placed only in leaf categories
    /// (a parent's HSN families are whole chapters, which its leaves narrow to what is priced).
    ///
    /// ```
    /// use haat_catalogue::Taxonomy;
    /// let taxonomy = Taxonomy::west_bengal_default();
    /// assert!(taxonomy.get(&"handicrafts/dokra".parse()?).unwrap().is_leaf());
    /// assert!(!taxonomy.get(&"handicrafts".parse()?).unwrap().is_leaf());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_leaf(&self) -> bool {
        self.leaves.is_empty()
    }

    /// The leaf categories beneath this one, sorted by path (empty for a leaf itself).
    ///
    /// ```
    /// use haat_catalogue::Taxonomy;
    /// let taxonomy = Taxonomy::west_bengal_default();
    /// let food = taxonomy.get(&"food".parse()?).unwrap();
    /// let leaves: Vec<&str> = food.leaves().iter().map(|c| c.as_str()).collect();
    /// assert_eq!(leaves, ["food/jaggery/nolen-gur", "food/rice/gobindobhog", "food/tea/darjeeling"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn leaves(&self) -> &[CategoryId] {
        &self.leaves
    }
}

/// The category tree: each category's names, attribute schema and HSN families.
///
/// Categories are added parent first; each one resolves what it inherits when added, so a look
/// up during quality checks is one hash probe.
///
/// ```
/// use haat_catalogue::Taxonomy;
/// let taxonomy = Taxonomy::west_bengal_default();
/// let baluchari = taxonomy.get(&"textiles/sarees/handloom/baluchari".parse()?).unwrap();
/// assert_eq!(baluchari.name_bn(), "বালুচরী শাড়ি");
/// assert!(baluchari.attribute("length_m").unwrap().is_required()); // inherited from sarees
/// assert!(baluchari.allows_hsn(&"50072010".parse()?));
/// assert!(!baluchari.allows_hsn(&"6204".parse()?));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct Taxonomy {
    categories: HashMap<CategoryId, Category, FastBuildHasher>,
}

impl Taxonomy {
    /// An empty taxonomy.
    pub fn new() -> Taxonomy {
        Taxonomy::default()
    }

    /// Adds a category, resolving what it inherits from its parent.
    ///
    /// # Errors
    /// [`Error::InvalidTaxonomy`] if the category exists already, its parent is missing, an
    /// attribute is named twice or loosens an inherited one, or an HSN family is not digits or
    /// falls outside the parent's.
    pub fn add(&mut self, def: CategoryDef) -> Result<&Category, Error> {
        let invalid = |reason: String| Error::InvalidTaxonomy {
            category: def.id.to_string(),
            reason,
        };
        if self.categories.contains_key(&def.id) {
            return Err(invalid("the category is defined twice".to_owned()));
        }
        let parent = match def.id.parent() {
            Some(parent) => Some(self.categories.get(&parent).ok_or_else(|| {
                invalid(format!(
                    "its parent '{parent}' is not defined (add parents first)"
                ))
            })?),
            None => None,
        };
        let mut attributes: Vec<(String, AttributeSchema)> =
            parent.map(|p| p.attributes.clone()).unwrap_or_default();
        let mut own_names: Vec<&str> = Vec::new();
        for (name, schema) in &def.attributes {
            if !is_attribute_name(name) {
                return Err(invalid(format!(
                    "attribute name '{name}' is not lower-case letters, digits and '_'"
                )));
            }
            if own_names.contains(&name.as_str()) {
                return Err(invalid(format!("attribute '{name}' is defined twice")));
            }
            own_names.push(name);
            match attributes.binary_search_by(|(n, _)| n.as_str().cmp(name)) {
                Ok(i) => {
                    if !schema.is_tighter_or_equal(&attributes[i].1) {
                        return Err(invalid(format!(
                            "attribute '{name}' loosens what it inherits"
                        )));
                    }
                    attributes[i].1 = schema.clone();
                }
                Err(i) => attributes.insert(i, (name.clone(), schema.clone())),
            }
        }
        let inherited_hsn: Vec<String> = parent.map(|p| p.hsn_prefixes.clone()).unwrap_or_default();
        let hsn_prefixes = match &def.hsn_prefixes {
            Some(prefixes) => {
                for prefix in prefixes {
                    if !(2..=8).contains(&prefix.len())
                        || !prefix.bytes().all(|b| b.is_ascii_digit())
                    {
                        return Err(invalid(format!(
                            "HSN family '{prefix}' is not 2 to 8 digits"
                        )));
                    }
                    if !inherited_hsn.is_empty()
                        && !inherited_hsn.iter().any(|p| prefix.starts_with(p.as_str()))
                    {
                        return Err(invalid(format!(
                            "HSN family '{prefix}' is outside the parent's families"
                        )));
                    }
                }
                prefixes.clone()
            }
            None => inherited_hsn,
        };
        let packaged = def
            .packaged
            .unwrap_or_else(|| parent.is_some_and(|p| p.packaged));
        let ondc = match def.ondc {
            OndcMapping::Inherit => parent.and_then(|p| p.ondc.clone()),
            OndcMapping::Category(category) => Some(category),
            OndcMapping::NotOnOndc => None,
        };
        let category = Category {
            id: def.id.clone(),
            name_en: def.name_en,
            name_bn: def.name_bn,
            shared_names: attributes
                .iter()
                .map(|(n, _)| Arc::from(n.as_str()))
                .collect(),
            attributes,
            hsn_prefixes,
            packaged,
            ondc,
            leaves: Vec::new(),
        };
        // The new category is a leaf beneath each of its ancestors, and its parent, if it was a
        // leaf until now, is one no longer.
        let parent_id = def.id.parent();
        for ancestor in def.id.ancestor_paths() {
            if let Some(above) = self.categories.get_mut(ancestor) {
                if let Some(parent_id) = &parent_id
                    && let Ok(i) = above.leaves.binary_search(parent_id)
                {
                    above.leaves.remove(i);
                }
                if let Err(i) = above.leaves.binary_search(&def.id) {
                    above.leaves.insert(i, def.id.clone());
                }
            }
        }
        Ok(self.categories.entry(def.id).or_insert(category))
    }

    /// The category at `id`.
    pub fn get(&self, id: &CategoryId) -> Option<&Category> {
        self.categories.get(id)
    }

    /// The category at the path `path` (already lower case), without building a [`CategoryId`].
    pub fn get_path(&self, path: &str) -> Option<&Category> {
        self.categories.get(path)
    }

    /// Whether the taxonomy has the category.
    pub fn contains(&self, id: &CategoryId) -> bool {
        self.categories.contains_key(id)
    }

    /// How many categories there are.
    pub fn len(&self) -> usize {
        self.categories.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.categories.is_empty()
    }

    /// Every category, sorted by path (parents before their children).
    pub fn categories(&self) -> Vec<&Category> {
        let mut all: Vec<&Category> = self.categories.values().collect();
        all.sort_by(|a, b| a.id.cmp(&b.id));
        all
    }

    /// The categories directly beneath `id` (the top-level ones for `None`), sorted by path.
    pub fn children(&self, id: Option<&CategoryId>) -> Vec<&Category> {
        let mut children: Vec<&Category> = self
            .categories
            .values()
            .filter(|c| c.id.parent().as_ref() == id)
            .collect();
        children.sort_by(|a, b| a.id.cmp(&b.id));
        children
    }

    /// The default taxonomy for West Bengal's sellers: handloom sarees (Tant, Baluchari,
    /// Jamdani, Dhaniakhali, Shantipuri), apparel (HSN chapters 61–62), handicrafts (Dokra,
    /// terracotta, sholapith), home furnishing (chapter 63, nakshi kantha) and packaged food and
    /// produce (Darjeeling tea, Gobindobhog rice, nolen gur).
    ///
    /// Saree families follow the GST schedule for woven fabric: 5007 (silk), 5208/5209
    /// (cotton), 5407/5408 (synthetic filament).
    pub fn west_bengal_default() -> Taxonomy {
        // The definitions below are fixed and covered by tests; an error here would be a bug
        // in them, and yields the categories added before it.
        let mut taxonomy = Taxonomy::new();
        let _ = default::build(&mut taxonomy);
        taxonomy
    }
}

fn is_attribute_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 40
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Why a text could not be read as a number of an attribute's unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NumberText<'a> {
    /// Not a number at all.
    NotANumber,
    /// A number with a different unit.
    WrongUnit(&'a str),
}

/// Reads `"6.3"`, `"6.3 m"` or `"6.3m"` as a number in `unit`.
pub(crate) fn parse_number_in<'a>(text: &'a str, unit: &str) -> Result<Decimal, NumberText<'a>> {
    let text = text.trim();
    let end = text
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '+')))
        .unwrap_or(text.len());
    let (number, rest) = text.split_at(end);
    let value: Decimal = number.parse().map_err(|_| NumberText::NotANumber)?;
    let rest = rest.trim();
    if rest.is_empty() || rest.eq_ignore_ascii_case(unit) {
        Ok(value)
    } else {
        Err(NumberText::WrongUnit(rest))
    }
}
