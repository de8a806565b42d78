//! The errors of `haat-catalogue`: one variant per way a command or an input can be wrong, each
//! saying what and where.

use haat_core::{Actor, ListingId, SellerId, Sku};
use thiserror::Error;

/// Everything that can go wrong in the catalogue.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum Error {
    /// A category path was not a slash-separated path of lower-case ASCII segments.
    #[error("category '{input}' is not valid: {reason}")]
    InvalidCategory {
        /// The text given.
        input: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A category is not in the taxonomy.
    #[error("category '{category}' is not in the taxonomy")]
    UnknownCategory {
        /// The category asked for.
        category: String,
    },
    /// A taxonomy definition was inconsistent (a child without its parent, a loosened attribute).
    #[error("taxonomy definition is invalid at '{category}': {reason}")]
    InvalidTaxonomy {
        /// Where.
        category: String,
        /// What is wrong.
        reason: String,
    },
    /// An actor tried something it may not do.
    #[error("{actor} may not {action} listing {listing}")]
    Forbidden {
        /// Who tried.
        actor: Actor,
        /// What they tried.
        action: &'static str,
        /// On which listing.
        listing: ListingId,
    },
    /// A command does not fit the listing's current status.
    #[error("listing {listing} is {status}; cannot {action}")]
    InvalidTransition {
        /// The listing.
        listing: ListingId,
        /// Its status now.
        status: &'static str,
        /// What was asked.
        action: &'static str,
    },
    /// A command was addressed to a different listing than the aggregate holds.
    #[error("command for listing {given} sent to listing {expected}")]
    WrongListing {
        /// The listing the aggregate holds.
        expected: ListingId,
        /// The listing the command names.
        given: ListingId,
    },
    /// The seller already has a listing with this SKU.
    #[error("seller {seller} already has a listing with SKU '{sku}'")]
    DuplicateSku {
        /// The seller.
        seller: SellerId,
        /// The SKU.
        sku: Sku,
    },
    /// No listing has this id.
    #[error("listing {listing} does not exist")]
    UnknownListing {
        /// The listing asked for.
        listing: ListingId,
    },
    /// A listing with this id exists already.
    #[error("listing {listing} exists already")]
    ListingExists {
        /// The listing.
        listing: ListingId,
    },
    /// An edit tried to change a listing's SKU, which identifies it to the seller.
    #[error("listing {listing} has SKU '{sku}'; an edit may not change it to '{given}'")]
    SkuChanged {
        /// The listing.
        listing: ListingId,
        /// Its SKU.
        sku: Sku,
        /// The SKU the edit carried.
        given: Sku,
    },
    /// A price edit is invalid.
    #[error("listing {listing}: {reason}")]
    InvalidPrice {
        /// The listing.
        listing: ListingId,
        /// What is wrong with the price.
        reason: String,
    },
    /// A command that changes nothing (a price edit to the same price).
    #[error("listing {listing}: {what} is unchanged")]
    Unchanged {
        /// The listing.
        listing: ListingId,
        /// What would not change.
        what: &'static str,
    },
    /// A review rejection must say why.
    #[error("rejecting listing {listing} needs at least one reason")]
    NoRejectionReason {
        /// The listing.
        listing: ListingId,
    },
    /// Reading an import file failed (an I/O error from the caller's reader).
    #[error("reading the import failed at data row {row}: {message}")]
    ImportIo {
        /// The 1-based data row reached when reading failed.
        row: usize,
        /// The underlying error.
        message: String,
    },
    /// An import file's header is unusable.
    #[error("import header is invalid: {reason}")]
    ImportHeader {
        /// What is wrong with it.
        reason: String,
    },
}
