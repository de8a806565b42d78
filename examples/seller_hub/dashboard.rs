//! The impact dashboard: server-rendered HTML from the metrics projection, in English and
//! Bengali, with haat-metrics' own SVG chart inline. No script, no build step; one stylesheet
//! in the page, readable on a phone.

use std::fmt::Write;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::response::Html;
use chrono::{DateTime, Utc};
use haat::core::{Decimal, FinancialYear, Locale, Money};
use haat::metrics::{FunnelStep, HaatEvent, ImpactReport};
use haat::orders::OrderEvent;
use serde::Deserialize;

use crate::hub::{Hub, now};
use crate::problem::Problem;

/// The page's choices.
#[derive(Debug, Deserialize)]
pub struct Choice {
    /// `en` (the default) or `bn`.
    pub lang: Option<String>,
    /// The financial year (`FY2025-26`); by default that of the last order placed.
    pub fy: Option<String>,
}

/// The dashboard page.
pub async fn page(
    State(hub): State<Arc<Hub>>,
    Query(choice): Query<Choice>,
) -> Result<Html<String>, Problem> {
    let locale = match choice.lang.as_deref() {
        None | Some("en") => Locale::EnIn,
        Some("bn") => Locale::BnIn,
        Some(other) => {
            return Err(Problem::bad_field(
                "query.lang",
                format!("{other:?} is neither en nor bn"),
            ));
        }
    };
    let fy: Option<FinancialYear> = match choice.fy.as_deref() {
        None => None,
        Some(raw) => Some(raw.parse().map_err(|e: haat::core::Error| {
            Problem::bad_field("query.fy", format!("{raw:?}: {e}"))
        })?),
    };
    hub.blocking(move |hub| {
        let at = now();
        let report = hub.with_metrics(|p| {
            // By default the year the sales reach: that of the last order placed (the
            // instant a scenario's report is built at), else the latest event's, else today's.
            // An order's delivery or return after its year's end does not move the page to a
            // year with no sales yet.
            let latest = p
                .inputs()
                .orders
                .values()
                .filter_map(|events| match events.first() {
                    Some(OrderEvent::OrderPlaced { at, .. }) => Some(*at),
                    _ => None,
                })
                .max()
                .or_else(|| p.inputs().events.iter().filter_map(instant).max());
            let fy = fy.unwrap_or_else(|| FinancialYear::containing(latest.unwrap_or(at)));
            p.metrics().report(fy, at)
        })?;
        Ok(Html(render(&report, locale)))
    })
    .await
}

/// When an event the metrics keep happened.
fn instant(event: &HaatEvent) -> Option<DateTime<Utc>> {
    match event {
        HaatEvent::Seller(e) => Some(e.at()),
        HaatEvent::Workshop(e) => Some(e.at()),
        HaatEvent::Listing(e) => Some(e.at()),
        _ => None,
    }
}

/// The words of the page, in `locale`.
struct Words {
    title: &'static str,
    sellers: &'static str,
    active: &'static str,
    registered_in_year: &'static str,
    live_listings: &'static str,
    gmv: &'static str,
    orders: &'static str,
    growth: &'static str,
    districts: &'static str,
    district: &'static str,
    funnel: &'static str,
    step: &'static str,
    count: &'static str,
    conversion: &'static str,
    programmes: &'static str,
    enrolled: &'static str,
    others: &'static str,
    net_sales: &'static str,
    activation: &'static str,
    year: &'static str,
    unknown: &'static str,
    show: &'static str,
    steps: [&'static str; 6],
}

const EN: Words = Words {
    title: "Impact dashboard",
    sellers: "Sellers",
    active: "Active sellers",
    registered_in_year: "Registered this year",
    live_listings: "Live listings",
    gmv: "GMV",
    orders: "Orders",
    growth: "Monthly growth",
    districts: "Districts",
    district: "District",
    funnel: "Workshop funnel",
    step: "Step",
    count: "People",
    conversion: "From the step before",
    programmes: "Programme comparison",
    enrolled: "Enrolled",
    others: "Not enrolled",
    net_sales: "Net sales",
    activation: "Activated",
    year: "Financial year",
    unknown: "Unknown",
    show: "Show",
    steps: [
        "Attended a workshop",
        "Registered",
        "KYC verified",
        "Active",
        "First listing",
        "First sale",
    ],
};

const BN: Words = Words {
    title: "প্রভাব ড্যাশবোর্ড",
    sellers: "বিক্রেতা",
    active: "সক্রিয় বিক্রেতা",
    registered_in_year: "এই বছরে নিবন্ধিত",
    live_listings: "চালু তালিকা",
    gmv: "মোট বিক্রি (GMV)",
    orders: "অর্ডার",
    growth: "মাসিক বৃদ্ধি",
    districts: "জেলা",
    district: "জেলা",
    funnel: "কর্মশালা থেকে বিক্রি",
    step: "ধাপ",
    count: "মানুষ",
    conversion: "আগের ধাপ থেকে",
    programmes: "কর্মসূচির তুলনা",
    enrolled: "নথিভুক্ত",
    others: "নথিভুক্ত নয়",
    net_sales: "নিট বিক্রি",
    activation: "সক্রিয়",
    year: "অর্থবছর",
    unknown: "অজানা",
    show: "দেখুন",
    steps: [
        "কর্মশালায় উপস্থিত",
        "নিবন্ধিত",
        "কেওয়াইসি যাচাই",
        "সক্রিয়",
        "প্রথম তালিকা",
        "প্রথম বিক্রি",
    ],
};

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Rupees, compact in lakh and crore (`₹12.5 L`, `₹১২.৫ লা`).
fn rupees(locale: Locale, amount: Money) -> String {
    let value = Decimal::from(amount.paise()) / Decimal::from(100);
    format!(
        "₹{}",
        locale.compact(value, haat::core::CompactStyle::Short)
    )
}

fn int(locale: Locale, n: u64) -> String {
    locale.integer(i64::try_from(n).unwrap_or(i64::MAX))
}

fn percent(locale: Locale, p: Option<Decimal>) -> String {
    p.map_or_else(|| "–".to_owned(), |p| locale.percent(p))
}

/// The years a reader can choose: three before `fy`, `fy`, and the one after.
fn year_options(fy: FinancialYear) -> String {
    let mut first = fy;
    for _ in 0..3 {
        first = first.previous();
    }
    let mut options = String::new();
    let mut year = first;
    for _ in 0..5 {
        let selected = if year == fy { " selected" } else { "" };
        let _ = write!(options, "<option{selected}>{year}</option>");
        year = year.next();
    }
    options
}

/// The page for `report` in `locale`.
pub fn render(report: &ImpactReport, locale: Locale) -> String {
    let w = if locale == Locale::BnIn { &BN } else { &EN };
    let fy = report.financial_year;
    let lang = if locale == Locale::BnIn { "bn" } else { "en" };
    let mut html = String::with_capacity(32 * 1024);
    let _ = write!(
        html,
        r#"<!doctype html>
<html lang="{tag}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · {fy}</title>
<style>
body{{font-family:system-ui,"Noto Sans Bengali",sans-serif;margin:0;padding:1rem;color:#222;background:#fafaf7;max-width:70rem;margin:auto}}
header{{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:.5rem}}
nav a{{margin-right:.6rem}}
.cards{{display:grid;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));gap:.6rem}}
.card{{background:#fff;border:1px solid #ddd;border-radius:.5rem;padding:.7rem}}
.card b{{display:block;font-size:1.5rem}}
table{{border-collapse:collapse;width:100%;background:#fff;font-size:.95rem}}
th,td{{border-bottom:1px solid #eee;padding:.35rem;text-align:right}}
th:first-child,td:first-child{{text-align:left}}
.scroll{{overflow-x:auto}}
svg{{width:100%;height:auto;background:#fff}}
figure{{margin:0}}
</style></head><body>
<header><h1>{title}</h1>
<nav><a href="/dashboard?lang=en&amp;fy={fy}" hreflang="en">English</a><a href="/dashboard?lang=bn&amp;fy={fy}" hreflang="bn">বাংলা</a></nav></header>
<form method="get" action="/dashboard"><input type="hidden" name="lang" value="{lang}">
<label>{year}: <b id="fy">{fy}</b> <select name="fy">{options}</select></label>
<button type="submit">{show}</button></form>
<section class="cards">
"#,
        tag = locale.tag(),
        title = w.title,
        year = w.year,
        show = w.show,
        options = year_options(fy),
    );
    let cards = [
        (
            "sellers",
            w.sellers,
            int(locale, report.sellers.registered_total),
        ),
        ("active", w.active, int(locale, report.sellers.active_total)),
        (
            "registered",
            w.registered_in_year,
            int(locale, report.sellers.registered),
        ),
        (
            "listings",
            w.live_listings,
            int(locale, report.listings.live),
        ),
        ("orders", w.orders, int(locale, report.sales.orders)),
        ("gmv", w.gmv, rupees(locale, report.sales.gmv)),
    ];
    for (id, label, value) in cards {
        let _ = writeln!(
            html,
            r#"<div class="card">{label}<b id="{id}">{value}</b></div>"#
        );
    }
    let _ = write!(
        html,
        "</section>\n<h2>{}</h2>\n<figure id=\"chart\">{}</figure>\n",
        w.growth,
        report.chart_svg(locale)
    );
    // The district table.
    let _ = writeln!(
        html,
        "<h2>{}</h2><div class=\"scroll\"><table id=\"districts\"><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        w.districts, w.district, w.sellers, w.active, w.live_listings, w.gmv
    );
    for row in &report.districts {
        let name = row.district.map_or(w.unknown, |d| d.name_in(locale));
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(name),
            int(locale, row.sellers),
            int(locale, row.active_sellers),
            int(locale, row.live_listings),
            rupees(locale, row.gmv)
        );
    }
    html.push_str("</table></div>\n");
    // The workshop funnel.
    let _ = writeln!(
        html,
        "<h2>{}</h2><div class=\"scroll\"><table id=\"funnel\"><tr><th>{}</th><th>{}</th><th>{}</th></tr>",
        w.funnel, w.step, w.count, w.conversion
    );
    for (i, step) in FunnelStep::ALL.iter().enumerate() {
        let stage = report.funnel.total.stages.iter().find(|s| s.step == *step);
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            w.steps[i],
            int(locale, stage.map_or(0, |s| s.count)),
            percent(locale, stage.and_then(|s| s.conversion_percent))
        );
    }
    html.push_str("</table></div>\n");
    // The programme comparison.
    let _ = writeln!(
        html,
        "<h2>{}</h2><div class=\"scroll\"><table id=\"programmes\"><tr><th></th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        w.programmes, w.sellers, w.activation, w.net_sales, w.live_listings
    );
    for (label, cohort) in [
        (w.enrolled, &report.programmes.enrolled),
        (w.others, &report.programmes.others),
    ] {
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            label,
            int(locale, cohort.sellers),
            percent(locale, cohort.activation_percent),
            rupees(locale, cohort.net_sales),
            int(locale, cohort.live_listings)
        );
    }
    html.push_str("</table></div>\n</body></html>\n");
    html
}
