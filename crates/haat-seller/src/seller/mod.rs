//! The seller aggregate: a seller's onboarding lifecycle, as a decider.

mod command;
mod event;
mod kyc;
mod workforce;

use std::collections::BTreeSet;
use std::fmt;

use chrono::{DateTime, Utc};
use haat_core::{Actor, PinCode, PinDirectory, SellerId, StateCode};
use serde::{Deserialize, Serialize};

pub use command::{
    BankDetails, BusinessAddress, GstStatus, InclusionTag, KycSubmission, SellerCommand,
    SupplyScope, SuspensionReason, WorkshopReferral,
};
pub use event::SellerEvent;
pub use kyc::{KycProblem, KycRejectionReason};
pub use workforce::{Workforce, WorkforceDeclaration, WorkforceRole};

use crate::{Action, ActiveBenefit, Enrolment, Error, Mobile, Programme};

/// Where a registered seller is in the onboarding lifecycle.
///
/// ```text
/// Registered ──SubmitKyc──▶ KycSubmitted ──VerifyKyc──▶ KycVerified ──Activate──▶ Active ⇄ Suspended
///                              ▲      │                                  (Suspend / Reinstate)
///                              │   RejectKyc
///                              │      ▼
///                              └─ KycRejected            any state ──Deactivate──▶ Deactivated
/// ```
///
/// ```
/// use haat_seller::SellerStatus;
/// assert_eq!(SellerStatus::KycSubmitted.to_string(), "awaiting KYC review");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SellerStatus {
    /// Registered; no KYC submitted yet.
    Registered,
    /// KYC submitted, awaiting review.
    KycSubmitted,
    /// KYC verified; not yet selling.
    KycVerified,
    /// KYC rejected; the seller may submit again.
    KycRejected,
    /// Selling.
    Active,
    /// Not selling for now.
    Suspended,
    /// Closed for good.
    Deactivated,
}

impl fmt::Display for SellerStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SellerStatus::Registered => "registered without KYC",
            SellerStatus::KycSubmitted => "awaiting KYC review",
            SellerStatus::KycVerified => "KYC-verified but not yet active",
            SellerStatus::KycRejected => "KYC-rejected",
            SellerStatus::Active => "active",
            SellerStatus::Suspended => "suspended",
            SellerStatus::Deactivated => "deactivated",
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Registration {
    id: SellerId,
    display_name: String,
    mobile: Mobile,
    pin_code: PinCode,
    referral: Option<crate::WorkshopReferral>,
    at: DateTime<Utc>,
}

/// A seller: the state folded from its events.
///
/// `Seller::default()` is a seller not yet registered. Commands are decided against the state
/// with [`Seller::decide`] (pure: it returns the events, or a typed error and no events), and
/// events are folded in with [`Seller::apply`] (infallible); [`Seller::replay`] folds a whole
/// stream, and always gives the state that deciding and applying gave.
///
/// # Idempotency
///
/// A command that would leave the seller exactly where it already is (activating an active
/// seller, suspending a suspended one for the same reason, registering again with the same
/// details, re-submitting the KYC under review unchanged, declaring the same workforce) is
/// accepted and emits no events, so a client that retries after a lost reply gets success and
/// the stream gets no duplicate. A command that conflicts with the current state (registering
/// again with other details, activating a suspended seller) is an error. Enrolling twice in a
/// programme is an error ([`Error::AlreadyEnrolled`]), because it would be ambiguous about when
/// the benefits began.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use haat_core::{Actor, SellerId};
/// use haat_seller::{InclusionTag, Seller, SellerCommand, SellerStatus};
///
/// let now = Utc.with_ymd_and_hms(2025, 6, 2, 5, 0, 0).unwrap();
/// let id = SellerId::new(1);
/// let mut seller = Seller::default();
/// let register = SellerCommand::Register {
///     actor: Actor::Seller(id),
///     seller: id,
///     display_name: "Shantipur Tant Ghar".into(),
///     mobile: "+91 98300 12345".parse()?,
///     pin_code: "741404".parse()?,
///     tags: [InclusionTag::Weaver].into(),
///     referral: None,
/// };
/// for event in seller.decide(&register, now)? {
///     seller.apply(&event);
/// }
/// assert_eq!(seller.status(), Some(SellerStatus::Registered));
///
/// // Only operations staff verify KYC; the refusal emits nothing.
/// let err = seller.decide(&SellerCommand::VerifyKyc { actor: Actor::Seller(id) }, now).unwrap_err();
/// assert_eq!(err.to_string(), "seller 1 may not verify KYC");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Seller {
    registration: Option<Registration>,
    status: Option<SellerStatus>,
    tags: BTreeSet<InclusionTag>,
    kyc: Option<KycSubmission>,
    kyc_rejection: Vec<KycRejectionReason>,
    kyc_verified_at: Option<DateTime<Utc>>,
    activated_at: Option<DateTime<Utc>>,
    suspension: Option<SuspensionReason>,
    deactivated_at: Option<DateTime<Utc>>,
    workforce: Vec<WorkforceDeclaration>,
    enrolments: Vec<Enrolment>,
}

impl Seller {
    /// The state after `events`, in order.
    pub fn replay<'a>(events: impl IntoIterator<Item = &'a SellerEvent>) -> Seller {
        let mut seller = Seller::default();
        for event in events {
            seller.apply(event);
        }
        seller
    }

    /// Decides `command` at `now`: the events it causes, or why it is refused.
    ///
    /// # Errors
    ///
    /// [`Error::Forbidden`] when the actor may not do this (checked first, so a refusal says
    /// nothing about the seller's state); [`Error::NotRegistered`], [`Error::InvalidTransition`]
    /// when the command does not fit the lifecycle; [`Error::KycProblems`] listing everything
    /// wrong with a KYC submission; [`Error::KycNotVerified`], [`Error::NotEligible`],
    /// [`Error::AlreadyEnrolled`] for programmes; and the other variants for empty names and
    /// reasons.
    pub fn decide(
        &self,
        command: &SellerCommand,
        now: DateTime<Utc>,
    ) -> Result<Vec<SellerEvent>, Error> {
        let actor = command.actor();
        let action = command.action();
        authorise_role(actor, action)?;
        let (Some(registration), Some(status)) = (&self.registration, self.status) else {
            return match command {
                SellerCommand::Register {
                    seller,
                    display_name,
                    mobile,
                    pin_code,
                    tags,
                    referral,
                    ..
                } => {
                    if !actor.may_act_for(*seller) {
                        return Err(Error::Forbidden { actor, action });
                    }
                    let display_name = display_name.trim();
                    if display_name.is_empty() {
                        return Err(Error::EmptyDisplayName);
                    }
                    Ok(vec![SellerEvent::SellerRegistered {
                        seller: *seller,
                        at: now,
                        by: actor,
                        display_name: display_name.to_owned(),
                        mobile: *mobile,
                        pin_code: *pin_code,
                        tags: tags.clone(),
                        referral: *referral,
                    }])
                }
                _ => Err(Error::NotRegistered { action }),
            };
        };
        let seller = registration.id;
        if !actor.may_act_for(seller) {
            return Err(Error::Forbidden { actor, action });
        }
        let refuse = || Error::InvalidTransition {
            seller,
            status,
            action,
        };
        let unchanged = Ok(Vec::new());
        if status == SellerStatus::Deactivated
            && !matches!(
                command,
                SellerCommand::Deactivate { .. } | SellerCommand::Register { .. }
            )
        {
            return Err(refuse());
        }
        match command {
            SellerCommand::Register {
                seller: asked,
                display_name,
                mobile,
                pin_code,
                tags,
                referral,
                ..
            } => {
                let same = *asked == seller
                    && display_name.trim() == registration.display_name
                    && *mobile == registration.mobile
                    && *pin_code == registration.pin_code
                    && *tags == self.tags
                    && *referral == registration.referral;
                if same {
                    unchanged
                } else {
                    Err(Error::AlreadyRegistered { seller })
                }
            }
            SellerCommand::SubmitKyc { submission, .. } => {
                match status {
                    SellerStatus::KycSubmitted if self.kyc.as_ref() == Some(submission) => {
                        return unchanged;
                    }
                    SellerStatus::Registered
                    | SellerStatus::KycSubmitted
                    | SellerStatus::KycRejected => {}
                    _ => return Err(refuse()),
                }
                let problems = kyc::problems(submission);
                if !problems.is_empty() {
                    return Err(Error::KycProblems(problems));
                }
                Ok(vec![SellerEvent::KycSubmitted {
                    seller,
                    at: now,
                    by: actor,
                    submission: submission.clone(),
                }])
            }
            SellerCommand::VerifyKyc { actor } => match (status, actor) {
                (SellerStatus::KycVerified, _) => unchanged,
                (SellerStatus::KycSubmitted, Actor::Operations(staff)) => {
                    Ok(vec![SellerEvent::KycVerified {
                        seller,
                        at: now,
                        by: *staff,
                    }])
                }
                _ => Err(refuse()),
            },
            SellerCommand::RejectKyc { actor, reasons } => {
                if reasons.is_empty() {
                    return Err(Error::NoRejectionReason);
                }
                match (status, actor) {
                    (SellerStatus::KycRejected, _) if *reasons == self.kyc_rejection => unchanged,
                    (SellerStatus::KycSubmitted, Actor::Operations(staff)) => {
                        Ok(vec![SellerEvent::KycRejected {
                            seller,
                            at: now,
                            by: *staff,
                            reasons: reasons.clone(),
                        }])
                    }
                    _ => Err(refuse()),
                }
            }
            SellerCommand::Activate { .. } => match status {
                SellerStatus::Active => unchanged,
                SellerStatus::KycVerified => Ok(vec![SellerEvent::SellerActivated {
                    seller,
                    at: now,
                    by: actor,
                }]),
                _ => Err(refuse()),
            },
            SellerCommand::Suspend { reason, .. } => {
                if reason.is_blank() {
                    return Err(Error::NoSuspensionReason);
                }
                match status {
                    SellerStatus::Suspended if self.suspension.as_ref() == Some(reason) => {
                        unchanged
                    }
                    SellerStatus::Active => Ok(vec![SellerEvent::SellerSuspended {
                        seller,
                        at: now,
                        by: actor,
                        reason: reason.clone(),
                    }]),
                    _ => Err(refuse()),
                }
            }
            SellerCommand::Reinstate { .. } => match status {
                SellerStatus::Active => unchanged,
                SellerStatus::Suspended => Ok(vec![SellerEvent::SellerReinstated {
                    seller,
                    at: now,
                    by: actor,
                }]),
                _ => Err(refuse()),
            },
            SellerCommand::Deactivate { .. } => match status {
                SellerStatus::Deactivated => unchanged,
                _ => Ok(vec![SellerEvent::SellerDeactivated {
                    seller,
                    at: now,
                    by: actor,
                }]),
            },
            SellerCommand::DeclareWorkforce { workforce, .. } => {
                if self.workforce() == Some(workforce) {
                    return unchanged;
                }
                Ok(vec![SellerEvent::WorkforceDeclared {
                    seller,
                    at: now,
                    by: actor,
                    workforce: workforce.clone(),
                }])
            }
            SellerCommand::UpdateInclusionTags { tags, .. } => {
                if *tags == self.tags {
                    return unchanged;
                }
                Ok(vec![SellerEvent::InclusionTagsUpdated {
                    seller,
                    at: now,
                    by: actor,
                    tags: tags.clone(),
                }])
            }
            SellerCommand::EnrolInProgramme { programme, .. } => {
                self.check_enrolment(seller, status, programme)?;
                Ok(vec![SellerEvent::EnrolledInProgramme {
                    seller,
                    at: now,
                    by: actor,
                    programme: programme.clone(),
                }])
            }
        }
    }

    /// Whether the seller may be enrolled in `programme` (the actor, operations staff, was
    /// checked already): not twice, only once its KYC is verified, and only if its tags and
    /// state meet the programme's eligibility.
    fn check_enrolment(
        &self,
        seller: SellerId,
        status: SellerStatus,
        programme: &Programme,
    ) -> Result<(), Error> {
        if let Some(existing) = self
            .enrolments
            .iter()
            .find(|e| e.programme.id() == programme.id())
        {
            return Err(Error::AlreadyEnrolled {
                seller,
                programme: programme.id(),
                since: haat_core::ist_date(existing.enrolled_at),
            });
        }
        // Benefits (a commission waiver above all) are for sellers the marketplace knows.
        let verified = matches!(
            status,
            SellerStatus::KycVerified | SellerStatus::Active | SellerStatus::Suspended
        );
        if !verified {
            return Err(Error::KycNotVerified {
                seller,
                programme: programme.id(),
                status,
            });
        }
        let eligibility = programme.eligibility();
        let tags_ok = eligibility.admits_tags(&self.tags);
        let states = self.business_states();
        let state_ok = states.iter().any(|&s| eligibility.admits_state(s));
        if tags_ok && state_ok {
            return Ok(());
        }
        Err(Error::NotEligible {
            seller,
            programme: programme.id(),
            missing: if tags_ok {
                Vec::new()
            } else {
                eligibility.tags().iter().copied().collect()
            },
            outside_states: (!state_ok).then(|| states.to_vec()),
        })
    }

    /// The state(s) of the business: those of the KYC address's PIN code once KYC is
    /// submitted, else those of the registration PIN code.
    fn business_states(&self) -> &'static [StateCode] {
        self.pin_code()
            .and_then(|pin| PinDirectory::india().lookup(pin))
            .map_or(&[], |location| location.states())
    }

    /// Folds one event into the state. Never fails: events are facts.
    pub fn apply(&mut self, event: &SellerEvent) {
        match event {
            SellerEvent::SellerRegistered {
                seller,
                at,
                display_name,
                mobile,
                pin_code,
                tags,
                referral,
                ..
            } => {
                self.registration = Some(Registration {
                    id: *seller,
                    display_name: display_name.clone(),
                    mobile: *mobile,
                    pin_code: *pin_code,
                    referral: *referral,
                    at: *at,
                });
                self.tags.clone_from(tags);
                self.status = Some(SellerStatus::Registered);
            }
            SellerEvent::KycSubmitted { submission, .. } => {
                self.kyc = Some(submission.clone());
                self.status = Some(SellerStatus::KycSubmitted);
            }
            SellerEvent::KycVerified { at, .. } => {
                self.kyc_rejection.clear();
                self.kyc_verified_at = Some(*at);
                self.status = Some(SellerStatus::KycVerified);
            }
            SellerEvent::KycRejected { reasons, .. } => {
                self.kyc_rejection.clone_from(reasons);
                self.status = Some(SellerStatus::KycRejected);
            }
            SellerEvent::SellerActivated { at, .. } => {
                self.activated_at.get_or_insert(*at);
                self.status = Some(SellerStatus::Active);
            }
            SellerEvent::SellerSuspended { reason, .. } => {
                self.suspension = Some(reason.clone());
                self.status = Some(SellerStatus::Suspended);
            }
            SellerEvent::SellerReinstated { .. } => {
                self.suspension = None;
                self.status = Some(SellerStatus::Active);
            }
            SellerEvent::SellerDeactivated { at, .. } => {
                self.deactivated_at = Some(*at);
                self.status = Some(SellerStatus::Deactivated);
            }
            SellerEvent::WorkforceDeclared { at, workforce, .. } => {
                self.workforce.push(WorkforceDeclaration {
                    effective_from: *at,
                    workforce: workforce.clone(),
                });
            }
            SellerEvent::InclusionTagsUpdated { tags, .. } => self.tags.clone_from(tags),
            SellerEvent::EnrolledInProgramme { at, programme, .. } => {
                self.enrolments.push(Enrolment {
                    programme: programme.clone(),
                    enrolled_at: *at,
                });
            }
        }
    }

    /// The seller's id, once registered.
    pub fn id(&self) -> Option<SellerId> {
        self.registration.as_ref().map(|r| r.id)
    }

    /// Where the seller is in the lifecycle; `None` before registration.
    pub fn status(&self) -> Option<SellerStatus> {
        self.status
    }

    /// Whether the seller may sell now.
    pub fn is_active(&self) -> bool {
        self.status == Some(SellerStatus::Active)
    }

    /// The name shown to buyers.
    pub fn display_name(&self) -> Option<&str> {
        self.registration.as_ref().map(|r| r.display_name.as_str())
    }

    /// The registered mobile (masked in `Debug` and `Display`).
    pub fn mobile(&self) -> Option<&Mobile> {
        self.registration.as_ref().map(|r| &r.mobile)
    }

    /// The PIN code of the business: the KYC address's once KYC is submitted, else the one
    /// given at registration.
    pub fn pin_code(&self) -> Option<PinCode> {
        self.kyc
            .as_ref()
            .map(|k| k.address.pin_code)
            .or_else(|| self.registration.as_ref().map(|r| r.pin_code))
    }

    /// When the seller registered.
    pub fn registered_at(&self) -> Option<DateTime<Utc>> {
        self.registration.as_ref().map(|r| r.at)
    }

    /// The workshop attendance that brought the seller, if any.
    pub fn referral(&self) -> Option<crate::WorkshopReferral> {
        self.registration.as_ref().and_then(|r| r.referral)
    }

    /// The self-declared inclusion tags.
    pub fn tags(&self) -> &BTreeSet<InclusionTag> {
        &self.tags
    }

    /// The latest KYC submission.
    pub fn kyc(&self) -> Option<&KycSubmission> {
        self.kyc.as_ref()
    }

    /// The reasons of the latest KYC rejection, while the seller has not yet been verified.
    pub fn kyc_rejection_reasons(&self) -> &[KycRejectionReason] {
        &self.kyc_rejection
    }

    /// When KYC was verified.
    pub fn kyc_verified_at(&self) -> Option<DateTime<Utc>> {
        self.kyc_verified_at
    }

    /// When the seller was first activated.
    pub fn activated_at(&self) -> Option<DateTime<Utc>> {
        self.activated_at
    }

    /// When the seller was deactivated.
    pub fn deactivated_at(&self) -> Option<DateTime<Utc>> {
        self.deactivated_at
    }

    /// Why the seller is suspended, while it is.
    pub fn suspension(&self) -> Option<&SuspensionReason> {
        self.suspension.as_ref()
    }

    /// Where the seller may supply to, from the latest KYC: inter-state with a GSTIN,
    /// intra-state only for a non-GST seller. `None` before KYC.
    pub fn supply_scope(&self) -> Option<SupplyScope> {
        self.kyc.as_ref().map(|k| k.gst.supply_scope())
    }

    /// The seller's state for GST: the GSTIN's or the enrolment number's. `None` before KYC.
    pub fn home_state(&self) -> Option<StateCode> {
        self.kyc.as_ref().map(|k| k.gst.state_code())
    }

    /// Whether the seller may supply a buyer in `state`: never before KYC; anywhere with a
    /// GSTIN; only within the home state without one.
    pub fn may_supply_to(&self, state: StateCode) -> bool {
        match &self.kyc {
            None => false,
            Some(kyc) => match kyc.gst.supply_scope() {
                SupplyScope::InterState => true,
                SupplyScope::IntraStateOnly => kyc.gst.state_code() == state,
            },
        }
    }

    /// The current workforce, if one was declared.
    pub fn workforce(&self) -> Option<&Workforce> {
        self.workforce.last().map(|d| &d.workforce)
    }

    /// The workforce in effect at `instant`, if one was declared by then.
    pub fn workforce_at(&self, instant: DateTime<Utc>) -> Option<&Workforce> {
        self.workforce
            .iter()
            .rev()
            .find(|d| d.effective_from <= instant)
            .map(|d| &d.workforce)
    }

    /// Every workforce declaration, oldest first.
    pub fn workforce_history(&self) -> &[WorkforceDeclaration] {
        &self.workforce
    }

    /// The programmes the seller is enrolled in, in enrolment order.
    pub fn enrolments(&self) -> &[Enrolment] {
        &self.enrolments
    }

    /// The benefits in force at `now`, across every enrolment. A deactivated seller has none
    /// from the moment of deactivation.
    ///
    /// ```
    /// # use chrono::{TimeZone, Utc};
    /// # use haat_core::{Actor, ProgrammeId, SellerId, StaffId};
    /// # use haat_seller::*;
    /// # let id = SellerId::new(1);
    /// # let t = |d| Utc.with_ymd_and_hms(2025, 6, d, 5, 0, 0).unwrap();
    /// # let mut seller = Seller::replay(&[
    /// #     SellerEvent::SellerRegistered { seller: id, at: t(1), by: Actor::Seller(id),
    /// #         display_name: "Barasat Traders".into(), mobile: "9830012345".parse()?,
    /// #         pin_code: "700124".parse()?, tags: [InclusionTag::WomanLed].into(), referral: None },
    /// #     SellerEvent::KycVerified { seller: id, at: t(1), by: StaffId::new(9) },
    /// # ]);
    /// let enrol = SellerCommand::EnrolInProgramme {
    ///     actor: Actor::Operations(StaffId::new(9)),
    ///     programme: Programme::samarth_like(ProgrammeId::new(1)),
    /// };
    /// for event in seller.decide(&enrol, t(2))? {
    ///     seller.apply(&event);
    /// }
    /// assert!(seller.commission_waived(t(3)));
    /// assert_eq!(seller.active_benefits(t(3)).len(), 4);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn active_benefits(&self, now: DateTime<Utc>) -> Vec<ActiveBenefit> {
        if self.deactivated_at.is_some_and(|at| at <= now) {
            return Vec::new();
        }
        self.enrolments
            .iter()
            .flat_map(|e| e.benefits_at(now))
            .collect()
    }

    /// Whether the marketplace waives its commission on this seller's sales at `now`.
    pub fn commission_waived(&self, now: DateTime<Utc>) -> bool {
        self.deactivated_at.is_none_or(|at| at > now)
            && self.enrolments.iter().any(|e| {
                e.benefits_at(now)
                    .any(|b| b.kind == crate::BenefitKind::CommissionWaiver)
            })
    }
}

/// Checks what only some kinds of actor may do at all (before any state is looked at).
fn authorise_role(actor: Actor, action: Action) -> Result<(), Error> {
    let allowed = match action {
        // Enrolling confirms the seller's self-declared tags and grants the marketplace's
        // terms: a judgement a person is accountable for, as KYC decisions are.
        Action::VerifyKyc | Action::RejectKyc | Action::EnrolInProgramme => actor.is_operations(),
        Action::Activate | Action::Suspend | Action::Reinstate => actor.is_marketplace(),
        _ => true,
    };
    if allowed {
        Ok(())
    } else {
        Err(Error::Forbidden { actor, action })
    }
}
