//! A small, fast, non-cryptographic hasher for the crates' internal maps.
//!
//! The keys haat hashes on hot paths are its own: dense ids, idempotency keys the caller already
//! made unique, stock keys, category paths and search terms from reviewed listings. Nothing there
//! lets an outsider pick keys to collide a table beyond what a service admits, and SipHash's
//! per-lookup cost is a large share of a reservation or a quality check. This is the
//! multiply-rotate scheme of rustc's `FxHasher`, written out in a few lines instead of taking a
//! dependency, and shared here so that every crate uses the same one.

use std::hash::{BuildHasherDefault, Hasher};

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// A multiply-rotate hasher: the scheme of rustc's `FastHasher`.
///
/// ```
/// use haat_core::{FastHashMap, SellerId};
/// let mut sellers: FastHashMap<SellerId, &str> = FastHashMap::default();
/// sellers.insert(SellerId::new(1), "Phulia Tant Saree Ghar");
/// assert_eq!(sellers[&SellerId::new(1)], "Phulia Tant Saree Ghar");
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct FastHasher {
    hash: u64,
}

impl FastHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_u128(&mut self, i: u128) {
        self.add(i as u64);
        self.add((i >> 64) as u64);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        // hashbrown takes its control bits from the top of the hash; fold the well-mixed high
        // bits down too so both ends are usable.
        self.hash ^ (self.hash >> 29)
    }
}

/// Builds [`FastHasher`]s.
pub type FastBuildHasher = BuildHasherDefault<FastHasher>;

/// A `HashMap` with the fast hasher.
pub type FastHashMap<K, V> = std::collections::HashMap<K, V, FastBuildHasher>;
