//! What happened to a listing: the events the aggregate emits and folds.

use chrono::{DateTime, Utc};
use haat_core::{Actor, ListingId, Money, SellerId};
use serde::{Deserialize, Serialize};

use crate::{ListingContent, QualityReport};

/// Something that happened to a listing. Every event names the listing, its seller, who acted
/// and when; the JSON form (`{"type": "draft_created", ...}`) is stable and pinned by golden
/// files.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ListingEvent {
    /// A seller started a listing: the draft content, not yet checked.
    DraftCreated {
        /// The listing.
        listing: ListingId,
        /// Its seller.
        seller: SellerId,
        /// Who created it.
        actor: Actor,
        /// When.
        at: DateTime<Utc>,
        /// The draft content.
        content: ListingContent,
    },
    /// The working copy was replaced: a draft edited, or, for a listing that has a live version,
    /// a revision proposed (the live version stays as it is until the revision passes review).
    ContentEdited {
        /// The listing.
        listing: ListingId,
        /// Its seller.
        seller: SellerId,
        /// Who edited.
        actor: Actor,
        /// When.
        at: DateTime<Utc>,
        /// The new working content.
        content: ListingContent,
    },
    /// The price (and MRP) changed, on the live version and on any working copy alike.
    PriceChanged {
        /// The listing.
        listing: ListingId,
        /// Its seller.
        seller: SellerId,
        /// Who changed it.
        actor: Actor,
        /// When.
        at: DateTime<Utc>,
        /// The new tax-inclusive selling price.
        price: Money,
        /// The new MRP, if any.
        mrp: Option<Money>,
    },
    /// The working copy passed the automatic checks (perhaps with warnings) and waits for
    /// operations review.
    SubmittedForReview {
        /// The listing.
        listing: ListingId,
        /// Its seller.
        seller: SellerId,
        /// Who submitted.
        actor: Actor,
        /// When.
        at: DateTime<Utc>,
        /// The automatic checks' report: no errors, perhaps warnings, and the score.
        report: QualityReport,
    },
    /// The working copy failed the automatic checks; the report lists every problem.
    QualityCheckFailed {
        /// The listing.
        listing: ListingId,
        /// Its seller.
        seller: SellerId,
        /// Who submitted.
        actor: Actor,
        /// When.
        at: DateTime<Utc>,
        /// Every problem found.
        report: QualityReport,
    },
    /// Operations passed the working copy: it is now the listing's approved (live) content.
    ReviewPassed {
        /// The listing.
        listing: ListingId,
        /// Its seller.
        seller: SellerId,
        /// The reviewer.
        actor: Actor,
        /// When.
        at: DateTime<Utc>,
        /// The content that is now approved (what buyers see once the listing is active).
        content: ListingContent,
    },
    /// Operations rejected the working copy, saying why; the seller may edit and resubmit.
    ReviewRejected {
        /// The listing.
        listing: ListingId,
        /// Its seller.
        seller: SellerId,
        /// The reviewer.
        actor: Actor,
        /// When.
        at: DateTime<Utc>,
        /// Why, in the reviewer's words.
        reasons: Vec<String>,
    },
    /// The listing went live: buyers can find and buy it.
    Activated {
        /// The listing.
        listing: ListingId,
        /// Its seller.
        seller: SellerId,
        /// Who activated it.
        actor: Actor,
        /// When.
        at: DateTime<Utc>,
    },
    /// The listing was taken off sale (it can be activated again).
    Deactivated {
        /// The listing.
        listing: ListingId,
        /// Its seller.
        seller: SellerId,
        /// Who deactivated it.
        actor: Actor,
        /// When.
        at: DateTime<Utc>,
    },
    /// The listing was archived for good; no command applies to it any more.
    Archived {
        /// The listing.
        listing: ListingId,
        /// Its seller.
        seller: SellerId,
        /// Who archived it.
        actor: Actor,
        /// When.
        at: DateTime<Utc>,
    },
}

impl ListingEvent {
    /// The listing the event is about.
    pub fn listing(&self) -> ListingId {
        self.header().0
    }

    /// The listing's seller.
    pub fn seller(&self) -> SellerId {
        self.header().1
    }

    /// Who acted.
    pub fn actor(&self) -> Actor {
        self.header().2
    }

    /// When it happened.
    pub fn at(&self) -> DateTime<Utc> {
        self.header().3
    }

    /// The event's name as it appears in JSON (`draft_created`, ...).
    pub fn kind(&self) -> &'static str {
        match self {
            ListingEvent::DraftCreated { .. } => "draft_created",
            ListingEvent::ContentEdited { .. } => "content_edited",
            ListingEvent::PriceChanged { .. } => "price_changed",
            ListingEvent::SubmittedForReview { .. } => "submitted_for_review",
            ListingEvent::QualityCheckFailed { .. } => "quality_check_failed",
            ListingEvent::ReviewPassed { .. } => "review_passed",
            ListingEvent::ReviewRejected { .. } => "review_rejected",
            ListingEvent::Activated { .. } => "activated",
            ListingEvent::Deactivated { .. } => "deactivated",
            ListingEvent::Archived { .. } => "archived",
        }
    }

    fn header(&self) -> (ListingId, SellerId, Actor, DateTime<Utc>) {
        match self {
            ListingEvent::DraftCreated {
                listing,
                seller,
                actor,
                at,
                ..
            }
            | ListingEvent::ContentEdited {
                listing,
                seller,
                actor,
                at,
                ..
            }
            | ListingEvent::PriceChanged {
                listing,
                seller,
                actor,
                at,
                ..
            }
            | ListingEvent::SubmittedForReview {
                listing,
                seller,
                actor,
                at,
                ..
            }
            | ListingEvent::QualityCheckFailed {
                listing,
                seller,
                actor,
                at,
                ..
            }
            | ListingEvent::ReviewPassed {
                listing,
                seller,
                actor,
                at,
                ..
            }
            | ListingEvent::ReviewRejected {
                listing,
                seller,
                actor,
                at,
                ..
            }
            | ListingEvent::Activated {
                listing,
                seller,
                actor,
                at,
            }
            | ListingEvent::Deactivated {
                listing,
                seller,
                actor,
                at,
            }
            | ListingEvent::Archived {
                listing,
                seller,
                actor,
                at,
            } => (*listing, *seller, *actor, *at),
        }
    }
}
