//! A small marketplace: sellers, listings, stock at two locations, and helpers to drive it.

// Helpers outside `#[test]` functions assert too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, dead_code)]

use std::sync::OnceLock;

use chrono::{DateTime, TimeZone, Utc};
use haat_catalogue::{GstRateTable, GstRegistration};
use haat_core::{Actor, ListingId, LocationId, Money, OrderId, PinCode, SellerId, StateCode};
use haat_inventory::{
    AdjustmentReason, Allocator, Command, IdempotencyKey, Network, Operation, StockKey, StockLedger,
};
use haat_orders::{
    BuyerId, Cart, CartLine, CheckoutRequest, CheckoutTerms, ListingView, Market, OrderBook,
    Placement, SellerView, ShelfSnapshot,
};
use haat_seller::SellerStatus;

/// A registered weaver-house of West Bengal (GSTIN state 19).
pub const SAREE_HOUSE: SellerId = SellerId::new(1);
/// A registered tailoring unit of West Bengal that ships across India.
pub const TAILOR: SellerId = SellerId::new(2);
/// A non-GST weaver of West Bengal: intra-state sales only.
pub const WEAVER: SellerId = SellerId::new(3);
/// A suspended seller.
pub const SUSPENDED: SellerId = SellerId::new(4);
/// A seller whose KYC is not verified yet.
pub const UNVERIFIED: SellerId = SellerId::new(5);

/// A Shantipuri saree, ₹12,000 (MRP ₹14,000), HSN 5208.
pub const SAREE: ListingId = ListingId::new(1);
/// A cotton kurta, ₹2,000 (MRP ₹2,400), HSN 6211.
pub const KURTA: ListingId = ListingId::new(2);
/// A gamchha by the non-GST weaver, ₹800 (MRP ₹800), HSN 6302.
pub const GAMCHHA: ListingId = ListingId::new(3);
/// A paused listing.
pub const PAUSED: ListingId = ListingId::new(4);
/// A listing of the suspended seller.
pub const SUSPENDED_STOLE: ListingId = ListingId::new(5);
/// A listing of the unverified seller.
pub const UNVERIFIED_STOLE: ListingId = ListingId::new(6);

/// The Kolkata metro hub, where all stock is.
pub const HUB: LocationId = LocationId::new(2001);
/// Units of each listing at the hub.
pub const STOCK: u32 = 50;

pub fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).single().unwrap()
}

/// 1 Oct 2025, 10:30 IST.
pub fn now() -> DateTime<Utc> {
    at(2025, 10, 1, 5, 0)
}

pub fn kolkata() -> PinCode {
    "700001".parse().unwrap()
}

pub fn mumbai() -> PinCode {
    "400001".parse().unwrap()
}

pub fn wb() -> StateCode {
    StateCode::WEST_BENGAL
}

fn listing(
    id: ListingId,
    seller: SellerId,
    sku: &str,
    hsn: &str,
    price: i64,
    mrp: i64,
    live: bool,
) -> ListingView {
    ListingView {
        listing: id,
        seller,
        sku: sku.parse().unwrap(),
        category: "textiles/handloom".parse().unwrap(),
        hsn: hsn.parse().unwrap(),
        price: Money::from_rupees(price),
        mrp: Money::from_rupees(mrp),
        live,
        return_days: 7,
    }
}

/// Every listing: (id, seller, SKU).
pub fn listings() -> Vec<ListingView> {
    vec![
        listing(SAREE, SAREE_HOUSE, "SHP-RED", "5208", 12_000, 14_000, true),
        listing(KURTA, TAILOR, "KURTA-M", "6211", 2_000, 2_400, true),
        listing(GAMCHHA, WEAVER, "GAMCHHA", "6302", 800, 800, true),
        listing(PAUSED, SAREE_HOUSE, "SHP-OLD", "5208", 9_000, 9_000, false),
        listing(SUSPENDED_STOLE, SUSPENDED, "STOLE", "6214", 700, 900, true),
        listing(
            UNVERIFIED_STOLE,
            UNVERIFIED,
            "STOLE",
            "6214",
            700,
            900,
            true,
        ),
    ]
}

pub fn shelf() -> ShelfSnapshot {
    let mut shelf = ShelfSnapshot::default();
    let registered = GstRegistration::Registered { state: wb() };
    for (seller, status, registration) in [
        (SAREE_HOUSE, SellerStatus::Active, registered),
        (TAILOR, SellerStatus::Active, registered),
        (
            WEAVER,
            SellerStatus::Active,
            GstRegistration::NonGst { state: wb() },
        ),
        (SUSPENDED, SellerStatus::Suspended, registered),
        (UNVERIFIED, SellerStatus::KycSubmitted, registered),
    ] {
        shelf.put_seller(SellerView {
            seller,
            status,
            registration,
        });
    }
    for l in listings() {
        shelf.put_listing(l);
    }
    shelf
}

pub fn network() -> &'static Network {
    static NETWORK: OnceLock<Network> = OnceLock::new();
    NETWORK.get_or_init(|| Network::west_bengal_reference().unwrap())
}

/// The stock cell of a listing at the hub.
pub fn cell(listing: ListingId) -> StockKey {
    let l = listings()
        .into_iter()
        .find(|l| l.listing == listing)
        .unwrap();
    StockKey::new(l.seller, l.sku, HUB)
}

/// A ledger with [`STOCK`] units of every listing at the hub.
pub fn stocked_ledger() -> StockLedger {
    let mut ledger = StockLedger::new();
    for (i, l) in listings().into_iter().enumerate() {
        let count = Operation::Adjust {
            key: StockKey::new(l.seller, l.sku, HUB),
            expected_on_hand: 0,
            counted_on_hand: u64::from(STOCK),
            reason: AdjustmentReason::Found,
        };
        let key = IdempotencyKey::new(1_000 + i as u128);
        ledger
            .execute(
                &Command::new(Actor::Seller(l.seller), key, count),
                at(2025, 4, 1, 0, 0),
            )
            .unwrap();
    }
    ledger
}

/// The market, its shelf and ledger, and an empty order book.
pub struct World {
    pub shelf: ShelfSnapshot,
    pub allocator: Allocator<'static>,
    pub ledger: StockLedger,
    pub book: OrderBook,
    next_key: u128,
}

impl World {
    pub fn new() -> World {
        World {
            shelf: shelf(),
            allocator: Allocator::new(network()),
            ledger: stocked_ledger(),
            book: OrderBook::starting_at(OrderId::new(1)),
            next_key: 1,
        }
    }

    pub fn market(&self) -> Market<'_, ShelfSnapshot> {
        Market {
            shelf: &self.shelf,
            rates: GstRateTable::india(),
            allocator: &self.allocator,
            terms: CheckoutTerms::default(),
        }
    }

    pub fn request(&mut self, pin: PinCode, lines: &[(ListingId, u32)]) -> CheckoutRequest {
        self.next_key += 1;
        CheckoutRequest {
            actor: Actor::System,
            key: IdempotencyKey::new(self.next_key),
            cart: Cart {
                buyer: BuyerId::new(77),
                pin_code: pin,
                lines: lines
                    .iter()
                    .map(|&(listing, quantity)| CartLine { listing, quantity })
                    .collect(),
            },
        }
    }

    pub fn checkout(
        &mut self,
        pin: PinCode,
        lines: &[(ListingId, u32)],
        now: DateTime<Utc>,
    ) -> Result<Placement, haat_orders::Error> {
        let request = self.request(pin, lines);
        self.run(&request, now)
    }

    pub fn run(
        &mut self,
        request: &CheckoutRequest,
        now: DateTime<Utc>,
    ) -> Result<Placement, haat_orders::Error> {
        let market = Market {
            shelf: &self.shelf,
            rates: GstRateTable::india(),
            allocator: &self.allocator,
            terms: CheckoutTerms::default(),
        };
        self.book.checkout(&market, &mut self.ledger, request, now)
    }

    /// Places one order of `quantity` sarees and answers its id.
    pub fn saree_order(&mut self, quantity: u32) -> OrderId {
        self.checkout(kolkata(), &[(SAREE, quantity)], now())
            .unwrap()
            .orders[0]
    }
}

/// A valid West Bengal GSTIN for the saree house.
pub fn gstin() -> haat_seller::Gstin {
    let first14 = "19AAPFU0939F1Z";
    let check = haat_seller::gstin_check_character(first14).unwrap();
    format!("{first14}{check}").parse().unwrap()
}

/// Runs `commands` on the world's book an hour apart from `from`, each of which must pass.
pub fn drive(
    world: &mut World,
    commands: &[haat_orders::OrderCommand],
    from: DateTime<Utc>,
) -> Vec<haat_orders::OrderEvent> {
    let mut events = Vec::new();
    for (hour, command) in commands.iter().enumerate() {
        let at = from + chrono::Duration::hours(hour as i64 + 1);
        events.extend(world.book.execute(&mut world.ledger, command, at).unwrap());
    }
    events
}
