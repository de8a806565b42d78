//! What the metrics know of each seller, folded from seller events, listing events and orders.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use haat_core::{District, ProgrammeId, SellerId, StateCode};
use haat_seller::{InclusionTag, SellerEvent, Workforce, WorkshopReferral};
use serde::{Deserialize, Serialize};

/// The facts about one seller that the metrics need, each folded so that the order events arrive
/// in does not matter: first instants are minima, histories are maps keyed by instant.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellerFacts {
    /// When the seller registered.
    pub registered_at: Option<DateTime<Utc>>,
    /// The district of the business's PIN code (the first, where a PIN code spans several).
    pub district: Option<District>,
    /// The state of the business's PIN code.
    pub state: Option<StateCode>,
    /// The workshop attendance that brought the seller, if any.
    pub referral: Option<WorkshopReferral>,
    /// When KYC was first verified.
    pub kyc_verified_at: Option<DateTime<Utc>>,
    /// When the seller was first activated.
    pub activated_at: Option<DateTime<Utc>>,
    /// When the seller was deactivated.
    pub deactivated_at: Option<DateTime<Utc>>,
    /// Self-declared tags, by the instant they were declared.
    pub tags: BTreeMap<DateTime<Utc>, BTreeSet<InclusionTag>>,
    /// Declared workforce, by the instant it took effect.
    pub workforce: BTreeMap<DateTime<Utc>, Workforce>,
    /// Programmes joined, with the first enrolment instant.
    pub programmes: BTreeMap<ProgrammeId, DateTime<Utc>>,
    /// When the seller's first listing went live.
    pub first_listing_at: Option<DateTime<Utc>>,
    /// When the seller's first order was placed that was neither cancelled nor returned.
    pub first_sale_at: Option<DateTime<Utc>>,
}

impl SellerFacts {
    /// The tags in force at `at`.
    pub fn tags_at(&self, at: DateTime<Utc>) -> Option<&BTreeSet<InclusionTag>> {
        self.tags.range(..=at).next_back().map(|(_, tags)| tags)
    }

    /// The workforce declared as of `at`.
    pub fn workforce_at(&self, at: DateTime<Utc>) -> Option<&Workforce> {
        self.workforce.range(..=at).next_back().map(|(_, w)| w)
    }

    /// Whether the seller was enrolled in any programme by `at`.
    pub fn enrolled_by(&self, at: DateTime<Utc>) -> bool {
        self.programmes.values().any(|&enrolled| enrolled <= at)
    }

    /// Whether the seller was active (activated and not deactivated) at `at`.
    pub fn active_at(&self, at: DateTime<Utc>) -> bool {
        self.activated_at.is_some_and(|a| a <= at) && self.deactivated_at.is_none_or(|d| d > at)
    }

    fn merge(&mut self, other: &SellerFacts) {
        min_into(&mut self.registered_at, other.registered_at);
        // One registration gives these; should two disagree, the smaller wins on both sides,
        // so the merge stays commutative.
        self.district = min_some(self.district, other.district);
        self.state = min_some(self.state, other.state);
        self.referral = min_some(self.referral, other.referral);
        min_into(&mut self.kyc_verified_at, other.kyc_verified_at);
        min_into(&mut self.activated_at, other.activated_at);
        min_into(&mut self.deactivated_at, other.deactivated_at);
        for (at, tags) in &other.tags {
            merge_stamped(&mut self.tags, *at, tags, |a, b| a.max(b));
        }
        for (at, workforce) in &other.workforce {
            merge_stamped(&mut self.workforce, *at, workforce, |a, b| {
                if a.iter().ge(b.iter()) { a } else { b }
            });
        }
        for (programme, at) in &other.programmes {
            self.programmes
                .entry(*programme)
                .and_modify(|first| *first = (*first).min(*at))
                .or_insert(*at);
        }
        min_into(&mut self.first_listing_at, other.first_listing_at);
        min_into(&mut self.first_sale_at, other.first_sale_at);
    }
}

fn min_some<T: Ord>(a: Option<T>, b: Option<T>) -> Option<T> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Keeps the earlier of two optional instants: the merge of "the first time something happened".
fn min_into(slot: &mut Option<DateTime<Utc>>, other: Option<DateTime<Utc>>) {
    *slot = match (*slot, other) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
}

/// Inserts `value` at `at`; two values stamped with the same instant resolve by `pick`, a
/// commutative choice, so merging stays order-independent.
fn merge_stamped<T: Clone>(
    map: &mut BTreeMap<DateTime<Utc>, T>,
    at: DateTime<Utc>,
    value: &T,
    pick: impl for<'a> Fn(&'a T, &'a T) -> &'a T,
) {
    match map.get(&at) {
        Some(existing) => {
            let chosen = pick(existing, value).clone();
            map.insert(at, chosen);
        }
        None => {
            map.insert(at, value.clone());
        }
    }
}

/// Every seller's facts.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use haat_core::{Actor, SellerId};
/// use haat_metrics::SellerDirectory;
/// use haat_seller::SellerEvent;
///
/// let mut sellers = SellerDirectory::default();
/// let at = Utc.with_ymd_and_hms(2025, 6, 1, 4, 30, 0).unwrap();
/// sellers.apply(&SellerEvent::SellerActivated { seller: SellerId::new(7), at, by: Actor::System });
/// assert_eq!(sellers.get(SellerId::new(7)).unwrap().activated_at, Some(at));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SellerDirectory {
    sellers: HashMap<SellerId, SellerFacts>,
}

impl SellerDirectory {
    /// Folds one seller event in.
    pub fn apply(&mut self, event: &SellerEvent) {
        let facts = self.sellers.entry(event.seller()).or_default();
        let mut update = SellerFacts::default();
        match event {
            SellerEvent::SellerRegistered {
                at,
                pin_code,
                tags,
                referral,
                ..
            } => {
                update.registered_at = Some(*at);
                if let Some(location) = pin_code.location() {
                    update.district = location.districts().first().copied();
                    update.state = location.states().first().copied();
                }
                update.referral = *referral;
                update.tags.insert(*at, tags.clone());
            }
            SellerEvent::KycVerified { at, .. } => update.kyc_verified_at = Some(*at),
            SellerEvent::SellerActivated { at, .. } => update.activated_at = Some(*at),
            SellerEvent::SellerDeactivated { at, .. } => update.deactivated_at = Some(*at),
            SellerEvent::WorkforceDeclared { at, workforce, .. } => {
                update.workforce.insert(*at, workforce.clone());
            }
            SellerEvent::InclusionTagsUpdated { at, tags, .. } => {
                update.tags.insert(*at, tags.clone());
            }
            SellerEvent::EnrolledInProgramme { at, programme, .. } => {
                update.programmes.insert(programme.id(), *at);
            }
            _ => return,
        }
        facts.merge(&update);
    }

    /// Records that one of `seller`'s listings went live at `at`.
    pub fn listing_went_live(&mut self, seller: SellerId, at: DateTime<Utc>) {
        let facts = self.sellers.entry(seller).or_default();
        min_into(&mut facts.first_listing_at, Some(at));
    }

    /// Records that `seller` made a sale (an order neither cancelled nor returned) placed at `at`.
    pub fn sold(&mut self, seller: SellerId, at: DateTime<Utc>) {
        let facts = self.sellers.entry(seller).or_default();
        min_into(&mut facts.first_sale_at, Some(at));
    }

    /// Merges another directory in: associative and commutative.
    pub fn merge(&mut self, other: &SellerDirectory) {
        for (seller, facts) in &other.sellers {
            self.sellers.entry(*seller).or_default().merge(facts);
        }
    }

    /// One seller's facts.
    pub fn get(&self, seller: SellerId) -> Option<&SellerFacts> {
        self.sellers.get(&seller)
    }

    /// Every seller, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (SellerId, &SellerFacts)> {
        self.sellers.iter().map(|(id, facts)| (*id, facts))
    }

    /// How many sellers it knows of.
    pub fn len(&self) -> usize {
        self.sellers.len()
    }

    /// Whether it knows of none.
    pub fn is_empty(&self) -> bool {
        self.sellers.is_empty()
    }
}
