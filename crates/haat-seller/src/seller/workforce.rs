//! The people a seller employs, by role: what employment metrics count.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A role in a seller's workforce.
///
/// ```
/// use haat_seller::WorkforceRole;
/// assert_eq!(WorkforceRole::Weaver.to_string(), "weaver");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkforceRole {
    /// Works a loom.
    Weaver,
    /// Makes crafts by hand.
    Artisan,
    /// Stitches garments and made-ups.
    Tailor,
    /// Helps in production (winding, dyeing, finishing).
    Helper,
    /// Packs orders.
    Packer,
    /// Any other role.
    Other,
}

impl fmt::Display for WorkforceRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            WorkforceRole::Weaver => "weaver",
            WorkforceRole::Artisan => "artisan",
            WorkforceRole::Tailor => "tailor",
            WorkforceRole::Helper => "helper",
            WorkforceRole::Packer => "packer",
            WorkforceRole::Other => "other",
        })
    }
}

/// A head count by role. Roles with nobody in them are not stored, so two workforces with the
/// same people compare equal however they were built.
///
/// ```
/// use haat_seller::{Workforce, WorkforceRole};
/// let workforce = Workforce::from_iter([(WorkforceRole::Weaver, 25), (WorkforceRole::Packer, 2)]);
/// assert_eq!(workforce.total(), 27);
/// assert_eq!(workforce.count(WorkforceRole::Weaver), 25);
/// assert_eq!(workforce.count(WorkforceRole::Tailor), 0);
/// assert_eq!(serde_json::to_string(&workforce)?, r#"{"weaver":25,"packer":2}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(
    from = "BTreeMap<WorkforceRole, u32>",
    into = "BTreeMap<WorkforceRole, u32>"
)]
pub struct Workforce(BTreeMap<WorkforceRole, u32>);

impl Workforce {
    /// How many people are in `role`.
    pub fn count(&self, role: WorkforceRole) -> u32 {
        self.0.get(&role).copied().unwrap_or(0)
    }

    /// How many people in all (as `u64`, so it never overflows).
    pub fn total(&self) -> u64 {
        self.0.values().map(|&n| u64::from(n)).sum()
    }

    /// The roles with at least one person, and their counts, in role order.
    pub fn iter(&self) -> impl Iterator<Item = (WorkforceRole, u32)> + '_ {
        self.0.iter().map(|(&role, &n)| (role, n))
    }

    /// Whether nobody is declared.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromIterator<(WorkforceRole, u32)> for Workforce {
    /// Builds a workforce; counts of the same role add up (saturating), zero counts vanish.
    fn from_iter<I: IntoIterator<Item = (WorkforceRole, u32)>>(iter: I) -> Self {
        let mut map = BTreeMap::new();
        for (role, n) in iter {
            let entry: &mut u32 = map.entry(role).or_default();
            *entry = entry.saturating_add(n);
        }
        map.retain(|_, n| *n > 0);
        Workforce(map)
    }
}

impl From<BTreeMap<WorkforceRole, u32>> for Workforce {
    fn from(map: BTreeMap<WorkforceRole, u32>) -> Self {
        map.into_iter().collect()
    }
}

impl From<Workforce> for BTreeMap<WorkforceRole, u32> {
    fn from(workforce: Workforce) -> Self {
        workforce.0
    }
}

/// A workforce as declared, and from when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkforceDeclaration {
    /// The instant the declaration took effect.
    pub effective_from: DateTime<Utc>,
    /// The head count by role.
    pub workforce: Workforce,
}
