//! Chapter 4: a sale, from cart to invoice to settlement — one buyer's cart with a saree of
//! the Nadia saree house and a bedsheet of the Barasat trader, split into one order per
//! seller, packed, dispatched with a GST tax invoice, delivered, and paid for in the weekly
//! settlement once the return window has closed.

use std::collections::HashMap;
use std::error::Error as StdError;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use haat::catalogue::{
    Catalogue, CommissionSchedule, FixedFeeSlabs, GstRateTable, GstRegistration, MarketplaceTariff,
    Percent,
};
use haat::core::{Actor, Locale, LocationId, Money, OrderId, SellerId, Sku, StaffId, StateCode};
use haat::inventory::{
    Allocator, Command, IdempotencyKey, Network, Operation, Receipt, StockKey, StockLedger,
};
use haat::orders::{
    BuyerId, Cart, CartLine, CheckoutRequest, CheckoutTerms, DocumentKind, ListingView, Market,
    OrderBook, OrderCommand, SellerView, SettlementCalendar, SettlementTerms, Settlements,
    ShelfSnapshot,
};
use haat::seller::{GstStatus, Seller};

use crate::onboarding::Onboarded;

type Result<T> = std::result::Result<T, Box<dyn StdError>>;

/// Every category's return window in the story, in days after delivery.
const RETURN_DAYS: u16 = 10;

/// What checkout reads of `seller`: its status and the GST standing its KYC gave.
fn seller_view(id: SellerId, seller: &Seller) -> Result<SellerView> {
    let kyc = seller.kyc().ok_or("no KYC")?;
    let registration = match &kyc.gst {
        GstStatus::Registered(gstin) => GstRegistration::Registered {
            state: gstin.state_code(),
        },
        GstStatus::NonGst(_) => GstRegistration::NonGst {
            state: StateCode::WEST_BENGAL,
        },
    };
    Ok(SellerView {
        seller: id,
        status: seller.status().ok_or("not registered")?,
        registration,
    })
}

/// What checkout reads of the listing of `seller` with SKU `sku`, as the catalogue has it.
fn listing_view(catalogue: &Catalogue, seller: SellerId, sku: &Sku) -> Result<ListingView> {
    let listing = catalogue
        .listings()
        .find(|l| l.seller() == seller && l.content().sku == *sku)
        .ok_or("no such listing")?;
    let content = listing.content();
    Ok(ListingView {
        listing: listing.id(),
        seller,
        sku: content.sku.clone(),
        category: content.category.clone(),
        hsn: content.hsn,
        price: content.price,
        mrp: content.mrp.unwrap_or(content.price),
        live: listing.is_active(),
        return_days: RETURN_DAYS,
    })
}

/// Stock `quantity` units of `sku` at `location`, announced and received.
fn receive(
    ledger: &mut StockLedger,
    key: &StockKey,
    quantity: u64,
    seq: u128,
    now: DateTime<Utc>,
) -> Result<()> {
    let po = format!("PO-STORY-{seq}");
    let expect = Operation::ExpectInbound {
        key: key.clone(),
        quantity,
        purchase_order: po.clone(),
    };
    let seller = Actor::Seller(key.seller());
    ledger.execute(
        &Command::new(seller, IdempotencyKey::new(seq * 2), expect),
        now,
    )?;
    let arrive = Operation::ReceiveInbound {
        key: key.clone(),
        purchase_order: po,
        good: quantity,
        damaged: 0,
        into: Receipt::Available,
    };
    let staff = Actor::Operations(StaffId::new(21));
    ledger.execute(
        &Command::new(staff, IdempotencyKey::new(seq * 2 + 1), arrive),
        now,
    )?;
    Ok(())
}

/// Runs the chapter on the sellers of chapter 1 and the listings of chapter 2.
pub fn run(onboarded: &Onboarded, catalogue: &Catalogue) -> Result<()> {
    println!();
    println!("4. A sale: one cart, two sellers, from checkout to tax invoice to settlement");
    let start = onboarded.ended_at + Duration::days(3);
    let house = onboarded.saree_house;
    let trader = onboarded.barasat_trader;
    let saree: Sku = "NSH-SHA-001".parse()?;
    let bedsheet: Sku = "BEDSHEET-DBL-2".parse()?;

    let mut shelf = ShelfSnapshot::default();
    for id in [house, trader] {
        let seller = onboarded.sellers.get(&id).ok_or("no such seller")?;
        shelf.put_seller(seller_view(id, seller)?);
    }
    let saree_view = listing_view(catalogue, house, &saree)?;
    let bedsheet_view = listing_view(catalogue, trader, &bedsheet)?;
    let (saree_listing, bedsheet_listing) = (saree_view.listing, bedsheet_view.listing);
    shelf.put_listing(saree_view);
    shelf.put_listing(bedsheet_view);

    let network = Network::west_bengal_reference()?;
    let mut ledger = StockLedger::new();
    // The house's sarees at the Nadia metro hub, the trader's bedsheets at Barasat.
    let hub = |district: &str, label: &str| -> Result<LocationId> {
        network
            .locations()
            .find(|l| l.district().name() == district && l.name().contains(label))
            .map(|l| l.id())
            .ok_or_else(|| format!("no {label} in {district}").into())
    };
    let nadia_hub = hub("Nadia", "metro hub")?;
    let barasat = hub("North 24 Parganas", "fulfilment centre")?;
    receive(
        &mut ledger,
        &StockKey::new(house, saree.clone(), nadia_hub),
        10,
        1,
        start,
    )?;
    receive(
        &mut ledger,
        &StockKey::new(trader, bedsheet.clone(), barasat),
        40,
        2,
        start,
    )?;

    // Checkout: one cart, split into one order per seller.
    let allocator = Allocator::new(&network);
    let market = Market {
        shelf: &shelf,
        rates: GstRateTable::india(),
        allocator: &allocator,
        terms: CheckoutTerms::default(),
    };
    let mut book = OrderBook::starting_at(OrderId::new(5_001));
    let placed_at = start + Duration::hours(8);
    let request = CheckoutRequest {
        actor: Actor::System,
        key: IdempotencyKey::new(77),
        cart: Cart {
            buyer: BuyerId::new(9_001),
            pin_code: "700019".parse()?,
            lines: vec![
                CartLine {
                    listing: saree_listing,
                    quantity: 1,
                },
                CartLine {
                    listing: bedsheet_listing,
                    quantity: 2,
                },
            ],
        },
    };
    let placement = book.checkout(&market, &mut ledger, &request, placed_at)?;
    println!(
        "  {}  a buyer in Kolkata (700019) checks out a saree and two bedsheets: {} orders",
        crate::stock::when(placed_at),
        placement.orders.len()
    );
    for id in &placement.orders {
        let order = book.order(*id).ok_or("no order")?;
        let line = order.lines().first().ok_or("no line")?;
        println!(
            "    order {id}, seller {}: {} × {} at {} = {} (taxable {}, CGST {} + SGST {} + IGST {}), reserved at location {}",
            order.seller().ok_or("no seller")?,
            line.quantity,
            line.sku.as_str(),
            Locale::EnIn.inr(line.unit_price),
            Locale::EnIn.inr(line.value()),
            Locale::EnIn.inr(line.tax.taxable_value()),
            Locale::EnIn.inr(line.tax.cgst()),
            Locale::EnIn.inr(line.tax.sgst()),
            Locale::EnIn.inr(line.tax.igst()),
            line.location,
        );
    }

    // Packed, dispatched with its tax invoice, delivered.
    let mut invoices = haat::orders::InvoiceRegister::default();
    let dispatched_at = placed_at + Duration::hours(20);
    let delivered_at = dispatched_at + Duration::days(2);
    for id in placement.orders.iter().copied() {
        let seller = book.order(id).and_then(|o| o.seller()).ok_or("no seller")?;
        let me = Actor::Seller(seller);
        book.execute(
            &mut ledger,
            &OrderCommand::Pack {
                actor: me,
                order: id,
            },
            placed_at + Duration::hours(6),
        )?;
        book.execute(
            &mut ledger,
            &OrderCommand::Dispatch {
                actor: me,
                order: id,
            },
            dispatched_at,
        )?;
        let gstin = match onboarded.sellers.get(&seller).and_then(|s| s.kyc()) {
            Some(kyc) => match &kyc.gst {
                GstStatus::Registered(gstin) => Some(*gstin),
                GstStatus::NonGst(_) => None,
            },
            None => None,
        };
        let order = book.order(id).ok_or("no order")?;
        for event in invoices.decide_invoice(me, order, gstin, dispatched_at)? {
            let document = event.document();
            let kind = match document.kind {
                DocumentKind::TaxInvoice => "tax invoice",
                DocumentKind::BillOfSupply => "bill of supply",
                _ => "document",
            };
            println!(
                "  {}  order {id} dispatched; {kind} {} of seller {} (GSTIN {}), place of supply {}: taxable {} + CGST {} + SGST {} + IGST {} = {}",
                crate::stock::when(dispatched_at),
                document.number,
                document.seller,
                document
                    .seller_gstin
                    .map_or_else(|| "none".to_owned(), |g| g.to_string()),
                document.place_of_supply,
                Locale::EnIn.inr(document.totals.taxable_value),
                Locale::EnIn.inr(document.totals.cgst),
                Locale::EnIn.inr(document.totals.sgst),
                Locale::EnIn.inr(document.totals.igst),
                Locale::EnIn.inr(document.totals.total),
            );
            invoices.apply(&event);
        }
        book.execute(
            &mut ledger,
            &OrderCommand::Deliver {
                actor: Actor::System,
                order: id,
            },
            delivered_at,
        )?;
    }
    println!(
        "  {}  both orders delivered; the return window ({RETURN_DAYS} days) opens",
        crate::stock::when(delivered_at)
    );

    // Settlement: weekly cycles, the first after the window closes.
    let tariff = MarketplaceTariff {
        commission: CommissionSchedule::new().with_default(Percent::whole(8)),
        fixed_fees: FixedFeeSlabs::none(),
    };
    let calendar = SettlementCalendar::new(NaiveDate::from_ymd_opt(2024, 4, 1).ok_or("date")?, 7)
        .ok_or("cycle")?;
    let terms = SettlementTerms {
        tariff: &tariff,
        rates: GstRateTable::india(),
        shipping_fee: Money::from_rupees(40),
        calendar,
    };
    let payees: HashMap<SellerId, Seller> = onboarded
        .sellers
        .iter()
        .map(|(id, seller)| (*id, seller.clone()))
        .collect();
    let mut settlements = Settlements::default();
    let settle_at = delivered_at + Duration::days(i64::from(RETURN_DAYS) + 7);
    let orders = placement.orders.iter().filter_map(|id| book.order(*id));
    for statement in settlements.settle(orders, &payees, &terms, settle_at)? {
        println!();
        let who = if statement.seller == house {
            "the Nadia saree house"
        } else {
            "the Barasat trader"
        };
        let waived = payees
            .get(&statement.seller)
            .is_some_and(|s| s.commission_waived(placed_at));
        let note = if waived {
            " (an inclusion programme member: commission waived)"
        } else {
            ""
        };
        println!("  settlement for {who}{note}:");
        for locale in [Locale::EnIn, Locale::BnIn] {
            for line in statement.render(locale).lines() {
                println!("    {line}");
            }
        }
    }
    Ok(())
}
