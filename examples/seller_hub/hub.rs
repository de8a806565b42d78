//! The service's state: the store, what deciding reads besides it (the taxonomy, the
//! fulfilment network), the projections the pages and search read, the id counters, the API
//! keys, and the one door to the store from async code (`Hub::blocking`).

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use haat::catalogue::{ListingEvent, SearchIndex, Taxonomy};
use haat::core::{Actor, SellerId, StaffId};
use haat::inventory::Network;
use haat::metrics::HaatEvent;
use haat_store::{EventStore, MetricsProjection, ProjectionError, StoredEvent};

use crate::problem::Problem;

/// Everything a request handler reads.
pub struct Hub {
    /// The event store (SQLite or PostgreSQL).
    pub store: Arc<dyn EventStore>,
    /// The categories listings are checked against.
    pub taxonomy: Arc<Taxonomy>,
    /// The fulfilment network checkout allocates from.
    pub network: Network,
    /// The impact metrics, kept current from the global stream.
    pub metrics: Mutex<MetricsFollower>,
    /// The listing search index, fed from the listing events of the global stream.
    pub search: Mutex<SearchFollower>,
    /// The next ids handed out for new sellers, listings, workshops and orders.
    pub ids: Ids,
    /// The keys requests carry.
    pub keys: Keys,
}

/// The search index and the position of the last event it has seen.
pub struct SearchFollower {
    /// The index.
    pub index: SearchIndex,
    /// The position of the last event read.
    pub position: u64,
}

impl SearchFollower {
    /// The index of every listing event `metrics` has folded, positioned where it stopped:
    /// the projection's saved inputs hold them all, so a start reads none of them again.
    pub fn from_metrics(taxonomy: &Taxonomy, metrics: &MetricsProjection) -> SearchFollower {
        let mut index = SearchIndex::with_taxonomy(taxonomy);
        for event in &metrics.inputs().events {
            if let HaatEvent::Listing(listing) = event {
                index.apply(listing);
            }
        }
        SearchFollower {
            index,
            position: metrics.position(),
        }
    }
}

/// Events folded into the metrics between saves of the projection's state.
///
/// The state holds every seller, workshop and listing event and every order line (tens of
/// megabytes for the small scenario the hub starts with), so writing it after every request
/// that read the metrics would cost more than the request. It is saved every this many events,
/// after the start's catch-up and at shutdown; after a crash the events since the last save are
/// folded again (the checkpoint is saved with the state, so none counts twice).
const SAVE_EVERY: u64 = 20_000;

/// The metrics projection, and how many events it has folded since its state was saved.
pub struct MetricsFollower {
    /// The projection.
    pub projection: MetricsProjection,
    unsaved: u64,
}

impl MetricsFollower {
    /// The projection as saved in `store`; from position 0 when the saved state is of
    /// another form (an older hub's), so the start folds every event again.
    pub fn load(store: &dyn EventStore) -> Result<MetricsFollower, String> {
        let projection = match MetricsProjection::load(store) {
            Ok(projection) => projection,
            Err(ProjectionError::State { reason, .. }) => {
                tracing::warn!(%reason, "the saved metrics do not read: rebuilding them");
                MetricsProjection::default()
            }
            Err(e) => return Err(e.to_string()),
        };
        Ok(MetricsFollower {
            projection,
            unsaved: 0,
        })
    }

    /// Folds every event after the checkpoint; saves the state once `SAVE_EVERY` events wait
    /// unsaved, or whenever `save` asks. Answers how many events were folded.
    pub fn catch_up(&mut self, store: &dyn EventStore, save: bool) -> Result<u64, String> {
        let mut folded = 0;
        loop {
            let events = store
                .read_all(self.projection.position(), 5_000)
                .map_err(|e| e.to_string())?;
            if events.is_empty() {
                break;
            }
            for event in &events {
                self.projection.fold(event).map_err(|e| e.to_string())?;
            }
            folded += events.len() as u64;
        }
        self.unsaved += folded;
        if self.unsaved >= SAVE_EVERY || (save && self.unsaved > 0) {
            self.projection.save(store).map_err(|e| e.to_string())?;
            self.unsaved = 0;
        }
        Ok(folded)
    }
}

/// Counters for new aggregates' ids, started past the highest id in the store. A counter
/// that runs into an id another instance took meets `StreamExists` and takes the next.
#[derive(Default)]
pub struct Ids {
    pub seller: AtomicU64,
    pub listing: AtomicU64,
    pub workshop: AtomicU64,
    pub order: AtomicU64,
}

impl Ids {
    /// The counters past every id `metrics` has seen, then past every id of the streams
    /// written after its checkpoint. Every seller, workshop and listing stream begins with an
    /// event the projection keeps, and every order stream with the placement it keeps as the
    /// order's lines, so a start reads only the events the projection has not folded.
    pub fn scan(store: &dyn EventStore, metrics: &MetricsProjection) -> Result<Ids, String> {
        let ids = Ids::default();
        let inputs = metrics.inputs();
        for event in &inputs.events {
            match event {
                HaatEvent::Seller(e) => ids.seller.fetch_max(e.seller().get(), Ordering::Relaxed),
                HaatEvent::Workshop(e) => ids
                    .workshop
                    .fetch_max(e.workshop().get(), Ordering::Relaxed),
                HaatEvent::Listing(e) => {
                    ids.listing.fetch_max(e.listing().get(), Ordering::Relaxed)
                }
                _ => 0,
            };
        }
        if let Some(order) = inputs.orders.keys().next_back() {
            ids.order.fetch_max(*order, Ordering::Relaxed);
        }
        let mut after = metrics.position();
        loop {
            let events = store.read_all(after, 5_000).map_err(|e| e.to_string())?;
            let Some(last) = events.last() else {
                return Ok(ids);
            };
            after = last.position;
            for event in &events {
                ids.see(event);
            }
        }
    }

    fn see(&self, event: &StoredEvent) {
        let Ok(id) = event.stream.id().parse::<u64>() else {
            return;
        };
        let counter = match event.stream.kind() {
            "seller" => &self.seller,
            "listing" => &self.listing,
            "workshop" => &self.workshop,
            "order" => &self.order,
            _ => return,
        };
        counter.fetch_max(id, Ordering::Relaxed);
    }

    /// The next id of `counter`.
    pub fn next(counter: &AtomicU64) -> u64 {
        counter.fetch_add(1, Ordering::Relaxed).saturating_add(1)
    }
}

/// The API keys: one for operations staff, and one per seller derived from a secret, so a
/// seller's key needs no table and survives restarts.
pub struct Keys {
    staff: String,
    secret: String,
}

impl Keys {
    /// Keys from the staff key and the secret sellers' keys derive from.
    pub fn new(staff: String, secret: String) -> Keys {
        Keys { staff, secret }
    }

    /// Seller `seller`'s key: `seller-<id>-<16 hex digits>`.
    ///
    /// The digits are a keyed SipHash of the id; an example's keys, not a production
    /// scheme (a real service keeps keys hashed in its own table and lets sellers rotate them).
    pub fn seller_key(&self, seller: SellerId) -> String {
        let mut hasher = DefaultHasher::new();
        self.secret.hash(&mut hasher);
        seller.get().hash(&mut hasher);
        format!("seller-{}-{:016x}", seller.get(), hasher.finish())
    }

    /// The actor a key stands for.
    pub fn actor(&self, key: &str) -> Option<Actor> {
        if key == self.staff {
            return Some(Actor::Operations(StaffId::new(1)));
        }
        let rest = key.strip_prefix("seller-")?;
        let (id, _) = rest.split_once('-')?;
        let seller = SellerId::new(id.parse().ok()?);
        (self.seller_key(seller) == key).then_some(Actor::Seller(seller))
    }
}

impl Hub {
    /// Runs `work` on the blocking pool: the store is synchronous and must never block the
    /// runtime's threads.
    pub async fn blocking<T, F>(self: &Arc<Self>, work: F) -> Result<T, Problem>
    where
        T: Send + 'static,
        F: FnOnce(&Hub) -> Result<T, Problem> + Send + 'static,
    {
        let hub = Arc::clone(self);
        tokio::task::spawn_blocking(move || work(&hub))
            .await
            .map_err(|e| Problem::internal(format!("a blocking task failed: {e}")))?
    }

    /// Brings the metrics projection up to date with the store (saving its state and
    /// checkpoint every so often) and answers `read` of it.
    pub fn with_metrics<T>(
        &self,
        read: impl FnOnce(&MetricsProjection) -> T,
    ) -> Result<T, Problem> {
        let mut follower = self
            .metrics
            .lock()
            .map_err(|_| Problem::internal("the metrics projection's lock is poisoned"))?;
        follower
            .catch_up(&*self.store, false)
            .map_err(Problem::internal)?;
        Ok(read(&follower.projection))
    }

    /// Folds what the metrics have not seen and saves their state: at shutdown, so the next
    /// start reads nothing again.
    pub fn save_metrics(&self) -> Result<(), String> {
        let mut follower = self
            .metrics
            .lock()
            .map_err(|_| "the metrics projection's lock is poisoned".to_owned())?;
        follower.catch_up(&*self.store, true).map(|_| ())
    }

    /// Brings the search index up to date and answers `read` of it.
    pub fn with_search<T>(&self, read: impl FnOnce(&SearchIndex) -> T) -> Result<T, Problem> {
        let mut follower = self
            .search
            .lock()
            .map_err(|_| Problem::internal("the search index's lock is poisoned"))?;
        loop {
            let events = self
                .store
                .read_all(follower.position, 2_000)
                .map_err(|e| Problem::internal(e.to_string()))?;
            let Some(last) = events.last() else {
                break;
            };
            let last = last.position;
            for event in events.iter().filter(|e| e.stream.kind() == "listing") {
                if let Ok(listing) = serde_json::from_value::<ListingEvent>(event.payload.clone()) {
                    follower.index.apply(&listing);
                }
            }
            follower.position = last;
        }
        Ok(read(&follower.index))
    }
}

/// The service's clock: the one place the hub reads the time, which every command is
/// decided at (the domain crates take `now` as an argument).
#[allow(clippy::disallowed_methods)]
pub fn now() -> DateTime<Utc> {
    DateTime::<Utc>::from(std::time::SystemTime::now())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// A seller's key stands for that seller and no other; a key changed in any one
        /// character stands for nobody; the staff key stands for staff.
        #[test]
        fn a_key_acts_only_as_its_seller(
            id in 1u64..u64::MAX,
            secret in "[a-z0-9-]{1,24}",
            at in 0usize..40,
        ) {
            let keys = Keys::new("staff-key".into(), secret);
            let seller = SellerId::new(id);
            let key = keys.seller_key(seller);
            prop_assert_eq!(keys.actor(&key), Some(Actor::Seller(seller)));
            let mut changed: Vec<char> = key.chars().collect();
            let i = at % changed.len();
            changed[i] = if changed[i] == '0' { '1' } else { '0' };
            let changed: String = changed.into_iter().collect();
            prop_assert!(keys.actor(&changed).is_none_or(|a| a == Actor::Seller(seller) && changed == key));
            let other = keys.seller_key(SellerId::new(id.wrapping_add(1).max(1)));
            prop_assert_ne!(keys.actor(&other), Some(Actor::Seller(seller)));
            prop_assert_eq!(keys.actor("staff-key"), Some(Actor::Operations(StaffId::new(1))));
        }
    }
}
