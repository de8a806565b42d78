//! Listings: when each listing was live, its seller and its category.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use haat_catalogue::{CategoryId, ListingEvent};
use haat_core::{ListingId, SellerId};

use crate::{Comparison, Growth, Period};

/// What the metrics know of one listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListingFacts {
    seller: SellerId,
    /// The category of the latest content seen, with its instant.
    category: Option<(DateTime<Utc>, CategoryId)>,
    /// Live (`true`) or not, from each instant on.
    live: BTreeMap<DateTime<Utc>, bool>,
}

impl ListingFacts {
    /// The seller.
    pub fn seller(&self) -> SellerId {
        self.seller
    }

    /// The category of the latest content (draft or approved) seen.
    pub fn category(&self) -> Option<&CategoryId> {
        self.category.as_ref().map(|(_, c)| c)
    }

    /// Whether it was live (activated, and not deactivated or archived since) at `at`.
    pub fn is_live_at(&self, at: DateTime<Utc>) -> bool {
        self.live
            .range(..=at)
            .next_back()
            .is_some_and(|(_, live)| *live)
    }

    /// When it first went live.
    pub fn first_live(&self) -> Option<DateTime<Utc>> {
        self.live.iter().find(|(_, live)| **live).map(|(at, _)| *at)
    }

    /// How many seconds it was live within `from..to`.
    pub fn live_seconds(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
        let mut total = 0;
        let mut since = self.is_live_at(from).then_some(from);
        for (at, live) in self.live.range(from..to) {
            match (since, *live) {
                (None, true) => since = Some((*at).max(from)),
                (Some(start), false) => {
                    total += (*at - start).num_seconds().max(0);
                    since = None;
                }
                _ => {}
            }
        }
        if let Some(start) = since {
            total += (to - start).num_seconds().max(0);
        }
        total
    }

    fn merge(&mut self, other: &ListingFacts) {
        // A listing has one seller; should two streams disagree, the smaller id wins on both
        // sides, so the merge stays commutative.
        self.seller = self.seller.min(other.seller);
        self.category = match (self.category.take(), &other.category) {
            (Some(a), Some(b)) => Some(a.max(b.clone())),
            (a, b) => a.or_else(|| b.clone()),
        };
        for (at, live) in &other.live {
            // Two changes at the same instant: "not live" wins, whatever the order.
            let entry = self.live.entry(*at).or_insert(*live);
            *entry = *entry && *live;
        }
    }
}

/// Every listing's seller, category and live history, folded from [`ListingEvent`]s.
///
/// `Activated` makes a listing live; `Deactivated` and `Archived` take it off. The order the
/// events arrive in does not matter (histories are keyed by instant), and `merge` is a union,
/// associative and commutative.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use haat_catalogue::ListingEvent;
/// use haat_core::{Actor, ListingId, SellerId};
/// use haat_metrics::ListingFold;
///
/// let at = |d| Utc.with_ymd_and_hms(2025, 6, d, 6, 0, 0).unwrap();
/// let (listing, seller, actor) = (ListingId::new(1), SellerId::new(7), Actor::System);
/// let mut listings = ListingFold::default();
/// listings.apply(&ListingEvent::Activated { listing, seller, actor, at: at(1) });
/// listings.apply(&ListingEvent::Deactivated { listing, seller, actor, at: at(11) });
/// assert_eq!(listings.live_at(at(5)), 1);
/// assert_eq!(listings.live_at(at(20)), 0);
/// assert_eq!(listings.get(listing).unwrap().live_seconds(at(1), at(30)), 10 * 86_400);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListingFold {
    listings: HashMap<ListingId, ListingFacts>,
}

impl ListingFold {
    /// Folds one listing event in.
    pub fn apply(&mut self, event: &ListingEvent) {
        let at = event.at();
        let mut update = ListingFacts {
            seller: event.seller(),
            category: None,
            live: BTreeMap::new(),
        };
        match event {
            ListingEvent::DraftCreated { content, .. }
            | ListingEvent::ContentEdited { content, .. }
            | ListingEvent::ReviewPassed { content, .. } => {
                update.category = Some((at, content.category.clone()));
            }
            ListingEvent::Activated { .. } => {
                update.live.insert(at, true);
            }
            ListingEvent::Deactivated { .. } | ListingEvent::Archived { .. } => {
                update.live.insert(at, false);
            }
            _ => {}
        }
        match self.listings.get_mut(&event.listing()) {
            Some(facts) => facts.merge(&update),
            None => {
                self.listings.insert(event.listing(), update);
            }
        }
    }

    /// Merges another fold in.
    pub fn merge(&mut self, other: &ListingFold) {
        for (listing, facts) in &other.listings {
            match self.listings.get_mut(listing) {
                Some(ours) => ours.merge(facts),
                None => {
                    self.listings.insert(*listing, facts.clone());
                }
            }
        }
    }

    /// One listing's facts.
    pub fn get(&self, listing: ListingId) -> Option<&ListingFacts> {
        self.listings.get(&listing)
    }

    /// Every listing, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (ListingId, &ListingFacts)> {
        self.listings.iter().map(|(id, facts)| (*id, facts))
    }

    /// How many listings were live at `at`.
    pub fn live_at(&self, at: DateTime<Utc>) -> u64 {
        self.listings.values().filter(|l| l.is_live_at(at)).count() as u64
    }

    /// How many listings were live at the end of `period` (its last nanosecond).
    pub fn live_at_end(&self, period: Period) -> u64 {
        self.live_at(period.end() - chrono::TimeDelta::nanoseconds(1))
    }

    /// Growth of live listings from the end of `comparison`'s base period to the end of
    /// `period` (YoY, QoQ, MoM); `None` when none were live at the base.
    ///
    /// ```
    /// use haat_metrics::{Comparison, ListingFold, Period};
    /// let q1: Period = Period::Quarter("FY2025-26 Q1".parse()?);
    /// assert!(ListingFold::default().growth(q1, Comparison::PeriodOnPeriod).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn growth(&self, period: Period, comparison: Comparison) -> Option<Growth> {
        Growth::between(
            self.live_at_end(comparison.base(period)),
            self.live_at_end(period),
        )
    }

    /// How many listings it knows of.
    pub fn len(&self) -> usize {
        self.listings.len()
    }

    /// Whether it knows of none.
    pub fn is_empty(&self) -> bool {
        self.listings.is_empty()
    }
}
