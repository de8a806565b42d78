//! What happened to a seller: the events of the seller stream.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use haat_core::{Actor, PinCode, SellerId, StaffId};
use serde::{Deserialize, Serialize};

use crate::{
    InclusionTag, KycRejectionReason, KycSubmission, Mobile, Programme, SuspensionReason,
    Workforce, WorkshopReferral,
};

/// An event on a seller's stream.
///
/// # Stored form (schema version 1)
///
/// Events serialise to JSON objects tagged by `"type"` (`"seller_registered"`,
/// `"kyc_submitted"`, ...), each with the `seller` id, the instant `at` (RFC 3339, UTC) and the
/// actor `by`. The golden files under `tests/golden/` pin this form. The form evolves only by
/// adding optional fields (read with a default) or new event types; a field is never renamed
/// or retyped in place, so every stored stream keeps loading.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use haat_core::{Actor, SellerId};
/// use haat_seller::SellerEvent;
/// let event = SellerEvent::SellerActivated {
///     seller: SellerId::new(7),
///     at: Utc.with_ymd_and_hms(2025, 6, 1, 4, 30, 0).unwrap(),
///     by: Actor::System,
/// };
/// assert_eq!(
///     serde_json::to_string(&event)?,
///     r#"{"type":"seller_activated","seller":7,"at":"2025-06-01T04:30:00Z","by":{"kind":"system"}}"#
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum SellerEvent {
    /// A seller registered.
    SellerRegistered {
        /// The seller.
        seller: SellerId,
        /// When.
        at: DateTime<Utc>,
        /// Who registered them (the seller, or staff at a workshop).
        by: Actor,
        /// The name shown to buyers.
        display_name: String,
        /// The seller's mobile (masked in `Debug`).
        mobile: Mobile,
        /// The PIN code of the business.
        pin_code: PinCode,
        /// Self-declared identities.
        tags: BTreeSet<InclusionTag>,
        /// The workshop attendance that brought them, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        referral: Option<WorkshopReferral>,
    },
    /// KYC details were submitted (again, after a rejection or before review).
    KycSubmitted {
        /// The seller.
        seller: SellerId,
        /// When.
        at: DateTime<Utc>,
        /// Who submitted.
        by: Actor,
        /// The details.
        submission: KycSubmission,
    },
    /// Operations staff verified the KYC.
    KycVerified {
        /// The seller.
        seller: SellerId,
        /// When.
        at: DateTime<Utc>,
        /// The reviewer.
        by: StaffId,
    },
    /// Operations staff rejected the KYC, saying why.
    KycRejected {
        /// The seller.
        seller: SellerId,
        /// When.
        at: DateTime<Utc>,
        /// The reviewer.
        by: StaffId,
        /// What to fix.
        reasons: Vec<KycRejectionReason>,
    },
    /// The seller may sell.
    SellerActivated {
        /// The seller.
        seller: SellerId,
        /// When.
        at: DateTime<Utc>,
        /// Who activated.
        by: Actor,
    },
    /// The seller was suspended.
    SellerSuspended {
        /// The seller.
        seller: SellerId,
        /// When.
        at: DateTime<Utc>,
        /// Who suspended.
        by: Actor,
        /// Why.
        reason: SuspensionReason,
    },
    /// The seller was reinstated after a suspension.
    SellerReinstated {
        /// The seller.
        seller: SellerId,
        /// When.
        at: DateTime<Utc>,
        /// Who reinstated.
        by: Actor,
    },
    /// The seller was closed for good.
    SellerDeactivated {
        /// The seller.
        seller: SellerId,
        /// When.
        at: DateTime<Utc>,
        /// Who deactivated.
        by: Actor,
    },
    /// The seller declared its workforce, effective `at`.
    WorkforceDeclared {
        /// The seller.
        seller: SellerId,
        /// When (the declaration is effective from this instant).
        at: DateTime<Utc>,
        /// Who declared.
        by: Actor,
        /// The head count by role.
        workforce: Workforce,
    },
    /// The seller's self-declared tags changed.
    InclusionTagsUpdated {
        /// The seller.
        seller: SellerId,
        /// When.
        at: DateTime<Utc>,
        /// Who changed them.
        by: Actor,
        /// The new tags.
        tags: BTreeSet<InclusionTag>,
    },
    /// The seller was enrolled in a programme, on the terms it had then.
    EnrolledInProgramme {
        /// The seller.
        seller: SellerId,
        /// When (benefits count from here).
        at: DateTime<Utc>,
        /// Who enrolled them.
        by: Actor,
        /// The programme's definition at enrolment.
        programme: Programme,
    },
}

impl SellerEvent {
    /// The seller the event is about.
    pub fn seller(&self) -> SellerId {
        match self {
            SellerEvent::SellerRegistered { seller, .. }
            | SellerEvent::KycSubmitted { seller, .. }
            | SellerEvent::KycVerified { seller, .. }
            | SellerEvent::KycRejected { seller, .. }
            | SellerEvent::SellerActivated { seller, .. }
            | SellerEvent::SellerSuspended { seller, .. }
            | SellerEvent::SellerReinstated { seller, .. }
            | SellerEvent::SellerDeactivated { seller, .. }
            | SellerEvent::WorkforceDeclared { seller, .. }
            | SellerEvent::InclusionTagsUpdated { seller, .. }
            | SellerEvent::EnrolledInProgramme { seller, .. } => *seller,
        }
    }

    /// When it happened.
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            SellerEvent::SellerRegistered { at, .. }
            | SellerEvent::KycSubmitted { at, .. }
            | SellerEvent::KycVerified { at, .. }
            | SellerEvent::KycRejected { at, .. }
            | SellerEvent::SellerActivated { at, .. }
            | SellerEvent::SellerSuspended { at, .. }
            | SellerEvent::SellerReinstated { at, .. }
            | SellerEvent::SellerDeactivated { at, .. }
            | SellerEvent::WorkforceDeclared { at, .. }
            | SellerEvent::InclusionTagsUpdated { at, .. }
            | SellerEvent::EnrolledInProgramme { at, .. } => *at,
        }
    }

    /// The event's name as it appears in JSON (`seller_registered`, ...).
    pub fn kind(&self) -> &'static str {
        match self {
            SellerEvent::SellerRegistered { .. } => "seller_registered",
            SellerEvent::KycSubmitted { .. } => "kyc_submitted",
            SellerEvent::KycVerified { .. } => "kyc_verified",
            SellerEvent::KycRejected { .. } => "kyc_rejected",
            SellerEvent::SellerActivated { .. } => "seller_activated",
            SellerEvent::SellerSuspended { .. } => "seller_suspended",
            SellerEvent::SellerReinstated { .. } => "seller_reinstated",
            SellerEvent::SellerDeactivated { .. } => "seller_deactivated",
            SellerEvent::WorkforceDeclared { .. } => "workforce_declared",
            SellerEvent::InclusionTagsUpdated { .. } => "inclusion_tags_updated",
            SellerEvent::EnrolledInProgramme { .. } => "enrolled_in_programme",
        }
    }
}
