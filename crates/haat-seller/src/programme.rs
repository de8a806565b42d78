//! Inclusion programmes: who may enrol, and what they get for how long.
//!
//! A programme is a definition (eligibility and benefits) that the marketplace owns. Enrolment
//! is an event on the seller's own stream, carrying the programme's terms as they were on the
//! day, so that the benefits a seller was promised never change under them when a programme is
//! later revised. Only operations staff enrol a seller, and only one whose KYC is verified: the
//! terms are the marketplace's, and enrolling is staff's confirmation of the self-declared tags
//! the eligibility rests on.

use std::collections::BTreeSet;
use std::fmt;

use chrono::{DateTime, Days, Months, Utc};
use haat_core::{ProgrammeId, StateCode, ist_date, ist_midnight};
use serde::{Deserialize, Serialize};

use crate::InclusionTag;

/// Who may enrol in a programme: sellers with any one of the tags, optionally only in some
/// states.
///
/// ```
/// use haat_core::StateCode;
/// use haat_seller::{Eligibility, InclusionTag};
/// let eligibility = Eligibility::any_of([InclusionTag::Weaver, InclusionTag::Artisan])
///     .in_states([StateCode::WEST_BENGAL]);
/// assert!(eligibility.admits_tags(&[InclusionTag::Weaver].into()));
/// assert!(!eligibility.admits_tags(&[InclusionTag::Tribal].into()));
/// assert!(eligibility.admits_state(StateCode::WEST_BENGAL));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Eligibility {
    any_of: BTreeSet<InclusionTag>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    states: Option<BTreeSet<StateCode>>,
}

impl Eligibility {
    /// Sellers with at least one of `tags`, anywhere in India.
    pub fn any_of(tags: impl IntoIterator<Item = InclusionTag>) -> Self {
        Eligibility {
            any_of: tags.into_iter().collect(),
            states: None,
        }
    }

    /// Restricts eligibility to sellers whose business is in one of `states`.
    pub fn in_states(mut self, states: impl IntoIterator<Item = StateCode>) -> Self {
        self.states = Some(states.into_iter().collect());
        self
    }

    /// The tags any one of which admits a seller.
    pub fn tags(&self) -> &BTreeSet<InclusionTag> {
        &self.any_of
    }

    /// The states the programme is limited to, if it is.
    pub fn states(&self) -> Option<&BTreeSet<StateCode>> {
        self.states.as_ref()
    }

    /// Whether a seller with `tags` meets the tag requirement.
    pub fn admits_tags(&self, tags: &BTreeSet<InclusionTag>) -> bool {
        self.any_of.iter().any(|tag| tags.contains(tag))
    }

    /// Whether a business in `state` meets the state requirement.
    pub fn admits_state(&self, state: StateCode) -> bool {
        self.states
            .as_ref()
            .is_none_or(|states| states.contains(&state))
    }
}

/// What a benefit gives.
///
/// ```
/// use haat_seller::BenefitKind;
/// assert_eq!(BenefitKind::FreeCataloguing { listings: 100 }.to_string(), "free cataloguing of up to 100 listings");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum BenefitKind {
    /// No marketplace commission on sales.
    CommissionWaiver,
    /// Listings photographed and written up by the marketplace, free, up to a number.
    FreeCataloguing {
        /// How many listings.
        listings: u32,
    },
    /// Storage in the marketplace's fulfilment centres at no charge.
    WarehousingSupport,
    /// Training in selling online.
    Training,
    /// A named account manager.
    AccountManagement,
    /// Marketing and advertising support.
    MarketingSupport,
}

impl fmt::Display for BenefitKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BenefitKind::CommissionWaiver => f.write_str("commission waiver"),
            BenefitKind::FreeCataloguing { listings } => {
                write!(f, "free cataloguing of up to {listings} listings")
            }
            BenefitKind::WarehousingSupport => f.write_str("warehousing support"),
            BenefitKind::Training => f.write_str("training"),
            BenefitKind::AccountManagement => f.write_str("account management"),
            BenefitKind::MarketingSupport => f.write_str("marketing support"),
        }
    }
}

/// How long a benefit lasts from enrolment.
///
/// Durations count whole IST days: a benefit of 6 months from an enrolment on 10 June (IST)
/// is in force until the end of 9 December, i.e. until 00:00 IST on 10 December. When the
/// day does not exist in the last month, chrono's `checked_add_months` clamps it to the
/// month's last day: a month from 31 January ends as 28 February begins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "unit", content = "count", rename_all = "snake_case")]
pub enum BenefitDuration {
    /// Calendar months.
    Months(u32),
    /// Days.
    Days(u32),
    /// For as long as the seller is enrolled.
    WhileEnrolled,
}

impl BenefitDuration {
    /// The instant a benefit starting at `from` ends (exclusive), or `None` if it does not end.
    /// Saturates at chrono's last instant.
    pub fn end(self, from: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let first_day = ist_date(from);
        let last_exclusive = match self {
            BenefitDuration::Months(n) => first_day.checked_add_months(Months::new(n)),
            BenefitDuration::Days(n) => first_day.checked_add_days(Days::new(u64::from(n))),
            BenefitDuration::WhileEnrolled => return None,
        };
        Some(last_exclusive.map_or(DateTime::<Utc>::MAX_UTC, ist_midnight))
    }
}

impl fmt::Display for BenefitDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BenefitDuration::Months(1) => f.write_str("1 month"),
            BenefitDuration::Months(n) => write!(f, "{n} months"),
            BenefitDuration::Days(1) => f.write_str("1 day"),
            BenefitDuration::Days(n) => write!(f, "{n} days"),
            BenefitDuration::WhileEnrolled => f.write_str("while enrolled"),
        }
    }
}

/// One benefit of a programme and how long it lasts.
///
/// ```
/// use haat_seller::{Benefit, BenefitDuration, BenefitKind};
/// let waiver = Benefit::new(BenefitKind::CommissionWaiver, BenefitDuration::Months(6));
/// assert_eq!(waiver.to_string(), "commission waiver for 6 months");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Benefit {
    kind: BenefitKind,
    duration: BenefitDuration,
}

impl Benefit {
    /// A benefit of `kind` lasting `duration` from enrolment.
    pub const fn new(kind: BenefitKind, duration: BenefitDuration) -> Self {
        Benefit { kind, duration }
    }

    /// What it gives.
    pub fn kind(&self) -> BenefitKind {
        self.kind
    }

    /// How long it lasts.
    pub fn duration(&self) -> BenefitDuration {
        self.duration
    }
}

impl fmt::Display for Benefit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.duration {
            BenefitDuration::WhileEnrolled => write!(f, "{} while enrolled", self.kind),
            duration => write!(f, "{} for {duration}", self.kind),
        }
    }
}

/// An inclusion programme: a name, who may enrol, and the benefits enrolment brings.
///
/// ```
/// use haat_core::ProgrammeId;
/// use haat_seller::{InclusionTag, Programme};
/// let samarth = Programme::samarth_like(ProgrammeId::new(1));
/// assert!(samarth.eligibility().tags().contains(&InclusionTag::Weaver));
/// assert_eq!(samarth.benefits().len(), 4);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Programme {
    id: ProgrammeId,
    name: String,
    eligibility: Eligibility,
    benefits: Vec<Benefit>,
}

impl Programme {
    /// A programme from its parts.
    pub fn new(
        id: ProgrammeId,
        name: impl Into<String>,
        eligibility: Eligibility,
        benefits: Vec<Benefit>,
    ) -> Self {
        Programme {
            id,
            name: name.into(),
            eligibility,
            benefits,
        }
    }

    /// A ready definition modelled on the large marketplaces' inclusion programmes (such as
    /// Flipkart Samarth, since 2019): for artisans, weavers, farmers and FPOs, sellers with
    /// disabilities, woman-led and tribal businesses, anywhere in India; a commission waiver
    /// for 6 months, free cataloguing of up to 100 listings for 6 months, warehousing support
    /// for 6 months, and training while enrolled.
    pub fn samarth_like(id: ProgrammeId) -> Self {
        Programme::new(
            id,
            "Samarth-like inclusion programme",
            Eligibility::any_of(InclusionTag::ALL),
            vec![
                Benefit::new(BenefitKind::CommissionWaiver, BenefitDuration::Months(6)),
                Benefit::new(
                    BenefitKind::FreeCataloguing { listings: 100 },
                    BenefitDuration::Months(6),
                ),
                Benefit::new(BenefitKind::WarehousingSupport, BenefitDuration::Months(6)),
                Benefit::new(BenefitKind::Training, BenefitDuration::WhileEnrolled),
            ],
        )
    }

    /// The programme's id.
    pub fn id(&self) -> ProgrammeId {
        self.id
    }

    /// Its name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Who may enrol.
    pub fn eligibility(&self) -> &Eligibility {
        &self.eligibility
    }

    /// What enrolment brings.
    pub fn benefits(&self) -> &[Benefit] {
        &self.benefits
    }
}

/// A seller's enrolment in a programme, on the programme's terms at the time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolment {
    /// The programme as it was defined at enrolment.
    pub programme: Programme,
    /// When the seller was enrolled.
    pub enrolled_at: DateTime<Utc>,
}

impl Enrolment {
    /// The benefits of this enrolment in force at `now`.
    pub fn benefits_at(&self, now: DateTime<Utc>) -> impl Iterator<Item = ActiveBenefit> + '_ {
        let from = self.enrolled_at;
        self.programme.benefits.iter().filter_map(move |benefit| {
            let until = benefit.duration.end(from);
            let in_force = from <= now && until.is_none_or(|until| now < until);
            in_force.then_some(ActiveBenefit {
                programme: self.programme.id,
                kind: benefit.kind,
                from,
                until,
            })
        })
    }
}

/// A benefit in force at some instant.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use haat_core::ProgrammeId;
/// use haat_seller::{BenefitKind, Enrolment, Programme};
///
/// let enrolment = Enrolment {
///     programme: Programme::samarth_like(ProgrammeId::new(1)),
///     // 10 June 2025, 15:30 IST
///     enrolled_at: Utc.with_ymd_and_hms(2025, 6, 10, 10, 0, 0).unwrap(),
/// };
/// let in_september = Utc.with_ymd_and_hms(2025, 9, 1, 0, 0, 0).unwrap();
/// let waiver = enrolment
///     .benefits_at(in_september)
///     .find(|b| b.kind == BenefitKind::CommissionWaiver)
///     .unwrap();
/// // In force until 00:00 IST on 10 December 2025.
/// assert_eq!(waiver.until, Some(Utc.with_ymd_and_hms(2025, 12, 9, 18, 30, 0).unwrap()));
/// let in_december = Utc.with_ymd_and_hms(2025, 12, 10, 0, 0, 0).unwrap();
/// assert!(enrolment.benefits_at(in_december).all(|b| b.kind == BenefitKind::Training));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ActiveBenefit {
    /// The programme it comes from.
    pub programme: ProgrammeId,
    /// What it gives.
    pub kind: BenefitKind,
    /// When it began (the enrolment).
    pub from: DateTime<Utc>,
    /// When it ends (exclusive), if it does.
    pub until: Option<DateTime<Utc>>,
}
