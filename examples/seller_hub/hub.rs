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
use haat_store::{EventStore, MetricsProjection, StoredEvent};

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
    pub metrics: Mutex<MetricsProjection>,
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
    /// The counters past every id of `store`'s streams.
    pub fn scan(store: &dyn EventStore) -> Result<Ids, String> {
        let ids = Ids::default();
        let mut after = 0;
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

    /// Brings the metrics projection up to date with the store (saving its checkpoint) and
    /// answers `read` of it.
    pub fn with_metrics<T>(
        &self,
        read: impl FnOnce(&MetricsProjection) -> T,
    ) -> Result<T, Problem> {
        let mut projection = self
            .metrics
            .lock()
            .map_err(|_| Problem::internal("the metrics projection's lock is poisoned"))?;
        projection
            .catch_up(&*self.store, 2_000)
            .map_err(|e| Problem::internal(e.to_string()))?;
        Ok(read(&projection))
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
