//! The West Bengal scenario: haat's main job, run end to end through the real API.
//!
//! A deterministic story (fixed instants, no clock, no randomness), told in chapters, each a
//! module that takes what the chapters before it created:
//!
//! 1. [`onboarding`]: a seller-training workshop in Nadia, attendees who register and go
//!    through KYC (one verified at once, one refused by the cross-checks, rejected by review
//!    and verified at the third try, one non-GST weaver who sells within the state), a trader
//!    in Barasat enrolled in an inclusion programme, activations and a workforce declaration.
//!
//! 2. [`listings`]: the Nadia saree house imports its 300-row sheet in one call (the bad rows
//!    reported, the good ones kept), drafts are reviewed and activated, an artisan's first
//!    listing fails the quality checks, is fixed and goes live, and the home weaver and the
//!    trader list one product each.
//!
//! 3. [`stock`]: the West Bengal fulfilment network (41 lakh sq ft, 69 metro and 25 last-mile
//!    hubs) and its coverage, stock received for the sellers' listings, and orders allocated,
//!    reserved and shipped — one from a non-GST seller, one short of stock.
//!
//! 4. [`sale`]: one buyer's cart with a saree of the Nadia saree house and bedsheets of the
//!    Barasat trader, split into one order per seller at checkout, packed, dispatched with a
//!    GST tax invoice, delivered, and settled in the weekly cycle after the return window, the
//!    statements in English and Bengali.
//!
//! 5. [`ondc`], with `--ondc DIR`: each story seller's live listings, with the stock and the
//!    network locations of chapter 3, as ONDC retail `on_search` catalogues in `DIR`, and what
//!    could not be published, with why.
//!
//! Then [`scenario`]: the whole state at scale (a few thousand sellers by default, 4.2 lakh with
//! `--scale full`), simulated through every crate, and its impact report for the latest
//! financial year against the one before, in English and Bengali (`--help` lists the flags).
//!
//! Run it with `cargo run --example west_bengal`.

#![allow(clippy::print_stdout)]

mod listings;
mod onboarding;
mod ondc;
#[path = "../shared/refusals.rs"]
mod refusals;
mod sale;
mod scenario;
#[path = "../shared/scenario_store.rs"]
mod scenario_store;
mod stock;

/// The scenario allocates and frees small buffers by the crore (cart and order lines, events,
/// invoices, statements) on two threads at once; mimalloc's per-thread free lists take about a
/// fifth less CPU for that than the system allocator (docs/BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = std::env::args().skip(1);
    let Some(options) = scenario::Options::parse(args)? else {
        return Ok(());
    };
    if options.story {
        let onboarded = onboarding::run()?;
        onboarding::print_summary(&onboarded)?;
        let (catalogue, _) = listings::run(&onboarded)?;
        let stocked = stock::run(&onboarded, &catalogue)?;
        sale::run(&onboarded, &catalogue)?;
        if let Some(dir) = &options.ondc {
            ondc::run(dir, &onboarded, &catalogue, &stocked)?;
        }
    }
    scenario::run_scenario(&options)?;
    Ok(())
}
