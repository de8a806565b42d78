//! What an actor asks of a listing.

use haat_core::{Actor, ListingId, Money, SellerId};
use serde::{Deserialize, Serialize};

use crate::ListingContent;

/// A request to change a listing. Every command names the actor behind it and the listing.
///
/// Who may do what: the owning seller creates, edits, prices and submits its listings;
/// operations staff pass or reject reviews; the seller or the marketplace (operations or the
/// system) activates, deactivates and archives.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ListingCommand {
    /// Start a listing as a draft. The SKU (in the content) must be new for the seller.
    CreateDraft {
        /// Who asks.
        actor: Actor,
        /// The new listing's id.
        listing: ListingId,
        /// The seller it belongs to.
        seller: SellerId,
        /// The draft content.
        content: ListingContent,
    },
    /// Replace the working content: a draft's, or (for a listing with an approved version) a
    /// revision, which leaves the live version live until it passes review.
    EditContent {
        /// Who asks.
        actor: Actor,
        /// The listing.
        listing: ListingId,
        /// The new content (same SKU).
        content: ListingContent,
    },
    /// Change the price and MRP, with immediate effect on the live version.
    EditPrice {
        /// Who asks.
        actor: Actor,
        /// The listing.
        listing: ListingId,
        /// The new tax-inclusive selling price.
        price: Money,
        /// The new MRP.
        mrp: Option<Money>,
    },
    /// Run the automatic checks on the working content and, if they pass, queue it for review.
    SubmitForReview {
        /// Who asks.
        actor: Actor,
        /// The listing.
        listing: ListingId,
    },
    /// Operations: approve the content under review.
    PassReview {
        /// Who asks.
        actor: Actor,
        /// The listing.
        listing: ListingId,
    },
    /// Operations: send the content under review back to the seller, saying why.
    RejectReview {
        /// Who asks.
        actor: Actor,
        /// The listing.
        listing: ListingId,
        /// Why, for the seller (at least one).
        reasons: Vec<String>,
    },
    /// Put an approved or deactivated listing on sale.
    Activate {
        /// Who asks.
        actor: Actor,
        /// The listing.
        listing: ListingId,
    },
    /// Take an active listing off sale.
    Deactivate {
        /// Who asks.
        actor: Actor,
        /// The listing.
        listing: ListingId,
    },
    /// Retire the listing for good.
    Archive {
        /// Who asks.
        actor: Actor,
        /// The listing.
        listing: ListingId,
    },
}

impl ListingCommand {
    /// Who asks.
    pub fn actor(&self) -> Actor {
        match self {
            ListingCommand::CreateDraft { actor, .. }
            | ListingCommand::EditContent { actor, .. }
            | ListingCommand::EditPrice { actor, .. }
            | ListingCommand::SubmitForReview { actor, .. }
            | ListingCommand::PassReview { actor, .. }
            | ListingCommand::RejectReview { actor, .. }
            | ListingCommand::Activate { actor, .. }
            | ListingCommand::Deactivate { actor, .. }
            | ListingCommand::Archive { actor, .. } => *actor,
        }
    }

    /// The listing it is about.
    pub fn listing(&self) -> ListingId {
        match self {
            ListingCommand::CreateDraft { listing, .. }
            | ListingCommand::EditContent { listing, .. }
            | ListingCommand::EditPrice { listing, .. }
            | ListingCommand::SubmitForReview { listing, .. }
            | ListingCommand::PassReview { listing, .. }
            | ListingCommand::RejectReview { listing, .. }
            | ListingCommand::Activate { listing, .. }
            | ListingCommand::Deactivate { listing, .. }
            | ListingCommand::Archive { listing, .. } => *listing,
        }
    }

    /// What it asks, in words, for error messages (`edit the content of`, ...).
    pub fn action(&self) -> &'static str {
        match self {
            ListingCommand::CreateDraft { .. } => "create",
            ListingCommand::EditContent { .. } => "edit the content of",
            ListingCommand::EditPrice { .. } => "edit the price of",
            ListingCommand::SubmitForReview { .. } => "submit for review",
            ListingCommand::PassReview { .. } => "pass the review of",
            ListingCommand::RejectReview { .. } => "reject the review of",
            ListingCommand::Activate { .. } => "activate",
            ListingCommand::Deactivate { .. } => "deactivate",
            ListingCommand::Archive { .. } => "archive",
        }
    }
}
