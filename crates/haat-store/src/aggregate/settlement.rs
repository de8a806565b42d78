//! A seller's settlement statements, `settlement/<seller>`: one statement per weekly cycle.
//!
//! `haat-orders`' `Settlements::settle` works out a cycle's statements from the orders
//! (gross, commission, fees, GST on fees, TCS, TDS, net); what is paid is a fact worth
//! keeping, and the payouts in the impact metrics are folded from it. A statement is not an
//! event of `haat-orders` (settling returns statements, not events), so the store names the
//! fact here: [`SettlementEvent::StatementIssued`], with the commission a programme benefit
//! waived on it (what `Metrics::add_statement` reads beside the statement).
//!
//! The stream's decider keeps the one rule a register of statements needs: a cycle is
//! settled once, and cycles are settled in order, so a retried or replayed settlement run
//! cannot pay a seller twice.

use chrono::{DateTime, Utc};
use haat_core::{Money, SellerId};
use haat_orders::{Cycle, Statement};
use serde::{Deserialize, Serialize};

use super::Aggregate;

/// What happened in a seller's settlement stream.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum SettlementEvent {
    /// A cycle's statement was issued: what the seller is paid, and why.
    StatementIssued {
        /// The statement.
        statement: Statement,
        /// The commission a programme benefit waived on the statement's sales.
        commission_waived: Money,
        /// When the settlement run issued it.
        at: DateTime<Utc>,
    },
}

impl SettlementEvent {
    /// The statement the event is about.
    pub fn statement(&self) -> &Statement {
        match self {
            SettlementEvent::StatementIssued { statement, .. } => statement,
        }
    }
}

/// Issue a cycle's statement, as `Settlements::settle` worked it out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssueStatement {
    /// The statement.
    pub statement: Statement,
    /// The commission a programme benefit waived on it.
    pub commission_waived: Money,
}

/// Why a statement was not issued.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SettlementError {
    /// The seller's cycle was settled already, or a later one was.
    #[error("seller {seller}'s cycle {cycle} is not after the last one settled, {last}")]
    CycleSettled {
        /// The seller.
        seller: SellerId,
        /// The cycle of the statement refused.
        cycle: Cycle,
        /// The last cycle settled.
        last: Cycle,
    },
}

/// One seller's settlement stream: the last cycle settled and how many statements were issued.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SellerSettlement {
    last: Option<Cycle>,
    statements: u64,
}

impl SellerSettlement {
    /// The last cycle settled, if any was.
    pub fn last_cycle(&self) -> Option<Cycle> {
        self.last
    }

    /// How many statements were issued.
    pub fn statements(&self) -> u64 {
        self.statements
    }
}

impl Aggregate for SellerSettlement {
    const KIND: &'static str = "settlement";
    const SNAPSHOT_VERSION: Option<u32> = None;

    type Id = SellerId;
    type Command = IssueStatement;
    type Event = SettlementEvent;
    type Error = SettlementError;
    type Context = ();

    /// A statement is the seller's it names.
    fn belongs(id: &SellerId, command: &IssueStatement) -> bool {
        command.statement.seller == *id
    }

    fn decide(
        &self,
        _: &(),
        command: &IssueStatement,
        now: DateTime<Utc>,
    ) -> Result<Vec<SettlementEvent>, SettlementError> {
        let cycle = command.statement.cycle;
        if let Some(last) = self.last
            && cycle.first <= last.last
        {
            return Err(SettlementError::CycleSettled {
                seller: command.statement.seller,
                cycle,
                last,
            });
        }
        Ok(vec![SettlementEvent::StatementIssued {
            statement: command.statement.clone(),
            commission_waived: command.commission_waived,
            at: now,
        }])
    }

    fn apply(&mut self, event: &SettlementEvent) {
        let cycle = event.statement().cycle;
        self.last = Some(self.last.map_or(cycle, |last| last.max(cycle)));
        self.statements += 1;
    }
}
