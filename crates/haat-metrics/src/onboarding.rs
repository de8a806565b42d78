//! Onboarding: sellers registered and activated per IST month, and growth between periods.

use std::collections::BTreeMap;

use haat_core::Month;
use haat_seller::SellerEvent;
use serde::{Deserialize, Serialize};

use crate::{Growth, Period};

/// Sellers registered and activated in a period.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OnboardingCounts {
    /// Sellers who registered.
    pub registered: u64,
    /// Sellers activated (allowed to sell).
    pub activated: u64,
}

impl OnboardingCounts {
    fn merge(&mut self, other: &OnboardingCounts) {
        self.registered += other.registered;
        self.activated += other.activated;
    }
}

/// Which earlier period a growth figure compares with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    /// The same period a year before (YoY).
    YearOnYear,
    /// The period just before (MoM for months, QoQ for quarters, YoY for years).
    PeriodOnPeriod,
}

impl Comparison {
    /// The period `period` is compared with.
    pub fn base(self, period: Period) -> Period {
        match self {
            Comparison::YearOnYear => period.year_before(),
            Comparison::PeriodOnPeriod => period.previous(),
        }
    }
}

/// Registrations and activations per IST month, folded from [`SellerEvent`]s; any coarser
/// period is a sum of months. `merge` adds month by month.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use haat_core::{Actor, FinancialYear, SellerId};
/// use haat_metrics::{Comparison, Onboarding, Period};
/// use haat_seller::SellerEvent;
///
/// let mut onboarding = Onboarding::default();
/// for (n, year) in [(1, 2024), (2, 2025), (3, 2025)] {
///     let at = Utc.with_ymd_and_hms(year, 6, 1, 6, 0, 0).unwrap();
///     onboarding.apply(&SellerEvent::SellerActivated { seller: SellerId::new(n), at, by: Actor::System });
/// }
/// let fy: Period = Period::FinancialYear("FY2025-26".parse()?);
/// assert_eq!(onboarding.counts(fy).activated, 2);
/// let growth = onboarding.activation_growth(fy, Comparison::YearOnYear).ok_or("no base")?;
/// assert_eq!(growth.percent(), 100.into());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Onboarding {
    months: BTreeMap<Month, OnboardingCounts>,
}

impl Onboarding {
    /// Folds one seller event in (registrations and activations; the rest are ignored).
    pub fn apply(&mut self, event: &SellerEvent) {
        let counts = match event {
            SellerEvent::SellerRegistered { .. } => OnboardingCounts {
                registered: 1,
                activated: 0,
            },
            SellerEvent::SellerActivated { .. } => OnboardingCounts {
                registered: 0,
                activated: 1,
            },
            _ => return,
        };
        self.months
            .entry(Month::containing(event.at()))
            .or_default()
            .merge(&counts);
    }

    /// Merges another fold in.
    pub fn merge(&mut self, other: &Onboarding) {
        for (month, counts) in &other.months {
            self.months.entry(*month).or_default().merge(counts);
        }
    }

    /// The counts for `period`.
    pub fn counts(&self, period: Period) -> OnboardingCounts {
        let mut sum = OnboardingCounts::default();
        for (_, counts) in self.months.range(period_months(period)) {
            sum.merge(counts);
        }
        sum
    }

    /// Each month's counts, in order.
    pub fn months(&self) -> impl Iterator<Item = (Month, OnboardingCounts)> + '_ {
        self.months.iter().map(|(m, c)| (*m, *c))
    }

    /// Growth in registrations over `comparison`'s base period; `None` when the base is zero.
    pub fn registration_growth(&self, period: Period, comparison: Comparison) -> Option<Growth> {
        Growth::between(
            self.counts(comparison.base(period)).registered,
            self.counts(period).registered,
        )
    }

    /// Growth in activations over `comparison`'s base period; `None` when the base is zero.
    pub fn activation_growth(&self, period: Period, comparison: Comparison) -> Option<Growth> {
        Growth::between(
            self.counts(comparison.base(period)).activated,
            self.counts(period).activated,
        )
    }
}

/// The months of a period, as a range of [`Month`]s.
pub(crate) fn period_months(period: Period) -> std::ops::RangeInclusive<Month> {
    let first = Month::containing(period.start());
    let last = Month::containing(period.end() - chrono::TimeDelta::seconds(1));
    first..=last
}
