//! The scenario chapter: West Bengal at scale, simulated through every crate, and its impact
//! report for the latest financial year against the one before, in English and Bengali.
//!
//! Flags (hand-parsed; `--help` lists them): `--seed N`, `--scale small|default|full|<sellers>`,
//! `--lang en|bn|both`, `--json`, `--chart FILE.svg`, `--events FILE.jsonl`,
//! `--orders FILE.csv`, `--store FILE`, `--postgres URL [--schema NAME]`, `--ondc DIR`,
//! `--no-story`.
//!
//! With a store, every event the scenario's deciders emit is appended to it (see
//! `examples/shared/scenario_store.rs`), and the report is then rebuilt from the store alone
//! (the metrics projection caught up from position 0) and checked against the in-memory one.

use std::fmt;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;

use haat::core::Locale;
use haat::metrics::{
    HaatEvent, ImpactReport, ReportSettings, StatementIssued, write_event_jsonl,
    write_order_csv_header, write_order_csv_row,
};
use haat::orders::OrderEvent;
use haat_sim::{Event, Progress, ScenarioConfig, ScenarioOutcome, run, run_with_sink};
use haat_store::{EventStore, MetricsProjection, PostgresStore, SqliteStore};

use crate::scenario_store::{self, BATCH};

pub const USAGE: &str = "\
Usage: cargo run --release --example west_bengal -- [OPTIONS]

Tells the West Bengal story chapter by chapter, then simulates the state's marketplace
(sellers, workshops, KYC, listings, stock and orders, all through the real deciders) and
prints the impact report of the latest financial year against the one before.

Options:
  --seed N               seed of the scenario (default 2019); the same seed, the same report
  --scale S              small (300 sellers), default (5,000), full (4.2 lakh) or a number
  --lang en|bn|both      language of the report (default both)
  --json                 print the report as JSON instead of text (and skip the story)
  --chart FILE.svg       write the chart of monthly growth
  --events FILE.jsonl    write the scenario's seller, workshop and listing events and
                         settlement statements
  --orders FILE.csv      write the scenario's order records
                         (`cargo run --example report -- FILE.csv FILE.jsonl` rebuilds the report)
  --store FILE           keep every event in a SQLite event store (a new file), then rebuild
                         the report from the store and check it equals the in-memory one
  --postgres URL         the same in PostgreSQL, in the schema given by --schema
  --schema NAME          PostgreSQL schema for --postgres (default west_bengal)
                         A store that already holds events is refused (a scenario is kept
                         once, into an empty store): give a new file or schema.
  --ondc DIR             write each story seller's catalogue as ONDC retail on_search JSON
                         into DIR (<seller>.<domain>.on_search.json), and DIR/README with
                         what each published and what it could not, and why; needs the
                         story, so not with --no-story or --json
  --no-story             skip the story chapters
  -h, --help             print this help
";

/// Why the chapter stopped (a mistake on the command line, a file that cannot be written),
/// shown as its message by `Debug` too, which is what `main` returning an error prints.
pub struct Failure(String);

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "west_bengal: {}", self.0)
    }
}

impl fmt::Debug for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for Failure {}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Failure(message)
    }
}

impl From<io::Error> for Failure {
    fn from(error: io::Error) -> Self {
        Failure(error.to_string())
    }
}

impl From<serde_json::Error> for Failure {
    fn from(error: serde_json::Error) -> Self {
        Failure(error.to_string())
    }
}

impl From<&str> for Failure {
    fn from(message: &str) -> Self {
        Failure(message.to_owned())
    }
}

/// What the command line asked for.
#[derive(Debug)]
pub struct Options {
    pub config: ScenarioConfig,
    pub languages: Vec<Locale>,
    pub json: bool,
    pub chart: Option<String>,
    pub events: Option<String>,
    pub orders: Option<String>,
    pub store: Option<String>,
    pub postgres: Option<String>,
    pub schema: String,
    /// Where to write the story sellers' ONDC catalogues.
    pub ondc: Option<PathBuf>,
    pub story: bool,
}

impl Options {
    /// Parses the arguments after the program name; `Ok(None)` after printing `--help`.
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Option<Options>, Failure> {
        let mut options = Options {
            config: ScenarioConfig::default(),
            languages: vec![Locale::EnIn, Locale::BnIn],
            json: false,
            chart: None,
            events: None,
            orders: None,
            store: None,
            postgres: None,
            schema: "west_bengal".to_owned(),
            ondc: None,
            story: true,
        };
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((flag, value)) if flag.starts_with("--") => {
                    (flag.to_owned(), Some(value.to_owned()))
                }
                _ => (arg.clone(), None),
            };
            let mut value = |name: &str| {
                inline
                    .clone()
                    .or_else(|| args.next())
                    .ok_or_else(|| format!("{name} needs a value; see --help"))
            };
            match flag.as_str() {
                "-h" | "--help" => {
                    print!("{USAGE}");
                    return Ok(None);
                }
                "--seed" => {
                    let v = value("--seed")?;
                    options.config.seed = v
                        .parse()
                        .map_err(|_| format!("--seed takes a whole number, not '{v}'"))?;
                }
                "--scale" => {
                    let v = value("--scale")?;
                    let seed = options.config.seed;
                    options.config = match v.as_str() {
                        "small" => ScenarioConfig::small(),
                        "default" => ScenarioConfig::default(),
                        "full" => ScenarioConfig::full(),
                        n => {
                            let sellers: u32 = n.replace(['_', ','], "").parse().map_err(|_| {
                                format!("--scale takes small, default, full or a number of sellers, not '{n}'")
                            })?;
                            if sellers < 2 {
                                return Err("--scale needs at least 2 sellers".into());
                            }
                            ScenarioConfig {
                                sellers,
                                ..ScenarioConfig::default()
                            }
                        }
                    };
                    options.config.seed = seed;
                }
                "--lang" => {
                    let v = value("--lang")?;
                    options.languages = match v.as_str() {
                        "en" => vec![Locale::EnIn],
                        "bn" => vec![Locale::BnIn],
                        "both" => vec![Locale::EnIn, Locale::BnIn],
                        other => {
                            return Err(
                                format!("--lang takes en, bn or both, not '{other}'").into()
                            );
                        }
                    };
                }
                "--json" => options.json = true,
                "--chart" => options.chart = Some(value("--chart")?),
                "--events" => options.events = Some(value("--events")?),
                "--orders" => options.orders = Some(value("--orders")?),
                "--store" => options.store = Some(value("--store")?),
                "--postgres" => options.postgres = Some(value("--postgres")?),
                "--schema" => options.schema = value("--schema")?,
                "--ondc" => options.ondc = Some(value("--ondc")?.into()),
                "--no-story" => options.story = false,
                other => return Err(format!("unknown argument '{other}'; see --help").into()),
            }
        }
        // The catalogues are the story sellers': without the story there is nothing to write,
        // and writing nothing where files were asked for would be a silent failure.
        if options.ondc.is_some() && options.json {
            return Err(
                "--ondc writes the story sellers' catalogues, which --json skips; \
                        use one or the other"
                    .into(),
            );
        }
        if options.ondc.is_some() && !options.story {
            return Err(
                "--ondc writes the story sellers' catalogues, which --no-story skips".into(),
            );
        }
        if options.json {
            options.story = false;
        }
        if options.store.is_some() && options.postgres.is_some() {
            return Err("give --store FILE or --postgres URL, not both".into());
        }
        Ok(Some(options))
    }
}

/// Files the sink writes, and the first error writing them.
struct Files {
    events: Option<BufWriter<File>>,
    orders: Option<BufWriter<File>>,
    line: String,
    error: Option<io::Error>,
}

impl Files {
    /// The files the options ask for, created, the order file with its header.
    fn open(options: &Options) -> Result<Files, Failure> {
        let mut files = Files {
            events: options.events.as_deref().map(create).transpose()?,
            orders: options.orders.as_deref().map(create).transpose()?,
            line: String::new(),
            error: None,
        };
        if let Some(orders) = files.orders.as_mut() {
            let mut header = String::new();
            write_order_csv_header(&mut header);
            orders.write_all(header.as_bytes())?;
        }
        Ok(files)
    }

    /// Whether any file is written.
    fn any(&self) -> bool {
        self.events.is_some() || self.orders.is_some()
    }

    /// The first error writing, or the files flushed.
    fn finish(mut self) -> Result<(), Failure> {
        if let Some(e) = self.error.take() {
            return Err(format!("writing the scenario's files: {e}").into());
        }
        for out in [self.events.as_mut(), self.orders.as_mut()]
            .into_iter()
            .flatten()
        {
            out.flush()?;
        }
        Ok(())
    }

    fn write(&mut self, event: Event<'_>) {
        if self.error.is_some() {
            return;
        }
        self.line.clear();
        let (out, event) = match event {
            Event::Order(order) => {
                write_order_csv_row(&mut self.line, order);
                (&mut self.orders, None)
            }
            Event::Seller(e) => (&mut self.events, Some(HaatEvent::Seller(e.clone()))),
            Event::Workshop(e) => (&mut self.events, Some(HaatEvent::Workshop(e.clone()))),
            Event::Listing(e) => (&mut self.events, Some(HaatEvent::Listing(e.clone()))),
            // The payouts are folded from the statements, with the commission waived on them.
            Event::Statement(statement, commission_waived) => {
                let issued = StatementIssued {
                    statement: statement.clone(),
                    commission_waived,
                };
                (&mut self.events, Some(HaatEvent::Settlement(issued)))
            }
            // Stock movements are the inventory's own record, and order events and invoices
            // the order book's: the metrics read the order records projected from the order
            // events, written above.
            Event::Stock(_) | Event::OrderEvent(_) | Event::Invoice(_) => {
                return;
            }
        };
        let Some(out) = out else { return };
        if let Some(event) = event
            && let Err(e) = write_event_jsonl(&mut self.line, &event)
        {
            self.error = Some(io::Error::other(e));
            return;
        }
        if let Err(e) = out.write_all(self.line.as_bytes()) {
            self.error = Some(e);
        }
    }
}

fn create(path: &str) -> Result<BufWriter<File>, Failure> {
    File::create(path)
        .map(|f| BufWriter::with_capacity(1 << 20, f))
        .map_err(|e| format!("cannot create {path}: {e}").into())
}

/// Runs the scenario and prints the report.
pub fn run_scenario(options: &Options) -> Result<(), Failure> {
    let config = &options.config;
    let started = Instant::now();
    let long = config.sellers >= 20_000;
    let mut last_shown = 0u64;
    let mut progress = |p: Progress| {
        if long
            && (p.sellers_done == p.sellers_total
                || p.sellers_done >= last_shown + p.sellers_total / 100)
        {
            last_shown = p.sellers_done;
            eprint!(
                "\r  simulating West Bengal: {} of {} sellers, {} orders, {:.0?}   ",
                Locale::EnIn.number(p.sellers_done.into()),
                Locale::EnIn.number(p.sellers_total.into()),
                Locale::EnIn.number(p.orders.into()),
                started.elapsed()
            );
            if p.sellers_done == p.sellers_total {
                eprintln!();
            }
        }
    };
    let store = open_store(options)?;
    let mut files = Files::open(options)?;
    let outcome = {
        let wants_files = files.any();
        let mut write = |event: Event<'_>| files.write(event);
        match store.as_deref() {
            Some(store) => {
                let also = wants_files.then_some(&mut write as &mut dyn FnMut(Event<'_>));
                let kept = scenario_store::keep_scenario(store, config, BATCH, &mut progress, also)
                    .map_err(|e| format!("keeping the scenario in the store: {e}"))?;
                eprintln!(
                    "  kept {} events in {} appends, {} commits, in {:.1?}",
                    Locale::EnIn.number(kept.events.into()),
                    Locale::EnIn.number(kept.appends.into()),
                    Locale::EnIn.number(kept.commits.into()),
                    started.elapsed()
                );
                kept.outcome
            }
            None if wants_files => run_with_sink(config, &mut progress, Some(&mut write)),
            None => run(config, &mut progress),
        }
    };
    files.finish()?;
    let counts = &outcome.counts;
    if counts.unexpected_rejections() > 0 {
        eprintln!(
            "warning: commands refused unexpectedly: {:?}",
            counts.rejections
        );
    }
    let report = outcome
        .report()
        .ok_or("the scenario covers no financial year")?;
    if let Some(store) = store.as_deref() {
        let rebuilt = rebuild_report(store, &outcome)?;
        check_same(&report, &rebuilt)?;
        let line = "report rebuilt from the store equals the in-memory report";
        // Under --json, standard output is the report alone.
        if options.json {
            eprintln!("{line}");
        } else {
            println!("{line}");
        }
    }
    if let Some(path) = &options.chart {
        let locale = options.languages.first().copied().unwrap_or(Locale::EnIn);
        std::fs::write(path, report.chart_svg(locale))
            .map_err(|e| format!("cannot write {path}: {e}"))?;
    }
    if options.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    let en = Locale::EnIn;
    println!();
    println!("== West Bengal, simulated ==");
    println!(
        "seed {}, {} sellers over {} to {}: {} workshops ({} attendees), {} listings, {} orders \
         ({} cancelled, {} returned); {} commands decided, {} events; {} refused on purpose \
         (KYC cross-checks), {} refused otherwise",
        config.seed,
        en.number(counts.sellers.into()),
        outcome
            .years
            .first()
            .map(ToString::to_string)
            .unwrap_or_default(),
        outcome
            .years
            .last()
            .map(ToString::to_string)
            .unwrap_or_default(),
        en.number(counts.workshops.into()),
        en.number(counts.attendees.into()),
        en.number(counts.listings.into()),
        en.number(counts.orders.into()),
        en.number(counts.cancelled.into()),
        en.number(counts.returned.into()),
        en.number(counts.commands.into()),
        en.number(counts.events.into()),
        en.number(counts.intended_rejections.values().sum::<u64>().into()),
        en.number(counts.unexpected_rejections().into()),
    );
    println!(
        "{} repeated orders or events counted once{}",
        en.number(counts.repeats.into()),
        if counts.repeated.is_empty() {
            String::new()
        } else {
            format!(" (first: {})", counts.repeated.join("; "))
        }
    );
    for &locale in &options.languages {
        println!();
        print!("{}", report.render(locale));
    }
    if !counts.conflicts.is_empty() {
        for conflict in counts.conflicts.iter().take(5) {
            eprintln!("{conflict}");
        }
        return Err(format!(
            "{} orders or events differ from one counted under the same id",
            counts.conflicts.len()
        )
        .into());
    }
    if long {
        eprintln!("  done in {:.1?}", started.elapsed());
        // The process ends here: freeing the folds' millions of entries one by one would
        // only add seconds to a long run.
        std::mem::forget(outcome);
    }
    Ok(())
}

/// The store the options name, opened: a SQLite file or a PostgreSQL schema. A store that
/// holds events already is refused: the scenario is appended from version 0 of every stream.
fn open_store(options: &Options) -> Result<Option<Box<dyn EventStore>>, Failure> {
    let (store, name): (Box<dyn EventStore>, String) = match (&options.store, &options.postgres) {
        (Some(path), _) => (
            Box::new(SqliteStore::open(path).map_err(|e| format!("cannot open {path}: {e}"))?),
            path.clone(),
        ),
        (None, Some(url)) => (
            Box::new(
                PostgresStore::connect_in_schema(url, &options.schema, 2)
                    .map_err(|e| format!("cannot connect to PostgreSQL: {e}"))?,
            ),
            format!("PostgreSQL schema {}", options.schema),
        ),
        (None, None) => return Ok(None),
    };
    let head = store
        .head_position()
        .map_err(|e| format!("cannot read {name}: {e}"))?;
    if head > 0 {
        return Err(format!(
            "{name} already holds {head} events; the scenario is kept into an empty store: give a new file or schema"
        )
        .into());
    }
    Ok(Some(store))
}

/// The impact report rebuilt from the store alone: the metrics projection caught up from
/// position 0, reported as of the last order placed, for the scenario's latest year.
fn rebuild_report(
    store: &dyn EventStore,
    outcome: &ScenarioOutcome,
) -> Result<ImpactReport, Failure> {
    let projection = MetricsProjection::rebuild(store, 10_000)
        .map_err(|e| format!("rebuilding the metrics from the store: {e}"))?;
    let fy = outcome
        .latest_year()
        .ok_or("the scenario covers no financial year")?;
    let last_order_at = (projection.inputs().orders.values())
        .filter_map(|events| match events.first() {
            Some(OrderEvent::OrderPlaced { at, .. }) => Some(*at),
            _ => None,
        })
        .max();
    let now = last_order_at.unwrap_or_else(|| fy.end());
    let settings = ReportSettings::new(fy, now).with_network(&outcome.network);
    Ok(projection.metrics().report_with(&settings))
}

/// Fails with the first line where the two reports' JSON forms differ.
fn check_same(in_memory: &ImpactReport, rebuilt: &ImpactReport) -> Result<(), Failure> {
    if in_memory == rebuilt {
        return Ok(());
    }
    let a = serde_json::to_string_pretty(in_memory)?;
    let b = serde_json::to_string_pretty(rebuilt)?;
    let first = a
        .lines()
        .zip(b.lines())
        .enumerate()
        .find(|(_, (x, y))| x != y)
        .map_or_else(
            || "the JSON forms are equal but the reports are not".to_owned(),
            |(n, (x, y))| {
                format!(
                    "line {} of the JSON: in memory {x:?}, from the store {y:?}",
                    n + 1
                )
            },
        );
    Err(
        format!("the report rebuilt from the store differs from the in-memory report: {first}")
            .into(),
    )
}
