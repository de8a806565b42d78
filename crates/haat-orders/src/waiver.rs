//! What an inclusion programme's benefit saved a seller: the commission a settled sale
//! would have paid had it been charged.

use haat_catalogue::{CommissionTreatment, MarketplaceTariff};
use haat_core::Money;

use crate::{Error, Order, Payee, StatementEntry};

/// The commission waived on `entry` (a line of `order` in a statement): the category's rate
/// on the entry's gross when `payee`'s commission was waived at the sale, zero when it was
/// charged. A reversal's amount is negative, as its gross is, so the waived commission of
/// units returned after settlement comes off again.
///
/// This is what the payout itself does not show: a waived sale's statement carries a
/// commission of zero.
///
/// # Errors
/// [`Error::UnknownLine`] when `entry` names a line `order` does not have;
/// [`Error::Pricing`] when the tariff has no commission rate for the line's category.
pub fn commission_waived(
    order: &Order,
    entry: &StatementEntry,
    payee: &Payee,
    tariff: &MarketplaceTariff,
) -> Result<Money, Error> {
    if payee.commission == CommissionTreatment::Charged {
        return Ok(Money::ZERO);
    }
    let line = order.lines().get(entry.line).ok_or(Error::UnknownLine {
        order: entry.order,
        line: entry.line,
    })?;
    let rate = tariff
        .commission
        .rate_for(&line.category)
        .map_err(Error::Pricing)?;
    rate.of(entry.gross).map_err(Error::Pricing)
}
