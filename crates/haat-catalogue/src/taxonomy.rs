//! The category tree, the attribute schema of each category, and the HSN families allowed in it.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::Error;

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
