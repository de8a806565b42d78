//! How each step of an order moves stock: the ledger commands an order event asks for, each
//! under an idempotency key derived from the order and the step, so a retried step finds its
//! first outcome in the ledger instead of moving stock twice.

use std::collections::BTreeMap;

use haat_core::{Actor, LocationId, OrderId, Sku};
use haat_inventory::{Command, IdempotencyKey, Operation, ReturnCondition, StockKey};

use super::{Order, OrderEvent};

/// The step of an order's life a ledger command belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum StockStep {
    Reserve = 1,
    Commit = 2,
    Cancel = 3,
    ReturnToOrigin = 4,
    Return = 5,
}

/// The high 24 bits of every key an order derives ("ORD"): keys a caller draws at random (a
/// UUID) meet this range with negligible probability.
const ORDER_KEY_TAG: u128 = 0x4f_52_44;

/// The idempotency key of an order's ledger command: the tag, the order id, the step, the
/// step's sequence number (which buyer's return) and the command's index within the step.
pub(crate) fn stock_key(
    order: OrderId,
    step: StockStep,
    sequence: u16,
    index: u16,
) -> IdempotencyKey {
    IdempotencyKey::new(
        (ORDER_KEY_TAG << 104)
            | (u128::from(order.get()) << 40)
            | ((step as u128) << 32)
            | (u128::from(sequence) << 16)
            | u128::from(index),
    )
}

/// The ledger commands that `event`, decided on `order` (the state before it is applied),
/// asks for. Lines of the same cell and bucket move together, so each ledger command is the
/// whole of its cell's share.
pub(crate) fn stock_commands(order: &Order, event: &OrderEvent) -> Vec<Command> {
    let (Some(id), Some(reservation), Some(seller)) =
        (order.id(), order.reservation(), order.seller())
    else {
        return Vec::new();
    };
    let one = |actor: Actor, step: StockStep, operation: Operation| {
        vec![Command::new(actor, stock_key(id, step, 0, 0), operation)]
    };
    let returns =
        |actor: Actor,
         step: StockStep,
         sequence: u16,
         units: &mut dyn Iterator<Item = (usize, u32, ReturnCondition)>| {
            let mut by_cell: BTreeMap<(Sku, LocationId, bool), u64> = BTreeMap::new();
            for (line, quantity, condition) in units {
                if let Some(l) = order.lines().get(line) {
                    let damaged = condition == ReturnCondition::Damaged;
                    let slot = by_cell
                        .entry((l.sku.clone(), l.location, damaged))
                        .or_default();
                    *slot = slot.saturating_add(u64::from(quantity));
                }
            }
            by_cell
                .into_iter()
                .filter(|(_, quantity)| *quantity > 0)
                .enumerate()
                .map(|(index, ((sku, location, damaged), quantity))| {
                    let condition = if damaged {
                        ReturnCondition::Damaged
                    } else {
                        ReturnCondition::Restock
                    };
                    let operation = Operation::Return {
                        key: StockKey::new(seller, sku, location),
                        quantity,
                        order: id,
                        condition,
                    };
                    let index = u16::try_from(index).unwrap_or(u16::MAX);
                    Command::new(actor, stock_key(id, step, sequence, index), operation)
                })
                .collect()
        };
    match event {
        OrderEvent::OrderDispatched { by, .. } => {
            one(*by, StockStep::Commit, Operation::Commit { reservation })
        }
        OrderEvent::OrderCancelled { by, .. } => {
            one(*by, StockStep::Cancel, Operation::Cancel { reservation })
        }
        OrderEvent::OrderReturnedToOrigin { by, bucket, .. } => {
            let condition = bucket.condition();
            let mut units = order
                .lines()
                .iter()
                .enumerate()
                .map(|(index, line)| (index, line.quantity, condition));
            returns(*by, StockStep::ReturnToOrigin, 0, &mut units)
        }
        OrderEvent::OrderReturned { by, lines, .. } => {
            let mut units = lines
                .iter()
                .map(|l| (l.line, l.quantity, l.bucket.condition()));
            returns(*by, StockStep::Return, order.returns_recorded(), &mut units)
        }
        OrderEvent::OrderPlaced { .. }
        | OrderEvent::OrderPacked { .. }
        | OrderEvent::OrderDelivered { .. } => Vec::new(),
    }
}
