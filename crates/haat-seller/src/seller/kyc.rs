//! KYC: the cross-checks made when details are submitted, and the reasons a reviewer rejects.

use std::fmt;

use haat_core::{PinCode, PinDirectory, StateCode};
use serde::{Deserialize, Serialize};

use crate::{GstStatus, KycSubmission, Pan};

/// Why operations staff rejected a KYC submission: what the seller must fix.
///
/// ```
/// use haat_seller::KycRejectionReason;
/// assert_eq!(
///     KycRejectionReason::PanNameMismatch.to_string(),
///     "the legal name does not match the name on the PAN"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
#[non_exhaustive]
pub enum KycRejectionReason {
    /// The legal name differs from the name the Income Tax Department has for the PAN.
    PanNameMismatch,
    /// The bank could not confirm the account (penny-drop failed or the name differs).
    BankAccountNotVerified,
    /// An uploaded document could not be read.
    DocumentIllegible,
    /// The business address could not be confirmed.
    AddressUnverifiable,
    /// The GSTIN is cancelled or suspended on the GST portal.
    GstinInactive,
    /// Anything else, said in words.
    Other(String),
}

impl fmt::Display for KycRejectionReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KycRejectionReason::PanNameMismatch => {
                f.write_str("the legal name does not match the name on the PAN")
            }
            KycRejectionReason::BankAccountNotVerified => {
                f.write_str("the bank account could not be verified")
            }
            KycRejectionReason::DocumentIllegible => f.write_str("a document could not be read"),
            KycRejectionReason::AddressUnverifiable => {
                f.write_str("the business address could not be verified")
            }
            KycRejectionReason::GstinInactive => {
                f.write_str("the GSTIN is not active on the GST portal")
            }
            KycRejectionReason::Other(text) => f.write_str(text),
        }
    }
}

/// One thing wrong with a KYC submission, found when it is submitted.
///
/// Every problem is reported together (in [`crate::Error::KycProblems`]) and each message says
/// what to fix. PANs in messages are masked.
///
/// ```
/// use haat_core::StateCode;
/// use haat_seller::KycProblem;
/// let problem = KycProblem::GstinStateMismatch {
///     gstin_state: StateCode::new(27).unwrap(),
///     pin_code: "741101".parse()?,
///     pin_states: vec![StateCode::WEST_BENGAL],
/// };
/// assert_eq!(
///     problem.to_string(),
///     "the GSTIN is registered in Maharashtra (27) but PIN code 741101 is in West Bengal (19); \
///      give the GSTIN of this place of business, or correct the PIN code"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KycProblem {
    /// The legal name is empty.
    LegalNameEmpty,
    /// The account holder's name is empty.
    AccountHolderNameEmpty,
    /// The business PIN code is not in the PIN code directory.
    UnknownPinCode {
        /// The PIN code.
        pin_code: PinCode,
    },
    /// The GSTIN's state is not the state of the business PIN code.
    GstinStateMismatch {
        /// The state in the GSTIN.
        gstin_state: StateCode,
        /// The business PIN code.
        pin_code: PinCode,
        /// The state(s) the PIN code is in.
        pin_states: Vec<StateCode>,
    },
    /// The PAN inside the GSTIN is not the declared PAN.
    GstinPanMismatch {
        /// The PAN embedded in the GSTIN (never shown: the message names the positions that
        /// differ).
        gstin_pan: Pan,
        /// The declared PAN (never shown).
        declared_pan: Pan,
    },
    /// The PAN inside a non-GST seller's enrolment number is not the declared PAN.
    EnrolmentPanMismatch {
        /// The PAN embedded in the enrolment number (never shown: the message names the
        /// positions that differ).
        enrolment_pan: Pan,
        /// The declared PAN (never shown).
        declared_pan: Pan,
    },
    /// A non-GST seller's enrolment number is of another state than the business PIN code.
    EnrolmentStateMismatch {
        /// The state of the enrolment number.
        enrolment_state: StateCode,
        /// The business PIN code.
        pin_code: PinCode,
        /// The state(s) the PIN code is in.
        pin_states: Vec<StateCode>,
    },
}

struct States<'a>(&'a [StateCode]);

impl fmt::Display for States<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, state) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(" or ")?;
            }
            write!(f, "{} ({state})", state.name())?;
        }
        Ok(())
    }
}

/// Where two PANs differ, by position only (`in characters 8 and 9`): neither PAN is printed,
/// not even masked (masking hides the digits a typo is usually in, so two masked PANs read the
/// same), and the positions tell a seller which characters to check.
struct Differences<'a>(&'a Pan, &'a Pan);

impl fmt::Display for Differences<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let positions: Vec<usize> = self
            .0
            .expose()
            .bytes()
            .zip(self.1.expose().bytes())
            .enumerate()
            .filter(|(_, (a, b))| a != b)
            .map(|(i, _)| i + 1)
            .collect();
        match positions.as_slice() {
            [one] => write!(f, "in character {one}"),
            [init @ .., last] => {
                f.write_str("in characters ")?;
                for (i, position) in init.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{position}")?;
                }
                write!(f, " and {last}")
            }
            [] => f.write_str("in no character"),
        }
    }
}

impl fmt::Display for KycProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KycProblem::LegalNameEmpty => f.write_str("the legal name is empty"),
            KycProblem::AccountHolderNameEmpty => {
                f.write_str("the bank account holder's name is empty")
            }
            KycProblem::UnknownPinCode { pin_code } => write!(
                f,
                "PIN code {pin_code} is not a known PIN code; check it against a recent letter or bill"
            ),
            KycProblem::GstinStateMismatch {
                gstin_state,
                pin_code,
                pin_states,
            } => write!(
                f,
                "the GSTIN is registered in {} ({gstin_state}) but PIN code {pin_code} is in {}; \
                 give the GSTIN of this place of business, or correct the PIN code",
                gstin_state.name(),
                States(pin_states)
            ),
            KycProblem::GstinPanMismatch {
                gstin_pan,
                declared_pan,
            } => write!(
                f,
                "the PAN inside the GSTIN differs from the declared PAN {}; \
                 a GSTIN carries the PAN of its holder",
                Differences(gstin_pan, declared_pan)
            ),
            KycProblem::EnrolmentPanMismatch {
                enrolment_pan,
                declared_pan,
            } => write!(
                f,
                "the PAN inside the GST enrolment number differs from the declared PAN {}; \
                 an enrolment number carries the PAN of its holder",
                Differences(enrolment_pan, declared_pan)
            ),
            KycProblem::EnrolmentStateMismatch {
                enrolment_state,
                pin_code,
                pin_states,
            } => write!(
                f,
                "the GST enrolment number is of {} ({enrolment_state}) but PIN code {pin_code} is in {}; \
                 a non-GST seller sells only within the state of enrolment",
                enrolment_state.name(),
                States(pin_states)
            ),
        }
    }
}

/// Checks how the parts of a submission fit together, returning every problem found.
pub(crate) fn problems(submission: &KycSubmission) -> Vec<KycProblem> {
    let mut problems = Vec::new();
    if submission.legal_name.trim().is_empty() {
        problems.push(KycProblem::LegalNameEmpty);
    }
    if submission.bank.holder_name.trim().is_empty() {
        problems.push(KycProblem::AccountHolderNameEmpty);
    }
    let pin_code = submission.address.pin_code;
    // A PIN code India Post lists without a state cannot be checked here; the reviewer checks
    // the address by hand.
    let pin_states = PinDirectory::india()
        .lookup(pin_code)
        .map(|location| location.states());
    let checkable_states = pin_states.filter(|states| !states.is_empty());
    if pin_states.is_none() {
        problems.push(KycProblem::UnknownPinCode { pin_code });
    }
    match &submission.gst {
        GstStatus::Registered(gstin) => {
            let gstin_state = gstin.state_code();
            if let Some(states) = checkable_states
                && !states.contains(&gstin_state)
            {
                problems.push(KycProblem::GstinStateMismatch {
                    gstin_state,
                    pin_code,
                    pin_states: states.to_vec(),
                });
            }
            let gstin_pan = gstin.pan();
            if gstin_pan != submission.pan {
                problems.push(KycProblem::GstinPanMismatch {
                    gstin_pan,
                    declared_pan: submission.pan,
                });
            }
        }
        GstStatus::NonGst(enrolment) => {
            let enrolment_state = enrolment.state_code();
            if let Some(states) = checkable_states
                && !states.contains(&enrolment_state)
            {
                problems.push(KycProblem::EnrolmentStateMismatch {
                    enrolment_state,
                    pin_code,
                    pin_states: states.to_vec(),
                });
            }
            let enrolment_pan = enrolment.pan();
            if enrolment_pan != submission.pan {
                problems.push(KycProblem::EnrolmentPanMismatch {
                    enrolment_pan,
                    declared_pan: submission.pan,
                });
            }
        }
    }
    problems
}
