//! Fingerprints: a request's payload as a fixed 64-bit number, the same on every build.
//!
//! A fingerprint is stored in `operation_recorded` events and compared with a retry's, maybe
//! by a later build of the ledger: it must not depend on the compiler, the platform or a
//! derived `Hash` (whose output Rust does not promise to keep). So a request is first written
//! out in an explicit encoding, then hashed with a fixed, specified function.
//!
//! **Encoding.** A sequence of 64-bit words:
//! - a number (`u64`, `u32`, a count, an id) is one word; an instant is its milliseconds since
//!   the Unix epoch, two's complement;
//! - a choice (the operation, the actor's kind, an owner's kind, a receipt, a reason) is one
//!   word holding its tag, followed by its fields;
//! - text is one word holding its length in bytes, then its UTF-8 bytes in words, the last
//!   padded with zero bytes;
//! - a list is one word holding its length, then its items.
//!
//! Every request starts with its actor and then its operation's tag, and every variable-length
//! part is preceded by its length, so the encoding can be read back unambiguously: two
//! different requests never encode alike.
//!
//! **Hash.** SipHash-1-3 (Aumasson and Bernstein; one compression and three finalisation
//! rounds) of the words' little-endian bytes, with the fixed keys [`KEY0`] and [`KEY1`].
//!
//! The field order of each operation is written out in [`fingerprint`]; the golden test in
//! this module pins the values, so a change to either is seen.

use haat_core::{Actor, SellerId, Sku};

use super::{CellReservation, Command, Operation};
use crate::{
    AdjustmentReason, Receipt, ReservationId, ReservationOwner, ReturnCondition, StockKey,
};

/// SipHash's first key: "haat-fp1" read as a little-endian number (the scheme's version).
pub(crate) const KEY0: u64 = u64::from_le_bytes(*b"haat-fp1");
/// SipHash's second key: "stockled" read as a little-endian number.
pub(crate) const KEY1: u64 = u64::from_le_bytes(*b"stockled");

/// SipHash-c-d over whole 64-bit words.
#[derive(Clone, Copy, Debug)]
struct Sip<const C: usize, const D: usize> {
    v: [u64; 4],
    /// How many bytes were written.
    len: u64,
}

impl<const C: usize, const D: usize> Sip<C, D> {
    fn new(k0: u64, k1: u64) -> Self {
        Sip {
            v: [
                k0 ^ 0x736f_6d65_7073_6575,
                k1 ^ 0x646f_7261_6e64_6f6d,
                k0 ^ 0x6c79_6765_6e65_7261,
                k1 ^ 0x7465_6462_7974_6573,
            ],
            len: 0,
        }
    }

    #[inline]
    fn round(&mut self) {
        let [v0, v1, v2, v3] = &mut self.v;
        *v0 = v0.wrapping_add(*v1);
        *v1 = v1.rotate_left(13) ^ *v0;
        *v0 = v0.rotate_left(32);
        *v2 = v2.wrapping_add(*v3);
        *v3 = v3.rotate_left(16) ^ *v2;
        *v0 = v0.wrapping_add(*v3);
        *v3 = v3.rotate_left(21) ^ *v0;
        *v2 = v2.wrapping_add(*v1);
        *v1 = v1.rotate_left(17) ^ *v2;
        *v2 = v2.rotate_left(32);
    }

    /// One 8-byte block (the bytes `m.to_le_bytes()`).
    #[inline]
    fn block(&mut self, m: u64) {
        self.v[3] ^= m;
        for _ in 0..C {
            self.round();
        }
        self.v[0] ^= m;
        self.len = self.len.wrapping_add(8);
    }

    /// The hash of the blocks written and then `tail` (fewer than 8 bytes).
    fn finish_with(mut self, tail: &[u8]) -> u64 {
        let mut last = [0u8; 8];
        let n = tail.len().min(7);
        last[..n].copy_from_slice(&tail[..n]);
        let len = self.len.wrapping_add(n as u64);
        let b = u64::from_le_bytes(last) | (len << 56);
        self.v[3] ^= b;
        for _ in 0..C {
            self.round();
        }
        self.v[0] ^= b;
        self.v[2] ^= 0xff;
        for _ in 0..D {
            self.round();
        }
        self.v[0] ^ self.v[1] ^ self.v[2] ^ self.v[3]
    }
}

/// A request being encoded and hashed, word by word.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fingerprint(Sip<1, 3>);

impl Default for Fingerprint {
    fn default() -> Self {
        Fingerprint(Sip::new(KEY0, KEY1))
    }
}

impl Fingerprint {
    /// A number, a count or a tag.
    #[inline]
    pub(crate) fn word(&mut self, w: u64) -> &mut Self {
        self.0.block(w);
        self
    }

    /// An instant in milliseconds (two's complement).
    #[inline]
    fn instant(&mut self, millis: i64) -> &mut Self {
        self.word(millis as u64)
    }

    /// Text: its length, then its bytes, zero-padded to whole words.
    pub(crate) fn text(&mut self, s: &str) -> &mut Self {
        self.word(s.len() as u64);
        let mut chunks = s.as_bytes().chunks_exact(8);
        for chunk in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(chunk);
            self.word(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.word(u64::from_le_bytes(w));
        }
        self
    }

    /// The actor: 1 and the seller id, 2 and the staff id, or 3 (the system).
    pub(crate) fn actor(&mut self, actor: Actor) -> &mut Self {
        match actor {
            Actor::Seller(id) => self.word(1).word(id.get()),
            Actor::Operations(id) => self.word(2).word(id.get()),
            Actor::System => self.word(3),
        }
    }

    /// A (seller, SKU): the seller id, then the SKU as text.
    pub(crate) fn stock(&mut self, seller: SellerId, sku: &Sku) -> &mut Self {
        self.word(seller.get()).text(sku.as_str())
    }

    /// A stock key: seller id, SKU as text, location id.
    fn key(&mut self, key: &StockKey) -> &mut Self {
        self.stock(key.seller(), key.sku())
            .word(key.location().get())
    }

    /// An owner: 1 and the order id, or 2 and the cart number.
    fn owner(&mut self, owner: ReservationOwner) -> &mut Self {
        match owner {
            ReservationOwner::Order(id) => self.word(1).word(id.get()),
            ReservationOwner::Cart(cart) => self.word(2).word(cart),
        }
    }

    /// Where received units go: 0 quality check, 1 available.
    fn receipt(&mut self, into: Receipt) -> &mut Self {
        self.word(match into {
            Receipt::QualityCheck => 0,
            Receipt::Available => 1,
        })
    }

    /// The hash of everything written.
    pub(crate) fn finish(&self) -> u64 {
        self.0.finish_with(&[])
    }
}

/// The fingerprint of a command's payload: its actor, then its operation's tag and fields in
/// the order written here. (A commit's is [`fingerprint_commit`], tag 6, whichever way the
/// commit came.)
pub(crate) fn fingerprint(command: &Command) -> u64 {
    let mut f = Fingerprint::default();
    f.actor(command.actor());
    match command.operation() {
        Operation::ExpectInbound {
            key,
            quantity,
            purchase_order,
        } => f.word(1).key(key).word(*quantity).text(purchase_order),
        Operation::ReceiveInbound {
            key,
            purchase_order,
            good,
            damaged,
            into,
        } => f
            .word(2)
            .key(key)
            .text(purchase_order)
            .word(*good)
            .word(*damaged)
            .receipt(*into),
        Operation::CompleteQualityCheck {
            key,
            passed,
            failed,
        } => f.word(3).key(key).word(*passed).word(*failed),
        Operation::Reserve {
            owner,
            expires_at,
            lines,
        } => {
            return fingerprint_reserve(
                command.actor(),
                *owner,
                expires_at.timestamp_millis(),
                lines.iter().map(|line| (&line.key, line.quantity)),
            );
        }
        Operation::Release { reservation } => f.word(5).word(reservation.get()),
        Operation::Commit { reservation } => {
            return fingerprint_commit(command.actor(), *reservation);
        }
        Operation::Cancel { reservation } => f.word(7).word(reservation.get()),
        Operation::Return {
            key,
            quantity,
            order,
            condition,
        } => f
            .word(8)
            .key(key)
            .word(*quantity)
            .word(order.get())
            .word(match condition {
                ReturnCondition::Restock => 0,
                ReturnCondition::Damaged => 1,
            }),
        Operation::Adjust {
            key,
            expected_on_hand,
            counted_on_hand,
            reason,
        } => {
            f.word(9)
                .key(key)
                .word(*expected_on_hand)
                .word(*counted_on_hand);
            match reason {
                AdjustmentReason::CycleCount(id) => f.word(0).word(*id),
                AdjustmentReason::Found => f.word(1),
                AdjustmentReason::Lost => f.word(2),
            }
        }
        Operation::TransferOut {
            transfer,
            key,
            to,
            quantity,
        } => f
            .word(10)
            .word(*transfer)
            .key(key)
            .word(to.get())
            .word(*quantity),
        Operation::TransferIn {
            transfer,
            key,
            into,
        } => f.word(11).word(*transfer).key(key).receipt(*into),
        Operation::MarkDamaged { key, quantity } => f.word(12).key(key).word(*quantity),
        Operation::WriteOff { key, quantity } => f.word(13).key(key).word(*quantity),
        Operation::SetSafetyStock { key, quantity } => f.word(14).key(key).word(*quantity),
        Operation::SetReorderPoint { key, reorder_point } => {
            f.word(15).key(key).word(*reorder_point)
        }
        Operation::Expire => f.word(16),
    };
    f.finish()
}

/// The fingerprint of a commit of `reservation` by `actor`, without building its command:
/// the same whether the commit came through `execute` or `commit_reservations`.
pub(super) fn fingerprint_commit(actor: Actor, reservation: ReservationId) -> u64 {
    Fingerprint::default()
        .actor(actor)
        .word(6)
        .word(reservation.get())
        .finish()
}

/// The fingerprint of a reservation of `lines` (tag 4): the same whether it came as an
/// [`Operation::Reserve`] through `execute` or by cell handles through `reserve_lines`, whose
/// keys are read back from the ledger.
pub(super) fn fingerprint_reserve<'a>(
    actor: Actor,
    owner: ReservationOwner,
    expires_at: i64,
    lines: impl ExactSizeIterator<Item = (&'a StockKey, u64)>,
) -> u64 {
    let mut f = Fingerprint::default();
    f.actor(actor)
        .word(4)
        .owner(owner)
        .instant(expires_at)
        .word(lines.len() as u64);
    for (key, quantity) in lines {
        f.key(key).word(quantity);
    }
    f.finish()
}

/// The fingerprint of a reservation by cell handle (tag 17): its cell number, quantity,
/// owner and expiry.
pub(super) fn fingerprint_cell(actor: Actor, request: &CellReservation, expires_at: i64) -> u64 {
    Fingerprint::default()
        .actor(actor)
        .word(17)
        .word(u64::from(request.cell.0))
        .word(request.quantity)
        .owner(request.owner)
        .instant(expires_at)
        .finish()
}

/// Where a (seller, SKU) lives among shards: the same number on every build, so a service
/// that keeps each shard's events apart finds a SKU's history where it left it.
pub(crate) fn route(seller: SellerId, sku: &Sku) -> u64 {
    Fingerprint::default().word(18).stock(seller, sku).finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;
    use haat_core::{LocationId, OrderId, StaffId};

    /// SipHash-c-d of arbitrary bytes, for checking the word-wise hash against the
    /// reference.
    fn sip_bytes<const C: usize, const D: usize>(k0: u64, k1: u64, bytes: &[u8]) -> u64 {
        let mut s = Sip::<C, D>::new(k0, k1);
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(chunk);
            s.block(u64::from_le_bytes(w));
        }
        s.finish_with(chunks.remainder())
    }

    #[test]
    fn the_hash_is_siphash() {
        // The SipHash paper's test vector (appendix A): SipHash-2-4, key 00..0f, message
        // 00..0e.
        let k0 = u64::from_le_bytes([0, 1, 2, 3, 4, 5, 6, 7]);
        let k1 = u64::from_le_bytes([8, 9, 10, 11, 12, 13, 14, 15]);
        let message: Vec<u8> = (0..15).collect();
        assert_eq!(sip_bytes::<2, 4>(k0, k1, &message), 0xa129_ca61_49be_45e5);
        // And std's SipHasher (SipHash-2-4) agrees on other lengths.
        for n in 0..40u8 {
            let message: Vec<u8> = (0..n).map(|i| i.wrapping_mul(37)).collect();
            #[allow(deprecated)]
            let mut std = std::hash::SipHasher::new_with_keys(k0, k1);
            std::hash::Hasher::write(&mut std, &message);
            assert_eq!(
                sip_bytes::<2, 4>(k0, k1, &message),
                std::hash::Hasher::finish(&std),
                "{n} bytes"
            );
        }
    }

    #[test]
    fn a_fingerprint_is_the_hash_of_its_encoding() {
        let mut words = Vec::new();
        for w in [3u64, 16] {
            words.extend_from_slice(&w.to_le_bytes());
        }
        let expected = sip_bytes::<1, 3>(KEY0, KEY1, &words);
        let command = Command::new(
            Actor::System,
            crate::IdempotencyKey::new(1),
            Operation::Expire,
        );
        assert_eq!(fingerprint(&command), expected);
        // Text: its length, then its bytes zero-padded.
        let mut f = Fingerprint::default();
        f.text("TANT-RED-01");
        let mut bytes = 11u64.to_le_bytes().to_vec();
        bytes.extend_from_slice(b"TANT-RED-01\0\0\0\0\0");
        assert_eq!(f.finish(), sip_bytes::<1, 3>(KEY0, KEY1, &bytes));
    }

    fn key(seller: u64, sku: &str, location: u64) -> StockKey {
        StockKey::new(
            SellerId::new(seller),
            sku.parse().unwrap_or_else(|_| unreachable!()),
            LocationId::new(location),
        )
    }

    /// Known requests and their fingerprints, written down: a fingerprint stored by one build
    /// must be the one a later build computes for the same request. If this fails, stored
    /// fingerprints no longer match their retries. (The values were also computed from the
    /// encoding described above by a separate SipHash-1-3 implementation, not this one.)
    #[test]
    fn fingerprints_are_pinned() {
        let k = key(7, "NADIA-TANT-001", 3);
        let at = DateTime::from_timestamp_millis(1_760_000_000_000).unwrap_or_default();
        let seller = Actor::Seller(SellerId::new(7));
        let ops = Actor::Operations(StaffId::new(2));
        let cases: Vec<(Command, u64)> = vec![
            (
                Command::new(
                    seller,
                    crate::IdempotencyKey::new(1),
                    Operation::ExpectInbound {
                        key: k.clone(),
                        quantity: 40,
                        purchase_order: "PO-17".into(),
                    },
                ),
                0x779b_3fb2_e935_efba,
            ),
            (
                Command::new(
                    Actor::System,
                    crate::IdempotencyKey::new(2),
                    Operation::Reserve {
                        owner: ReservationOwner::Order(OrderId::new(5)),
                        expires_at: at,
                        lines: vec![
                            crate::ReserveLine {
                                key: k.clone(),
                                quantity: 2,
                            },
                            crate::ReserveLine {
                                key: key(7, "DOKRA-02", 3),
                                quantity: 1,
                            },
                        ],
                    },
                ),
                0xb834_6413_618e_bc6c,
            ),
            (
                Command::new(
                    ops,
                    crate::IdempotencyKey::new(3),
                    Operation::Commit {
                        reservation: ReservationId::new(9),
                    },
                ),
                0x05f8_afeb_c72e_93ef,
            ),
            (
                Command::new(
                    seller,
                    crate::IdempotencyKey::new(4),
                    Operation::TransferIn {
                        transfer: 555,
                        key: k.clone(),
                        into: Receipt::Available,
                    },
                ),
                0x89d0_ea17_6034_2eaa,
            ),
            (
                Command::new(
                    ops,
                    crate::IdempotencyKey::new(5),
                    Operation::Adjust {
                        key: k.clone(),
                        expected_on_hand: 10,
                        counted_on_hand: 8,
                        reason: AdjustmentReason::CycleCount(77),
                    },
                ),
                0x0c78_fe22_e363_1e38,
            ),
            (
                Command::new(
                    Actor::System,
                    crate::IdempotencyKey::new(6),
                    Operation::Expire,
                ),
                0x5d82_40cd_11f4_5e46,
            ),
        ];
        let found: Vec<u64> = cases.iter().map(|(c, _)| fingerprint(c)).collect();
        let expected: Vec<u64> = cases.iter().map(|(_, f)| *f).collect();
        assert_eq!(found, expected, "{found:#018x?}");
        let cell = CellReservation {
            cell: crate::CellId(4),
            quantity: 2,
            owner: ReservationOwner::Cart(11),
            expires_at: at,
        };
        assert_eq!(
            fingerprint_cell(seller, &cell, at.timestamp_millis()),
            0xd37e_be79_1670_a34f,
        );
        assert_eq!(route(SellerId::new(7), k.sku()), 0x21f1_3f3b_6f82_9d60);
    }

    #[test]
    fn requests_that_differ_fingerprint_apart() {
        // The same bytes split differently between fields encode apart: lengths are written.
        let a = Fingerprint::default().text("AB").text("C").finish();
        let b = Fingerprint::default().text("A").text("BC").finish();
        assert_ne!(a, b);
        // Padding is not confused with a NUL byte in the text: the length differs.
        let c = Fingerprint::default().text("A").finish();
        let d = Fingerprint::default().text("A\0").finish();
        assert_ne!(c, d);
        // Actors of different kinds with the same number.
        let e = Fingerprint::default()
            .actor(Actor::Seller(SellerId::new(2)))
            .finish();
        let g = Fingerprint::default()
            .actor(Actor::Operations(StaffId::new(2)))
            .finish();
        assert_ne!(e, g);
    }
}
