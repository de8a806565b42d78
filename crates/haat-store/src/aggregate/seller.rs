//! The seller and the workshop's sibling: a seller's onboarding stream, `seller/<id>`.
//!
//! `Seller` has no serde form (its state holds KYC details only its events expose), so a
//! seller is always rebuilt from its events; a seller's stream is short (registration, KYC,
//! activation, a few changes), so a snapshot would save little.

use chrono::{DateTime, Utc};
use haat_core::SellerId;
use haat_seller::{Error, GstStatus, Seller, SellerCommand, SellerEvent};

use super::Aggregate;
use crate::Claim;

impl Aggregate for Seller {
    const KIND: &'static str = "seller";
    const SNAPSHOT_VERSION: Option<u32> = None;

    type Id = SellerId;
    type Command = SellerCommand;
    type Event = SellerEvent;
    type Error = Error;
    type Context = ();

    /// Registration names the seller, and must name this stream's; every other command acts
    /// on the seller the stream already holds.
    fn belongs(id: &SellerId, command: &SellerCommand) -> bool {
        match command {
            SellerCommand::Register { seller, .. } => seller == id,
            _ => true,
        }
    }

    fn decide(
        &self,
        _: &(),
        command: &SellerCommand,
        now: DateTime<Utc>,
    ) -> Result<Vec<SellerEvent>, Error> {
        Seller::decide(self, command, now)
    }

    fn apply(&mut self, event: &SellerEvent) {
        Seller::apply(self, event);
    }

    /// A GSTIN belongs to one seller: submitting KYC with a GSTIN claims it. (A non-GST
    /// enrolment number claims nothing: the number is the state's, not the seller's.)
    fn claims(event: &SellerEvent) -> Vec<Claim> {
        match event {
            SellerEvent::KycSubmitted { submission, .. } => match &submission.gst {
                GstStatus::Registered(gstin) => {
                    vec![Claim::new("gstin", gstin.expose().to_owned())]
                }
                GstStatus::NonGst(_) => Vec::new(),
            },
            _ => Vec::new(),
        }
    }
}
