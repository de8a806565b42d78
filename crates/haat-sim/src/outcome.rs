//! What a run hands back: the metrics it fed, counts of what it did, and progress reports.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use haat_catalogue::ListingEvent;
use haat_core::{FinancialYear, Money};
use haat_inventory::{LedgerEvent, Network};
use haat_metrics::{ImpactReport, Metrics, OrderRecord, ReportSettings};
use haat_orders::{InvoiceEvent, OrderEvent, Statement};
use haat_seller::{SellerEvent, WorkshopEvent};

use crate::refusal::{Intended, Refusal};

/// One event of the scenario, as a sink receives it: borrowed, so a sink that does not keep
/// it costs nothing.
#[derive(Clone, Copy, Debug)]
pub enum Event<'a> {
    /// From a seller's stream.
    Seller(&'a SellerEvent),
    /// From a workshop's stream.
    Workshop(&'a WorkshopEvent),
    /// From a listing's stream.
    Listing(&'a ListingEvent),
    /// From a seller's stock ledger.
    Stock(&'a LedgerEvent),
    /// An order line and what became of it, projected from the order's events when the
    /// seller's run is over.
    Order(&'a OrderRecord),
    /// From an order's stream: placed at checkout, packed, dispatched, delivered,
    /// cancelled, returned.
    OrderEvent(&'a OrderEvent),
    /// From a seller's invoice register: a tax invoice, bill of supply or credit note.
    Invoice(&'a InvoiceEvent),
    /// A seller's settlement statement for a cycle, and the commission a programme benefit
    /// waived on it (what `Metrics::add_statement` takes).
    Statement(&'a Statement, Money),
}

/// How far a run has got: called every few hundred sellers and once at the end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Sellers simulated so far.
    pub sellers_done: u64,
    /// Sellers in the scenario.
    pub sellers_total: u64,
    /// Orders placed so far.
    pub orders: u64,
}

/// How many repeated identities [`Counts`] keeps to show.
pub(crate) const SHOWN: usize = 5;

/// What the scenario did, counted.
///
/// `rejections` holds every command a decider refused that the scenario did not mean to be
/// refused, by [`Refusal`] (the decider and its error's variant); a correct run has none. `intended_rejections` holds the
/// refusals the scenario provokes on purpose (a KYC submission with a GSTIN of another state).
/// Every order and event passes a [`haat_metrics::DuplicateGuard`] before it is folded in;
/// `repeats` and `conflicts` say what it kept out (a correct run has none).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Sellers registered.
    pub sellers: u64,
    /// Sellers activated.
    pub sellers_activated: u64,
    /// Sellers enrolled in the inclusion programme.
    pub programme_members: u64,
    /// Workshops held.
    pub workshops: u64,
    /// People who attended them.
    pub attendees: u64,
    /// Listings created.
    pub listings: u64,
    /// Listings made live.
    pub listings_activated: u64,
    /// Order lines placed.
    pub orders: u64,
    /// Orders cancelled (by anyone).
    pub cancelled: u64,
    /// Orders cancelled by the seller.
    pub seller_cancelled: u64,
    /// Checkouts refused because no location had the stock (no order placed).
    pub stock_outs: u64,
    /// Orders returned.
    pub returned: u64,
    /// Tax invoices, bills of supply and credit notes issued.
    pub documents: u64,
    /// Settlement statements issued.
    pub statements: u64,
    /// When the last order was placed: the instant the data ends, which the report is built
    /// at (as a report built from the written files would be).
    pub last_order_at: Option<DateTime<Utc>>,
    /// Commands sent to deciders (sellers, workshops, listings, stock ledgers, the order
    /// book, invoice registers and settlement).
    pub commands: u64,
    /// Events the deciders emitted.
    pub events: u64,
    /// Unintended refusals, by kind.
    pub rejections: BTreeMap<Refusal, u64>,
    /// Intended refusals, by kind.
    pub intended_rejections: BTreeMap<Intended, u64>,
    /// Orders and events that repeated one already folded in (counted once).
    pub repeats: u64,
    /// The first few repeats (order ids, event identities).
    pub repeated: Vec<String>,
    /// Orders and events that differed from one folded in under the same identity (the first
    /// kept), as their errors.
    pub conflicts: Vec<String>,
}

impl Counts {
    /// Adds `other`'s counts to these.
    pub fn merge(&mut self, other: &Counts) {
        self.sellers += other.sellers;
        self.sellers_activated += other.sellers_activated;
        self.programme_members += other.programme_members;
        self.workshops += other.workshops;
        self.attendees += other.attendees;
        self.listings += other.listings;
        self.listings_activated += other.listings_activated;
        self.orders += other.orders;
        self.cancelled += other.cancelled;
        self.seller_cancelled += other.seller_cancelled;
        self.stock_outs += other.stock_outs;
        self.returned += other.returned;
        self.documents += other.documents;
        self.statements += other.statements;
        self.last_order_at = self.last_order_at.max(other.last_order_at);
        self.commands += other.commands;
        self.events += other.events;
        for (k, v) in &other.rejections {
            *self.rejections.entry(*k).or_default() += v;
        }
        for (k, v) in &other.intended_rejections {
            *self.intended_rejections.entry(*k).or_default() += v;
        }
        self.repeats += other.repeats;
        self.repeated.extend(other.repeated.iter().cloned());
        self.repeated.sort();
        self.repeated.truncate(SHOWN);
        self.conflicts.extend(other.conflicts.iter().cloned());
        self.conflicts.sort();
    }

    /// Counts one unintended refusal.
    pub(crate) fn refused(&mut self, refusal: Refusal) {
        *self.rejections.entry(refusal).or_default() += 1;
    }

    /// Unintended refusals in all.
    pub fn unexpected_rejections(&self) -> u64 {
        self.rejections.values().sum()
    }
}

/// The result of [`run`](crate::run): the metrics and counts, and the scenario's frame.
#[derive(Clone, Debug)]
pub struct ScenarioOutcome {
    /// The financial years covered, in order.
    pub years: Vec<FinancialYear>,
    /// The fulfilment network the orders went through.
    pub network: Network,
    /// The metrics, fed as the events were produced.
    pub metrics: Metrics,
    /// What was done.
    pub counts: Counts,
}

impl ScenarioOutcome {
    /// The latest financial year, which the report is for.
    pub fn latest_year(&self) -> Option<FinancialYear> {
        self.years.last().copied()
    }

    /// The impact report of the latest financial year against the one before, with the
    /// fulfilment network, built as of the last order placed (the end of the data; the year's
    /// end if there was no order) — as `cargo run --example report` builds it from the files
    /// the main job writes.
    ///
    /// ```
    /// use haat_sim::{ScenarioConfig, run};
    /// let outcome = run(&ScenarioConfig { sellers: 40, ..ScenarioConfig::small() }, &mut |_| {});
    /// let report = outcome.report().ok_or("no year")?;
    /// assert_eq!(report.financial_year.to_string(), "FY2025-26");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn report(&self) -> Option<ImpactReport> {
        let fy = self.latest_year()?;
        let now = self.counts.last_order_at.unwrap_or_else(|| fy.end());
        let settings = ReportSettings::new(fy, now).with_network(&self.network);
        Some(self.metrics.report_with(&settings))
    }
}
