//! Why a command was refused, as a typed key: the counts group refusals by the decider and the
//! variant of its error, read from the error's type, never from its printed form.
//!
//! Every arm matches `Variant { .. }`, unit variants included: that pattern matches a variant
//! whatever its fields, so a decider's crate adding or removing a field does not break it.

#![allow(clippy::unneeded_struct_pattern)]

use std::fmt;

/// The deciders a scenario sends commands to, and the scenario itself (in the order of their
/// names, so counts list them as they always have).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Decider {
    /// `haat_catalogue::Catalogue`.
    Catalogue,
    /// `haat_inventory::StockLedger` and the reference network.
    Inventory,
    /// `haat_orders`: the order book, the invoice register and settlement.
    Orders,
    /// `haat_seller::Seller`.
    Seller,
    /// The scenario, finding a decider's answer other than it expected.
    Sim,
    /// `haat_seller::Workshop`.
    Workshop,
}

impl fmt::Display for Decider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Decider::Seller => "seller",
            Decider::Workshop => "workshop",
            Decider::Catalogue => "catalogue",
            Decider::Inventory => "inventory",
            Decider::Orders => "orders",
            Decider::Sim => "sim",
        })
    }
}

/// What the scenario found that it did not expect, other than a decider's error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum SimSurprise {
    /// The default taxonomy or product templates did not load.
    WorldDidNotLoad,
    /// A shard's thread failed.
    ShardFailed,
    /// A KYC submission with another state's GSTIN was accepted.
    KycMismatchAccepted,
    /// A product template made no listing content.
    ListingTemplate,
    /// The quality checks failed a listing made sound, or passed one made flawed.
    QualityCheckSurprise,
    /// An order's stock, just allocated, had no ledger cell to reserve.
    NoCellToReserve,
}

impl SimSurprise {
    /// The surprise's name, as the counts print it.
    pub const fn name(self) -> &'static str {
        match self {
            SimSurprise::WorldDidNotLoad => "WorldDidNotLoad",
            SimSurprise::ShardFailed => "ShardFailed",
            SimSurprise::KycMismatchAccepted => "KycMismatchAccepted",
            SimSurprise::ListingTemplate => "ListingTemplate",
            SimSurprise::QualityCheckSurprise => "QualityCheckSurprise",
            SimSurprise::NoCellToReserve => "NoCellToReserve",
        }
    }
}

/// A refusal the scenario did not mean to provoke: who refused, and the variant of their error.
/// It is the key [`Counts::rejections`](crate::Counts::rejections) counts by, so two refusals
/// of the same variant with different details count together.
///
/// Printed (by `Display` and `Debug` alike) as `"decider: Variant"`.
///
/// ```
/// use haat_sim::{Decider, Refusal, SimSurprise};
/// let refusal = Refusal::of_sim(SimSurprise::NoCellToReserve);
/// assert_eq!(refusal.by(), Decider::Sim);
/// assert_eq!(refusal.to_string(), "sim: NoCellToReserve");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Refusal {
    by: Decider,
    variant: &'static str,
}

impl Refusal {
    /// A seller's refusal.
    pub fn of_seller(error: &haat_seller::Error) -> Refusal {
        Refusal {
            by: Decider::Seller,
            variant: seller_variant(error),
        }
    }

    /// A refusal of the order book, the invoice register or settlement.
    pub fn of_orders(error: &haat_orders::Error) -> Refusal {
        use haat_orders::Error as E;
        let variant = match error {
            E::Forbidden { .. } => "Forbidden",
            E::UnknownOrder { .. } => "UnknownOrder",
            E::InvalidTransition { .. } => "InvalidTransition",
            E::UnknownLine { .. } => "UnknownLine",
            E::EmptyReturn { .. } => "EmptyReturn",
            E::ReturnExceedsShipped { .. } => "ReturnExceedsShipped",
            E::ReturnWindowClosed { .. } => "ReturnWindowClosed",
            E::Stock { .. } => "Stock",
            E::EmptyCart { .. } => "EmptyCart",
            E::CartTooLarge { .. } => "CartTooLarge",
            E::UnknownPlaceOfSupply { .. } => "UnknownPlaceOfSupply",
            E::CheckoutRefused { .. } => "CheckoutRefused",
            E::IdempotencyConflict { .. } => "IdempotencyConflict",
            E::AlreadyInvoiced { .. } => "AlreadyInvoiced",
            E::NotInvoiced { .. } => "NotInvoiced",
            E::SeriesExhausted { .. } => "SeriesExhausted",
            E::MissingGstin { .. } => "MissingGstin",
            E::InvalidDocumentNumber { .. } => "InvalidDocumentNumber",
            E::Pricing { .. } => "Pricing",
            E::UnknownPayee { .. } => "UnknownPayee",
            E::Overflow { .. } => "Overflow",
            _ => "Other",
        };
        Refusal {
            by: Decider::Orders,
            variant,
        }
    }

    /// A workshop's refusal (workshops share the seller crate's error).
    pub fn of_workshop(error: &haat_seller::Error) -> Refusal {
        Refusal {
            by: Decider::Workshop,
            variant: seller_variant(error),
        }
    }

    /// The catalogue's refusal.
    pub fn of_catalogue(error: &haat_catalogue::Error) -> Refusal {
        use haat_catalogue::Error as E;
        let variant = match error {
            E::InvalidCategory { .. } => "InvalidCategory",
            E::UnknownCategory { .. } => "UnknownCategory",
            E::InvalidTaxonomy { .. } => "InvalidTaxonomy",
            E::Forbidden { .. } => "Forbidden",
            E::InvalidTransition { .. } => "InvalidTransition",
            E::WrongListing { .. } => "WrongListing",
            E::DuplicateSku { .. } => "DuplicateSku",
            E::UnknownListing { .. } => "UnknownListing",
            E::ListingExists { .. } => "ListingExists",
            E::SkuChanged { .. } => "SkuChanged",
            E::InvalidPrice { .. } => "InvalidPrice",
            E::Unchanged { .. } => "Unchanged",
            E::NoRejectionReason { .. } => "NoRejectionReason",
            E::ImportIo { .. } => "ImportIo",
            E::ImportHeader { .. } => "ImportHeader",
            _ => "Other",
        };
        Refusal {
            by: Decider::Catalogue,
            variant,
        }
    }

    /// A stock ledger's refusal.
    pub fn of_inventory(error: &haat_inventory::Error) -> Refusal {
        use haat_inventory::Error as E;
        let variant = match error {
            E::Forbidden { .. } => "Forbidden",
            E::MarketplaceOnly { .. } => "MarketplaceOnly",
            E::InsufficientStock { .. } => "InsufficientStock",
            E::StaleCount { .. } => "StaleCount",
            E::IdempotencyConflict { .. } => "IdempotencyConflict",
            E::UnknownReservation { .. } => "UnknownReservation",
            E::ReservationExpired { .. } => "ReservationExpired",
            E::ReservationClosed { .. } => "ReservationClosed",
            E::ZeroQuantity { .. } => "ZeroQuantity",
            E::EmptyReservation { .. } => "EmptyReservation",
            E::TransferToSelf { .. } => "TransferToSelf",
            E::ExpiryInPast { .. } => "ExpiryInPast",
            E::UnknownTransfer { .. } => "UnknownTransfer",
            E::DuplicateTransfer { .. } => "DuplicateTransfer",
            E::Unroutable { .. } => "Unroutable",
            E::Overflow { .. } => "Overflow",
            E::UnknownCell { .. } => "UnknownCell",
            _ => "Other",
        };
        Refusal {
            by: Decider::Inventory,
            variant,
        }
    }

    /// The reference fulfilment network's refusal to load.
    pub fn of_network(error: &haat_inventory::NetworkError) -> Refusal {
        use haat_inventory::NetworkError as E;
        let variant = match error {
            E::DuplicateLocation { .. } => "DuplicateLocation",
            E::UnknownPinCode { .. } => "UnknownPinCode",
            E::StateMismatch { .. } => "StateMismatch",
            E::DistrictMismatch { .. } => "DistrictMismatch",
            E::UnknownServedPinCode { .. } => "UnknownServedPinCode",
            E::UnknownFeeder { .. } => "UnknownFeeder",
            E::FeederHoldsNoStock { .. } => "FeederHoldsNoStock",
            E::ReferenceTable { .. } => "ReferenceTable",
            _ => "Other",
        };
        Refusal {
            by: Decider::Inventory,
            variant,
        }
    }

    /// The scenario's own surprise.
    pub fn of_sim(surprise: SimSurprise) -> Refusal {
        Refusal {
            by: Decider::Sim,
            variant: surprise.name(),
        }
    }

    /// Who refused.
    pub fn by(&self) -> Decider {
        self.by
    }

    /// The variant of their error (`"Other"` for a variant newer than this crate).
    pub fn variant(&self) -> &'static str {
        self.variant
    }
}

fn seller_variant(error: &haat_seller::Error) -> &'static str {
    use haat_seller::Error as E;
    match error {
        E::Forbidden { .. } => "Forbidden",
        E::NotRegistered { .. } => "NotRegistered",
        E::AlreadyRegistered { .. } => "AlreadyRegistered",
        E::InvalidTransition { .. } => "InvalidTransition",
        E::EmptyDisplayName { .. } => "EmptyDisplayName",
        E::KycProblems { .. } => "KycProblems",
        E::NoRejectionReason { .. } => "NoRejectionReason",
        E::NoSuspensionReason { .. } => "NoSuspensionReason",
        E::NotEligible { .. } => "NotEligible",
        E::KycNotVerified { .. } => "KycNotVerified",
        E::AlreadyEnrolled { .. } => "AlreadyEnrolled",
        E::WorkshopNotScheduled { .. } => "WorkshopNotScheduled",
        E::WorkshopAlreadyScheduled { .. } => "WorkshopAlreadyScheduled",
        E::WorkshopClosed { .. } => "WorkshopClosed",
        E::ZeroCapacity { .. } => "ZeroCapacity",
        E::WorkshopNotStarted { .. } => "WorkshopNotStarted",
        E::WorkshopFull { .. } => "WorkshopFull",
        E::DuplicateAttendee { .. } => "DuplicateAttendee",
        E::UnknownAttendee { .. } => "UnknownAttendee",
        E::AttendeeAlreadyLinked { .. } => "AttendeeAlreadyLinked",
        E::WorkshopHeld { .. } => "WorkshopHeld",
        E::EmptyAttendeeName { .. } => "EmptyAttendeeName",
        E::Identifier { .. } => "Identifier",
        _ => "Other",
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.by, self.variant)
    }
}

/// As `Display`, so a map of counts prints as it reads: `{"seller: KycProblems": 2}`.
impl fmt::Debug for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{self}\"")
    }
}

/// A refusal the scenario provokes on purpose, to show that the decider refuses it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Intended {
    /// A KYC submission with a GSTIN of another state, refused by the cross-checks.
    KycStateMismatch,
}

impl fmt::Display for Intended {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Intended::KycStateMismatch => "seller: KYC state mismatch",
        })
    }
}
