//! Seller onboarding: who a seller is, and how they come on board.
//!
//! `haat-seller` builds on `haat-core` and on nothing else of haat; `haat-metrics` reads its
//! events. It holds the KYC identifiers a seller declares (parsed, never merely validated), the
//! seller aggregate that takes a seller from registration through KYC to activation, the
//! inclusion programmes a seller may enrol in, and the workshops where many sellers first hear of
//! the marketplace.
//!
//! The seller and the workshop are deciders: `decide(&self, &command, now)` returns the events
//! a command causes (or a typed [`Error`] and no events) and `apply(&mut self, &event)` folds
//! an event in. Every command carries the [`Actor`](haat_core::Actor) asking: a seller acts
//! only on itself, and only operations staff decide on KYC and enrol a seller in a programme. PAN, bank account and mobile
//! numbers are masked in every `Debug` and error message.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use haat_core::{Actor, ProgrammeId, SellerId, StaffId};
//! use haat_seller::*;
//!
//! let now = Utc.with_ymd_and_hms(2025, 6, 14, 6, 0, 0).unwrap();
//! let id = SellerId::new(1);
//! let weaver = Actor::Seller(id);
//! let staff = Actor::Operations(StaffId::new(9));
//!
//! let commands = [
//!     SellerCommand::Register {
//!         actor: weaver,
//!         seller: id,
//!         display_name: "Shantipur Tant Ghar".into(),
//!         mobile: "98300 12345".parse()?,
//!         pin_code: "741404".parse()?,
//!         tags: [InclusionTag::Weaver].into(),
//!         referral: None,
//!     },
//!     SellerCommand::SubmitKyc {
//!         actor: weaver,
//!         submission: KycSubmission {
//!             legal_name: "Shantipur Tant Ghar".into(),
//!             pan: "AAPFU0939F".parse()?,
//!             gst: GstStatus::NonGst("19AAPFU0939F1E3".parse()?),
//!             address: BusinessAddress { lines: "Shantipur, Nadia".into(), pin_code: "741404".parse()? },
//!             bank: BankDetails {
//!                 account: "000123456789".parse()?,
//!                 ifsc: "SBIN0000123".parse()?,
//!                 holder_name: "Shantipur Tant Ghar".into(),
//!             },
//!             udyam: None,
//!             email: "tantghar@example.in".parse()?,
//!         },
//!     },
//!     SellerCommand::VerifyKyc { actor: staff },
//!     SellerCommand::Activate { actor: staff },
//!     // Operations enrol a verified seller, on the marketplace's terms.
//!     SellerCommand::EnrolInProgramme { actor: staff, programme: Programme::samarth_like(ProgrammeId::new(1)) },
//! ];
//! let mut seller = Seller::default();
//! let mut stream = Vec::new();
//! for command in &commands {
//!     let events = seller.decide(command, now)?;
//!     for event in &events {
//!         seller.apply(event);
//!     }
//!     stream.extend(events);
//! }
//! assert_eq!(seller.status(), Some(SellerStatus::Active));
//! assert_eq!(seller.supply_scope(), Some(SupplyScope::IntraStateOnly));
//! assert!(seller.commission_waived(now));
//! assert_eq!(Seller::replay(&stream), seller);
//! assert!(!format!("{seller:?}").contains("AAPFU0939F"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
mod identifiers;
mod programme;
mod seller;
mod workshop;

pub use error::{Action, Error};
pub use identifiers::{
    BankAccount, Email, EmailProblem, Expected, GstEnrolmentNumber, Gstin, IdentifierError,
    IdentifierKind, Ifsc, Mobile, Pan, PanHolderType, UdyamNumber, gstin_check_character,
};
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
