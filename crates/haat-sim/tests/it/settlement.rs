//! The scenario's settlements: some returns come after the order was settled, and the next
//! cycle reverses what was paid for them; every entry still adds up.

use std::collections::BTreeMap;

use haat_core::{Money, OrderId};
use haat_orders::{EntryKind, Statement};
use haat_sim::{Event, ScenarioConfig, run_with_sink};

#[test]
fn late_returns_are_reversed_and_every_payout_plus_its_deductions_is_its_gross() {
    let config = ScenarioConfig {
        sellers: 60,
        ..ScenarioConfig::small()
    };
    let mut statements: Vec<Statement> = Vec::new();
    let outcome = run_with_sink(
        &config,
        &mut |_| {},
        Some(&mut |event| {
            if let Event::Statement(statement, _) = event {
                statements.push(statement.clone());
            }
        }),
    );
    assert_eq!(outcome.counts.unexpected_rejections(), 0);

    // Units of each order line paid for and not taken back, as the statements go.
    let mut paid: BTreeMap<(OrderId, usize), u32> = BTreeMap::new();
    let mut reversals = 0u64;
    for statement in &statements {
        for entry in &statement.entries {
            // Payout + deductions = gross, for a sale and for its reversal alike.
            let deducted = Money::checked_sum(entry.deductions.iter().map(|(_, a)| *a)).unwrap();
            assert_eq!(
                entry.net.checked_add(deducted),
                Some(entry.gross),
                "{entry:?}"
            );
            let units = paid.entry((entry.order, entry.line)).or_default();
            match entry.kind {
                EntryKind::Sale => {
                    assert_eq!(
                        *units, 0,
                        "order {} line {} paid twice",
                        entry.order, entry.line
                    );
                    assert!(entry.gross.is_positive());
                    *units = entry.quantity;
                }
                EntryKind::Reversal => {
                    // Only units paid for earlier come back, in a later statement.
                    assert!(
                        entry.quantity <= *units,
                        "{entry:?} reverses more than was paid"
                    );
                    assert!(entry.gross.is_negative());
                    *units -= entry.quantity;
                    reversals += 1;
                }
            }
        }
        let deducted = Money::checked_sum(statement.deductions.iter().map(|(_, a)| *a)).unwrap();
        assert_eq!(statement.net.checked_add(deducted), Some(statement.gross));
    }
    assert!(reversals > 0, "no return came after its settlement");

    // The metrics count every reversal, in the year its statement was paid.
    let counted: u64 = (outcome.years.iter())
        .map(|fy| outcome.metrics.payouts().year(*fy).reversals)
        .sum();
    let in_years = statements
        .iter()
        .filter(|s| {
            let fy = haat_core::FinancialYear::of_date(s.cycle.last);
            outcome.years.contains(&fy)
        })
        .flat_map(|s| &s.entries)
        .filter(|e| e.kind == EntryKind::Reversal)
        .count() as u64;
    assert_eq!(counted, in_years);
    assert!(counted > 0);
}
