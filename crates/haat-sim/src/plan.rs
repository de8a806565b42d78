//! The scenario's skeleton, drawn before any command is sent: when each seller registers, in
//! which district, and which workshop brought them.

use chrono::{DateTime, NaiveDate, Utc};
use haat_core::{District, FinancialYear, Month, PinCode, PinDirectory, StateCode, ist_midnight};

use crate::{Rng, ScenarioConfig};

/// Orders and registrations by month of the financial year (April first), per mille of an
/// average month: the festive season (Durga Puja, Diwali) in October and November.
pub(crate) const SEASON: [u64; 12] = [
    850, 850, 850, 900, 950, 1_100, 1_500, 1_200, 1_000, 950, 900, 950,
];

/// The stream numbers that keep the plan's draws apart from the sellers' own.
pub(crate) const PLAN_STREAM: u64 = 1 << 62;
pub(crate) const WORKSHOP_STREAM: u64 = 1 << 61;

/// West Bengal's districts with their PIN codes.
pub(crate) struct Districts {
    pub(crate) list: Vec<District>,
    pub(crate) weights: Vec<u64>,
}

impl Districts {
    pub(crate) fn west_bengal() -> Districts {
        let directory = PinDirectory::india();
        let list: Vec<District> = directory
            .districts(StateCode::WEST_BENGAL)
            .iter()
            .copied()
            .filter(|&d| !directory.pin_codes_of_district(d).is_empty())
            .collect();
        let weights = list
            .iter()
            .map(|&d| directory.pin_codes_of_district(d).len() as u64)
            .collect();
        Districts { list, weights }
    }

    pub(crate) fn pins(&self, index: usize) -> &'static [PinCode] {
        self.list
            .get(index)
            .map(|&d| PinDirectory::india().pin_codes_of_district(d))
            .unwrap_or(&[])
    }

    pub(crate) fn index_of(&self, name: &str) -> Option<usize> {
        let district = PinDirectory::india().find_district(StateCode::WEST_BENGAL, name)?;
        self.list.iter().position(|&d| d == district)
    }
}

/// One seller's place in the plan.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SellerSlot {
    /// Index into the horizon's months.
    pub(crate) month: u16,
    /// Index into [`Districts::list`].
    pub(crate) district: u16,
    /// The workshop that brought them (index into [`Plan::workshops`]), if any.
    pub(crate) workshop: Option<u32>,
}

/// A workshop and the sellers it brought.
#[derive(Clone, Debug)]
pub(crate) struct WorkshopPlan {
    pub(crate) district: u16,
    pub(crate) date: NaiveDate,
    /// The sellers (0-based seller indices) who came through it.
    pub(crate) sellers: Vec<u32>,
}

/// A piece of work: a lone seller, or a workshop with the sellers it brought.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unit {
    Seller(u32),
    Workshop(u32),
}

pub(crate) struct Plan {
    pub(crate) months: Vec<Month>,
    pub(crate) slots: Vec<SellerSlot>,
    pub(crate) workshops: Vec<WorkshopPlan>,
    pub(crate) units: Vec<Unit>,
    /// Per financial year: listings to create (`target`) and the seller-days they spread over.
    pub(crate) listing_rate: Vec<(u128, u128)>,
    pub(crate) years: Vec<FinancialYear>,
}

/// The showcase sellers come first: the Nadia saree house and the Barasat trader.
pub(crate) const SHOWCASE: usize = 2;

/// The sellers a workshop brings at most (more make a second workshop that month).
const WORKSHOP_SELLERS: usize = 24;

impl Plan {
    pub(crate) fn new(config: &ScenarioConfig, districts: &Districts) -> Plan {
        let years = config.financial_years();
        let months: Vec<Month> = years.iter().flat_map(|fy| fy.months()).collect();
        // Month weights: year y has (1 + growth)^y times year 0's registrations.
        let mut weights = Vec::with_capacity(months.len());
        let mut year_weight: u128 = 1_000_000;
        for (y, _) in years.iter().enumerate() {
            if y > 0 {
                year_weight = year_weight
                    * u128::from(10_000 + config.onboarding_growth.basis_points())
                    / 10_000;
            }
            for season in SEASON {
                weights.push(year_weight * u128::from(season));
            }
        }
        let total: u128 = weights.iter().sum();
        let n = u128::from(config.sellers.max(SHOWCASE as u32));
        let nadia = districts.index_of("Nadia").unwrap_or(0);
        let barasat = districts.index_of("North 24 Parganas").unwrap_or(0);
        let mut slots = Vec::with_capacity(n as usize);
        let mut month = 0usize;
        let mut cumulative = weights.first().copied().unwrap_or(0);
        for i in 0..n {
            // Stratified: seller i registers in the month holding quantile (i + ½) / n, so the
            // yearly counts follow the growth exactly, with no sampling noise.
            let target = (2 * i + 1) * total / (2 * n);
            while cumulative <= target && month + 1 < weights.len() {
                month += 1;
                cumulative += weights[month];
            }
            let id = i as u64 + 1;
            let mut rng = Rng::stream(config.seed, PLAN_STREAM ^ id);
            let district = match i {
                0 => nadia,
                1 => barasat,
                _ => rng.weighted(&districts.weights),
            };
            let via_workshop =
                i as usize >= SHOWCASE && rng.chance_bp(config.workshop_share.basis_points());
            slots.push(SellerSlot {
                month: month as u16,
                district: district as u16,
                workshop: via_workshop.then_some(0),
            });
        }
        // Group workshop sellers by (month, district), in seller order, into workshops.
        let mut groups: std::collections::BTreeMap<(u16, u16), Vec<u32>> = Default::default();
        for (i, slot) in slots.iter().enumerate() {
            if slot.workshop.is_some() {
                groups
                    .entry((slot.month, slot.district))
                    .or_default()
                    .push(i as u32);
            }
        }
        let mut workshops = Vec::new();
        for ((m, d), sellers) in groups {
            for chunk in sellers.chunks(WORKSHOP_SELLERS) {
                let index = workshops.len() as u32;
                let mut rng = Rng::stream(config.seed, WORKSHOP_STREAM ^ u64::from(index));
                let first = months[usize::from(m)].first_day();
                let date = first + chrono::Days::new(rng.below(10));
                for &s in chunk {
                    slots[s as usize].workshop = Some(index);
                }
                workshops.push(WorkshopPlan {
                    district: d,
                    date,
                    sellers: chunk.to_vec(),
                });
            }
        }
        // Units in the order of their first seller.
        let mut units: Vec<(u32, Unit)> = Vec::with_capacity(slots.len());
        for (i, slot) in slots.iter().enumerate() {
            if slot.workshop.is_none() {
                units.push((i as u32, Unit::Seller(i as u32)));
            }
        }
        for (w, workshop) in workshops.iter().enumerate() {
            if let Some(&first) = workshop.sellers.first() {
                units.push((first, Unit::Workshop(w as u32)));
            }
        }
        units.sort_by_key(|&(first, _)| first);
        let units = units.into_iter().map(|(_, u)| u).collect();

        // Listings: year 0 creates `listings_per_seller` per seller registering in it; each
        // later year creates `growth × (active listings at the end of the year before)`.
        let mut listing_rate = Vec::with_capacity(years.len());
        let mut stock: u128 = 0;
        for (y, fy) in years.iter().enumerate() {
            let mut seller_days: u128 = 0;
            let mut registered_this_year: u128 = 0;
            for slot in &slots {
                let reg_month = months[usize::from(slot.month)];
                let registered = mid_month(reg_month);
                if reg_month.financial_year() == *fy {
                    registered_this_year += 1;
                }
                let from = registered.max(fy.start());
                if from < fy.end() {
                    seller_days += (fy.end() - from).num_days().max(0) as u128;
                }
            }
            let target = if y == 0 {
                registered_this_year * u128::from(config.listings_per_seller)
            } else {
                stock * u128::from(config.listing_growth.basis_points()) / 10_000
            };
            stock += target;
            listing_rate.push((target, seller_days.max(1)));
        }
        Plan {
            months,
            slots,
            workshops,
            units,
            listing_rate,
            years,
        }
    }
}

/// The middle of a month, as the plan assumes a seller starts.
pub(crate) fn mid_month(month: Month) -> DateTime<Utc> {
    ist_midnight(month.first_day()) + chrono::TimeDelta::days(15)
}
