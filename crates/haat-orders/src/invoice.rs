//! GST tax invoices, bills of supply and credit notes, numbered per seller and financial year.
//!
//! Rule 46(b) of the CGST Rules asks for "a consecutive serial number not exceeding sixteen
//! characters, in one or multiple series, containing alphabets or numerals or special
//! characters hyphen or dash and slash ... unique for a financial year". Each seller keeps
//! three series a year, one per kind of document (`INV`, `BOS`, `CN`), numbered
//! `INV/2526/0000001` onwards: 16 characters at most, consecutive within the series.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use haat_catalogue::{HsnCode, Percent, SupplyKind, TaxBreakdown};
use haat_core::{Actor, FinancialYear, ListingId, Money, OrderId, SellerId, StateCode, ist_date};
use haat_seller::Gstin;
use serde::{Deserialize, Serialize};

use crate::{BuyerId, Error, Order, OrderAction, OrderEvent, OrderStatus};

/// The longest document number Rule 46 allows.
pub const DOCUMENT_NUMBER_MAX_LEN: usize = 16;

/// The largest serial number that fits: `INV/2526/` leaves 7 digits.
const MAX_SERIAL: u32 = 9_999_999;

/// A document's number: 1 to 16 ASCII letters, digits, `-` or `/`.
///
/// ```
/// use haat_orders::DocumentNumber;
/// let number: DocumentNumber = "INV/2526/0000001".parse()?;
/// assert_eq!(number.as_str(), "INV/2526/0000001");
/// assert!("INV/2025-26/00000001".parse::<DocumentNumber>().is_err()); // 20 characters
/// assert!("INV 1".parse::<DocumentNumber>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DocumentNumber(String);

impl DocumentNumber {
    /// The number as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for DocumentNumber {
    type Err = Error;

    fn from_str(s: &str) -> Result<DocumentNumber, Error> {
        let valid = !s.is_empty()
            && s.len() <= DOCUMENT_NUMBER_MAX_LEN
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'/');
        if valid {
            Ok(DocumentNumber(s.to_owned()))
        } else {
            Err(Error::InvalidDocumentNumber {
                input: s.to_owned(),
            })
        }
    }
}

impl TryFrom<String> for DocumentNumber {
    type Error = Error;

    fn try_from(s: String) -> Result<DocumentNumber, Error> {
        s.parse()
    }
}

impl From<DocumentNumber> for String {
    fn from(number: DocumentNumber) -> String {
        number.0
    }
}

impl fmt::Display for DocumentNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The kind of a document, each numbered in its own series.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// A GST tax invoice (Rule 46): a registered seller's sale.
    TaxInvoice,
    /// A bill of supply (Rule 49): a sale on which no GST is charged (a non-GST seller's).
    BillOfSupply,
    /// A credit note (Rule 53): a return against an invoice or bill.
    CreditNote,
}

impl DocumentKind {
    fn prefix(self) -> &'static str {
        match self {
            DocumentKind::TaxInvoice => "INV",
            DocumentKind::BillOfSupply => "BOS",
            DocumentKind::CreditNote => "CN",
        }
    }

    /// The `serial`th number of this kind's series in `year`: `INV/2526/0000001`.
    ///
    /// ```
    /// use haat_core::FinancialYear;
    /// use haat_orders::DocumentKind;
    /// let fy = FinancialYear::starting(2025).ok_or("year")?;
    /// assert_eq!(DocumentKind::TaxInvoice.number(fy, 1).ok_or("full")?.as_str(), "INV/2526/0000001");
    /// assert_eq!(DocumentKind::CreditNote.number(fy, 42).ok_or("full")?.as_str(), "CN/2526/0000042");
    /// assert!(DocumentKind::TaxInvoice.number(fy, 10_000_000).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn number(self, year: FinancialYear, serial: u32) -> Option<DocumentNumber> {
        if serial == 0 || serial > MAX_SERIAL {
            return None;
        }
        let start = year.start_year().rem_euclid(100);
        let end = (start + 1) % 100;
        let text = format!("{}/{start:02}{end:02}/{serial:07}", self.prefix());
        text.parse().ok()
    }
}

/// One line of an invoice, bill or credit note: what Rule 46 asks per item.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DocumentLine {
    /// The order line it is for (its index in the order).
    pub line: usize,
    /// The listing.
    pub listing: ListingId,
    /// The goods' HSN code.
    pub hsn: HsnCode,
    /// Pieces.
    pub quantity: u32,
    /// The taxable value (the price less GST).
    pub taxable_value: Money,
    /// The GST rate (0% on a bill of supply).
    pub rate: Percent,
    /// Central GST.
    pub cgst: Money,
    /// State GST.
    pub sgst: Money,
    /// Integrated GST.
    pub igst: Money,
    /// The line's total: taxable value plus GST.
    pub total: Money,
}

impl DocumentLine {
    fn from_tax(
        line: usize,
        listing: ListingId,
        hsn: HsnCode,
        quantity: u32,
        tax: &TaxBreakdown,
    ) -> DocumentLine {
        DocumentLine {
            line,
            listing,
            hsn,
            quantity,
            taxable_value: tax.taxable_value(),
            rate: tax.rate(),
            cgst: tax.cgst(),
            sgst: tax.sgst(),
            igst: tax.igst(),
            total: tax.price(),
        }
    }
}

/// A document's totals, each the sum of its lines' to the paisa.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DocumentTotals {
    /// Taxable value.
    pub taxable_value: Money,
    /// Central GST.
    pub cgst: Money,
    /// State GST.
    pub sgst: Money,
    /// Integrated GST.
    pub igst: Money,
    /// Everything: taxable value plus GST.
    pub total: Money,
}

impl DocumentTotals {
    fn of(lines: &[DocumentLine]) -> Result<DocumentTotals, Error> {
        let sum = |part: fn(&DocumentLine) -> Money| {
            Money::checked_sum(lines.iter().map(part)).ok_or(Error::Overflow {
                what: "document totals",
            })
        };
        Ok(DocumentTotals {
            taxable_value: sum(|l| l.taxable_value)?,
            cgst: sum(|l| l.cgst)?,
            sgst: sum(|l| l.sgst)?,
            igst: sum(|l| l.igst)?,
            total: sum(|l| l.total)?,
        })
    }
}

/// A tax invoice, bill of supply or credit note, as issued.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Document {
    /// Its number, unique and consecutive in the seller's series for the year.
    pub number: DocumentNumber,
    /// What it is.
    pub kind: DocumentKind,
    /// The date of issue (IST).
    pub issued_on: NaiveDate,
    /// The seller (the supplier).
    pub seller: SellerId,
    /// The seller's GSTIN (none on a non-GST seller's bill of supply).
    pub seller_gstin: Option<Gstin>,
    /// The order.
    pub order: OrderId,
    /// The buyer (the recipient, unregistered: a consumer).
    pub buyer: BuyerId,
    /// The place of supply: the state of delivery.
    pub place_of_supply: StateCode,
    /// Intra-state (CGST + SGST) or inter-state (IGST).
    pub supply: SupplyKind,
    /// For a credit note, the invoice or bill it credits.
    pub against: Option<DocumentNumber>,
    /// The lines.
    pub lines: Vec<DocumentLine>,
    /// The totals, each the sum of the lines'.
    pub totals: DocumentTotals,
}

/// What happened in a seller's document register.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum InvoiceEvent {
    /// A tax invoice or bill of supply was issued for an order.
    InvoiceIssued {
        /// The document.
        document: Document,
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: Actor,
    },
    /// A credit note was issued for a buyer's return.
    CreditNoteIssued {
        /// The document.
        document: Document,
        /// When the return it credits was received.
        returned_at: DateTime<Utc>,
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: Actor,
    },
}

impl InvoiceEvent {
    /// The document issued.
    pub fn document(&self) -> &Document {
        match self {
            InvoiceEvent::InvoiceIssued { document, .. }
            | InvoiceEvent::CreditNoteIssued { document, .. } => document,
        }
    }
}

/// Every seller's invoices, bills and credit notes: the series' counters and what each order
/// was issued. A decider: `decide_*` answer the events or a typed [`Error`]; `apply` folds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InvoiceRegister {
    issued: HashMap<(SellerId, FinancialYear, DocumentKind), u32>,
    invoices: HashMap<OrderId, Document>,
    credited: HashSet<(OrderId, DateTime<Utc>)>,
}

impl InvoiceRegister {
    /// The register the events describe.
    pub fn replay<'a>(events: impl IntoIterator<Item = &'a InvoiceEvent>) -> InvoiceRegister {
        let mut register = InvoiceRegister::default();
        for event in events {
            register.apply(event);
        }
        register
    }

    /// The invoice (or bill of supply) of `order`.
    pub fn invoice_of(&self, order: OrderId) -> Option<&Document> {
        self.invoices.get(&order)
    }

    /// How many documents of `kind` the seller issued in `year`.
    pub fn issued(&self, seller: SellerId, year: FinancialYear, kind: DocumentKind) -> u32 {
        self.issued.get(&(seller, year, kind)).copied().unwrap_or(0)
    }

    /// The invoice for `order` at `now`: a tax invoice for a registered seller (which must
    /// give its GSTIN), a bill of supply for a non-GST seller, numbered next in the seller's
    /// series for the financial year of `now`'s IST date. An order is invoiced once packed.
    ///
    /// # Errors
    /// [`Error::UnknownOrder`]; [`Error::Forbidden`] for another seller;
    /// [`Error::InvalidTransition`] before packing or after cancellation;
    /// [`Error::AlreadyInvoiced`]; [`Error::MissingGstin`]; [`Error::SeriesExhausted`].
    pub fn decide_invoice(
        &self,
        actor: Actor,
        order: &Order,
        gstin: Option<Gstin>,
        now: DateTime<Utc>,
    ) -> Result<Vec<InvoiceEvent>, Error> {
        let Parties {
            id,
            seller,
            status,
            registration,
            buyer,
            place_of_supply,
        } = placed(order, actor, OrderAction::Invoice)?;
        if matches!(status, OrderStatus::Placed | OrderStatus::Cancelled) {
            return Err(Error::InvalidTransition {
                order: id,
                status,
                action: OrderAction::Invoice,
            });
        }
        if self.invoices.contains_key(&id) {
            return Err(Error::AlreadyInvoiced { order: id });
        }
        let (kind, seller_gstin) = if registration.is_registered() {
            let gstin = gstin.ok_or(Error::MissingGstin { seller })?;
            (DocumentKind::TaxInvoice, Some(gstin))
        } else {
            (DocumentKind::BillOfSupply, None)
        };
        let lines: Vec<DocumentLine> = order
            .lines()
            .iter()
            .enumerate()
            .map(|(i, l)| DocumentLine::from_tax(i, l.listing, l.hsn, l.quantity, &l.tax))
            .collect();
        let supply = order
            .lines()
            .first()
            .map_or(SupplyKind::IntraState, |l| l.tax.supply());
        let document = Document {
            number: self.next_number(seller, kind, now)?,
            kind,
            issued_on: ist_date(now),
            seller,
            seller_gstin,
            order: id,
            buyer,
            place_of_supply,
            supply,
            against: None,
            totals: DocumentTotals::of(&lines)?,
            lines,
        };
        Ok(vec![InvoiceEvent::InvoiceIssued {
            document,
            at: now,
            by: actor,
        }])
    }

    /// The credit note for a buyer's return (`returned`, an [`OrderEvent::OrderReturned`] of
    /// `order`) at `now`, against the order's invoice. Each returned line is taxed as the
    /// invoice taxed it (same rate and supply) on the value of the units returned.
    ///
    /// # Errors
    /// [`Error::UnknownOrder`] (also for an event that is not a return of this order);
    /// [`Error::Forbidden`]; [`Error::NotInvoiced`]; [`Error::AlreadyInvoiced`] for a return
    /// already credited; [`Error::SeriesExhausted`]; [`Error::Overflow`].
    pub fn decide_credit_note(
        &self,
        actor: Actor,
        order: &Order,
        returned: &OrderEvent,
        now: DateTime<Utc>,
    ) -> Result<Vec<InvoiceEvent>, Error> {
        let Parties {
            id,
            seller,
            buyer,
            place_of_supply,
            ..
        } = placed(order, actor, OrderAction::CreditNote)?;
        let OrderEvent::OrderReturned {
            order: of,
            at: returned_at,
            lines: returned_lines,
            ..
        } = returned
        else {
            return Err(Error::UnknownOrder { order: id });
        };
        if *of != id {
            return Err(Error::UnknownOrder { order: *of });
        }
        let invoice = self
            .invoices
            .get(&id)
            .ok_or(Error::NotInvoiced { order: id })?;
        if self.credited.contains(&(id, *returned_at)) {
            return Err(Error::AlreadyInvoiced { order: id });
        }
        // One credit-note line per order line, however the units were split between buckets.
        let mut units = vec![0u32; order.lines().len()];
        for r in returned_lines {
            if let Some(slot) = units.get_mut(r.line) {
                *slot = slot.saturating_add(r.quantity);
            }
        }
        let mut lines = Vec::new();
        for (index, (line, &quantity)) in order.lines().iter().zip(&units).enumerate() {
            if quantity == 0 {
                continue;
            }
            let overflow = || Error::Overflow {
                what: "credit note",
            };
            let value = line
                .unit_price
                .checked_mul(u64::from(quantity))
                .ok_or_else(overflow)?;
            let tax = TaxBreakdown::of(value, line.tax.rate(), line.tax.supply())
                .map_err(|_| overflow())?;
            lines.push(DocumentLine::from_tax(
                index,
                line.listing,
                line.hsn,
                quantity,
                &tax,
            ));
        }
        let document = Document {
            number: self.next_number(seller, DocumentKind::CreditNote, now)?,
            kind: DocumentKind::CreditNote,
            issued_on: ist_date(now),
            seller,
            seller_gstin: invoice.seller_gstin,
            order: id,
            buyer,
            place_of_supply,
            supply: invoice.supply,
            against: Some(invoice.number.clone()),
            totals: DocumentTotals::of(&lines)?,
            lines,
        };
        Ok(vec![InvoiceEvent::CreditNoteIssued {
            document,
            returned_at: *returned_at,
            at: now,
            by: actor,
        }])
    }

    /// Folds `event` in: the series moves on by one.
    pub fn apply(&mut self, event: &InvoiceEvent) {
        let document = event.document();
        let year = FinancialYear::of_date(document.issued_on);
        let count = self
            .issued
            .entry((document.seller, year, document.kind))
            .or_default();
        *count = count.saturating_add(1);
        match event {
            InvoiceEvent::InvoiceIssued { .. } => {
                self.invoices.insert(document.order, document.clone());
            }
            InvoiceEvent::CreditNoteIssued { returned_at, .. } => {
                self.credited.insert((document.order, *returned_at));
            }
        }
    }

    fn next_number(
        &self,
        seller: SellerId,
        kind: DocumentKind,
        now: DateTime<Utc>,
    ) -> Result<DocumentNumber, Error> {
        let year = FinancialYear::containing(now);
        self.issued(seller, year, kind)
            .checked_add(1)
            .and_then(|serial| kind.number(year, serial))
            .ok_or(Error::SeriesExhausted { seller, year })
    }
}

/// What a document needs of a placed order.
struct Parties {
    id: OrderId,
    seller: SellerId,
    status: OrderStatus,
    registration: haat_catalogue::GstRegistration,
    buyer: BuyerId,
    place_of_supply: StateCode,
}

/// The parties of a placed order, once the actor may act for its seller.
fn placed(order: &Order, actor: Actor, action: OrderAction) -> Result<Parties, Error> {
    let (Some(id), Some(seller), Some(status), Some(registration), Some(buyer), Some(state)) = (
        order.id(),
        order.seller(),
        order.status(),
        order.registration(),
        order.buyer(),
        order.buyer_state(),
    ) else {
        // An order never placed has no id to name: 0 is no order's.
        return Err(Error::UnknownOrder {
            order: OrderId::new(0),
        });
    };
    if !actor.may_act_for(seller) {
        return Err(Error::Forbidden { actor, action });
    }
    Ok(Parties {
        id,
        seller,
        status,
        registration,
        buyer,
        place_of_supply: state,
    })
}
