//! Builds the impact report from files: an order CSV and an events JSON Lines file.
//!
//! ```text
//! cargo run --release --example report -- <orders.csv> <events.jsonl> [--lang en|bn] [--json]
//!     [--chart out.svg] [--fy FY2025-26]
//! ```
//!
//! Both files are streamed, so they may be larger than memory (what stays is the duplicate
//! guard's memory of ids, about 25 bytes for each distinct order and event). Every bad row or line is printed
//! (to stderr) with its number, and the rest are kept. Each order and event counts once: repeats
//! are counted and shown (the first few ids), and a record that differs from one already counted
//! under the same id is a bad row and makes the run fail after the report is printed. The report is for the financial year of
//! the latest order (or `--fy`), against the year before, with the West Bengal reference network
//! for the infrastructure section.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::fs::File;
use std::io::BufReader;

use chrono::{DateTime, Utc};
use haat::core::{FinancialYear, Locale};
use haat::inventory::Network;
use haat::metrics::{DuplicateGuard, Metrics, ReportSettings, read_events_jsonl, read_orders_csv};

type Failure = Box<dyn std::error::Error>;

struct Options {
    orders: String,
    events: String,
    locale: Locale,
    json: bool,
    chart: Option<String>,
    fy: Option<FinancialYear>,
}

fn options() -> Result<Options, Failure> {
    let usage = "usage: report <orders.csv> <events.jsonl> [--lang en|bn] [--json] \
                 [--chart out.svg] [--fy FY2025-26]";
    let mut args = std::env::args().skip(1);
    let mut files = Vec::new();
    let mut options = Options {
        orders: String::new(),
        events: String::new(),
        locale: Locale::EnIn,
        json: false,
        chart: None,
        fy: None,
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--lang" => {
                options.locale = match args.next().as_deref() {
                    Some("en") | Some("en-IN") => Locale::EnIn,
                    Some("bn") | Some("bn-IN") => Locale::BnIn,
                    _ => return Err(usage.into()),
                }
            }
            "--json" => options.json = true,
            "--chart" => options.chart = Some(args.next().ok_or(usage)?),
            "--fy" => options.fy = Some(args.next().ok_or(usage)?.parse()?),
            "-h" | "--help" => return Err(usage.into()),
            _ => files.push(arg),
        }
    }
    let [orders, events]: [String; 2] = files.try_into().map_err(|_| usage)?;
    options.orders = orders;
    options.events = events;
    Ok(options)
}

fn main() -> Result<(), Failure> {
    let options = options()?;
    let mut metrics = Metrics::default();
    // Each order and event counts once: repeats are skipped and reported below, and a
    // different record under an id already counted is a bad row.
    let mut guard = DuplicateGuard::default();
    let mut latest: Option<DateTime<Utc>> = None;
    let (mut orders, mut bad_orders) = (0u64, 0u64);
    let rows = read_orders_csv(BufReader::new(File::open(&options.orders)?))?;
    for row in guard.orders(rows) {
        match row {
            Ok(order) => {
                latest = latest.max(Some(order.placed_at));
                metrics.add_order(&order);
                orders += 1;
            }
            Err(error) => {
                eprintln!("{}: {error}", options.orders);
                bad_orders += 1;
            }
        }
    }
    let (mut events, mut bad_events) = (0u64, 0u64);
    for line in guard.events(read_events_jsonl(BufReader::new(File::open(
        &options.events,
    )?))) {
        match line {
            Ok(event) => {
                metrics.apply_event(&event);
                events += 1;
            }
            Err(error) => {
                eprintln!("{}: {error}", options.events);
                bad_events += 1;
            }
        }
    }
    eprintln!(
        "read {orders} orders ({bad_orders} bad rows) and {events} events ({bad_events} bad lines)"
    );
    report_repeats(&guard);
    let now = latest.unwrap_or(DateTime::UNIX_EPOCH);
    let fy = options.fy.unwrap_or_else(|| FinancialYear::containing(now));
    let network = Network::west_bengal_reference()?;
    let report = metrics.report_with(&ReportSettings::new(fy, now).with_network(&network));
    if options.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", report.render(options.locale));
    }
    if let Some(path) = options.chart {
        std::fs::write(&path, report.chart_svg(options.locale))?;
        eprintln!("chart written to {path}");
    }
    if guard.conflicts() > 0 {
        return Err(format!(
            "{} records differ from one already counted under the same id (see above)",
            guard.conflicts()
        )
        .into());
    }
    Ok(())
}

/// Says how many repeated orders and events were counted once, with the first few ids.
fn report_repeats(guard: &DuplicateGuard) {
    if guard.repeated_orders() > 0 {
        let ids: Vec<String> = guard
            .repeated_order_ids()
            .iter()
            .map(ToString::to_string)
            .collect();
        eprintln!(
            "{} repeated order rows counted once (order ids {}{})",
            guard.repeated_orders(),
            ids.join(", "),
            if guard.repeated_orders() > ids.len() as u64 {
                ", ..."
            } else {
                ""
            }
        );
    }
    if guard.repeated_events() > 0 {
        let ids = guard.repeated_event_ids();
        eprintln!(
            "{} repeated events counted once ({}{})",
            guard.repeated_events(),
            ids.join("; "),
            if guard.repeated_events() > ids.len() as u64 {
                "; ..."
            } else {
                ""
            }
        );
    }
}
