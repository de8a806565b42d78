//! The workshop funnel: attended → registered → KYC verified → active → first listing → first
//! sale.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use haat_core::{Decimal, District, ist_midnight};
use haat_seller::PartnerDepartment;
use rust_decimal::RoundingStrategy;
use serde::{Deserialize, Serialize};

use crate::store::Storage;
use crate::{SalesFold, SellerDirectory, WorkshopFold, percent_of};

/// A step of the workshop funnel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FunnelStep {
    /// Attended a workshop.
    Attended,
    /// Registered as a seller.
    Registered,
    /// Had KYC verified.
    KycVerified,
    /// Was activated.
    Active,
    /// Had a first listing go live.
    FirstListing,
    /// Made a first sale (an order neither cancelled nor returned).
    FirstSale,
}

impl FunnelStep {
    /// Every step, in funnel order.
    pub const ALL: [FunnelStep; 6] = [
        FunnelStep::Attended,
        FunnelStep::Registered,
        FunnelStep::KycVerified,
        FunnelStep::Active,
        FunnelStep::FirstListing,
        FunnelStep::FirstSale,
    ];
}

/// One step's figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunnelStage {
    /// The step.
    pub step: FunnelStep,
    /// Attendees who reached it (and every step before it).
    pub count: u64,
    /// `count` as a percentage of the step before (`None` for the first step, or when the step
    /// before has nobody).
    pub conversion_percent: Option<Decimal>,
    /// The median number of days from the step before, over those who reached this one
    /// (`None` for the first step, or when nobody reached it).
    pub median_days: Option<Decimal>,
}

/// The funnel of a set of attendances: six stages, whose counts never increase.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Funnel {
    /// The stages, in funnel order.
    pub stages: Vec<FunnelStage>,
}

impl Funnel {
    /// The count at `step`.
    pub fn count(&self, step: FunnelStep) -> u64 {
        self.stages
            .iter()
            .find(|s| s.step == step)
            .map_or(0, |s| s.count)
    }
}

/// One district's funnel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DistrictFunnel {
    /// The workshop's district.
    pub district: District,
    /// Its funnel.
    pub funnel: Funnel,
}

/// One partner department's funnel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerFunnel {
    /// The partner (`None`: the workshop's scheduling was not seen).
    pub partner: Option<PartnerDepartment>,
    /// Its funnel.
    pub funnel: Funnel,
}

/// The funnel of every attendance at workshops held on `from..=to` (IST days), in all, by
/// district and by partner department.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunnelReport {
    /// All attendances.
    pub total: Funnel,
    /// By the workshop's district, in district order.
    pub by_district: Vec<DistrictFunnel>,
    /// By the workshop's partner department.
    pub by_partner: Vec<PartnerFunnel>,
}

#[derive(Default)]
struct Builder {
    counts: [u64; 6],
    /// Seconds between each step and the one before, for those who reached it.
    gaps: [Vec<i64>; 6],
}

impl Builder {
    fn add(&mut self, times: &[Option<DateTime<Utc>>; 6]) {
        let mut previous: Option<DateTime<Utc>> = None;
        for (step, time) in times.iter().enumerate() {
            let Some(time) = *time else { break };
            self.counts[step] += 1;
            if let Some(previous) = previous {
                self.gaps[step].push((time - previous).num_seconds());
            }
            previous = Some(time);
        }
    }

    fn finish(mut self) -> Funnel {
        let stages = FunnelStep::ALL
            .iter()
            .enumerate()
            .map(|(i, step)| FunnelStage {
                step: *step,
                count: self.counts[i],
                conversion_percent: (i > 0)
                    .then(|| percent_of(self.counts[i], self.counts[i - 1]))
                    .flatten(),
                median_days: median_days(&mut self.gaps[i]),
            })
            .collect();
        Funnel { stages }
    }
}

/// The median of a list of durations in seconds, in days to one decimal place.
fn median_days(seconds: &mut [i64]) -> Option<Decimal> {
    if seconds.is_empty() {
        return None;
    }
    seconds.sort_unstable();
    let mid = seconds.len() / 2;
    let twice = if seconds.len() % 2 == 1 {
        i128::from(seconds[mid]) * 2
    } else {
        i128::from(seconds[mid - 1]) + i128::from(seconds[mid])
    };
    let days = Decimal::from_i128_with_scale(twice, 0).checked_div(Decimal::from(2 * 86_400))?;
    Some(
        days.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)
            .normalize(),
    )
}

impl FunnelReport {
    /// Builds the funnel of workshops held on `from..=to`.
    ///
    /// Attendance counts from the workshop's day (00:00 IST); registration, KYC verification and
    /// activation are the linked seller's (from `sellers`); the first listing is the first to go
    /// live (recorded in `sellers` by [`SellerDirectory::listing_went_live`]); the first sale is
    /// the first order neither cancelled nor returned (from `sales`).
    pub fn build<S: Storage>(
        workshops: &WorkshopFold,
        sellers: &SellerDirectory,
        sales: &SalesFold<S>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> FunnelReport {
        let mut total = Builder::default();
        let mut by_district: BTreeMap<District, Builder> = BTreeMap::new();
        let mut by_partner: BTreeMap<Option<PartnerDepartment>, Builder> = BTreeMap::new();
        for (workshop, _, attendance) in workshops.attendances() {
            if attendance.date < from || attendance.date > to {
                continue;
            }
            let facts = attendance
                .seller
                .and_then(|s| sellers.get(s).map(|f| (s, f)));
            let times = [
                Some(ist_midnight(attendance.date)),
                facts.and_then(|(_, f)| f.registered_at),
                facts.and_then(|(_, f)| f.kyc_verified_at),
                facts.and_then(|(_, f)| f.activated_at),
                facts.and_then(|(_, f)| f.first_listing_at),
                facts.and_then(
                    |(seller, f)| match (f.first_sale_at, sales.first_sale(seller)) {
                        (Some(a), Some(b)) => Some(a.min(b)),
                        (a, b) => a.or(b),
                    },
                ),
            ];
            total.add(&times);
            by_district
                .entry(attendance.district)
                .or_default()
                .add(&times);
            by_partner
                .entry(workshops.partner(workshop).cloned())
                .or_default()
                .add(&times);
        }
        FunnelReport {
            total: total.finish(),
            by_district: by_district
                .into_iter()
                .map(|(district, b)| DistrictFunnel {
                    district,
                    funnel: b.finish(),
                })
                .collect(),
            by_partner: by_partner
                .into_iter()
                .map(|(partner, b)| PartnerFunnel {
                    partner,
                    funnel: b.finish(),
                })
                .collect(),
        }
    }
}
