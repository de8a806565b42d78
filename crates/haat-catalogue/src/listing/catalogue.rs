//! Listings held together, so that creation can see the seller's other SKUs.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use haat_core::{ListingId, SellerId, Sku};

use super::state::authorise;
use crate::{Error, Listing, ListingCommand, ListingEvent, Taxonomy};

/// The listings of one shard of the marketplace (one seller, or a set of sellers), with the
/// taxonomy their checks use and an index of `(seller, SKU)`.
///
/// A SKU is unique per seller, which no single listing can check: the catalogue decides
/// [`ListingCommand::CreateDraft`] against its index and routes every other command to the
/// listing's own [`Listing::decide`]. Shard by seller and the index stays local.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use haat_catalogue::{Catalogue, ListingCommand, ListingContent, Taxonomy};
/// use haat_core::{Actor, ListingId, SellerId};
///
/// let now = Utc.with_ymd_and_hms(2025, 10, 1, 5, 0, 0).unwrap();
/// let weaver = SellerId::new(7);
/// # let content: ListingContent = serde_json::from_str(r#"{
/// #     "title": "Handwoven Shantipuri cotton saree, red and white",
/// #     "description": "Woven on a pit loom in Shantipur, Nadia, with a fine 100-count weft.",
/// #     "category": "textiles/sarees/handloom/shantipuri",
/// #     "attributes": {"blouse_piece": true, "fabric": "cotton", "gi_name": "Santipore Saree",
/// #                    "gi_tag": true, "length_m": 5.5},
/// #     "images": ["https://img.example.in/shantipuri-1.jpg",
/// #                "https://img.example.in/shantipuri-2.jpg",
/// #                "https://img.example.in/shantipuri-3.jpg"],
/// #     "price": "2450.00", "mrp": "2800.00", "hsn": "5208", "sku": "SHP-RED-001"
/// # }"#)?;
/// let mut catalogue = Catalogue::new(Taxonomy::west_bengal_default());
/// let create = ListingCommand::CreateDraft {
///     actor: Actor::Seller(weaver),
///     listing: ListingId::new(1),
///     seller: weaver,
///     content: content.clone(),
/// };
/// let events = catalogue.decide(&create, now)?;
/// catalogue.apply_all(&events);
/// assert!(catalogue.has_sku(weaver, &"SHP-RED-001".parse()?));
///
/// // The same SKU again is refused, and nothing is emitted.
/// let again = ListingCommand::CreateDraft {
///     actor: Actor::Seller(weaver),
///     listing: ListingId::new(2),
///     seller: weaver,
///     content,
/// };
/// assert!(catalogue.decide(&again, now).is_err());
/// # Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Catalogue {
    taxonomy: Arc<Taxonomy>,
    listings: BTreeMap<ListingId, Listing>,
    skus: HashMap<(SellerId, Sku), ListingId>,
}

impl Catalogue {
    /// An empty catalogue checking listings against `taxonomy`.
    pub fn new(taxonomy: impl Into<Arc<Taxonomy>>) -> Catalogue {
        Catalogue {
            taxonomy: taxonomy.into(),
            listings: BTreeMap::new(),
            skus: HashMap::new(),
        }
    }

    /// Rebuilds a catalogue from events.
    pub fn replay<'a>(
        taxonomy: impl Into<Arc<Taxonomy>>,
        events: impl IntoIterator<Item = &'a ListingEvent>,
    ) -> Catalogue {
        let mut catalogue = Catalogue::new(taxonomy);
        for event in events {
            catalogue.apply(event);
        }
        catalogue
    }

    /// The taxonomy the checks use.
    pub fn taxonomy(&self) -> &Taxonomy {
        &self.taxonomy
    }

    /// One listing.
    pub fn get(&self, listing: ListingId) -> Option<&Listing> {
        self.listings.get(&listing)
    }

    /// Every listing, by id.
    pub fn listings(&self) -> impl Iterator<Item = &Listing> {
        self.listings.values()
    }

    /// How many listings there are.
    pub fn len(&self) -> usize {
        self.listings.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.listings.is_empty()
    }

    /// Whether `seller` already has a listing with `sku` (archived ones included: a SKU is
    /// never reused, so stock and order history keep pointing at one product).
    pub fn has_sku(&self, seller: SellerId, sku: &Sku) -> bool {
        self.skus.contains_key(&(seller, sku.clone()))
    }

    /// The listing `seller` holds under `sku`.
    pub fn by_sku(&self, seller: SellerId, sku: &Sku) -> Option<&Listing> {
        self.skus
            .get(&(seller, sku.clone()))
            .and_then(|id| self.listings.get(id))
    }

    /// Decides a command: creation against the SKU index, anything else by the listing.
    ///
    /// # Errors
    /// [`Error::Forbidden`] if a seller creates for another seller, or under the id of another
    /// seller's listing, or operations creates at all; [`Error::ListingExists`]; [`Error::DuplicateSku`]; [`Error::UnknownListing`]; and
    /// whatever [`Listing::decide`] refuses.
    pub fn decide(
        &self,
        command: &ListingCommand,
        now: DateTime<Utc>,
    ) -> Result<Vec<ListingEvent>, Error> {
        match command {
            ListingCommand::CreateDraft {
                actor,
                listing,
                seller,
                content,
            } => {
                // An id already taken belongs to its listing's seller, whoever asks.
                let existing = self.listings.get(listing);
                authorise(command, existing.map_or(*seller, Listing::seller))?;
                if existing.is_some() {
                    return Err(Error::ListingExists { listing: *listing });
                }
                if self.has_sku(*seller, &content.sku) {
                    return Err(Error::DuplicateSku {
                        seller: *seller,
                        sku: content.sku.clone(),
                    });
                }
                Ok(vec![ListingEvent::DraftCreated {
                    listing: *listing,
                    seller: *seller,
                    actor: *actor,
                    at: now,
                    content: content.clone(),
                }])
            }
            other => self
                .listings
                .get(&other.listing())
                .ok_or(Error::UnknownListing {
                    listing: other.listing(),
                })?
                .decide(other, &self.taxonomy, now),
        }
    }

    /// Folds one event in.
    pub fn apply(&mut self, event: &ListingEvent) {
        match event {
            ListingEvent::DraftCreated { .. } => {
                if let Some(listing) = Listing::from_created(event)
                    && !self.listings.contains_key(&listing.id())
                {
                    self.skus
                        .insert((listing.seller(), listing.sku().clone()), listing.id());
                    self.listings.insert(listing.id(), listing);
                }
            }
            other => {
                if let Some(listing) = self.listings.get_mut(&other.listing()) {
                    listing.apply(other);
                }
            }
        }
    }

    /// Folds events in, in order.
    pub fn apply_all<'a>(&mut self, events: impl IntoIterator<Item = &'a ListingEvent>) {
        for event in events {
            self.apply(event);
        }
    }

    /// Decides a command and, if accepted, applies its events; returns them.
    ///
    /// # Errors
    /// As [`Catalogue::decide`]; on error nothing changes.
    pub fn execute(
        &mut self,
        command: &ListingCommand,
        now: DateTime<Utc>,
    ) -> Result<Vec<ListingEvent>, Error> {
        let events = self.decide(command, now)?;
        self.apply_all(&events);
        Ok(events)
    }
}
