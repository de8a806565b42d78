//! Employment: the workforce sellers declare, by role, district and programme.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use haat_core::{District, ProgrammeId};
use haat_seller::WorkforceRole;
use serde::{Deserialize, Serialize};

use crate::SellerDirectory;

/// The declared workforce as of an instant: each seller's latest declaration at or before it.
///
/// A view of the [`SellerDirectory`] (which folds the `workforce_declared` events and merges);
/// `by_district` and `by_programme` each sum to `total` over their keys (`None` is the district
/// of a seller whose PIN code India Post does not place; a seller in no programme is counted
/// under no programme, and one in two programmes under both, so `by_programme` may sum to more
/// or less than `total`).
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use haat_core::{Actor, SellerId};
/// use haat_metrics::{Employment, SellerDirectory};
/// use haat_seller::{SellerEvent, Workforce, WorkforceRole};
///
/// let mut sellers = SellerDirectory::default();
/// let at = Utc.with_ymd_and_hms(2025, 6, 1, 6, 0, 0).unwrap();
/// let workforce = Workforce::from_iter([(WorkforceRole::Weaver, 25)]);
/// sellers.apply(&SellerEvent::WorkforceDeclared { seller: SellerId::new(7), at, by: Actor::System, workforce });
/// let employment = Employment::as_of(&sellers, at);
/// assert_eq!(employment.total, 25);
/// assert_eq!(employment.by_role[&WorkforceRole::Weaver], 25);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Employment {
    /// People employed by all sellers.
    pub total: u64,
    /// Sellers with a declaration in force.
    pub employers: u64,
    /// People by role.
    pub by_role: BTreeMap<WorkforceRole, u64>,
    /// People by the seller's district, in district order (`None`, an unplaced PIN code, first).
    pub by_district: Vec<DistrictPeople>,
    /// People by the programmes their employer was enrolled in by then.
    pub by_programme: BTreeMap<ProgrammeId, u64>,
}

impl Employment {
    /// The workforce in force at `at`.
    pub fn as_of(sellers: &SellerDirectory, at: DateTime<Utc>) -> Employment {
        let mut out = Employment::default();
        let mut by_district: BTreeMap<Option<District>, u64> = BTreeMap::new();
        for (_, facts) in sellers.iter() {
            let Some(workforce) = facts.workforce_at(at) else {
                continue;
            };
            let people = workforce.total();
            out.total += people;
            out.employers += 1;
            for (role, n) in workforce.iter() {
                *out.by_role.entry(role).or_default() += u64::from(n);
            }
            *by_district.entry(facts.district).or_default() += people;
            for (programme, enrolled) in &facts.programmes {
                if *enrolled <= at {
                    *out.by_programme.entry(*programme).or_default() += people;
                }
            }
        }
        out.by_district = by_district
            .into_iter()
            .map(|(district, people)| DistrictPeople { district, people })
            .collect();
        out
    }
}

/// People employed by the sellers of one district.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DistrictPeople {
    /// The district (`None`: a PIN code India Post does not place).
    pub district: Option<District>,
    /// People employed.
    pub people: u64,
}
