//! What a scenario is made of: its parameters, and three ready presets.

use std::fmt;
use std::str::FromStr;

use haat_core::FinancialYear;

/// A share, rate or growth in basis points: `Rate::percent(70)` is 70%, `Rate::percent(150)`
/// 150%. Integer throughout, so no float ever decides a scenario.
///
/// ```
/// use haat_sim::Rate;
/// assert_eq!(Rate::percent(70).basis_points(), 7_000);
/// assert_eq!(Rate::basis_points_of(250).to_string(), "2.5%");
/// assert_eq!("12.5%".parse::<Rate>()?, Rate::basis_points_of(1_250));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Rate(u32);

impl Rate {
    /// Zero.
    pub const ZERO: Rate = Rate(0);

    /// `percent` per cent.
    pub const fn percent(percent: u32) -> Rate {
        Rate(percent.saturating_mul(100))
    }

    /// `basis_points` hundredths of a per cent.
    pub const fn basis_points_of(basis_points: u32) -> Rate {
        Rate(basis_points)
    }

    /// The rate in basis points.
    pub const fn basis_points(self) -> u32 {
        self.0
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (whole, frac) = (self.0 / 100, self.0 % 100);
        match frac {
            0 => write!(f, "{whole}%"),
            f10 if f10 % 10 == 0 => write!(f, "{whole}.{}%", f10 / 10),
            _ => write!(f, "{whole}.{frac:02}%"),
        }
    }
}

impl FromStr for Rate {
    type Err = String;

    /// Parses `70%`, `70`, `2.5%` or `12.25`.
    fn from_str(s: &str) -> Result<Rate, String> {
        let t = s.trim().trim_end_matches('%').trim();
        let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
        let bad = || format!("'{s}' is not a percentage like 70% or 2.5%");
        if whole.is_empty() || frac.len() > 2 || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let whole: u32 = whole.parse().map_err(|_| bad())?;
        let frac: u32 = match frac.len() {
            0 => 0,
            1 => frac.parse::<u32>().map_err(|_| bad())? * 10,
            _ => frac.parse().map_err(|_| bad())?,
        };
        whole
            .checked_mul(100)
            .and_then(|bp| bp.checked_add(frac))
            .map(Rate)
            .ok_or_else(bad)
    }
}

/// Everything a scenario depends on. The same configuration gives the same scenario, byte for
/// byte; `seed` alone changes the draws, the other fields change the shape.
///
/// Fields are public: a configuration is plain data, set from a preset and adjusted.
///
/// ```
/// use haat_sim::{Rate, ScenarioConfig};
/// let config = ScenarioConfig { seed: 7, onboarding_growth: Rate::percent(20), ..ScenarioConfig::small() };
/// assert_eq!(config.sellers, 300);
/// assert_eq!(config.financial_years().len(), 2);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioConfig {
    /// The seed of every draw.
    pub seed: u64,
    /// How many sellers register over the scenario (the two showcase sellers included).
    pub sellers: u32,
    /// The first financial year.
    pub first_year: FinancialYear,
    /// How many financial years, from `first_year` (at least 2, so there is a year-on-year).
    pub years: u8,
    /// Year-on-year growth of registrations: each year has `1 + growth` times the
    /// registrations of the year before.
    pub onboarding_growth: Rate,
    /// Year-on-year growth of active listings at the year's end; the listings created each
    /// year are sized to reach it.
    pub listing_growth: Rate,
    /// Listings created in the first year per seller registering in it (a mean; sellers differ
    /// in size).
    pub listings_per_seller: u32,
    /// Sellers who came through a seller-training workshop.
    pub workshop_share: Rate,
    /// Workshop attendees who register as sellers (the rest only attend).
    pub workshop_conversion: Rate,
    /// Sellers with an inclusion tag who enrol in the inclusion programme.
    pub programme_share: Rate,
    /// Sellers who are handloom weaver households (they declare their weavers).
    pub weaver_share: Rate,
    /// Sellers who are artisans.
    pub artisan_share: Rate,
    /// Sellers who are farmers or farmer producer organisations.
    pub farmer_share: Rate,
    /// Sellers with a disability.
    pub disability_share: Rate,
    /// Woman-led businesses.
    pub woman_led_share: Rate,
    /// Sellers without GST registration (enrolment number; selling within West Bengal only).
    pub non_gst_share: Rate,
    /// Registered sellers who never complete KYC.
    pub kyc_dropout_share: Rate,
    /// KYC submissions first refused by the cross-checks (a GSTIN of another state), then
    /// corrected: intended rejections.
    pub kyc_mismatch_share: Rate,
    /// KYC submissions rejected by the reviewer, then re-submitted and verified.
    pub kyc_rejection_share: Rate,
    /// Listings whose first submission fails the automatic quality checks, then is fixed.
    pub quality_fix_share: Rate,
    /// Orders per active listing per month, as a rate: `Rate::percent(40)` is 0.4 orders.
    pub orders_per_listing_month: Rate,
    /// Orders cancelled by the buyer before dispatch.
    pub buyer_cancellation_rate: Rate,
    /// Orders cancelled by the seller (could not fulfil).
    pub seller_cancellation_rate: Rate,
    /// Orders cancelled by the marketplace (payment failure, undeliverable address).
    pub marketplace_cancellation_rate: Rate,
    /// Delivered orders returned by the buyer.
    pub return_rate: Rate,
    /// Dispatched orders dispatched after the promised time.
    pub late_dispatch_rate: Rate,
    /// Orders of GST-registered sellers going outside West Bengal.
    pub inter_state_share: Rate,
}

impl ScenarioConfig {
    /// A few hundred sellers: for tests (well under a second).
    pub fn small() -> ScenarioConfig {
        ScenarioConfig {
            sellers: 300,
            ..ScenarioConfig::default()
        }
    }

    /// The full West Bengal picture: 4.2 lakh sellers.
    pub fn full() -> ScenarioConfig {
        ScenarioConfig {
            sellers: 420_000,
            ..ScenarioConfig::default()
        }
    }

    /// The financial years the scenario covers, in order.
    pub fn financial_years(&self) -> Vec<FinancialYear> {
        let mut years = Vec::with_capacity(usize::from(self.years));
        let mut fy = self.first_year;
        for _ in 0..self.years.max(1) {
            years.push(fy);
            fy = fy.next();
        }
        years
    }
}

impl Default for ScenarioConfig {
    /// A few thousand sellers over FY2024-25 and FY2025-26, with the reference picture's
    /// growth: onboarding +70% and listings +150% year on year. What the main job runs.
    fn default() -> ScenarioConfig {
        ScenarioConfig {
            seed: 2019,
            sellers: 5_000,
            first_year: FinancialYear::starting(2024)
                .unwrap_or_else(|| FinancialYear::of_date(chrono::NaiveDate::default())),
            years: 2,
            onboarding_growth: Rate::percent(70),
            listing_growth: Rate::percent(150),
            listings_per_seller: 4,
            workshop_share: Rate::percent(25),
            workshop_conversion: Rate::percent(60),
            programme_share: Rate::percent(40),
            weaver_share: Rate::percent(14),
            artisan_share: Rate::percent(12),
            farmer_share: Rate::percent(6),
            disability_share: Rate::percent(2),
            woman_led_share: Rate::percent(22),
            non_gst_share: Rate::percent(30),
            kyc_dropout_share: Rate::percent(8),
            kyc_mismatch_share: Rate::percent(3),
            kyc_rejection_share: Rate::percent(6),
            quality_fix_share: Rate::percent(10),
            orders_per_listing_month: Rate::percent(40),
            buyer_cancellation_rate: Rate::percent(5),
            seller_cancellation_rate: Rate::percent(2),
            marketplace_cancellation_rate: Rate::percent(1),
            return_rate: Rate::percent(6),
            late_dispatch_rate: Rate::percent(7),
            inter_state_share: Rate::percent(25),
        }
    }
}
