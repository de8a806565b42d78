//! What may be asked of a seller, and the records those requests carry.

use std::collections::BTreeSet;
use std::fmt;

use haat_core::{Actor, PinCode, SellerId, StateCode, WorkshopId};
use serde::{Deserialize, Serialize};

use crate::{
    Action, AttendeeId, BankAccount, Email, GstEnrolmentNumber, Gstin, Ifsc, KycRejectionReason,
    Mobile, Pan, Programme, UdyamNumber, Workforce,
};

/// A self-declared identity that inclusion programmes are for.
///
/// Tags are declared by the seller (or by operations staff on their behalf, at a workshop);
/// they decide which programmes a seller may enrol in. Being self-declared, they are confirmed
/// by the operations staff who enrol the seller (only operations staff enrol).
///
/// ```
/// use haat_seller::InclusionTag;
/// assert_eq!(InclusionTag::FarmerOrFpo.to_string(), "farmer or FPO");
/// assert_eq!(serde_json::to_string(&InclusionTag::WomanLed)?, r#""woman_led""#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InclusionTag {
    /// A craftsperson: potter, dokra metal caster, shola pith carver, ...
    Artisan,
    /// A handloom weaver.
    Weaver,
    /// A farmer or a farmer producer organisation.
    FarmerOrFpo,
    /// A person with a disability.
    PersonWithDisability,
    /// A business led by a woman.
    WomanLed,
    /// A business of a Scheduled Tribe member or community.
    Tribal,
}

impl InclusionTag {
    /// Every tag, in order.
    pub const ALL: [InclusionTag; 6] = [
        InclusionTag::Artisan,
        InclusionTag::Weaver,
        InclusionTag::FarmerOrFpo,
        InclusionTag::PersonWithDisability,
        InclusionTag::WomanLed,
        InclusionTag::Tribal,
    ];
}

impl fmt::Display for InclusionTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            InclusionTag::Artisan => "artisan",
            InclusionTag::Weaver => "weaver",
            InclusionTag::FarmerOrFpo => "farmer or FPO",
            InclusionTag::PersonWithDisability => "person with disability",
            InclusionTag::WomanLed => "woman-led",
            InclusionTag::Tribal => "tribal",
        })
    }
}

/// The workshop attendance that brought a seller to the marketplace.
///
/// ```
/// use haat_core::WorkshopId;
/// use haat_seller::{AttendeeId, WorkshopReferral};
/// let referral = WorkshopReferral { workshop: WorkshopId::new(1), attendee: AttendeeId::new(3) };
/// assert_eq!(serde_json::to_string(&referral)?, r#"{"workshop":1,"attendee":3}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct WorkshopReferral {
    /// The workshop.
    pub workshop: WorkshopId,
    /// The attendee the seller was at it.
    pub attendee: AttendeeId,
}

/// How a seller stands with GST.
///
/// ```
/// use haat_seller::{GstStatus, SupplyScope};
/// let gst = GstStatus::Registered("27AAPFU0939F1ZV".parse()?);
/// assert_eq!(gst.supply_scope(), SupplyScope::InterState);
/// assert_eq!(gst.state_code().code(), 27);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "number", rename_all = "snake_case")]
pub enum GstStatus {
    /// Registered for GST, with a GSTIN.
    Registered(Gstin),
    /// Below the registration threshold, selling within their own state only, identified by a
    /// GST enrolment number (allowed on marketplaces since 1 October 2023).
    NonGst(GstEnrolmentNumber),
}

impl GstStatus {
    /// Where the seller may supply to: inter-state with a GSTIN, intra-state only without.
    pub fn supply_scope(&self) -> SupplyScope {
        match self {
            GstStatus::Registered(_) => SupplyScope::InterState,
            GstStatus::NonGst(_) => SupplyScope::IntraStateOnly,
        }
    }

    /// The state of the GSTIN or of the enrolment number: the seller's home state for GST.
    pub fn state_code(&self) -> StateCode {
        match self {
            GstStatus::Registered(gstin) => gstin.state_code(),
            GstStatus::NonGst(enrolment) => enrolment.state_code(),
        }
    }
}

/// Where a seller may supply to.
///
/// ```
/// use haat_seller::SupplyScope;
/// assert_eq!(SupplyScope::IntraStateOnly.to_string(), "intra-state only");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SupplyScope {
    /// Anywhere in India (GST-registered).
    InterState,
    /// Only to buyers in the seller's own state (non-GST sellers).
    IntraStateOnly,
}

impl fmt::Display for SupplyScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SupplyScope::InterState => "inter-state",
            SupplyScope::IntraStateOnly => "intra-state only",
        })
    }
}

/// The business's address for KYC: free-text lines and the PIN code they are checked by.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BusinessAddress {
    /// The address as written (house, street, locality, town).
    pub lines: String,
    /// The PIN code.
    pub pin_code: PinCode,
}

/// The bank account payouts go to.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BankDetails {
    /// The account number (masked in `Debug`).
    pub account: BankAccount,
    /// The branch's IFSC.
    pub ifsc: Ifsc,
    /// The account holder's name, as the bank has it.
    pub holder_name: String,
}

/// What a seller declares for KYC.
///
/// The identifiers are parsed values, so each one is well-formed by construction; what
/// [`SellerCommand::SubmitKyc`] checks is how they fit together (the GSTIN's state and PAN
/// against the address and the declared PAN), reporting every problem at once.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct KycSubmission {
    /// The legal name of the business or person, as on the PAN.
    pub legal_name: String,
    /// The PAN of the business (or of the proprietor).
    pub pan: Pan,
    /// GSTIN, or GST enrolment number for a non-GST seller.
    pub gst: GstStatus,
    /// The principal place of business.
    pub address: BusinessAddress,
    /// Where payouts go.
    pub bank: BankDetails,
    /// The Udyam (MSME) registration number, if the business has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub udyam: Option<UdyamNumber>,
    /// The e-mail address for KYC correspondence.
    pub email: Email,
}

/// Why a seller is suspended.
///
/// ```
/// use haat_seller::SuspensionReason;
/// assert_eq!(SuspensionReason::PolicyViolation("counterfeit".into()).to_string(), "policy violation: counterfeit");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
#[non_exhaustive]
pub enum SuspensionReason {
    /// The seller asked for a pause (holiday, festival season at the loom, illness).
    SellerRequest,
    /// Orders were cancelled or shipped late too often.
    PerformanceBelowStandard,
    /// A marketplace policy was breached.
    PolicyViolation(String),
    /// KYC details need fresh verification (e.g. the bank reported the account closed).
    KycReverificationNeeded,
    /// Anything else, said in words.
    Other(String),
}

impl SuspensionReason {
    pub(crate) fn is_blank(&self) -> bool {
        match self {
            SuspensionReason::PolicyViolation(text) | SuspensionReason::Other(text) => {
                text.trim().is_empty()
            }
            _ => false,
        }
    }
}

impl fmt::Display for SuspensionReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SuspensionReason::SellerRequest => f.write_str("at the seller's request"),
            SuspensionReason::PerformanceBelowStandard => {
                f.write_str("performance below the marketplace's standard")
            }
            SuspensionReason::PolicyViolation(what) => write!(f, "policy violation: {what}"),
            SuspensionReason::KycReverificationNeeded => f.write_str("KYC needs re-verification"),
            SuspensionReason::Other(what) => f.write_str(what),
        }
    }
}

/// A request to a seller aggregate. Every command carries the [`Actor`] asking.
///
/// Who may do what:
///
/// | command | seller itself | operations | system |
/// |---|---|---|---|
/// | `Register`, `SubmitKyc`, `DeclareWorkforce`, `UpdateInclusionTags`, `Deactivate` | yes | yes | yes |
/// | `VerifyKyc`, `RejectKyc`, `EnrolInProgramme` | no | yes | no |
/// | `Activate`, `Suspend`, `Reinstate` | no | yes | yes |
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SellerCommand {
    /// Register a new seller.
    Register {
        /// Who asks.
        actor: Actor,
        /// The seller's id (assigned by the embedding service).
        seller: SellerId,
        /// The name shown to buyers.
        display_name: String,
        /// The seller's mobile number (masked in `Debug`).
        mobile: Mobile,
        /// The PIN code of the business.
        pin_code: PinCode,
        /// Self-declared identities for inclusion programmes.
        tags: BTreeSet<InclusionTag>,
        /// The workshop attendance that brought the seller, if any.
        referral: Option<WorkshopReferral>,
    },
    /// Submit KYC details, or re-submit them after a rejection or before review.
    SubmitKyc {
        /// Who asks.
        actor: Actor,
        /// The details.
        submission: KycSubmission,
    },
    /// Accept the submitted KYC (operations only).
    VerifyKyc {
        /// Who asks.
        actor: Actor,
    },
    /// Reject the submitted KYC, saying why (operations only).
    RejectKyc {
        /// Who asks.
        actor: Actor,
        /// Every reason; at least one.
        reasons: Vec<KycRejectionReason>,
    },
    /// Let a verified seller sell.
    Activate {
        /// Who asks.
        actor: Actor,
    },
    /// Stop an active seller from selling for now.
    Suspend {
        /// Who asks.
        actor: Actor,
        /// Why.
        reason: SuspensionReason,
    },
    /// Let a suspended seller sell again.
    Reinstate {
        /// Who asks.
        actor: Actor,
    },
    /// Close the seller for good.
    Deactivate {
        /// Who asks.
        actor: Actor,
    },
    /// Declare how many people the seller employs, by role, from now on.
    DeclareWorkforce {
        /// Who asks.
        actor: Actor,
        /// The head count by role.
        workforce: Workforce,
    },
    /// Replace the seller's self-declared inclusion tags.
    UpdateInclusionTags {
        /// Who asks.
        actor: Actor,
        /// The new tags.
        tags: BTreeSet<InclusionTag>,
    },
    /// Enrol the seller in an inclusion programme, on the programme's terms as they are now
    /// (operations only, for a seller whose KYC is verified).
    ///
    /// The terms are the marketplace's: staff take them from the marketplace's own programme
    /// definitions, and by enrolling they confirm the self-declared tags the eligibility rests
    /// on. A seller cannot enrol itself, nor name the terms.
    EnrolInProgramme {
        /// Who asks (operations only).
        actor: Actor,
        /// The programme's definition, as the marketplace offers it.
        programme: Programme,
    },
}

impl SellerCommand {
    /// The actor asking.
    pub fn actor(&self) -> Actor {
        match self {
            SellerCommand::Register { actor, .. }
            | SellerCommand::SubmitKyc { actor, .. }
            | SellerCommand::VerifyKyc { actor }
            | SellerCommand::RejectKyc { actor, .. }
            | SellerCommand::Activate { actor }
            | SellerCommand::Suspend { actor, .. }
            | SellerCommand::Reinstate { actor }
            | SellerCommand::Deactivate { actor }
            | SellerCommand::DeclareWorkforce { actor, .. }
            | SellerCommand::UpdateInclusionTags { actor, .. }
            | SellerCommand::EnrolInProgramme { actor, .. } => *actor,
        }
    }

    /// What the command asks to do.
    pub fn action(&self) -> Action {
        match self {
            SellerCommand::Register { .. } => Action::Register,
            SellerCommand::SubmitKyc { .. } => Action::SubmitKyc,
            SellerCommand::VerifyKyc { .. } => Action::VerifyKyc,
            SellerCommand::RejectKyc { .. } => Action::RejectKyc,
            SellerCommand::Activate { .. } => Action::Activate,
            SellerCommand::Suspend { .. } => Action::Suspend,
            SellerCommand::Reinstate { .. } => Action::Reinstate,
            SellerCommand::Deactivate { .. } => Action::Deactivate,
            SellerCommand::DeclareWorkforce { .. } => Action::DeclareWorkforce,
            SellerCommand::UpdateInclusionTags { .. } => Action::UpdateInclusionTags,
            SellerCommand::EnrolInProgramme { .. } => Action::EnrolInProgramme,
        }
    }
}
