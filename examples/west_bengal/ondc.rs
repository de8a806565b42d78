//! Chapter 5, with `--ondc DIR`: the story sellers' catalogues on the Open Network for Digital
//! Commerce, written as ONDC retail `on_search` JSON, one file per seller and domain, with a
//! README of what each seller published and every listing it could not, and why.

use std::error::Error as StdError;
use std::fmt::Write as _;
use std::fs::{self, File};
use std::io::{BufWriter, Write as _};
use std::path::Path;

use haat::catalogue::{Catalogue, Listing};
use haat::core::SellerId;
use haat_ondc::{
    CatalogueInput, Language, Request, SellerApp, SellerTerms, Storefront, district_sites,
    export_catalogue, seller_profile,
};

use crate::onboarding::Onboarded;
use crate::stock::Stocked;

type Result<T> = std::result::Result<T, Box<dyn StdError>>;

/// The seller app that publishes the story's sellers.
fn seller_app() -> SellerApp {
    SellerApp::haat_reference()
}

/// The search the catalogues answer: a buyer app asking for Kolkata's (`std:033`) sellers. A
/// seller app sends its full catalogue in answer to a search, so each file carries a search's
/// context.
fn search() -> Request {
    Request {
        bap_id: "buyer.example.in".into(),
        bap_uri: "https://buyer.example.in/ondc".into(),
        city: "std:033".into(),
        transaction_id: "T-WEST-BENGAL-STORY".into(),
        message_id: "M-WEST-BENGAL-STORY-1".into(),
    }
}

/// A file name's stem for `name`: lower-case letters and digits, runs of anything else as one
/// `-` (`Phulia Tant Saree Ghar` → `phulia-tant-saree-ghar`).
fn slug(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_owned()
}

/// The seller's live listings, by id.
fn live_listings(catalogue: &Catalogue, seller: SellerId) -> Vec<&Listing> {
    let mut listings: Vec<&Listing> = catalogue
        .listings()
        .filter(|l| l.seller() == seller && l.is_active())
        .collect();
    listings.sort_by_key(|l| l.id());
    listings
}

/// Writes each story seller's catalogue into `dir` (created if missing) and a README
/// summarising them, and prints the summary.
pub fn run(
    dir: &Path,
    onboarded: &Onboarded,
    catalogue: &Catalogue,
    stocked: &Stocked,
) -> Result<()> {
    println!();
    println!(
        "5. ONDC: the story sellers' catalogues as on_search JSON, in {}",
        dir.display()
    );
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let (app, request) = (seller_app(), search());
    let storefront = Storefront {
        base_url: "https://sellers.haat.example.in".into(),
    };
    let sites = district_sites(&stocked.network);
    let mut summary = String::new();
    for (who, id) in [
        ("the Nadia saree house", onboarded.saree_house),
        ("the Ghurni artisan", onboarded.artisan),
        ("the Shantipur home weaver", onboarded.home_weaver),
        ("the Barasat trader", onboarded.barasat_trader),
    ] {
        let seller = onboarded.sellers.get(&id).ok_or("no such seller")?;
        let name = seller.display_name().unwrap_or("?");
        writeln!(summary, "{name} ({who}, seller {id}):")?;
        let Some(profile) = seller_profile(seller, &storefront, SellerTerms::default()) else {
            writeln!(
                summary,
                "  not on the network: the seller was never activated"
            )?;
            continue;
        };
        let input = CatalogueInput {
            app: &app,
            request: &request,
            seller: &profile,
            taxonomy: catalogue.taxonomy(),
            network: &stocked.network,
            sites: &sites,
            stock: &stocked.ledger,
            language: Language::English,
            now: stocked.ended_at,
        };
        let export = export_catalogue(&input, live_listings(catalogue, id));
        for on_search in &export.catalogues {
            let domain = &on_search.context.domain;
            let code = domain.strip_prefix("ONDC:").unwrap_or(domain);
            let file = format!("{}.{}.on_search.json", slug(name), code.to_lowercase());
            let path = dir.join(&file);
            let mut out = BufWriter::new(
                File::create(&path)
                    .map_err(|e| format!("cannot create {}: {e}", path.display()))?,
            );
            serde_json::to_writer_pretty(&mut out, on_search)?;
            out.write_all(b"\n")?;
            out.flush()?;
            let items = on_search
                .message
                .catalog
                .providers
                .iter()
                .map(|p| p.items.len())
                .sum::<usize>();
            let noun = if items == 1 { "listing" } else { "listings" };
            writeln!(summary, "  {file}: {items} {noun} in {domain}")?;
        }
        if export.not_exported.is_empty() {
            writeln!(summary, "  every live listing exported")?;
        } else {
            writeln!(summary, "  {} not exported:", export.not_exported.len())?;
            for left_out in &export.not_exported {
                writeln!(
                    summary,
                    "    listing {} ({}): {}",
                    left_out.listing,
                    left_out.sku.as_str(),
                    left_out.reason
                )?;
            }
        }
    }
    for line in summary.lines() {
        println!("  {line}");
    }
    let readme = format!(
        "The West Bengal story's sellers on ONDC\n\
         \n\
         Each seller's live listings as an ONDC retail on_search catalogue (core version {}),\n\
         one file per seller and domain (RET12 fashion, RET16 home and decor), written by\n\
         `cargo run --example west_bengal -- --ondc DIR`. A listing that cannot be published\n\
         is listed under its seller, with the reason.\n\
         \n\
         {summary}",
        haat_ondc::CORE_VERSION
    );
    let path = dir.join("README");
    fs::write(&path, readme).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(())
}
