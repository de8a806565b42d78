//! Idempotency: a retried operation answers with its first outcome.
//!
//! The ledger remembers, per idempotency key, a fingerprint of the operation's payload and its
//! outcome. The fingerprint is a 64-bit hash of the actor and every field of the operation,
//! with a fixed hash function (no per-process seed), so it is stable across restarts and is
//! stored in the `operation_recorded` event. Operations that failed are not remembered: nothing
//! moved, so a retry is tried afresh.

use std::hash::{Hash, Hasher};

use super::fx::FxHasher;
use super::{CellReservation, Command, Operation, Receipt};
use crate::{AdjustmentReason, ReturnCondition};

fn receipt(h: &mut FxHasher, r: Receipt) {
    h.write_u8(match r {
        Receipt::QualityCheck => 0,
        Receipt::Available => 1,
    });
}

/// The fingerprint of a command's payload.
pub(super) fn fingerprint(command: &Command) -> u64 {
    let mut h = FxHasher::default();
    command.actor().hash(&mut h);
    match command.operation() {
        Operation::ExpectInbound {
            key,
            quantity,
            purchase_order,
        } => {
            h.write_u8(1);
            key.hash(&mut h);
            h.write_u64(*quantity);
            purchase_order.hash(&mut h);
        }
        Operation::ReceiveInbound {
            key,
            purchase_order,
            good,
            damaged,
            into,
        } => {
            h.write_u8(2);
            key.hash(&mut h);
            purchase_order.hash(&mut h);
            h.write_u64(*good);
            h.write_u64(*damaged);
            receipt(&mut h, *into);
        }
        Operation::CompleteQualityCheck {
            key,
            passed,
            failed,
        } => {
            h.write_u8(3);
            key.hash(&mut h);
            h.write_u64(*passed);
            h.write_u64(*failed);
        }
        Operation::Reserve {
            owner,
            expires_at,
            lines,
        } => {
            h.write_u8(4);
            owner.hash(&mut h);
            h.write_u64(expires_at.timestamp_millis() as u64);
            for line in lines {
                line.key.hash(&mut h);
                h.write_u64(line.quantity);
            }
        }
        Operation::Release { reservation } => {
            h.write_u8(5);
            h.write_u64(reservation.get());
        }
        Operation::Commit { reservation } => {
            h.write_u8(6);
            h.write_u64(reservation.get());
        }
        Operation::Cancel { reservation } => {
            h.write_u8(7);
            h.write_u64(reservation.get());
        }
        Operation::Return {
            key,
            quantity,
            order,
            condition,
        } => {
            h.write_u8(8);
            key.hash(&mut h);
            h.write_u64(*quantity);
            h.write_u64(order.get());
            h.write_u8(match condition {
                ReturnCondition::Restock => 0,
                ReturnCondition::Damaged => 1,
            });
        }
        Operation::Adjust {
            key,
            expected_on_hand,
            counted_on_hand,
            reason,
        } => {
            h.write_u8(9);
            key.hash(&mut h);
            h.write_u64(*expected_on_hand);
            h.write_u64(*counted_on_hand);
            match reason {
                AdjustmentReason::CycleCount(id) => {
                    h.write_u8(0);
                    h.write_u64(*id);
                }
                AdjustmentReason::Found => h.write_u8(1),
                AdjustmentReason::Lost => h.write_u8(2),
            }
        }
        Operation::TransferOut {
            transfer,
            key,
            to,
            quantity,
        } => {
            h.write_u8(10);
            h.write_u64(*transfer);
            key.hash(&mut h);
            h.write_u64(to.get());
            h.write_u64(*quantity);
        }
        Operation::TransferIn { transfer, into } => {
            h.write_u8(11);
            h.write_u64(*transfer);
            receipt(&mut h, *into);
        }
        Operation::MarkDamaged { key, quantity } => {
            h.write_u8(12);
            key.hash(&mut h);
            h.write_u64(*quantity);
        }
        Operation::WriteOff { key, quantity } => {
            h.write_u8(13);
            key.hash(&mut h);
            h.write_u64(*quantity);
        }
        Operation::SetSafetyStock { key, quantity } => {
            h.write_u8(14);
            key.hash(&mut h);
            h.write_u64(*quantity);
        }
        Operation::SetReorderPoint { key, reorder_point } => {
            h.write_u8(15);
            key.hash(&mut h);
            h.write_u64(*reorder_point);
        }
        Operation::Expire => h.write_u8(16),
    }
    h.finish()
}

/// The fingerprint of a reservation by cell handle.
pub(super) fn fingerprint_cell(actor: haat_core::Actor, request: &CellReservation) -> u64 {
    let mut h = FxHasher::default();
    actor.hash(&mut h);
    h.write_u8(17);
    h.write_u32(request.cell.0);
    h.write_u64(request.quantity);
    request.owner.hash(&mut h);
    h.write_u64(request.expires_at.timestamp_millis() as u64);
    h.finish()
}
