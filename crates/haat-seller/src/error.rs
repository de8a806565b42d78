//! The errors of `haat-seller`: one variant per way a command or an input can be refused, each
//! saying what and where, none showing a whole PAN, bank account or mobile number.

use std::fmt;

use chrono::NaiveDate;
use haat_core::{Actor, ProgrammeId, SellerId, StateCode, WorkshopId};
use thiserror::Error;

use crate::{AttendeeId, IdentifierError, InclusionTag, KycProblem, SellerStatus, WorkshopStatus};

/// What a command asks to do; named in [`Error::Forbidden`] and in refused transitions.
///
/// ```
/// use haat_seller::Action;
/// assert_eq!(Action::VerifyKyc.to_string(), "verify KYC");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Action {
    /// Register a seller.
    Register,
    /// Submit (or re-submit) KYC details.
    SubmitKyc,
    /// Verify submitted KYC.
    VerifyKyc,
    /// Reject submitted KYC.
    RejectKyc,
    /// Activate a verified seller.
    Activate,
    /// Suspend an active seller.
    Suspend,
    /// Reinstate a suspended seller.
    Reinstate,
    /// Deactivate a seller for good.
    Deactivate,
    /// Declare the seller's workforce.
    DeclareWorkforce,
    /// Change the seller's self-declared inclusion tags.
    UpdateInclusionTags,
    /// Enrol the seller in an inclusion programme.
    EnrolInProgramme,
    /// Schedule a workshop.
    ScheduleWorkshop,
    /// Record a workshop attendee.
    RecordAttendance,
    /// Link a workshop attendee to the seller they became.
    LinkAttendeeToSeller,
    /// Cancel a workshop.
    CancelWorkshop,
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Action::Register => "register",
            Action::SubmitKyc => "submit KYC",
            Action::VerifyKyc => "verify KYC",
            Action::RejectKyc => "reject KYC",
            Action::Activate => "activate",
            Action::Suspend => "suspend",
            Action::Reinstate => "reinstate",
            Action::Deactivate => "deactivate",
            Action::DeclareWorkforce => "declare workforce",
            Action::UpdateInclusionTags => "update inclusion tags",
            Action::EnrolInProgramme => "enrol in a programme",
            Action::ScheduleWorkshop => "schedule a workshop",
            Action::RecordAttendance => "record attendance",
            Action::LinkAttendeeToSeller => "link an attendee to a seller",
            Action::CancelWorkshop => "cancel a workshop",
        })
    }
}

/// Everything `haat-seller` refuses, and why.
///
/// ```
/// use haat_core::{Actor, SellerId};
/// use haat_seller::{Action, Error};
/// let err = Error::Forbidden { actor: Actor::Seller(SellerId::new(7)), action: Action::VerifyKyc };
/// assert_eq!(err.to_string(), "seller 7 may not verify KYC");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum Error {
    /// The actor may not do this: a seller acting on another seller, or a seller doing what only
    /// operations staff may do.
    #[error("{actor} may not {action}")]
    Forbidden {
        /// Who asked.
        actor: Actor,
        /// What they asked to do.
        action: Action,
    },
    /// The command needs a registered seller and there is none yet.
    #[error("cannot {action}: the seller is not registered")]
    NotRegistered {
        /// What was asked.
        action: Action,
    },
    /// The seller is already registered (with different details; registering again with the
    /// same details is accepted and changes nothing).
    #[error("seller {seller} is already registered")]
    AlreadyRegistered {
        /// The seller.
        seller: SellerId,
    },
    /// The command does not fit the seller's place in the onboarding lifecycle.
    #[error("cannot {action} seller {seller}: the seller is {status}")]
    InvalidTransition {
        /// The seller.
        seller: SellerId,
        /// Where in the lifecycle the seller is.
        status: SellerStatus,
        /// What was asked.
        action: Action,
    },
    /// The seller's display name was empty.
    #[error("display name is empty")]
    EmptyDisplayName,
    /// The KYC submission has problems; every one of them is listed, so a seller fixes them all
    /// at once.
    #[error("{}", KycProblemList(.0))]
    KycProblems(Vec<KycProblem>),
    /// A KYC rejection gave no reason: a seller must be told what to fix.
    #[error("a KYC rejection needs at least one reason")]
    NoRejectionReason,
    /// A suspension gave no reason.
    #[error("a suspension needs a reason")]
    NoSuspensionReason,
    /// The seller does not meet the programme's eligibility.
    #[error("seller {seller} is not eligible for programme {programme}: {}", Missing(.missing))]
    NotEligible {
        /// The seller.
        seller: SellerId,
        /// The programme.
        programme: ProgrammeId,
        /// What is missing: one of these tags would do. Empty when only the state is wrong.
        missing: Vec<InclusionTag>,
        /// When the programme is limited to some states and the seller's business is in none
        /// of them: the states the seller's PIN code is in.
        outside_states: Option<Vec<StateCode>>,
    },
    /// The seller's KYC is not verified, and a programme's benefits go only to sellers whose
    /// KYC operations staff verified.
    #[error(
        "seller {seller} cannot be enrolled in programme {programme}: its KYC is not verified (the seller is {status})"
    )]
    KycNotVerified {
        /// The seller.
        seller: SellerId,
        /// The programme.
        programme: ProgrammeId,
        /// Where the seller is in the lifecycle.
        status: SellerStatus,
    },
    /// The seller is already enrolled in the programme.
    #[error("seller {seller} has been enrolled in programme {programme} since {since}")]
    AlreadyEnrolled {
        /// The seller.
        seller: SellerId,
        /// The programme.
        programme: ProgrammeId,
        /// The IST date of the enrolment.
        since: NaiveDate,
    },

    /// The command needs a scheduled workshop and there is none.
    #[error("cannot {action}: the workshop is not scheduled")]
    WorkshopNotScheduled {
        /// What was asked.
        action: Action,
    },
    /// The workshop is already scheduled (with different details).
    #[error("workshop {workshop} is already scheduled")]
    WorkshopAlreadyScheduled {
        /// The workshop.
        workshop: WorkshopId,
    },
    /// The command does not fit the workshop's state.
    #[error("cannot {action} for workshop {workshop}: it is {status}")]
    WorkshopClosed {
        /// The workshop.
        workshop: WorkshopId,
        /// Its state.
        status: WorkshopStatus,
        /// What was asked.
        action: Action,
    },
    /// A workshop's capacity was zero.
    #[error("workshop capacity must be at least 1")]
    ZeroCapacity,
    /// Attendance was recorded before the workshop's day began (IST).
    #[error("workshop {workshop} is on {date}; attendance cannot be recorded on {today}")]
    WorkshopNotStarted {
        /// The workshop.
        workshop: WorkshopId,
        /// Its date.
        date: NaiveDate,
        /// The IST date the command was decided on.
        today: NaiveDate,
    },
    /// The workshop is full.
    #[error("workshop {workshop} is full: all {capacity} places are taken")]
    WorkshopFull {
        /// The workshop.
        workshop: WorkshopId,
        /// Its capacity.
        capacity: u32,
    },
    /// The attendee is already recorded.
    #[error("attendee {attendee} is already recorded at workshop {workshop}")]
    DuplicateAttendee {
        /// The workshop.
        workshop: WorkshopId,
        /// The attendee.
        attendee: AttendeeId,
    },
    /// No such attendee at the workshop.
    #[error("attendee {attendee} did not attend workshop {workshop}")]
    UnknownAttendee {
        /// The workshop.
        workshop: WorkshopId,
        /// The attendee.
        attendee: AttendeeId,
    },
    /// The attendee is already linked to another seller.
    #[error("attendee {attendee} of workshop {workshop} is already seller {seller}")]
    AttendeeAlreadyLinked {
        /// The workshop.
        workshop: WorkshopId,
        /// The attendee.
        attendee: AttendeeId,
        /// The seller they are linked to.
        seller: SellerId,
    },
    /// A workshop that people attended cannot be cancelled.
    #[error("workshop {workshop} cannot be cancelled: {attendees} people attended it")]
    WorkshopHeld {
        /// The workshop.
        workshop: WorkshopId,
        /// How many attended.
        attendees: usize,
    },
    /// An attendee's or seller's name was empty.
    #[error("attendee name is empty")]
    EmptyAttendeeName,

    /// An identifier did not parse.
    #[error(transparent)]
    Identifier(#[from] IdentifierError),
}

struct KycProblemList<'a>(&'a [KycProblem]);

impl fmt::Display for KycProblemList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            [] => f.write_str("KYC has problems"),
            [one] => write!(f, "KYC has 1 problem: {one}"),
            many => {
                write!(f, "KYC has {} problems:", many.len())?;
                for (i, problem) in many.iter().enumerate() {
                    write!(f, " ({}) {problem}", i + 1)?;
                    if i + 1 < many.len() {
                        f.write_str(";")?;
                    }
                }
                Ok(())
            }
        }
    }
}

struct Missing<'a>(&'a [InclusionTag]);

impl fmt::Display for Missing<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("the programme is not open in the seller's state");
        }
        f.write_str("the programme is for ")?;
        for (i, tag) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(if i + 1 == self.0.len() { " or " } else { ", " })?;
            }
            write!(f, "{tag}")?;
        }
        f.write_str(" sellers")
    }
}
