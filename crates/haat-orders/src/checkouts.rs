//! The order book's memory of checkout keys, bounded by a retention window.
//!
//! A retried checkout (same key, same cart) must answer its first outcome and place nothing,
//! so the book remembers each key with its cart, who asked, and the run of order ids it
//! placed (consecutive numbers); the book rebuilds the `OrderPlaced` events from those orders,
//! which it keeps anyway, rather than keeping a second copy of every order line here. Kept forever, that memory
//! grows with every cart a marketplace ever sold; so a service forgets keys older than a
//! retention window it chooses ([`OrderBook::forget_checkouts`](crate::OrderBook)), as payment
//! services do with their idempotency keys.
//!
//! Forgetting must not turn a late retry into a second order. A key that is no longer
//! remembered is judged by its age, which a time-ordered key carries: a UUIDv7 (RFC 9562)
//! holds the Unix time in milliseconds at which it was minted in its first 48 bits. Once the
//! book has forgotten anything, a checkout whose key is unknown is refused when the key was
//! minted before the forgotten horizon ([`Error::CheckoutKeyExpired`]), or when its age
//! cannot be read ([`Error::UndatedCheckoutKey`]): the book cannot tell whether such a key
//! was used before. A book that never forgets takes any key.
//!
//! A remembered key is kept until both its first checkout and its minting lie before the
//! horizon, so an unknown key minted on or after the horizon was never remembered, and is new.

use chrono::{DateTime, Duration, Utc};
use haat_core::{Actor, FastHashMap, OrderId};
use haat_inventory::IdempotencyKey;

use crate::{Cart, Error};

/// What the book remembers of one checkout.
#[derive(Clone, Debug)]
struct Remembered {
    /// The later of the first checkout's instant and the key's minting, in milliseconds.
    stamp: i64,
    cart: Cart,
    first: First,
}

/// A checkout's first outcome, as the book rebuilds it: `count` orders numbered from
/// `first_order`, placed for `by`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct First {
    pub(crate) by: Actor,
    pub(crate) first_order: OrderId,
    pub(crate) count: u32,
}

/// Checkout keys and their first outcomes.
#[derive(Clone, Debug, Default)]
pub(crate) struct Checkouts {
    keys: FastHashMap<IdempotencyKey, Remembered>,
    /// Keys first used before this instant may have been forgotten.
    horizon: Option<DateTime<Utc>>,
}

/// The instant a UUIDv7 key was minted, if the key is one (version 7, RFC 9562 variant).
pub(crate) fn minted_at(key: IdempotencyKey) -> Option<DateTime<Utc>> {
    let raw = key.get();
    let version = (raw >> 76) & 0xf;
    let variant = (raw >> 62) & 0b11;
    if version != 7 || variant != 0b10 {
        return None;
    }
    let millis = i64::try_from(raw >> 80).ok()?;
    DateTime::from_timestamp_millis(millis)
}

impl Checkouts {
    /// The first outcome of `key`, if remembered.
    ///
    /// # Errors
    /// [`Error::IdempotencyConflict`] if `key` was used for another cart;
    /// [`Error::CheckoutKeyExpired`] or [`Error::UndatedCheckoutKey`] for a key not
    /// remembered that may have been forgotten.
    pub(crate) fn recall(&self, key: IdempotencyKey, cart: &Cart) -> Result<Option<First>, Error> {
        if let Some(remembered) = self.keys.get(&key) {
            if remembered.cart != *cart {
                return Err(Error::IdempotencyConflict { key });
            }
            return Ok(Some(remembered.first));
        }
        let Some(horizon) = self.horizon else {
            return Ok(None);
        };
        match minted_at(key) {
            Some(minted) if minted < horizon => Err(Error::CheckoutKeyExpired {
                key,
                minted,
                forgotten_before: horizon,
            }),
            Some(_) => Ok(None),
            None => Err(Error::UndatedCheckoutKey { key }),
        }
    }

    /// Remembers `key`'s first outcome, checked out at `now`.
    pub(crate) fn remember(
        &mut self,
        key: IdempotencyKey,
        cart: &Cart,
        first: First,
        now: DateTime<Utc>,
    ) {
        let stamp = minted_at(key).map_or(now, |minted| minted.max(now));
        self.keys.insert(
            key,
            Remembered {
                stamp: stamp.timestamp_millis(),
                cart: cart.clone(),
                first,
            },
        );
    }

    /// Forgets the keys first used (and minted) before `now - retention`.
    pub(crate) fn forget(&mut self, now: DateTime<Utc>, retention: Duration) {
        let horizon = now
            .checked_sub_signed(retention)
            .unwrap_or(DateTime::<Utc>::MIN_UTC);
        // The horizon never moves back: a key forgotten stays judged as forgotten.
        let horizon = self.horizon.map_or(horizon, |h| h.max(horizon));
        let cutoff = horizon.timestamp_millis();
        self.keys.retain(|_, first| first.stamp >= cutoff);
        self.horizon = Some(horizon);
    }

    /// How many keys are remembered.
    pub(crate) fn len(&self) -> usize {
        self.keys.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    /// A UUIDv7 minted at `millis`, with `random` in its random bits.
    fn v7(millis: u64, random: u64) -> IdempotencyKey {
        let raw = (u128::from(millis) << 80)
            | (0x7u128 << 76)
            | (0b10u128 << 62)
            | u128::from(random & ((1 << 62) - 1));
        IdempotencyKey::new(raw)
    }

    #[test]
    fn a_uuid_v7_tells_when_it_was_minted() {
        // 018f8f1e-9b7a-7c3d-8e2f-0123456789ab: version 7, minted 2024-05-20T13:09:51.866Z.
        let key: IdempotencyKey = "018f8f1e-9b7a-7c3d-8e2f-0123456789ab".parse().unwrap();
        let minted = Utc.timestamp_millis_opt(0x018f_8f1e_9b7a).single().unwrap();
        assert_eq!(minted_at(key), Some(minted));
        // A version-4 UUID and a small counter carry no time.
        let v4: IdempotencyKey = "9b2e6f1c-3d4a-4b5c-8d6e-7f8091a2b3c4".parse().unwrap();
        assert_eq!(minted_at(v4), None);
        assert_eq!(minted_at(IdempotencyKey::new(42)), None);
        assert_eq!(minted_at(v7(5, 9)).map(|t| t.timestamp_millis()), Some(5));
    }
}
