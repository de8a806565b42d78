//! The monthly growth chart as a hand-written SVG.

use std::fmt::Write;

use haat_core::{Decimal, Locale};

use crate::ImpactReport;

const WIDTH: i64 = 1000;
const HEIGHT: i64 = 420;
const LEFT: i64 = 70;
const RIGHT: i64 = 80;
const TOP: i64 = 50;
const BOTTOM: i64 = 70;
const PLOT_W: i64 = WIDTH - LEFT - RIGHT;
const PLOT_H: i64 = HEIGHT - TOP - BOTTOM;

/// `value / max` of the plot height, in whole pixels (0 when `max` is 0).
fn scale(value: u64, max: u64) -> i64 {
    if max == 0 {
        return 0;
    }
    (u128::from(value) * PLOT_H as u128 / u128::from(max)) as i64
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

impl ImpactReport {
    /// A chart of the two years month by month: bars for registrations and activations (left
    /// axis), a line for GMV (right axis, in rupees). Plain SVG 1.1, no script, no external
    /// resources; labels in `locale`'s digits.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use haat_core::Locale;
    /// use haat_metrics::Metrics;
    /// let now = Utc.with_ymd_and_hms(2026, 4, 2, 0, 0, 0).unwrap();
    /// let svg = Metrics::default().report("FY2025-26".parse()?, now).chart_svg(Locale::EnIn);
    /// assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn chart_svg(&self, locale: Locale) -> String {
        let months = &self.monthly;
        let n = months.len().max(1) as i64;
        let slot = PLOT_W / n;
        let bar = (slot / 3).max(1);
        let max_count = months
            .iter()
            .map(|m| m.registered.max(m.activated))
            .max()
            .unwrap_or(0);
        let rupees =
            |m: &crate::MonthRow| -> u64 { u64::try_from(m.gmv.paise() / 100).unwrap_or(0) };
        let max_gmv = months.iter().map(rupees).max().unwrap_or(0);
        let (registrations, activations, gmv, title) = match locale {
            Locale::BnIn => ("নিবন্ধন", "সক্রিয়করণ", "বিক্রি (GMV, ₹)", "মাসিক বৃদ্ধি"),
            _ => ("Registrations", "Activations", "GMV (₹)", "Monthly growth"),
        };
        let mut s = String::new();
        // Writing to a String cannot fail.
        let _ = (|| -> std::fmt::Result {
            writeln!(
                s,
                r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="11">"#
            )?;
            writeln!(
                s,
                r#"<title>{} {} – {}</title>"#,
                escape(title),
                locale.digits(&self.previous_year.to_string()),
                locale.digits(&self.financial_year.to_string())
            )?;
            writeln!(
                s,
                r##"<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>"##
            )?;
            writeln!(
                s,
                r#"<text x="{LEFT}" y="24" font-size="15">{} {} – {}</text>"#,
                escape(title),
                locale.digits(&self.previous_year.to_string()),
                locale.digits(&self.financial_year.to_string())
            )?;
            // Axes.
            let base = TOP + PLOT_H;
            writeln!(
                s,
                r##"<line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{base}" stroke="#333"/>"##
            )?;
            writeln!(
                s,
                r##"<line class="axis" x1="{LEFT}" y1="{base}" x2="{}" y2="{base}" stroke="#333"/>"##,
                LEFT + PLOT_W
            )?;
            writeln!(
                s,
                r##"<line class="axis" x1="{0}" y1="{TOP}" x2="{0}" y2="{base}" stroke="#333"/>"##,
                LEFT + PLOT_W
            )?;
            // Axis maxima.
            writeln!(
                s,
                r#"<text x="{}" y="{}" text-anchor="end">{}</text>"#,
                LEFT - 6,
                TOP + 4,
                locale.number(Decimal::from(max_count))
            )?;
            writeln!(
                s,
                r#"<text x="{}" y="{}" text-anchor="end">{}</text>"#,
                LEFT - 6,
                base + 4,
                locale.number(Decimal::ZERO)
            )?;
            writeln!(
                s,
                r#"<text x="{}" y="{}">{}</text>"#,
                LEFT + PLOT_W + 6,
                TOP + 4,
                escape(&locale.compact(Decimal::from(max_gmv), haat_core::CompactStyle::Short))
            )?;
            // Bars and month labels.
            let mut points = Vec::with_capacity(months.len());
            for (i, m) in months.iter().enumerate() {
                let x = LEFT + i as i64 * slot + slot / 6;
                let h_reg = scale(m.registered, max_count);
                let h_act = scale(m.activated, max_count);
                writeln!(
                    s,
                    r##"<rect class="registered" x="{x}" y="{}" width="{bar}" height="{h_reg}" fill="#4e79a7"><title>{} {}: {}</title></rect>"##,
                    base - h_reg,
                    locale.digits(&m.month.to_string()),
                    escape(registrations),
                    locale.number(Decimal::from(m.registered))
                )?;
                writeln!(
                    s,
                    r##"<rect class="activated" x="{}" y="{}" width="{bar}" height="{h_act}" fill="#59a14f"><title>{} {}: {}</title></rect>"##,
                    x + bar,
                    base - h_act,
                    locale.digits(&m.month.to_string()),
                    escape(activations),
                    locale.number(Decimal::from(m.activated))
                )?;
                let cx = LEFT + i as i64 * slot + slot / 2;
                points.push(format!("{cx},{}", base - scale(rupees(m), max_gmv)));
                writeln!(
                    s,
                    r#"<text x="{cx}" y="{}" text-anchor="end" transform="rotate(-45 {cx} {})">{}</text>"#,
                    base + 14,
                    base + 14,
                    locale.digits(&m.month.to_string())
                )?;
            }
            writeln!(
                s,
                r##"<polyline class="gmv" points="{}" fill="none" stroke="#e15759" stroke-width="2"/>"##,
                points.join(" ")
            )?;
            // Legend.
            let y = HEIGHT - 14;
            for (i, (label, colour)) in [
                (registrations, "#4e79a7"),
                (activations, "#59a14f"),
                (gmv, "#e15759"),
            ]
            .iter()
            .enumerate()
            {
                let x = LEFT + i as i64 * 200;
                writeln!(
                    s,
                    r#"<rect x="{x}" y="{}" width="12" height="12" fill="{colour}"/>"#,
                    y - 10
                )?;
                writeln!(
                    s,
                    r#"<text x="{}" y="{y}">{}</text>"#,
                    x + 18,
                    escape(label)
                )?;
            }
            writeln!(s, "</svg>")
        })();
        s
    }
}
