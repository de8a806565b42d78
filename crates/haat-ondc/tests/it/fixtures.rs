//! The West Bengal scenario's sellers, folded from the simulator's events, and the seller
//! app's side of the export.

// Helpers shared by the tests: they may fail loudly, as the tests themselves do.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::{DateTime, TimeZone, Utc};
use haat_catalogue::{Catalogue, Listing, Taxonomy};
use haat_core::SellerId;
use haat_inventory::{LedgerEvent, Network, StockLedger};
use haat_ondc::{
    CatalogueExport, CatalogueInput, Language, Request, SellerApp, SellerTerms, Sites, Storefront,
};
use haat_seller::{Seller, SellerEvent};
use haat_sim::{Event, ScenarioConfig};

/// The scenario's world at its end: every seller, listing and stock ledger.
pub struct World {
    pub taxonomy: Taxonomy,
    pub network: Network,
    pub sites: Sites,
    pub catalogue: Catalogue,
    pub sellers: HashMap<SellerId, Seller>,
    pub ledgers: HashMap<SellerId, StockLedger>,
    pub now: DateTime<Utc>,
}

/// The seller of a stock event: its key's, or, for events that name only an idempotency key,
/// the simulator's convention of the seller's id in the key's high 64 bits.
fn stock_seller(event: &LedgerEvent) -> SellerId {
    let from_key = |raw: u128| SellerId::new(u64::try_from(raw >> 64).unwrap());
    match event {
        LedgerEvent::CellOpened { key, .. } | LedgerEvent::ReorderPointSet { key, .. } => {
            key.seller()
        }
        LedgerEvent::Moved(movement) => movement.key.seller(),
        LedgerEvent::ReservationPlaced {
            idempotency_key, ..
        }
        | LedgerEvent::OperationRecorded {
            idempotency_key, ..
        } => from_key(idempotency_key.get()),
        other => panic!("a stock event the fixture does not know: {other:?}"),
    }
}

/// The small West Bengal scenario (300 sellers, the two showcase sellers first), run once per
/// test binary.
pub fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let config = ScenarioConfig::small();
        let mut seller_events: HashMap<SellerId, Vec<SellerEvent>> = HashMap::new();
        let mut stock_events: HashMap<SellerId, Vec<LedgerEvent>> = HashMap::new();
        let taxonomy = Taxonomy::west_bengal_default();
        let mut catalogue = Catalogue::new(taxonomy.clone());
        let outcome = haat_sim::run_with_sink(
            &config,
            &mut |_| {},
            Some(&mut |event| match event {
                Event::Seller(e) => seller_events.entry(e.seller()).or_default().push(e.clone()),
                Event::Listing(e) => catalogue.apply(e),
                Event::Stock(e) => stock_events
                    .entry(stock_seller(e))
                    .or_default()
                    .push(e.clone()),
                _ => {}
            }),
        );
        let now = outcome
            .counts
            .last_order_at
            .unwrap_or_else(|| Utc.with_ymd_and_hms(2026, 3, 31, 18, 29, 59).unwrap());
        let sites = haat_ondc::district_sites(&outcome.network);
        World {
            taxonomy,
            sites,
            catalogue,
            sellers: seller_events
                .iter()
                .map(|(id, events)| (*id, Seller::replay(events)))
                .collect(),
            ledgers: stock_events
                .iter()
                .map(|(id, events)| (*id, StockLedger::replay(events)))
                .collect(),
            network: outcome.network,
            now,
        }
    })
}

pub fn app() -> SellerApp {
    SellerApp::haat_reference()
}

pub fn request() -> Request {
    Request {
        bap_id: "buyer.example.in".into(),
        bap_uri: "https://buyer.example.in/ondc".into(),
        city: "std:033".into(),
        transaction_id: "T-2026-0001".into(),
        message_id: "M-2026-0001".into(),
    }
}

pub fn storefront() -> Storefront {
    Storefront {
        base_url: "https://sellers.haat.example.in".into(),
    }
}

impl World {
    /// The seller's listings, by id.
    pub fn listings_of(&self, seller: SellerId) -> Vec<&Listing> {
        let mut listings: Vec<&Listing> = self
            .catalogue
            .listings()
            .filter(|l| l.seller() == seller)
            .collect();
        listings.sort_by_key(|l| l.id());
        listings
    }

    /// The seller's active listings exported at the scenario's end, or `None` for a seller
    /// never activated.
    pub fn export(&self, seller: SellerId, language: Language) -> Option<CatalogueExport> {
        let profile = haat_ondc::seller_profile(
            self.sellers.get(&seller)?,
            &storefront(),
            SellerTerms::default(),
        )?;
        let empty = StockLedger::new();
        let (app, request) = (app(), request());
        let input = CatalogueInput {
            app: &app,
            request: &request,
            seller: &profile,
            taxonomy: &self.taxonomy,
            network: &self.network,
            sites: &self.sites,
            stock: self.ledgers.get(&seller).unwrap_or(&empty),
            language,
            now: self.now,
        };
        let live = self
            .listings_of(seller)
            .into_iter()
            .filter(|l| l.is_active());
        Some(haat_ondc::export_catalogue(&input, live))
    }

    /// Every seller, by id.
    pub fn seller_ids(&self) -> Vec<SellerId> {
        let mut ids: Vec<SellerId> = self.sellers.keys().copied().collect();
        ids.sort();
        ids
    }
}
