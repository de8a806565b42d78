//! The impact report as text, in English or Bengali, with Indian numbering.

use std::fmt::{self, Write};

use haat_core::{CompactStyle, Decimal, Locale, Money};

use crate::{FunnelStep, ImpactReport, Tier};

struct Labels {
    title: &'static str,
    /// Put between the report's year and the year it is compared with.
    against: &'static str,
    /// Put after the year it is compared with.
    against_end: &'static str,
    sellers: &'static str,
    seller_count: &'static str,
    registered_total: &'static str,
    active: &'static str,
    registered_in_year: &'static str,
    activated_in_year: &'static str,
    listings: &'static str,
    live_listings: &'static str,
    high_performing: &'static str,
    sales: &'static str,
    gmv: &'static str,
    net_sales: &'static str,
    orders: &'static str,
    doubled: &'static str,
    employment: &'static str,
    people: &'static str,
    employers: &'static str,
    funnel: &'static str,
    median_days: &'static str,
    steps: [&'static str; 6],
    programmes: &'static str,
    enrolled: &'static str,
    others: &'static str,
    activation_rate: &'static str,
    sales_growth: &'static str,
    listings_per_seller: &'static str,
    performance: &'static str,
    tiers: [&'static str; 5],
    cancellations: &'static str,
    late_dispatch: &'static str,
    returns: &'static str,
    /// The payouts section: its heading, then its lines' words.
    payouts: &'static str,
    settled: &'static str,
    statements: &'static str,
    paid_net: &'static str,
    deducted: &'static str,
    commission: &'static str,
    fees: &'static str,
    tcs: &'static str,
    tds: &'static str,
    waived: &'static str,
    reversed: &'static str,
    reversed_lines: &'static str,
    infrastructure: &'static str,
    area: &'static str,
    metro_hubs: &'static str,
    last_mile_hubs: &'static str,
    pin_codes: &'static str,
    /// Heads the districts and PIN codes with orders and no last-mile hub.
    unserved: &'static str,
    /// A count of PIN codes.
    pin_code_count: &'static str,
    district: &'static str,
    unknown: &'static str,
    no_base: &'static str,
    growth: &'static str,
}

const EN: Labels = Labels {
    title: "Impact report",
    against: " against ",
    against_end: "",
    sellers: "Sellers",
    seller_count: "sellers",
    registered_total: "registered",
    active: "active",
    registered_in_year: "new registrations",
    activated_in_year: "activations",
    listings: "Listings",
    live_listings: "live at year end",
    high_performing: "high-performing listings",
    sales: "Sales",
    gmv: "GMV",
    net_sales: "net sales",
    orders: "orders",
    doubled: "sellers whose sales more than doubled",
    employment: "Employment",
    people: "people employed",
    employers: "sellers employing",
    funnel: "Workshop funnel",
    median_days: "median days",
    steps: [
        "attended",
        "registered",
        "KYC verified",
        "active",
        "first listing",
        "first sale",
    ],
    programmes: "Inclusion programmes",
    enrolled: "enrolled",
    others: "others",
    activation_rate: "activation rate",
    sales_growth: "sales growth",
    listings_per_seller: "listings per seller",
    performance: "Seller performance",
    tiers: ["Gold", "Silver", "Bronze", "Needs improvement", "Unrated"],
    cancellations: "seller cancellations",
    late_dispatch: "late dispatch",
    returns: "returns",
    payouts: "Payouts to sellers",
    settled: "settled",
    statements: "statements",
    paid_net: "paid out (net)",
    deducted: "deducted",
    commission: "commission",
    fees: "fees and GST on fees",
    tcs: "GST TCS",
    tds: "income-tax TDS",
    waived: "commission waived for programme members",
    reversed: "taken back for returns after settlement",
    reversed_lines: "order lines",
    infrastructure: "Infrastructure",
    area: "sq ft of fulfilment space",
    metro_hubs: "metro hubs",
    last_mile_hubs: "last-mile hubs",
    pin_codes: "of PIN codes served",
    unserved: "Orders to PIN codes no last-mile hub serves (where the next hub should go):",
    pin_code_count: "PIN codes",
    district: "District",
    unknown: "Unknown",
    no_base: "no base",
    growth: "growth",
};

const BN: Labels = Labels {
    title: "প্রভাব প্রতিবেদন",
    // Bengali puts the comparison after its object: "FY২০২৪-২৫-এর তুলনায়".
    against: " (",
    against_end: "-এর তুলনায়)",
    sellers: "বিক্রেতা",
    seller_count: "বিক্রেতা",
    registered_total: "নিবন্ধিত",
    active: "সক্রিয়",
    registered_in_year: "নতুন নিবন্ধন",
    activated_in_year: "সক্রিয় হয়েছেন",
    listings: "তালিকা",
    live_listings: "বছর শেষে চালু",
    high_performing: "উচ্চ-কার্যকর তালিকা",
    sales: "বিক্রি",
    gmv: "মোট বিক্রয় মূল্য (GMV)",
    net_sales: "নিট বিক্রি",
    orders: "অর্ডার",
    doubled: "বিক্রেতার বিক্রি দ্বিগুণের বেশি হয়েছে",
    employment: "কর্মসংস্থান",
    people: "জন কর্মরত",
    employers: "নিয়োগকারী বিক্রেতা",
    funnel: "কর্মশালা থেকে বিক্রি",
    median_days: "মধ্যমা দিন",
    steps: [
        "উপস্থিত",
        "নিবন্ধিত",
        "কেওয়াইসি যাচাই",
        "সক্রিয়",
        "প্রথম তালিকা",
        "প্রথম বিক্রি",
    ],
    programmes: "অন্তর্ভুক্তি কর্মসূচি",
    enrolled: "নথিভুক্ত",
    others: "অন্যান্য",
    activation_rate: "সক্রিয়তার হার",
    sales_growth: "বিক্রি বৃদ্ধি",
    listings_per_seller: "বিক্রেতা প্রতি তালিকা",
    performance: "বিক্রেতার মান",
    tiers: ["সোনা", "রুপো", "ব্রোঞ্জ", "উন্নতি প্রয়োজন", "মূল্যায়িত নয়"],
    cancellations: "বিক্রেতার বাতিল",
    late_dispatch: "দেরিতে পাঠানো",
    returns: "ফেরত",
    payouts: "বিক্রেতাদের প্রাপ্য",
    settled: "নিষ্পত্তি হয়েছে",
    statements: "বিবরণী",
    paid_net: "প্রদত্ত (নিট)",
    deducted: "কাটা হয়েছে",
    commission: "কমিশন",
    fees: "ফি ও ফি-র উপর জিএসটি",
    tcs: "জিএসটি টিসিএস",
    tds: "আয়কর টিডিএস",
    waived: "কর্মসূচির সদস্যদের কমিশন মকুব",
    reversed: "নিষ্পত্তির পরে ফেরতের জন্য কেটে নেওয়া হয়েছে",
    reversed_lines: "অর্ডার লাইন",
    infrastructure: "পরিকাঠামো",
    area: "বর্গফুট ফুলফিলমেন্ট জায়গা",
    metro_hubs: "মেট্রো হাব",
    last_mile_hubs: "লাস্ট-মাইল হাব",
    pin_codes: "পিন কোডে পরিষেবা",
    unserved: "লাস্ট-মাইল হাব নেই এমন পিন কোডে অর্ডার (পরের হাব এখানে দরকার):",
    pin_code_count: "পিন কোড",
    district: "জেলা",
    unknown: "অজানা",
    no_base: "তুলনার ভিত্তি নেই",
    growth: "বৃদ্ধি",
};

fn labels(locale: Locale) -> &'static Labels {
    match locale {
        Locale::BnIn => &BN,
        _ => &EN,
    }
}

struct Fmt {
    locale: Locale,
    labels: &'static Labels,
}

impl Fmt {
    /// A count: in full below a lakh, compact (`4.2 lakh`) from a lakh on.
    fn count(&self, n: u64) -> String {
        if n >= 100_000 {
            self.locale.compact(Decimal::from(n), CompactStyle::Long)
        } else {
            self.locale.number(Decimal::from(n))
        }
    }

    /// Rupees, compact (`₹1.2 crore`) from a lakh on.
    fn rupees(&self, amount: Money) -> String {
        let rupees = amount.amount().trunc();
        if rupees >= Decimal::from(100_000) {
            format!("₹{}", self.locale.compact(rupees, CompactStyle::Long))
        } else {
            self.locale.inr(amount)
        }
    }

    fn growth(&self, percent: Option<Decimal>) -> String {
        match percent {
            Some(p) => self.locale.signed_percent(p),
            None => self.labels.no_base.to_owned(),
        }
    }

    fn percent(&self, percent: Option<Decimal>) -> String {
        percent.map_or_else(|| "–".to_owned(), |p| self.locale.percent(p))
    }

    fn digits(&self, text: &str) -> String {
        self.locale.digits(text)
    }
}

impl ImpactReport {
    /// The report as text in `locale`: Indian numbering (`4.2 lakh`, `৪.২ লাখ`), signed growth
    /// (`+150%`, `+১৫০%`), labels in the locale's language.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use haat_core::Locale;
    /// use haat_metrics::Metrics;
    /// let now = Utc.with_ymd_and_hms(2026, 4, 2, 0, 0, 0).unwrap();
    /// let report = Metrics::default().report("FY2025-26".parse()?, now);
    /// assert!(report.render(Locale::EnIn).contains("Sellers"));
    /// assert!(report.render(Locale::BnIn).contains("বিক্রেতা"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn render(&self, locale: Locale) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = self.write_text(&mut out, locale);
        out
    }

    /// Like [`ImpactReport::render`], into `out`.
    ///
    /// # Errors
    /// Only the errors of `out`.
    pub fn write_text(&self, out: &mut impl Write, locale: Locale) -> fmt::Result {
        let f = Fmt {
            locale,
            labels: labels(locale),
        };
        let l = f.labels;
        writeln!(
            out,
            "{} {}{}{}{}",
            l.title,
            f.digits(&self.financial_year.to_string()),
            l.against,
            f.digits(&self.previous_year.to_string()),
            l.against_end
        )?;
        let s = &self.sellers;
        writeln!(out, "\n{}", l.sellers)?;
        writeln!(
            out,
            "  {} {}, {} {}",
            f.count(s.registered_total),
            l.registered_total,
            f.count(s.active_total),
            l.active
        )?;
        writeln!(
            out,
            "  {}: {} ({}: {})",
            l.registered_in_year,
            f.count(s.registered),
            l.growth,
            f.growth(s.registration_growth_percent)
        )?;
        writeln!(
            out,
            "  {}: {} ({}: {})",
            l.activated_in_year,
            f.count(s.activated),
            l.growth,
            f.growth(s.activation_growth_percent)
        )?;
        let li = &self.listings;
        writeln!(out, "\n{}", l.listings)?;
        writeln!(
            out,
            "  {} {} ({}: {})",
            f.count(li.live),
            l.live_listings,
            l.growth,
            f.growth(li.growth_percent)
        )?;
        writeln!(
            out,
            "  {} {}",
            f.count(li.high_performing),
            l.high_performing
        )?;
        let sa = &self.sales;
        writeln!(out, "\n{}", l.sales)?;
        writeln!(
            out,
            "  {}: {} ({}: {})",
            l.gmv,
            f.rupees(sa.gmv),
            l.growth,
            f.growth(sa.gmv_growth_percent)
        )?;
        writeln!(
            out,
            "  {}: {} ({}: {})",
            l.net_sales,
            f.rupees(sa.net_sales),
            l.growth,
            f.growth(sa.net_sales_growth_percent)
        )?;
        writeln!(out, "  {}: {}", l.orders, f.count(sa.orders))?;
        writeln!(
            out,
            "  {}: {}",
            l.doubled,
            f.count(sa.sellers_more_than_doubled)
        )?;
        let e = &self.employment;
        writeln!(out, "\n{}", l.employment)?;
        writeln!(
            out,
            "  {} {} ({} {})",
            f.count(e.total),
            l.people,
            f.count(e.employers),
            l.employers
        )?;
        writeln!(out, "\n{}", l.funnel)?;
        for (stage, name) in self.funnel.total.stages.iter().zip(l.steps) {
            write!(out, "  {name}: {}", f.count(stage.count))?;
            if stage.step != FunnelStep::Attended {
                write!(out, " ({}", f.percent(stage.conversion_percent))?;
                if let Some(days) = stage.median_days {
                    write!(out, ", {} {}", l.median_days, locale.number(days))?;
                }
                write!(out, ")")?;
            }
            writeln!(out)?;
        }
        writeln!(out, "\n{}", l.programmes)?;
        for (name, cohort) in [
            (l.enrolled, &self.programmes.enrolled),
            (l.others, &self.programmes.others),
        ] {
            writeln!(
                out,
                "  {name}: {} {}; {}: {}; {}: {}; {}: {}",
                f.count(cohort.sellers),
                l.seller_count,
                l.activation_rate,
                f.percent(cohort.activation_percent),
                l.sales_growth,
                f.growth(cohort.sales_growth_percent),
                l.listings_per_seller,
                cohort
                    .listings_per_seller
                    .map_or_else(|| "–".to_owned(), |n| locale.number(n)),
            )?;
        }
        let p = &self.performance;
        writeln!(
            out,
            "\n{} ({} – {})",
            l.performance,
            f.digits(&p.first_day.to_string()),
            f.digits(&p.last_day.to_string())
        )?;
        let tiers: Vec<String> = p
            .tiers
            .iter()
            .map(|t| {
                let index = Tier::ALL.iter().position(|x| *x == t.tier).unwrap_or(0);
                format!("{} {}", l.tiers[index], f.count(t.sellers))
            })
            .collect();
        writeln!(out, "  {}", tiers.join(", "))?;
        writeln!(
            out,
            "  {} {}, {} {}, {} {}",
            l.cancellations,
            f.percent(p.cancellation_percent),
            l.late_dispatch,
            f.percent(p.late_dispatch_percent),
            l.returns,
            f.percent(p.return_percent)
        )?;
        let pay = &self.payouts;
        writeln!(out, "\n{}", l.payouts)?;
        writeln!(
            out,
            "  {} {} ({} {}); {} {}",
            f.rupees(pay.gross),
            l.settled,
            f.count(pay.statements),
            l.statements,
            f.rupees(pay.net),
            l.paid_net
        )?;
        writeln!(
            out,
            "  {}: {} {}, {} {}, {} {}, {} {}",
            l.deducted,
            l.commission,
            f.rupees(pay.commission),
            l.fees,
            f.rupees(pay.fees_and_gst_on_fees),
            l.tcs,
            f.rupees(pay.tcs),
            l.tds,
            f.rupees(pay.tds)
        )?;
        writeln!(out, "  {}: {}", l.waived, f.rupees(pay.commission_waived))?;
        writeln!(
            out,
            "  {}: {} ({} {})",
            l.reversed,
            f.rupees(pay.reversed_gross),
            f.count(pay.reversals),
            l.reversed_lines
        )?;
        if let Some(infra) = &self.infrastructure {
            writeln!(out, "\n{}", l.infrastructure)?;
            writeln!(
                out,
                "  {} {}, {} {}, {} {}, {} {}",
                f.count(infra.area_sq_ft),
                l.area,
                f.count(infra.metro_hubs),
                l.metro_hubs,
                f.count(infra.last_mile_hubs),
                l.last_mile_hubs,
                locale.percent(infra.pin_share_percent),
                l.pin_codes
            )?;
            if !infra.unserved_districts.is_empty() {
                writeln!(out, "  {}", l.unserved)?;
            }
            for row in &infra.unserved_districts {
                writeln!(
                    out,
                    "    {}: {} {}, {} {}",
                    row.district.name_in(locale),
                    f.count(row.orders),
                    l.orders,
                    f.count(row.pin_codes),
                    l.pin_code_count
                )?;
            }
            for row in &infra.unserved_pin_codes {
                writeln!(
                    out,
                    "    {} ({}): {} {}",
                    row.pin_code,
                    row.district.map_or(l.unknown, |d| d.name_in(locale)),
                    f.count(row.orders),
                    l.orders
                )?;
            }
        }
        writeln!(out)?;
        let mut rows =
            vec![[l.district, l.sellers, l.listings, l.gmv, l.growth].map(str::to_owned)];
        for row in &self.districts {
            rows.push([
                row.district
                    .map_or(l.unknown, |d| d.name_in(locale))
                    .to_owned(),
                f.count(row.sellers),
                f.count(row.live_listings),
                f.rupees(row.gmv),
                row.gmv_growth_percent
                    .map_or_else(|| "–".to_owned(), |g| locale.signed_percent(g)),
            ]);
        }
        write_table(out, &rows, [24, 12, 12, 16, 10])
    }
}

/// Rows of cells in columns at least `widths` wide (wider where a cell needs it), measured in
/// terminal columns: the first column left-aligned, the others right-aligned.
fn write_table<const N: usize>(
    out: &mut impl Write,
    rows: &[[String; N]],
    widths: [usize; N],
) -> fmt::Result {
    let mut widths = widths;
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(display_width(cell));
        }
    }
    for row in rows {
        for (i, (cell, width)) in row.iter().zip(widths).enumerate() {
            let pad = width.saturating_sub(display_width(cell));
            if i == 0 {
                write!(out, "{cell}{:pad$}", "")?;
            } else {
                write!(out, " {:pad$}{cell}", "")?;
            }
        }
        writeln!(out)?;
    }
    Ok(())
}

/// How many terminal columns `text` takes: one a character, except the Bengali marks drawn on
/// the letter before them (the nonspacing marks: chandrabindu, nukta, the vowel signs written
/// below, hasanta), which take none. Rust's `{:<24}` counts characters, so a Bengali district
/// name with a hasanta or a vowel sign below pushed its row out of line.
fn display_width(text: &str) -> usize {
    text.chars()
        .filter(|c| {
            !matches!(
                c,
                '\u{0981}' | '\u{09BC}' | '\u{09C1}'
                    ..='\u{09C4}' | '\u{09CD}' | '\u{09E2}' | '\u{09E3}' | '\u{09FE}'
            )
        })
        .count()
}
