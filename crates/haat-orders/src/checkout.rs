//! Checkout's inputs and its one business rule: how a cart line is priced and taxed.
//!
//! The catalogue and the sellers are not read from their aggregates directly: the caller
//! gives read views ([`ListingView`], [`SellerView`]) through the [`Shelf`] trait, so a
//! service can answer from whatever projection it keeps, and this crate stays pure.

use chrono::{DateTime, Duration, Utc};
use haat_catalogue::{
    CategoryId, GstRateTable, GstRegistration, HsnCode, PricingError, TaxBreakdown,
};
use haat_core::{FastHashMap, ListingId, Money, PinCode, SellerId, Sku, StateCode, ist_date};
use haat_inventory::{Allocator, IdempotencyKey};
use haat_seller::SellerStatus;

use crate::tax_memo::TaxMemo;
use crate::{BuyerId, RefusalReason};

/// A listing as checkout needs it: what is sold, by whom, at what price now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListingView {
    /// The listing.
    pub listing: ListingId,
    /// Its seller.
    pub seller: SellerId,
    /// The seller's SKU.
    pub sku: Sku,
    /// The listing's category.
    pub category: CategoryId,
    /// The HSN code of the goods.
    pub hsn: HsnCode,
    /// The tax-inclusive selling price of one piece, as the buyer sees it now.
    pub price: Money,
    /// The maximum retail price of one piece.
    pub mrp: Money,
    /// Whether the listing is live (active in the catalogue).
    pub live: bool,
    /// The category's return window, in days after delivery.
    pub return_days: u16,
}

/// A seller as checkout needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SellerView {
    /// The seller.
    pub seller: SellerId,
    /// Where the seller is in onboarding: only an active seller sells.
    pub status: SellerStatus,
    /// The seller's GST standing (GSTIN state, or non-GST within one state).
    pub registration: GstRegistration,
}

/// What checkout reads of the catalogue and the sellers, at the instant of checkout.
pub trait Shelf {
    /// The listing `id`, if known.
    fn listing(&self, id: ListingId) -> Option<&ListingView>;
    /// The seller `id`, if known.
    fn seller(&self, id: SellerId) -> Option<&SellerView>;
}

/// A [`Shelf`] held in memory: listings and sellers by id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShelfSnapshot {
    listings: FastHashMap<ListingId, ListingView>,
    sellers: FastHashMap<SellerId, SellerView>,
}

impl ShelfSnapshot {
    /// Adds (or replaces) a listing.
    pub fn put_listing(&mut self, listing: ListingView) {
        self.listings.insert(listing.listing, listing);
    }

    /// Adds (or replaces) a seller.
    pub fn put_seller(&mut self, seller: SellerView) {
        self.sellers.insert(seller.seller, seller);
    }
}

impl Shelf for ShelfSnapshot {
    fn listing(&self, id: ListingId) -> Option<&ListingView> {
        self.listings.get(&id)
    }

    fn seller(&self, id: SellerId) -> Option<&SellerView> {
        self.sellers.get(&id)
    }
}

/// One line of a cart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CartLine {
    /// The listing.
    pub listing: ListingId,
    /// Pieces.
    pub quantity: u32,
}

/// A buyer's cart at checkout.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Cart {
    /// Who buys.
    pub buyer: BuyerId,
    /// Where it goes: the PIN code also gives the place of supply.
    pub pin_code: PinCode,
    /// The lines, in the order the buyer added them.
    pub lines: Vec<CartLine>,
}

/// A checkout as the marketplace asks for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckoutRequest {
    /// Who asks: the marketplace, for the buyer.
    pub actor: haat_core::Actor,
    /// The key a retry carries: the same key and cart answer with the first outcome.
    pub key: IdempotencyKey,
    /// The cart.
    pub cart: Cart,
}

/// The marketplace's promises at checkout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CheckoutTerms {
    /// How long after checkout a seller has to dispatch.
    pub dispatch_within: Duration,
    /// How long past the promised dispatch time the stock stays reserved, so that a late
    /// dispatch still finds it (after that the hold lapses and the order must be cancelled).
    pub hold_after_promise: Duration,
}

impl Default for CheckoutTerms {
    fn default() -> CheckoutTerms {
        CheckoutTerms {
            dispatch_within: Duration::days(2),
            hold_after_promise: Duration::days(7),
        }
    }
}

/// Everything checkout reads besides the stock ledger: the catalogue and sellers, the GST
/// rates and the fulfilment network's allocator, and the terms.
#[derive(Clone, Copy, Debug)]
pub struct Market<'a, S> {
    /// Listings and sellers.
    pub shelf: &'a S,
    /// GST rates.
    pub rates: &'a GstRateTable,
    /// Where lines ship from.
    pub allocator: &'a Allocator<'a>,
    /// The promises.
    pub terms: CheckoutTerms,
}

/// A cart line priced and taxed, not yet allocated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PricedLine<'a> {
    pub(crate) listing: &'a ListingView,
    pub(crate) registration: GstRegistration,
    pub(crate) quantity: u32,
    pub(crate) tax: TaxBreakdown,
}

/// Prices and taxes one cart line at `now`: the live listing's price (never above MRP), the
/// rate for its HSN code, price per piece and IST date, CGST + SGST or IGST by the seller's
/// and the buyer's states, none for a non-GST seller (who may not sell outside its state).
/// This is the one place the rule lives; `memo` answers the rate table's and the tax
/// breakdown's questions exactly as they would (`tax_memo.rs`).
pub(crate) fn price_line<'a>(
    shelf: &'a impl Shelf,
    rates: &GstRateTable,
    memo: &mut TaxMemo,
    line: CartLine,
    buyer_state: StateCode,
    now: DateTime<Utc>,
) -> Result<PricedLine<'a>, RefusalReason> {
    let listing = shelf
        .listing(line.listing)
        .ok_or(RefusalReason::UnknownListing)?;
    if !listing.live {
        return Err(RefusalReason::ListingNotLive);
    }
    let seller = shelf
        .seller(listing.seller)
        .ok_or(RefusalReason::UnknownSeller {
            seller: listing.seller,
        })?;
    if seller.status != SellerStatus::Active {
        return Err(RefusalReason::SellerNotActive {
            seller: seller.seller,
            status: seller.status,
        });
    }
    if line.quantity == 0 {
        return Err(RefusalReason::ZeroQuantity);
    }
    if !listing.price.is_positive() || listing.price > listing.mrp {
        return Err(RefusalReason::PriceOutOfRange {
            price: listing.price,
            mrp: listing.mrp,
        });
    }
    let value =
        listing
            .price
            .checked_mul(u64::from(line.quantity))
            .ok_or(RefusalReason::Pricing(PricingError::Overflow {
                what: "line value",
            }))?;
    // The slab is chosen by the price of one piece, on the IST date of the sale.
    let rate = memo
        .rate(rates, &listing.hsn, listing.price, ist_date(now))
        .map_err(RefusalReason::Pricing)?;
    let tax = memo
        .breakdown(value, rate, seller.registration, buyer_state)
        .map_err(|err| match err {
            PricingError::InterStateByNonGstSeller {
                seller_state,
                buyer_state,
            } => RefusalReason::InterStateByNonGstSeller {
                seller_state,
                buyer_state,
            },
            other => RefusalReason::Pricing(other),
        })?;
    Ok(PricedLine {
        listing,
        registration: seller.registration,
        quantity: line.quantity,
        tax,
    })
}
