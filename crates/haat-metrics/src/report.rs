//! The impact report: a financial year against the one before, as typed data.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use haat_core::{Decimal, District, FinancialYear, Money, Month, SellerId, StateCode, ist_date};
use haat_inventory::Network;
use serde::{Deserialize, Serialize};

use crate::growth::saturating_money;
use crate::store::Storage;
use crate::{
    Employment, FunnelReport, Growth, HighPerformance, Infrastructure, ListingPerformance, Metrics,
    PayoutTotals, Period, ProgrammeImpact, SalesTotals, Tier, TierThresholds, listing_performance,
    rate_sellers,
};

/// What a report is built with: the year, the instant it is built at, and the settings the
/// caller may change.
#[derive(Clone, Debug)]
pub struct ReportSettings<'a> {
    /// The financial year reported (compared with the one before).
    pub fy: FinancialYear,
    /// When the report is built: the performance window ends on this IST day (or the year's
    /// last day, if earlier).
    pub now: DateTime<Utc>,
    /// The fulfilment network, for the infrastructure section.
    pub network: Option<&'a Network>,
    /// The state the infrastructure section describes.
    pub state: StateCode,
    /// Tier rules for seller performance.
    pub thresholds: TierThresholds,
    /// The performance window, in IST days.
    pub window_days: u32,
    /// What makes a listing high-performing.
    pub high_performance: HighPerformance,
    /// How many listings and sellers the "top" lists show.
    pub top: usize,
}

impl<'a> ReportSettings<'a> {
    /// Defaults: West Bengal, a 90-day window, the default tier and listing rules, top 10, no
    /// network.
    pub fn new(fy: FinancialYear, now: DateTime<Utc>) -> Self {
        ReportSettings {
            fy,
            now,
            network: None,
            state: StateCode::WEST_BENGAL,
            thresholds: TierThresholds::default(),
            window_days: 90,
            high_performance: HighPerformance::default(),
            top: 10,
        }
    }

    /// With the fulfilment network, for the infrastructure section.
    pub fn with_network(mut self, network: &'a Network) -> Self {
        self.network = Some(network);
        self
    }
}

/// Sellers: how many, and how onboarding grew.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellerHeadline {
    /// Sellers registered by the year's end.
    pub registered_total: u64,
    /// Sellers active at the year's end.
    pub active_total: u64,
    /// Registrations in the year.
    pub registered: u64,
    /// Registrations in the year before.
    pub registered_previous: u64,
    /// Growth of registrations, percent (one decimal; `None` without a base).
    pub registration_growth_percent: Option<Decimal>,
    /// Activations in the year.
    pub activated: u64,
    /// Activations in the year before.
    pub activated_previous: u64,
    /// Growth of activations, percent.
    pub activation_growth_percent: Option<Decimal>,
}

/// Listings live at the year's end against the end of the year before.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingHeadline {
    /// Live at the year's end.
    pub live: u64,
    /// Live at the previous year's end.
    pub live_previous: u64,
    /// Growth, percent.
    pub growth_percent: Option<Decimal>,
    /// Listings meeting the high-performance rule in the year.
    pub high_performing: u64,
}

/// One seller's sales in the year against the year before.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellerGrowth {
    /// The seller.
    pub seller: SellerId,
    /// Their district.
    pub district: Option<District>,
    /// Net sales the year before.
    pub previous: Money,
    /// Net sales in the year.
    pub current: Money,
    /// Growth, percent, one decimal.
    pub growth_percent: Decimal,
}

/// Sales in one top-level category.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategorySales {
    /// The top-level category (`None`: listings whose content was not seen).
    pub category: Option<String>,
    /// GMV in the year.
    pub gmv: Money,
    /// Net units in the year.
    pub net_units: u64,
}

/// Sales in the year against the year before.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalesHeadline {
    /// Order lines placed in the year.
    pub orders: u64,
    /// Units placed.
    pub units: u64,
    /// GMV: the value of everything placed.
    pub gmv: Money,
    /// GMV the year before.
    pub gmv_previous: Money,
    /// GMV growth, percent.
    pub gmv_growth_percent: Option<Decimal>,
    /// Net sales: neither cancelled nor returned.
    pub net_sales: Money,
    /// Net sales the year before.
    pub net_sales_previous: Money,
    /// Net sales growth, percent.
    pub net_sales_growth_percent: Option<Decimal>,
    /// Sellers with an order in the year.
    pub sellers_with_orders: u64,
    /// Sellers whose net sales more than doubled (from a non-zero base).
    pub sellers_more_than_doubled: u64,
    /// The sellers whose net sales grew most (by ratio), from a non-zero base.
    pub fastest_growing: Vec<SellerGrowth>,
    /// By top-level category, largest GMV first.
    pub by_category: Vec<CategorySales>,
}

/// How many sellers are in one tier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierCount {
    /// The tier.
    pub tier: Tier,
    /// Sellers in it.
    pub sellers: u64,
}

/// Seller performance over the window.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PerformanceHeadline {
    /// The window's first IST day.
    pub first_day: NaiveDate,
    /// The window's last IST day.
    pub last_day: NaiveDate,
    /// Sellers per tier, best first (sellers without orders in the window are not rated).
    pub tiers: Vec<TierCount>,
    /// Seller-caused cancellations over all orders in the window, percent.
    pub cancellation_percent: Option<Decimal>,
    /// Late dispatches over all dispatches, percent.
    pub late_dispatch_percent: Option<Decimal>,
    /// Returns over all deliveries, percent.
    pub return_percent: Option<Decimal>,
}

/// One district's line. The lines sum to the state's totals in the headlines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DistrictRow {
    /// The district of the sellers' PIN codes (`None`: unknown).
    pub district: Option<District>,
    /// Sellers registered by the year's end.
    pub sellers: u64,
    /// Sellers active at the year's end.
    pub active_sellers: u64,
    /// Registrations in the year.
    pub registered: u64,
    /// Listings live at the year's end.
    pub live_listings: u64,
    /// GMV in the year.
    pub gmv: Money,
    /// GMV the year before.
    pub gmv_previous: Money,
    /// GMV growth, percent.
    pub gmv_growth_percent: Option<Decimal>,
    /// People employed at the year's end.
    pub workforce: u64,
}

/// One month's figures, for the chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthRow {
    /// The month.
    pub month: Month,
    /// Registrations.
    pub registered: u64,
    /// Activations.
    pub activated: u64,
    /// GMV.
    pub gmv: Money,
}

/// The impact report of a financial year against the one before: typed, serialisable
/// (`serde_json`), rendered as text by [`ImpactReport::render`] and as a chart by
/// [`ImpactReport::chart_svg`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImpactReport {
    /// The year reported.
    pub financial_year: FinancialYear,
    /// The year compared with.
    pub previous_year: FinancialYear,
    /// When the report was built.
    pub generated_at: DateTime<Utc>,
    /// Sellers and onboarding.
    pub sellers: SellerHeadline,
    /// Listings.
    pub listings: ListingHeadline,
    /// Sales.
    pub sales: SalesHeadline,
    /// Employment at the year's end.
    pub employment: Employment,
    /// The funnel of the year's workshops.
    pub funnel: FunnelReport,
    /// Programme members against the rest.
    pub programmes: ProgrammeImpact,
    /// Seller performance over the window.
    pub performance: PerformanceHeadline,
    /// What settlement paid sellers in the year, and what it deducted (zero when the
    /// metrics were given no settlement statements).
    #[serde(default)]
    pub payouts: PayoutTotals,
    /// The best listings of the year by velocity.
    pub top_listings: Vec<ListingPerformance>,
    /// The fulfilment network, when the caller gave one.
    pub infrastructure: Option<Infrastructure>,
    /// Per district, in district order (unknown first).
    pub districts: Vec<DistrictRow>,
    /// Month by month over both years.
    pub monthly: Vec<MonthRow>,
}

fn growth_percent(previous: impl Into<Decimal>, current: impl Into<Decimal>) -> Option<Decimal> {
    Growth::between(previous, current).map(|g| g.percent_rounded(1))
}

fn paise(p: i128) -> Decimal {
    Decimal::try_from_i128_with_scale(p, 2).unwrap_or(Decimal::MAX)
}

#[derive(Default)]
struct DistrictAcc {
    sellers: u64,
    active: u64,
    registered: u64,
    live_listings: u64,
    gross: i128,
    gross_previous: i128,
}

/// Per district, as the report's steps fill it in.
type Districts = BTreeMap<Option<District>, DistrictAcc>;

/// The sales of each seller with orders in the year or the year before: (this year, the
/// year before).
type PerSeller = HashMap<SellerId, (SalesTotals, SalesTotals)>;

impl ImpactReport {
    /// Builds the report of `settings.fy` from `metrics`: one step per section, each a
    /// function below.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use haat_metrics::{ImpactReport, Metrics, ReportSettings};
    /// let now = Utc.with_ymd_and_hms(2026, 4, 2, 0, 0, 0).unwrap();
    /// let report = ImpactReport::build(&Metrics::default(), &ReportSettings::new("FY2025-26".parse()?, now));
    /// assert_eq!(report.sellers.registration_growth_percent, None); // nothing to grow from
    /// assert_eq!(report.monthly.len(), 24);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn build<S: Storage>(metrics: &Metrics<S>, settings: &ReportSettings<'_>) -> ImpactReport {
        let fy = settings.fy;
        let last = fy.end() - TimeDelta::nanoseconds(1);
        let sellers = metrics.sellers();
        let mut districts = Districts::new();
        let seller_headline = seller_headline(metrics, fy, &mut districts);
        let (mut listings, live_per_seller) = listing_headline(metrics, fy, &mut districts);
        let (sales, per_seller, per_month) = sales_headline(metrics, settings, &mut districts);

        let performances = listing_performance(metrics.sales(), metrics.listings(), fy, None);
        listings.high_performing = performances
            .iter()
            .filter(|l| settings.high_performance.admits(l))
            .count() as u64;
        let top_listings: Vec<ListingPerformance> =
            performances.into_iter().take(settings.top).collect();

        let employment = Employment::as_of(sellers, last);
        let funnel = FunnelReport::build(
            metrics.workshops(),
            sellers,
            metrics.sales(),
            fy.first_day(),
            fy.last_day(),
        );
        let net: HashMap<SellerId, (i128, i128)> = per_seller
            .iter()
            .map(|(s, (a, b))| (*s, (a.net_paise, b.net_paise)))
            .collect();
        let programmes = ProgrammeImpact::build(sellers, fy.end(), &net, &live_per_seller);
        let performance = performance_headline(metrics, settings);
        let district_rows = district_rows(districts, &employment);
        let monthly = monthly_rows(metrics, fy, &per_month);

        ImpactReport {
            financial_year: fy,
            previous_year: fy.previous(),
            generated_at: settings.now,
            sellers: seller_headline,
            listings,
            sales,
            employment,
            funnel,
            programmes,
            performance,
            payouts: metrics.payouts().year(fy),
            top_listings,
            infrastructure: settings.network.map(|network| {
                Infrastructure::of(network, settings.state).with_unserved_demand(
                    metrics.demand(),
                    network,
                    fy,
                    settings.top,
                )
            }),
            districts: district_rows,
            monthly,
        }
    }
}

/// Registrations and activations against the year before; sellers per district.
fn seller_headline<S: Storage>(
    metrics: &Metrics<S>,
    fy: FinancialYear,
    districts: &mut Districts,
) -> SellerHeadline {
    let last = fy.end() - TimeDelta::nanoseconds(1);
    let onboarding = metrics.onboarding();
    let (now_counts, before) = (
        onboarding.counts(Period::FinancialYear(fy)),
        onboarding.counts(Period::FinancialYear(fy.previous())),
    );
    let mut headline = SellerHeadline {
        registered: now_counts.registered,
        registered_previous: before.registered,
        registration_growth_percent: growth_percent(before.registered, now_counts.registered),
        activated: now_counts.activated,
        activated_previous: before.activated,
        activation_growth_percent: growth_percent(before.activated, now_counts.activated),
        ..SellerHeadline::default()
    };
    for (_, facts) in metrics.sellers().iter() {
        let Some(registered_at) = facts.registered_at else {
            continue;
        };
        if registered_at > last {
            continue;
        }
        let row = districts.entry(facts.district).or_default();
        row.sellers += 1;
        headline.registered_total += 1;
        if fy.contains(registered_at) {
            row.registered += 1;
        }
        if facts.active_at(last) {
            row.active += 1;
            headline.active_total += 1;
        }
    }
    headline
}

/// Listings live at the end of the year and of the year before (high performers are
/// counted later); live listings per seller and per district.
fn listing_headline<S: Storage>(
    metrics: &Metrics<S>,
    fy: FinancialYear,
    districts: &mut Districts,
) -> (ListingHeadline, HashMap<SellerId, u64>) {
    let last = fy.end() - TimeDelta::nanoseconds(1);
    let previous_last = fy.start() - TimeDelta::nanoseconds(1);
    let sellers = metrics.sellers();
    let mut live_per_seller: HashMap<SellerId, u64> = HashMap::new();
    let (mut live, mut live_previous) = (0u64, 0u64);
    for (_, facts) in metrics.listings().iter() {
        if facts.is_live_at(last) {
            live += 1;
            *live_per_seller.entry(facts.seller()).or_default() += 1;
            let district = sellers.get(facts.seller()).and_then(|f| f.district);
            districts.entry(district).or_default().live_listings += 1;
        }
        live_previous += u64::from(facts.is_live_at(previous_last));
    }
    let headline = ListingHeadline {
        live,
        live_previous,
        growth_percent: growth_percent(live_previous, live),
        high_performing: 0,
    };
    (headline, live_per_seller)
}

/// Sales against the year before: the headline, each seller's totals, GMV per month (both
/// years) and GMV per district.
fn sales_headline<S: Storage>(
    metrics: &Metrics<S>,
    settings: &ReportSettings<'_>,
    districts: &mut Districts,
) -> (SalesHeadline, PerSeller, BTreeMap<Month, i128>) {
    let fy = settings.fy;
    let sellers = metrics.sellers();
    let district_of = |seller: SellerId| sellers.get(seller).and_then(|f| f.district);
    let first_month = Month::containing(fy.start()).index();
    let previous_first = first_month - 12;
    let mut per_seller: HashMap<SellerId, (SalesTotals, SalesTotals)> = HashMap::new();
    let mut per_month: BTreeMap<Month, i128> = BTreeMap::new();
    let mut per_category: BTreeMap<Option<String>, (i128, u64)> = BTreeMap::new();
    for (key, totals) in metrics.sales().cells() {
        let month = key.month.index();
        if !(previous_first..first_month + 12).contains(&month) {
            continue;
        }
        *per_month.entry(key.month).or_default() += totals.gross_paise;
        let entry = per_seller.entry(key.seller).or_default();
        if month >= first_month {
            entry.0.merge(&totals);
            let category = metrics
                .listings()
                .get(key.listing)
                .and_then(|l| l.category())
                .map(|c| top_level(c.as_str()).to_owned());
            let cell = per_category.entry(category).or_default();
            cell.0 += totals.gross_paise;
            cell.1 += totals.net_units;
        } else {
            entry.1.merge(&totals);
        }
    }
    let (mut current, mut previous) = (SalesTotals::default(), SalesTotals::default());
    let mut growth: Vec<SellerGrowth> = Vec::new();
    let mut doubled = 0;
    let mut with_orders = 0;
    for (seller, (now_totals, before_totals)) in &per_seller {
        current.merge(now_totals);
        previous.merge(before_totals);
        with_orders += u64::from(now_totals.orders > 0);
        let row = districts.entry(district_of(*seller)).or_default();
        row.gross += now_totals.gross_paise;
        row.gross_previous += before_totals.gross_paise;
        if before_totals.net_paise > 0 {
            doubled += u64::from(now_totals.net_paise > 2 * before_totals.net_paise);
            if let Some(g) =
                Growth::between(paise(before_totals.net_paise), paise(now_totals.net_paise))
            {
                growth.push(SellerGrowth {
                    seller: *seller,
                    district: district_of(*seller),
                    previous: before_totals.net_sales(),
                    current: now_totals.net_sales(),
                    growth_percent: g.percent_rounded(1),
                });
            }
        }
    }
    growth.sort_by(|a, b| {
        b.growth_percent
            .cmp(&a.growth_percent)
            .then(a.seller.cmp(&b.seller))
    });
    growth.truncate(settings.top);
    let mut by_category: Vec<CategorySales> = per_category
        .into_iter()
        .map(|(category, (gross, net_units))| CategorySales {
            category,
            gmv: saturating_money(gross),
            net_units,
        })
        .collect();
    by_category.sort_by(|a, b| b.gmv.cmp(&a.gmv).then(a.category.cmp(&b.category)));
    let sales = SalesHeadline {
        orders: current.orders,
        units: current.units,
        gmv: current.gmv(),
        gmv_previous: previous.gmv(),
        gmv_growth_percent: growth_percent(paise(previous.gross_paise), paise(current.gross_paise)),
        net_sales: current.net_sales(),
        net_sales_previous: previous.net_sales(),
        net_sales_growth_percent: growth_percent(
            paise(previous.net_paise),
            paise(current.net_paise),
        ),
        sellers_with_orders: with_orders,
        sellers_more_than_doubled: doubled,
        fastest_growing: growth,
        by_category,
    };
    (sales, per_seller, per_month)
}

/// Sellers by tier over the performance window, and the service rates of them all.
fn performance_headline<S: Storage>(
    metrics: &Metrics<S>,
    settings: &ReportSettings<'_>,
) -> PerformanceHeadline {
    let fy = settings.fy;
    let last_day = ist_date(settings.now).min(fy.last_day());
    let window = settings.window_days.max(1);
    let rated = rate_sellers(metrics.sales(), last_day, window, &settings.thresholds);
    let mut tiers: BTreeMap<Tier, u64> = Tier::ALL.iter().map(|t| (*t, 0)).collect();
    let mut sum = crate::ServiceCounts::default();
    for r in &rated {
        *tiers.entry(r.tier).or_default() += 1;
        sum.merge(&r.counts);
    }
    PerformanceHeadline {
        first_day: last_day - TimeDelta::days(i64::from(window) - 1),
        last_day,
        tiers: tiers
            .into_iter()
            .map(|(tier, sellers)| TierCount { tier, sellers })
            .collect(),
        cancellation_percent: sum.cancellation_percent(),
        late_dispatch_percent: sum.late_dispatch_percent(),
        return_percent: sum.return_percent(),
    }
}

/// The district rows: what the steps before filled in, with employment's rows joined in.
fn district_rows(mut districts: Districts, employment: &Employment) -> Vec<DistrictRow> {
    let mut workforce: BTreeMap<Option<District>, u64> = BTreeMap::new();
    for row in &employment.by_district {
        workforce.insert(row.district, row.people);
        districts.entry(row.district).or_default();
    }
    districts
        .into_iter()
        .map(|(district, acc)| DistrictRow {
            district,
            sellers: acc.sellers,
            active_sellers: acc.active,
            registered: acc.registered,
            live_listings: acc.live_listings,
            gmv: saturating_money(acc.gross),
            gmv_previous: saturating_money(acc.gross_previous),
            gmv_growth_percent: growth_percent(paise(acc.gross_previous), paise(acc.gross)),
            workforce: workforce.get(&district).copied().unwrap_or(0),
        })
        .collect()
}

/// Registrations, activations and GMV month by month over both years.
fn monthly_rows<S: Storage>(
    metrics: &Metrics<S>,
    fy: FinancialYear,
    per_month: &BTreeMap<Month, i128>,
) -> Vec<MonthRow> {
    let months: BTreeMap<Month, crate::OnboardingCounts> = metrics.onboarding().months().collect();
    fy.previous()
        .months()
        .chain(fy.months())
        .map(|month| {
            let counts = months.get(&month).copied().unwrap_or_default();
            MonthRow {
                month,
                registered: counts.registered,
                activated: counts.activated,
                gmv: saturating_money(per_month.get(&month).copied().unwrap_or(0)),
            }
        })
        .collect()
}

fn top_level(category: &str) -> &str {
    category.split('/').next().unwrap_or(category)
}
