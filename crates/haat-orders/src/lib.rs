//! Orders: where a seller, a listing and stock meet a buyer.
//!
//! `haat-orders` builds on `haat-core`, `haat-seller`, `haat-catalogue` and `haat-inventory`
//! (it is where they meet); `haat-metrics` will read its events. It holds:
//!
//! - checkout ([`OrderBook::checkout`]): a [`Cart`] becomes one [`Order`] per seller in one
//!   all-or-nothing step, each line priced from the live listing (never above MRP), taxed by
//!   HSN, slab and IST date, allocated on the fulfilment network and reserved in the
//!   [`StockLedger`](haat_inventory::StockLedger), under an idempotency key so a retry
//!   answers the first outcome (kept for a retention window the caller sets with
//!   [`OrderBook::forget_checkouts`]; a retry after it is refused, never placed twice);
//! - the order's life ([`Order`], [`OrderCommand`], [`OrderEvent`]): placed → packed →
//!   dispatched (late or on time) → delivered; cancelled before dispatch; returned to origin;
//!   returned by the buyer within the category's window. [`OrderBook::execute`] moves each
//!   step's stock through the ledger under keys derived from the order, so the ledger and the
//!   orders never disagree;
//! - GST tax invoices, bills of supply and credit notes ([`InvoiceRegister`]), numbered in a
//!   series per seller and financial year as Rule 46 of the CGST Rules asks;
//! - settlement ([`Settlements::settle`]): per seller and cycle, a [`Statement`] of what each
//!   delivered order past its return window pays (the catalogue's `Payout::compute`, with the
//!   section 194-O(4) exemption over the seller's year), and reversals of units returned
//!   after they were paid for, readable in en-IN and bn-IN; [`commission_waived`] says what
//!   an inclusion programme's benefit saved on a settled sale.
//!
//! The order is a decider like the others: `decide(&self, &command, now)` answers the events
//! a command causes or a typed [`Error`], and `apply` folds an event in. Nothing reads a
//! clock: every step takes `now`.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use haat_catalogue::{GstRateTable, GstRegistration};
//! use haat_core::{Actor, ListingId, LocationId, Money, OrderId, SellerId, StateCode};
//! use haat_inventory::{AdjustmentReason, Allocator, Command, IdempotencyKey, Network, Operation,
//!     StockKey, StockLedger};
//! use haat_orders::*;
//! use haat_seller::SellerStatus;
//!
//! let now = Utc.with_ymd_and_hms(2025, 10, 1, 5, 0, 0).single().ok_or("time")?;
//! let weaver = SellerId::new(7);
//! let mut shelf = ShelfSnapshot::default();
//! shelf.put_seller(SellerView {
//!     seller: weaver,
//!     status: SellerStatus::Active,
//!     registration: GstRegistration::Registered { state: StateCode::WEST_BENGAL },
//! });
//! shelf.put_listing(ListingView {
//!     listing: ListingId::new(1),
//!     seller: weaver,
//!     sku: "TANT-RED".parse()?,
//!     category: "textiles/sarees/handloom/tant".parse()?,
//!     hsn: "5208".parse()?,
//!     price: Money::from_rupees(12_000),
//!     mrp: Money::from_rupees(14_000),
//!     live: true,
//!     return_days: 7,
//! });
//! // Five sarees at the Kolkata metro hub.
//! let mut ledger = StockLedger::new();
//! let cell = StockKey::new(weaver, "TANT-RED".parse()?, LocationId::new(2001));
//! let count = Operation::Adjust { key: cell, expected_on_hand: 0, counted_on_hand: 5,
//!     reason: AdjustmentReason::Found };
//! ledger.execute(&Command::new(Actor::Seller(weaver), IdempotencyKey::new(1), count), now)?;
//!
//! let network = Network::west_bengal_reference()?;
//! let allocator = Allocator::new(&network);
//! let market = Market { shelf: &shelf, rates: GstRateTable::india(), allocator: &allocator,
//!     terms: CheckoutTerms::default() };
//! let mut book = OrderBook::starting_at(OrderId::new(1));
//! let request = CheckoutRequest {
//!     actor: Actor::System,
//!     key: IdempotencyKey::new(42),
//!     cart: Cart { buyer: BuyerId::new(3), pin_code: "700001".parse()?,
//!         lines: vec![CartLine { listing: ListingId::new(1), quantity: 1 }] },
//! };
//! let placed = book.checkout(&market, &mut ledger, &request, now)?;
//! let order = book.order(placed.orders[0]).ok_or("no order")?;
//! // ₹12,000 at 5% within West Bengal: CGST = SGST = ₹285.71.
//! assert_eq!(order.lines()[0].tax.cgst(), Money::from_paise(28_571));
//! // A retry answers the same orders and reserves nothing more.
//! assert!(book.checkout(&market, &mut ledger, &request, now)?.replayed);
//! assert_eq!(ledger.quantities(&StockKey::new(weaver, "TANT-RED".parse()?,
//!     LocationId::new(2001))).available(), 4);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod book;
mod checkout;
mod checkouts;
mod error;
mod invoice;
mod order;
mod settlement;
mod tax_memo;
mod waiver;

pub use book::{MAX_CART_LINES, OrderBook, Placement};
pub use checkout::{
    Cart, CartLine, CheckoutRequest, CheckoutTerms, ListingView, Market, SellerView, Shelf,
    ShelfSnapshot,
};
pub use error::{Error, LineRefusal, RefusalReason};
pub use invoice::{
    DOCUMENT_NUMBER_MAX_LEN, Document, DocumentKind, DocumentLine, DocumentNumber, DocumentTotals,
    InvoiceEvent, InvoiceRegister,
};
pub use order::{
    BuyerId, CancelledBy, Order, OrderAction, OrderCommand, OrderEvent, OrderLine, OrderStatus,
    ReturnBucket, ReturnedLine,
};
pub use settlement::{
    Cycle, EntryKind, Payee, Payees, SettlementCalendar, SettlementTerms, Settlements, Statement,
    StatementEntry, TDS_194O_EXEMPTION_LIMIT,
};
pub use waiver::commission_waived;
