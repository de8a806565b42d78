//! Levels per key: the ledger's stock folded from movements alone, and compared with another
//! account of the same stock.

use std::collections::BTreeMap;

use super::StockLedger;
use crate::{Bucket, Movement, Quantities, StockKey};

/// Levels per key: what [`StockLedger::rebuild`] folds movements into, and what
/// [`StockLedger::reconcile`] compares with. Keys whose buckets are all zero are left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Levels(BTreeMap<StockKey, Quantities>);

impl Levels {
    /// The quantities of `key` (zero if absent).
    pub fn get(&self, key: &StockKey) -> Quantities {
        self.0.get(key).copied().unwrap_or_default()
    }

    /// Set the quantities of `key` (as a cache outside the ledger would hold them).
    pub fn set(&mut self, key: StockKey, quantities: Quantities) {
        if quantities.is_empty() {
            self.0.remove(&key);
        } else {
            self.0.insert(key, quantities);
        }
    }

    /// Set one bucket of `key`.
    pub fn set_bucket(&mut self, key: StockKey, bucket: Bucket, units: u64) {
        let mut q = self.get(&key);
        q.buckets[bucket as usize] = units;
        self.set(key, q);
    }

    /// Every key with stock, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&StockKey, &Quantities)> {
        self.0.iter()
    }

    /// How many keys have stock.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no key has stock.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The sum of every key's quantities, bucket by bucket (saturating).
    pub fn total(&self) -> Quantities {
        let mut total = Quantities::default();
        for q in self.0.values() {
            for (t, n) in total.buckets.iter_mut().zip(q.buckets) {
                *t = t.saturating_add(n);
            }
        }
        total
    }

    /// Fold one movement in (saturating: a fold of a ledger's own movements never clips).
    fn apply(&mut self, m: &Movement) {
        let q = self.0.entry(m.key.clone()).or_default();
        if let Some(b) = m.from {
            q.buckets[b as usize] = q.buckets[b as usize].saturating_sub(m.quantity);
        }
        if let Some(b) = m.to {
            q.buckets[b as usize] = q.buckets[b as usize].saturating_add(m.quantity);
        }
        if q.is_empty() {
            self.0.remove(&m.key);
        }
    }
}

/// A difference between the ledger and another account of the same stock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Discrepancy {
    /// Whose stock, where.
    pub key: StockKey,
    /// Which bucket.
    pub bucket: Bucket,
    /// The ledger's figure.
    pub ledger: u64,
    /// The other account's figure.
    pub other: u64,
}

impl StockLedger {
    /// The live levels of every key with stock.
    pub fn levels(&self) -> Levels {
        let mut levels = Levels::default();
        for (c, key) in self.keys.iter().enumerate() {
            levels.set(key.clone(), self.quantities_of(c as u32));
        }
        levels
    }

    /// Levels folded from movements alone: for the movements of a ledger, equal to its
    /// [`levels`](Self::levels).
    pub fn rebuild<'a>(movements: impl IntoIterator<Item = &'a Movement>) -> Levels {
        let mut levels = Levels::default();
        for m in movements {
            levels.apply(m);
        }
        levels
    }

    /// Every bucket where `other` (a cache's counters, a warehouse system's figures) differs
    /// from the ledger, in key and bucket order.
    pub fn reconcile(&self, other: &Levels) -> Vec<Discrepancy> {
        let mine = self.levels();
        let mut keys: Vec<&StockKey> = mine.0.keys().chain(other.0.keys()).collect();
        keys.sort();
        keys.dedup();
        let mut found = Vec::new();
        for key in keys {
            let (a, b) = (mine.get(key), other.get(key));
            for bucket in Bucket::ALL {
                if a.get(bucket) != b.get(bucket) {
                    found.push(Discrepancy {
                        key: key.clone(),
                        bucket,
                        ledger: a.get(bucket),
                        other: b.get(bucket),
                    });
                }
            }
        }
        found
    }
}
