//! Seller onboarding: who a seller is, and how they come on board.
//!
//! `haat-seller` builds on `haat-core` and on nothing else of haat; `haat-metrics` reads its
//! events. It holds the KYC identifiers a seller declares (parsed, never merely validated), the
//! seller aggregate that takes a seller from registration through KYC to activation, the
//! inclusion programmes a seller may enrol in, and the workshops where many sellers first hear of
//! the marketplace.

mod error;
mod identifiers;
mod programme;
mod seller;
mod workshop;

pub use error::{Action, Error};
pub use identifiers::*;
pub use programme::{
    ActiveBenefit, Benefit, BenefitDuration, BenefitKind, Eligibility, Enrolment, Programme,
};
pub use seller::{
    BankDetails, BusinessAddress, GstStatus, InclusionTag, KycProblem, KycRejectionReason,
    KycSubmission, Seller, SellerCommand, SellerEvent, SellerStatus, SupplyScope, SuspensionReason,
    Workforce, WorkforceDeclaration, WorkforceRole, WorkshopReferral,
};
pub use workshop::{
    Attendee, AttendeeId, PartnerDepartment, Workshop, WorkshopCommand, WorkshopEvent,
    WorkshopStatus,
};
