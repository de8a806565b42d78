//! A listing's stream, `listing/<id>`: draft, checks, review, live, archived.
//!
//! `Listing` is serde, so its state is snapshotted. A listing does not exist before its
//! `DraftCreated` event, so the aggregate is [`ListingState`], `None` until then. Creation is
//! decided as the catalogue decides it, against an empty catalogue: the one rule an empty
//! catalogue cannot check, that a SKU is new for its seller, is the store's unique claim on
//! `sku` (`<seller>/<sku>`), written in the same transaction as the draft.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use haat_catalogue::{Catalogue, Error, Listing, ListingCommand, ListingEvent, Taxonomy};
use haat_core::ListingId;
use serde::{Deserialize, Serialize};

use super::Aggregate;
use crate::Claim;

/// A listing, or nothing before its draft was created.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ListingState(pub Option<Listing>);

impl Aggregate for ListingState {
    const KIND: &'static str = "listing";
    const SNAPSHOT_VERSION: Option<u32> = Some(1);

    type Id = ListingId;
    type Command = ListingCommand;
    type Event = ListingEvent;
    type Error = Error;
    /// The taxonomy the automatic checks read.
    type Context = Arc<Taxonomy>;

    fn belongs(id: &ListingId, command: &ListingCommand) -> bool {
        command.listing() == *id
    }

    fn decide(
        &self,
        taxonomy: &Arc<Taxonomy>,
        command: &ListingCommand,
        now: DateTime<Utc>,
    ) -> Result<Vec<ListingEvent>, Error> {
        match &self.0 {
            Some(listing) => listing.decide(command, taxonomy, now),
            None => Catalogue::new(Arc::clone(taxonomy)).decide(command, now),
        }
    }

    fn apply(&mut self, event: &ListingEvent) {
        match &mut self.0 {
            Some(listing) => listing.apply(event),
            None => self.0 = Listing::from_created(event),
        }
    }

    /// A SKU is unique per seller, archived listings included: the draft claims it.
    fn claims(event: &ListingEvent) -> Vec<Claim> {
        match event {
            ListingEvent::DraftCreated {
                seller, content, ..
            } => vec![Claim::new("sku", format!("{seller}/{}", content.sku))],
            _ => Vec::new(),
        }
    }

    fn snapshot(&self) -> Option<serde_json::Value> {
        serde_json::to_value(self).ok()
    }

    fn restore(state: &serde_json::Value) -> Option<Self> {
        serde_json::from_value(state.clone()).ok()
    }
}
