//! Builds the impact report from files: an order CSV and an events JSON Lines file (seller,
//! workshop and listing events, and the settlement statements the payouts are folded from), as
//! the main job writes them (`west_bengal --orders FILE.csv --events FILE.jsonl`).
//!
//! ```text
//! cargo run --release --example report -- <orders.csv> <events.jsonl> [--lang en|bn] [--json]
//!     [--chart out.svg] [--fy FY2025-26]
//! ```
//!
//! Both files are streamed, so they may be larger than memory (what stays is the duplicate
//! guard's memory of ids, about 25 bytes for each distinct order and event). Each order and
//! event counts once: repeats are counted and shown (the first few ids), and a record that
//! differs from one already counted under the same id is a refused row. Every bad row or line is printed
//! (to stderr) with its number, and the rest are kept; then how many rows and events were read,
//! kept and refused, by reason. The report is for the financial year of the latest order (or
//! `--fy`), against the year before, with the West Bengal reference network for the
//! infrastructure section.
//!
//! Exit status: 0 when every row and event was kept; 1 when some were refused (the report of
//! the rest is still printed); 2 when a file cannot be read or the arguments are wrong.
#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "shared/refusals.rs"]
mod refusals;

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use haat::core::{FinancialYear, Locale};
use haat::inventory::Network;
use haat::metrics::{DuplicateGuard, Metrics, ReportSettings, read_events_jsonl, read_orders_csv};
use refusals::{FAILED, Refusals, exit_code, metrics_reason};

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

/// What [`read_inputs`] read.
pub(crate) struct Inputs {
    pub(crate) metrics: Metrics,
    pub(crate) latest: Option<DateTime<Utc>>,
    pub(crate) orders: Refusals,
    pub(crate) events: Refusals,
    pub(crate) guard: DuplicateGuard,
}

/// Orders read before they are folded together.
const ORDER_BATCH: usize = 4_096;

/// Reads every order row and event line into a fresh [`Metrics`]; prints each refused one to
/// stderr, named by `names` (the files'), and counts it by reason.
pub(crate) fn read_inputs(
    orders: impl Read,
    events: impl BufRead,
    names: (&str, &str),
) -> Result<Inputs, Failure> {
    let mut inputs = Inputs {
        metrics: Metrics::default(),
        latest: None,
        orders: Refusals::new("order rows"),
        events: Refusals::new("events"),
        guard: DuplicateGuard::default(),
    };
    // Each order and event counts once: repeats are skipped and reported, and a different
    // record under an id already counted is a refused row.
    // Orders are folded in batches with `Metrics::add_orders`, the fold the benchmarks
    // measure (it asks for the records each order needs a few orders ahead).
    let rows = read_orders_csv(orders)?;
    let mut batch = Vec::with_capacity(ORDER_BATCH);
    for row in inputs.guard.orders(rows) {
        match row {
            Ok(order) => {
                inputs.latest = inputs.latest.max(Some(order.placed_at));
                batch.push(order);
                if batch.len() == ORDER_BATCH {
                    inputs.metrics.add_orders(&batch);
                    batch.clear();
                }
                inputs.orders.kept += 1;
            }
            Err(error) => {
                eprintln!("{}: {error}", names.0);
                inputs.orders.refuse(metrics_reason(&error));
            }
        }
    }
    inputs.metrics.add_orders(&batch);
    for line in inputs.guard.events(read_events_jsonl(events)) {
        match line {
            Ok(event) => {
                inputs.metrics.apply_event(&event);
                inputs.events.kept += 1;
            }
            Err(error) => {
                eprintln!("{}: {error}", names.1);
                inputs.events.refuse(metrics_reason(&error));
            }
        }
    }
    Ok(inputs)
}

fn main() -> ExitCode {
    match run() {
        Ok(status) => exit_code(&[status]),
        Err(error) => {
            eprintln!("report: {error}");
            ExitCode::from(FAILED)
        }
    }
}

/// Reads, reports, and returns the exit status.
fn run() -> Result<u8, Failure> {
    let options = options()?;
    let inputs = read_inputs(
        BufReader::new(File::open(&options.orders)?),
        BufReader::new(File::open(&options.events)?),
        (&options.orders, &options.events),
    )?;
    eprintln!("{}: {}", options.orders, inputs.orders);
    eprintln!("{}: {}", options.events, inputs.events);
    let (metrics, latest) = (inputs.metrics, inputs.latest);
    report_repeats(&inputs.guard);
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
    Ok(inputs.orders.status().max(inputs.events.status()))
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
