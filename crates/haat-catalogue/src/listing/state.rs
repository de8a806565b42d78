//! The state of one listing, and how it decides and evolves.

use chrono::{DateTime, Utc};
use haat_core::{ListingId, Money, SellerId, Sku};
use serde::{Deserialize, Serialize};

use crate::{
    Error, ListingCommand, ListingContent, ListingEvent, QualityReport, Taxonomy, check_listing,
};

/// Where a listing is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListingStatus {
    /// Never approved: only a working copy exists.
    Draft,
    /// Approved by review, not yet on sale.
    Approved,
    /// On sale.
    Active,
    /// Taken off sale; can be activated again.
    Inactive,
    /// Retired for good.
    Archived,
}

impl ListingStatus {
    /// The status in words (`draft`, `active`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            ListingStatus::Draft => "draft",
            ListingStatus::Approved => "approved",
            ListingStatus::Active => "active",
            ListingStatus::Inactive => "inactive",
            ListingStatus::Archived => "archived",
        }
    }
}

/// Where the working copy (a draft, or a revision of an approved listing) is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum RevisionStage {
    /// Being edited; not yet submitted.
    Editing,
    /// Submitted, and the automatic checks found errors.
    ChecksFailed {
        /// What they found.
        report: QualityReport,
    },
    /// Passed the automatic checks; waiting for operations.
    InReview {
        /// The checks' report (warnings and score).
        report: QualityReport,
    },
    /// Operations sent it back.
    Rejected {
        /// Why.
        reasons: Vec<String>,
    },
}

/// One listing: its identity, status, the approved (live) content and any working copy.
///
/// A listing is a decider: [`decide`](Listing::decide) turns a command into events (or a typed
/// error, emitting nothing), [`apply`](Listing::apply) folds an event in, and
/// [`replay`](Listing::replay) rebuilds the state from its events.
///
/// Content lives in two places. `live` is the approved version (what buyers see when active);
/// `content` is the latest version, which differs from `live` while a draft or revision is on
/// its way through the checks and review ([`stage`](Listing::stage) says where). Editing an active
/// listing creates a working copy and leaves the live version on sale; passing review swaps the
/// working copy in. Price edits apply to both at once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listing {
    id: ListingId,
    seller: SellerId,
    sku: Sku,
    status: ListingStatus,
    content: ListingContent,
    live: Option<ListingContent>,
    stage: Option<RevisionStage>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl Listing {
    /// The listing's id.
    pub fn id(&self) -> ListingId {
        self.id
    }

    /// Its seller.
    pub fn seller(&self) -> SellerId {
        self.seller
    }

    /// The seller's SKU for it.
    pub fn sku(&self) -> &Sku {
        &self.sku
    }

    /// Where it is in its life.
    pub fn status(&self) -> ListingStatus {
        self.status
    }

    /// The approved content, if any version has passed review.
    pub fn live(&self) -> Option<&ListingContent> {
        self.live.as_ref()
    }

    /// Where the working copy (a draft, or a revision of the live version) is; `None` when
    /// nothing is pending and [`content`](Listing::content) is the live version.
    pub fn stage(&self) -> Option<&RevisionStage> {
        self.stage.as_ref()
    }

    /// The most recent content: the working copy if one is pending, else the live version.
    pub fn content(&self) -> &ListingContent {
        &self.content
    }

    /// Whether buyers can find and buy it.
    pub fn is_active(&self) -> bool {
        self.status == ListingStatus::Active
    }

    /// When it was created.
    pub fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }

    /// When it last changed.
    pub fn updated_at(&self) -> DateTime<Utc> {
        self.updated_at
    }

    /// Starts a listing from its first event.
    ///
    /// Returns `None` unless `event` is [`ListingEvent::DraftCreated`].
    pub fn from_created(event: &ListingEvent) -> Option<Listing> {
        match event {
            ListingEvent::DraftCreated {
                listing,
                seller,
                at,
                content,
                ..
            } => Some(Listing {
                id: *listing,
                seller: *seller,
                sku: content.sku.clone(),
                status: ListingStatus::Draft,
                content: content.clone(),
                live: None,
                stage: Some(RevisionStage::Editing),
                created_at: *at,
                updated_at: *at,
            }),
            _ => None,
        }
    }

    /// Rebuilds a listing from its events, the first of which must be `DraftCreated`.
    pub fn replay<'a>(events: impl IntoIterator<Item = &'a ListingEvent>) -> Option<Listing> {
        let mut events = events.into_iter();
        let mut listing = Listing::from_created(events.next()?)?;
        for event in events {
            listing.apply(event);
        }
        Some(listing)
    }

    /// Decides what a command does to this listing, with the taxonomy the automatic checks use.
    ///
    /// Creation is decided by [`Catalogue::decide`](crate::Catalogue::decide), which sees the
    /// seller's other SKUs; here `CreateDraft` is refused with [`Error::ListingExists`].
    ///
    /// Submitting content that fails the automatic checks is *not* an error: it emits
    /// [`ListingEvent::QualityCheckFailed`] with every problem, so the seller's history (and the
    /// marketplace's funnel metrics) record the attempt.
    ///
    /// # Errors
    /// [`Error::Forbidden`] when the actor may not act (checked before anything else, so a
    /// stranger learns nothing of the listing); [`Error::InvalidTransition`] when the
    /// command does not fit the status; [`Error::WrongListing`], [`Error::SkuChanged`],
    /// [`Error::InvalidPrice`], [`Error::Unchanged`], [`Error::NoRejectionReason`] as named.
    pub fn decide(
        &self,
        command: &ListingCommand,
        taxonomy: &Taxonomy,
        now: DateTime<Utc>,
    ) -> Result<Vec<ListingEvent>, Error> {
        if command.listing() != self.id {
            return Err(Error::WrongListing {
                expected: self.id,
                given: command.listing(),
            });
        }
        let actor = command.actor();
        let (listing, seller, at) = (self.id, self.seller, now);
        authorise(command, seller)?;
        let invalid = |status: &'static str| Error::InvalidTransition {
            listing,
            status,
            action: command.action(),
        };
        if let ListingCommand::CreateDraft { .. } = command {
            return Err(Error::ListingExists { listing });
        }
        if self.status == ListingStatus::Archived {
            return Err(invalid("archived"));
        }
        let event = match command {
            ListingCommand::CreateDraft { .. } => return Err(Error::ListingExists { listing }),
            ListingCommand::EditContent { content, .. } => {
                if content.sku != self.sku {
                    return Err(Error::SkuChanged {
                        listing,
                        sku: self.sku.clone(),
                        given: content.sku.clone(),
                    });
                }
                if content == self.content() {
                    return Err(Error::Unchanged {
                        listing,
                        what: "content",
                    });
                }
                ListingEvent::ContentEdited {
                    listing,
                    seller,
                    actor,
                    at,
                    content: content.clone(),
                }
            }
            ListingCommand::EditPrice { price, mrp, .. } => {
                self.check_price(*price, *mrp, taxonomy)?;
                let current = self.content();
                if current.price == *price && current.mrp == *mrp {
                    return Err(Error::Unchanged {
                        listing,
                        what: "price",
                    });
                }
                ListingEvent::PriceChanged {
                    listing,
                    seller,
                    actor,
                    at,
                    price: *price,
                    mrp: *mrp,
                }
            }
            ListingCommand::SubmitForReview { .. } => {
                match &self.stage {
                    None => return Err(invalid("without changes to submit")),
                    Some(RevisionStage::InReview { .. }) => return Err(invalid("in review")),
                    Some(_) => {}
                }
                let report = check_listing(&self.content, taxonomy);
                if report.passes() {
                    ListingEvent::SubmittedForReview {
                        listing,
                        seller,
                        actor,
                        at,
                        report,
                    }
                } else {
                    ListingEvent::QualityCheckFailed {
                        listing,
                        seller,
                        actor,
                        at,
                        report,
                    }
                }
            }
            ListingCommand::PassReview { .. } | ListingCommand::RejectReview { .. } => {
                let Some(RevisionStage::InReview { .. }) = &self.stage else {
                    return Err(invalid("not in review"));
                };
                match command {
                    ListingCommand::RejectReview { reasons, .. } => {
                        let reasons: Vec<String> = reasons
                            .iter()
                            .map(|r| r.trim())
                            .filter(|r| !r.is_empty())
                            .map(str::to_owned)
                            .collect();
                        if reasons.is_empty() {
                            return Err(Error::NoRejectionReason { listing });
                        }
                        ListingEvent::ReviewRejected {
                            listing,
                            seller,
                            actor,
                            at,
                            reasons,
                        }
                    }
                    _ => ListingEvent::ReviewPassed {
                        listing,
                        seller,
                        actor,
                        at,
                        content: self.content.clone(),
                    },
                }
            }
            ListingCommand::Activate { .. } => match self.status {
                ListingStatus::Approved | ListingStatus::Inactive => ListingEvent::Activated {
                    listing,
                    seller,
                    actor,
                    at,
                },
                status => return Err(invalid(status.as_str())),
            },
            ListingCommand::Deactivate { .. } => match self.status {
                ListingStatus::Active => ListingEvent::Deactivated {
                    listing,
                    seller,
                    actor,
                    at,
                },
                status => return Err(invalid(status.as_str())),
            },
            ListingCommand::Archive { .. } => ListingEvent::Archived {
                listing,
                seller,
                actor,
                at,
            },
        };
        Ok(vec![event])
    }

    fn check_price(
        &self,
        price: Money,
        mrp: Option<Money>,
        taxonomy: &Taxonomy,
    ) -> Result<(), Error> {
        let invalid = |reason: String| Error::InvalidPrice {
            listing: self.id,
            reason,
        };
        if !price.is_positive() {
            return Err(invalid(format!("price ₹{price} must be more than zero")));
        }
        match mrp {
            Some(mrp) if price > mrp => {
                Err(invalid(format!("price ₹{price} is above the MRP ₹{mrp}")))
            }
            None if taxonomy
                .get(&self.content().category)
                .is_some_and(|c| c.is_packaged()) =>
            {
                Err(invalid("packaged goods must keep an MRP".to_owned()))
            }
            // The unit sale price printed beside the MRP must follow it.
            Some(mrp) => {
                let declared = self.content().packaged.as_deref();
                match declared.and_then(|d| d.unit_sale_price_mismatch(mrp)) {
                    Some(expected) => Err(invalid(format!(
                        "an MRP of ₹{mrp} makes the unit sale price {expected}, not the one declared; edit the declarations with the MRP"
                    ))),
                    None => Ok(()),
                }
            }
            _ => Ok(()),
        }
    }

    /// Folds one event into the state. Infallible: an event for another listing is ignored.
    pub fn apply(&mut self, event: &ListingEvent) {
        if event.listing() != self.id {
            return;
        }
        self.updated_at = event.at();
        match event {
            ListingEvent::DraftCreated { .. } => {}
            ListingEvent::ContentEdited { content, .. } => {
                self.content = content.clone();
                self.stage = Some(RevisionStage::Editing);
            }
            ListingEvent::PriceChanged { price, mrp, .. } => {
                if let Some(live) = &mut self.live {
                    live.price = *price;
                    live.mrp = *mrp;
                }
                self.content.price = *price;
                self.content.mrp = *mrp;
            }
            ListingEvent::SubmittedForReview { report, .. } => {
                if self.stage.is_some() {
                    self.stage = Some(RevisionStage::InReview {
                        report: report.clone(),
                    });
                }
            }
            ListingEvent::QualityCheckFailed { report, .. } => {
                if self.stage.is_some() {
                    self.stage = Some(RevisionStage::ChecksFailed {
                        report: report.clone(),
                    });
                }
            }
            ListingEvent::ReviewPassed { content, .. } => {
                self.live = Some(content.clone());
                self.content = content.clone();
                self.stage = None;
                if self.status == ListingStatus::Draft {
                    self.status = ListingStatus::Approved;
                }
            }
            ListingEvent::ReviewRejected { reasons, .. } => {
                if self.stage.is_some() {
                    self.stage = Some(RevisionStage::Rejected {
                        reasons: reasons.clone(),
                    });
                }
            }
            ListingEvent::Activated { .. } => self.status = ListingStatus::Active,
            ListingEvent::Deactivated { .. } => self.status = ListingStatus::Inactive,
            ListingEvent::Archived { .. } => self.status = ListingStatus::Archived,
        }
    }
}

/// Whether `command`'s actor may ask it of a listing that `owner` owns (or is to own, for a new
/// draft): the one home of the listing's authorisation rules, checked before any other, so a
/// refusal says nothing about the listing.
///
/// The owning seller creates, edits, prices and submits; operations staff pass or reject
/// reviews; the owner or the marketplace (operations or the system) activates, deactivates and
/// archives.
pub(crate) fn authorise(command: &ListingCommand, owner: SellerId) -> Result<(), Error> {
    let actor = command.actor();
    let allowed = match command {
        ListingCommand::CreateDraft { seller, .. } => {
            *seller == owner && actor.seller() == Some(owner)
        }
        ListingCommand::EditContent { .. }
        | ListingCommand::EditPrice { .. }
        | ListingCommand::SubmitForReview { .. } => actor.seller() == Some(owner),
        ListingCommand::PassReview { .. } | ListingCommand::RejectReview { .. } => {
            actor.is_operations()
        }
        ListingCommand::Activate { .. }
        | ListingCommand::Deactivate { .. }
        | ListingCommand::Archive { .. } => actor.may_act_for(owner),
    };
    if allowed {
        Ok(())
    } else {
        Err(Error::Forbidden {
            actor,
            action: command.action(),
            listing: command.listing(),
        })
    }
}
