//! Incremental updates: what a buyer app must learn since it last refreshed — a price, stock
//! or content change, a listing withdrawn — as an `on_search` holding only the changed items.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use haat_catalogue::{Catalogue, ListingEvent};
use haat_core::{ListingId, Sku};
use haat_inventory::LedgerEvent;

use crate::export::{Offer, assemble};
use crate::{CatalogueExport, CatalogueInput};

/// What an incremental export made: the changed items as catalogues, the listings that could
/// not be mapped, and the checkpoint to ask from next time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogueChanges {
    /// The changed listings: on sale (`enable`, current price and stock) or withdrawn
    /// (`disable`), and those that could not be mapped.
    pub export: CatalogueExport,
    /// The latest event instant seen (the `since` of the next call), or `since` if none.
    pub checkpoint: DateTime<Utc>,
}

/// The catalogue changes since `since`, from the seller's listing and stock events: a listing
/// whose price changed, whose content was approved or which went live is sent as it is now; a
/// listing deactivated or archived is sent withdrawn (`time.label` `disable`, nothing
/// available); a listing whose stock moved is sent with its stock now. Each changed listing is
/// sent once, as its latest state in `catalogue` says; events at or before `since` and other
/// sellers' are ignored, so a caller may pass a longer history than needed.
pub fn catalogue_changes<'e>(
    input: &CatalogueInput<'_>,
    catalogue: &Catalogue,
    listing_events: impl IntoIterator<Item = &'e ListingEvent>,
    stock_events: impl IntoIterator<Item = &'e LedgerEvent>,
    since: DateTime<Utc>,
) -> CatalogueChanges {
    let seller = input.seller.seller;
    let mut checkpoint = since;
    let mut changed: BTreeSet<ListingId> = BTreeSet::new();
    for event in listing_events {
        if event.seller() != seller || event.at() <= since {
            continue;
        }
        checkpoint = checkpoint.max(event.at());
        let seen_by_buyers = matches!(
            event,
            ListingEvent::Deactivated { .. }
                | ListingEvent::Archived { .. }
                | ListingEvent::PriceChanged { .. }
                | ListingEvent::ReviewPassed { .. }
                | ListingEvent::Activated { .. }
        );
        // Drafts, edits awaiting review and review outcomes change nothing buyers see.
        if seen_by_buyers {
            changed.insert(event.listing());
        }
    }
    let mut moved: Vec<Sku> = Vec::new();
    for event in stock_events {
        if let LedgerEvent::Moved(movement) = event
            && movement.key.seller() == seller
            && movement.at > since
        {
            checkpoint = checkpoint.max(movement.at);
            moved.push(movement.key.sku().clone());
        }
    }
    moved.sort();
    moved.dedup();
    for sku in &moved {
        if let Some(listing) = catalogue.by_sku(seller, sku) {
            changed.insert(listing.id());
        }
    }
    // A listing is sent as it is now: one withdrawn and then re-activated is on sale.
    let listings = changed.into_iter().filter_map(|id| {
        let listing = catalogue.get(id)?;
        let offer = if listing.is_active() {
            Offer::OnSale
        } else {
            Offer::Withdrawn
        };
        Some((listing, offer))
    });
    CatalogueChanges {
        export: assemble(input, listings),
        checkpoint,
    }
}
