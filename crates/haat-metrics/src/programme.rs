//! Programme impact: sellers enrolled in an inclusion programme against the rest.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use haat_core::{Decimal, Money, SellerId};
use rust_decimal::RoundingStrategy;
use serde::{Deserialize, Serialize};

use crate::growth::saturating_money;
use crate::{Growth, SellerDirectory, percent_of};

/// One cohort's figures for a financial year.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortStats {
    /// Sellers registered by the year's end.
    pub sellers: u64,
    /// Of them, activated by the year's end.
    pub activated: u64,
    /// `activated`, percent of `sellers`.
    pub activation_percent: Option<Decimal>,
    /// Net sales in the year.
    pub net_sales: Money,
    /// Net sales in the year before.
    pub net_sales_previous: Money,
    /// Growth of net sales, percent, one decimal (`None` without a base).
    pub sales_growth_percent: Option<Decimal>,
    /// Listings live at the year's end.
    pub live_listings: u64,
    /// Live listings per seller, two decimals.
    pub listings_per_seller: Option<Decimal>,
}

/// Sellers enrolled in any programme by the year's end against those who were not.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeImpact {
    /// Enrolled sellers.
    pub enrolled: CohortStats,
    /// Everyone else.
    pub others: CohortStats,
}

#[derive(Default)]
struct Acc {
    sellers: u64,
    activated: u64,
    net: i128,
    net_previous: i128,
    listings: u64,
}

impl Acc {
    fn finish(&self) -> CohortStats {
        CohortStats {
            sellers: self.sellers,
            activated: self.activated,
            activation_percent: percent_of(self.activated, self.sellers),
            net_sales: saturating_money(self.net),
            net_sales_previous: saturating_money(self.net_previous),
            sales_growth_percent: Growth::between(
                Decimal::from_i128_with_scale(self.net_previous, 2),
                Decimal::from_i128_with_scale(self.net, 2),
            )
            .map(|g| g.percent_rounded(1)),
            live_listings: self.listings,
            listings_per_seller: (self.sellers > 0).then(|| {
                (Decimal::from(self.listings) / Decimal::from(self.sellers))
                    .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
                    .normalize()
            }),
        }
    }
}

impl ProgrammeImpact {
    /// Compares the cohorts as of `end` (the year's end, exclusive), given each seller's net
    /// sales in paise in the year and the year before, and live listings at `end`.
    pub fn build(
        sellers: &SellerDirectory,
        end: DateTime<Utc>,
        net_paise: &HashMap<SellerId, (i128, i128)>,
        live_listings: &HashMap<SellerId, u64>,
    ) -> ProgrammeImpact {
        let (mut enrolled, mut others) = (Acc::default(), Acc::default());
        let last = end - chrono::TimeDelta::nanoseconds(1);
        for (seller, facts) in sellers.iter() {
            if facts.registered_at.is_none_or(|r| r > last) {
                continue;
            }
            let acc = if facts.enrolled_by(last) {
                &mut enrolled
            } else {
                &mut others
            };
            acc.sellers += 1;
            acc.activated += u64::from(facts.activated_at.is_some_and(|a| a <= last));
            let (current, previous) = net_paise.get(&seller).copied().unwrap_or_default();
            acc.net += current;
            acc.net_previous += previous;
            acc.listings += live_listings.get(&seller).copied().unwrap_or(0);
        }
        ProgrammeImpact {
            enrolled: enrolled.finish(),
            others: others.finish(),
        }
    }
}
