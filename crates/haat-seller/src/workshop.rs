//! Workshops: where small entrepreneurs learn to sell online, and where the onboarding funnel
//! (attended → registered → KYC verified → active) begins.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use haat_core::{Actor, District, SellerId, WorkshopId, ist_date, ist_midnight};
use serde::{Deserialize, Serialize};

use crate::{Action, Error, Mobile};

/// A workshop attendee, numbered by the workshop's organisers (unique within a workshop).
///
/// ```
/// use haat_seller::AttendeeId;
/// let id: AttendeeId = "12".parse()?;
/// assert_eq!(id.get(), 12);
/// assert_eq!(serde_json::to_string(&id)?, "12");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AttendeeId(u64);

impl AttendeeId {
    /// Wraps a raw number.
    pub const fn new(raw: u64) -> Self {
        AttendeeId(raw)
    }

    /// The raw number.
    pub const fn get(self) -> u64 {
        self.0
    }
}

impl fmt::Debug for AttendeeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AttendeeId({})", self.0)
    }
}

impl fmt::Display for AttendeeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::str::FromStr for AttendeeId {
    type Err = std::num::ParseIntError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.trim().parse().map(AttendeeId)
    }
}

/// The government department or body a workshop is run with.
///
/// ```
/// use haat_seller::PartnerDepartment;
/// assert_eq!(PartnerDepartment::Msme.to_string(), "Ministry of MSME");
/// assert_eq!(serde_json::to_string(&PartnerDepartment::Msme)?, r#""msme""#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PartnerDepartment {
    /// Ministry of Micro, Small and Medium Enterprises.
    Msme,
    /// Ministry of Minority Affairs.
    MinorityAffairs,
    /// Ministry of Textiles (Development Commissioner for Handlooms / Handicrafts).
    Textiles,
    /// Ministry of Rural Development: the National Rural Livelihoods Mission and its
    /// self-help groups.
    RuralDevelopment,
    /// Ministry of Tribal Affairs.
    TribalAffairs,
    /// A state government department, named.
    StateGovernment(String),
}

impl fmt::Display for PartnerDepartment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PartnerDepartment::Msme => f.write_str("Ministry of MSME"),
            PartnerDepartment::MinorityAffairs => f.write_str("Ministry of Minority Affairs"),
            PartnerDepartment::Textiles => f.write_str("Ministry of Textiles"),
            PartnerDepartment::RuralDevelopment => {
                f.write_str("Ministry of Rural Development (NRLM)")
            }
            PartnerDepartment::TribalAffairs => f.write_str("Ministry of Tribal Affairs"),
            PartnerDepartment::StateGovernment(name) => f.write_str(name),
        }
    }
}

/// A request to a workshop aggregate.
///
/// Scheduling and cancelling are for operations staff; attendance is recorded and linked to
/// sellers by operations staff or by the system (e.g. an attendance-sheet import, or the
/// registration service when an attendee signs up).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum WorkshopCommand {
    /// Schedule a workshop.
    Schedule {
        /// Who asks (operations only).
        actor: Actor,
        /// The workshop's id.
        id: WorkshopId,
        /// The district it is held in.
        district: District,
        /// The venue, as written (e.g. "Krishnanagar, District Industries Centre").
        venue: String,
        /// The day (IST).
        date: NaiveDate,
        /// The partner department.
        partner: PartnerDepartment,
        /// How many people it can take.
        capacity: u32,
    },
    /// Record that someone attended.
    RecordAttendance {
        /// Who asks (operations or system).
        actor: Actor,
        /// The attendee's number.
        attendee: AttendeeId,
        /// Their name.
        name: String,
        /// Their mobile, if they gave one (masked in `Debug`).
        mobile: Option<Mobile>,
    },
    /// Record that an attendee became a seller.
    LinkAttendeeToSeller {
        /// Who asks (operations or system).
        actor: Actor,
        /// The attendee.
        attendee: AttendeeId,
        /// The seller they became.
        seller: SellerId,
    },
    /// Call the workshop off (before anyone attended).
    Cancel {
        /// Who asks (operations only).
        actor: Actor,
    },
}

impl WorkshopCommand {
    /// The actor asking.
    pub fn actor(&self) -> Actor {
        match self {
            WorkshopCommand::Schedule { actor, .. }
            | WorkshopCommand::RecordAttendance { actor, .. }
            | WorkshopCommand::LinkAttendeeToSeller { actor, .. }
            | WorkshopCommand::Cancel { actor } => *actor,
        }
    }

    /// What the command asks to do.
    pub fn action(&self) -> Action {
        match self {
            WorkshopCommand::Schedule { .. } => Action::ScheduleWorkshop,
            WorkshopCommand::RecordAttendance { .. } => Action::RecordAttendance,
            WorkshopCommand::LinkAttendeeToSeller { .. } => Action::LinkAttendeeToSeller,
            WorkshopCommand::Cancel { .. } => Action::CancelWorkshop,
        }
    }
}

/// An event on a workshop's stream (schema version 1; tagged by `"type"`, pinned by the golden
/// files, evolved only by adding optional fields or new types).
///
/// Attendance and linking events repeat the workshop's district and date, so that a funnel
/// projection can count "attended in Nadia in June → became a seller" from each event alone.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum WorkshopEvent {
    /// A workshop was scheduled.
    WorkshopScheduled {
        /// The workshop.
        workshop: WorkshopId,
        /// When it was scheduled.
        at: DateTime<Utc>,
        /// Who scheduled it.
        by: Actor,
        /// Its district.
        district: District,
        /// Its venue.
        venue: String,
        /// Its day (IST).
        date: NaiveDate,
        /// The partner department.
        partner: PartnerDepartment,
        /// How many it can take.
        capacity: u32,
    },
    /// Someone attended.
    AttendanceRecorded {
        /// The workshop.
        workshop: WorkshopId,
        /// When it was recorded.
        at: DateTime<Utc>,
        /// Who recorded it.
        by: Actor,
        /// The workshop's district.
        district: District,
        /// The workshop's day.
        date: NaiveDate,
        /// The attendee.
        attendee: AttendeeId,
        /// Their name.
        name: String,
        /// Their mobile, if given.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        mobile: Option<Mobile>,
    },
    /// An attendee became a seller.
    AttendeeBecameSeller {
        /// The workshop.
        workshop: WorkshopId,
        /// When the link was recorded.
        at: DateTime<Utc>,
        /// Who recorded it.
        by: Actor,
        /// The workshop's district.
        district: District,
        /// The workshop's day.
        date: NaiveDate,
        /// The attendee.
        attendee: AttendeeId,
        /// The seller they became.
        seller: SellerId,
    },
    /// The workshop was called off.
    WorkshopCancelled {
        /// The workshop.
        workshop: WorkshopId,
        /// When.
        at: DateTime<Utc>,
        /// Who cancelled it.
        by: Actor,
    },
}

impl WorkshopEvent {
    /// The workshop the event is about.
    pub fn workshop(&self) -> WorkshopId {
        match self {
            WorkshopEvent::WorkshopScheduled { workshop, .. }
            | WorkshopEvent::AttendanceRecorded { workshop, .. }
            | WorkshopEvent::AttendeeBecameSeller { workshop, .. }
            | WorkshopEvent::WorkshopCancelled { workshop, .. } => *workshop,
        }
    }

    /// When it happened.
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            WorkshopEvent::WorkshopScheduled { at, .. }
            | WorkshopEvent::AttendanceRecorded { at, .. }
            | WorkshopEvent::AttendeeBecameSeller { at, .. }
            | WorkshopEvent::WorkshopCancelled { at, .. } => *at,
        }
    }

    /// The attendee the event is about, for attendance and an attendee becoming a seller.
    pub fn attendee(&self) -> Option<AttendeeId> {
        match self {
            WorkshopEvent::AttendanceRecorded { attendee, .. }
            | WorkshopEvent::AttendeeBecameSeller { attendee, .. } => Some(*attendee),
            WorkshopEvent::WorkshopScheduled { .. } | WorkshopEvent::WorkshopCancelled { .. } => {
                None
            }
        }
    }

    /// The event's name as it appears in JSON (`workshop_scheduled`, ...).
    pub fn kind(&self) -> &'static str {
        match self {
            WorkshopEvent::WorkshopScheduled { .. } => "workshop_scheduled",
            WorkshopEvent::AttendanceRecorded { .. } => "attendance_recorded",
            WorkshopEvent::AttendeeBecameSeller { .. } => "attendee_became_seller",
            WorkshopEvent::WorkshopCancelled { .. } => "workshop_cancelled",
        }
    }
}

/// Whether a scheduled workshop is still on.
///
/// ```
/// use haat_seller::WorkshopStatus;
/// assert_eq!(WorkshopStatus::Cancelled.to_string(), "cancelled");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkshopStatus {
    /// On.
    Scheduled,
    /// Called off.
    Cancelled,
}

impl fmt::Display for WorkshopStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            WorkshopStatus::Scheduled => "scheduled",
            WorkshopStatus::Cancelled => "cancelled",
        })
    }
}

/// Someone who attended a workshop.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attendee {
    /// Their name.
    pub name: String,
    /// Their mobile, if given (masked in `Debug`).
    pub mobile: Option<Mobile>,
    /// When attendance was recorded.
    pub recorded_at: DateTime<Utc>,
    /// The seller they became, if they did.
    pub seller: Option<SellerId>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Schedule {
    id: WorkshopId,
    district: District,
    venue: String,
    date: NaiveDate,
    partner: PartnerDepartment,
    capacity: u32,
}

/// A workshop: the state folded from its events. `Workshop::default()` is one not yet
/// scheduled.
///
/// ```
/// use chrono::{NaiveDate, TimeZone, Utc};
/// use haat_core::{Actor, PinDirectory, StaffId, StateCode, WorkshopId};
/// use haat_seller::{AttendeeId, PartnerDepartment, Workshop, WorkshopCommand};
///
/// let staff = Actor::Operations(StaffId::new(1));
/// let nadia = PinDirectory::india().find_district(StateCode::WEST_BENGAL, "Nadia").unwrap();
/// let mut workshop = Workshop::default();
/// let schedule = WorkshopCommand::Schedule {
///     actor: staff,
///     id: WorkshopId::new(1),
///     district: nadia,
///     venue: "Krishnanagar".into(),
///     date: NaiveDate::from_ymd_opt(2025, 6, 14).unwrap(),
///     partner: PartnerDepartment::Msme,
///     capacity: 40,
/// };
/// let booked = Utc.with_ymd_and_hms(2025, 6, 1, 5, 0, 0).unwrap();
/// for event in workshop.decide(&schedule, booked)? {
///     workshop.apply(&event);
/// }
/// // Attendance only from the workshop's day.
/// let attend = WorkshopCommand::RecordAttendance {
///     actor: staff, attendee: AttendeeId::new(1), name: "Mita Pal".into(), mobile: None,
/// };
/// assert!(workshop.decide(&attend, booked).is_err());
/// let on_the_day = Utc.with_ymd_and_hms(2025, 6, 14, 5, 0, 0).unwrap();
/// for event in workshop.decide(&attend, on_the_day)? {
///     workshop.apply(&event);
/// }
/// assert_eq!(workshop.attendee_count(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Workshop {
    schedule: Option<Schedule>,
    cancelled_at: Option<DateTime<Utc>>,
    attendees: BTreeMap<AttendeeId, Attendee>,
}

impl Workshop {
    /// The state after `events`, in order.
    pub fn replay<'a>(events: impl IntoIterator<Item = &'a WorkshopEvent>) -> Workshop {
        let mut workshop = Workshop::default();
        for event in events {
            workshop.apply(event);
        }
        workshop
    }

    /// Decides `command` at `now`: the events it causes, or why it is refused.
    ///
    /// Repeating a command that changes nothing (scheduling again with the same details,
    /// cancelling a cancelled workshop, linking an attendee to the seller they are already
    /// linked to) is accepted and emits nothing.
    ///
    /// # Errors
    ///
    /// [`Error::Forbidden`] for a seller, or for the system scheduling or cancelling;
    /// [`Error::WorkshopNotScheduled`], [`Error::WorkshopAlreadyScheduled`],
    /// [`Error::WorkshopClosed`] for a cancelled workshop; [`Error::WorkshopNotStarted`],
    /// [`Error::WorkshopFull`], [`Error::DuplicateAttendee`] for attendance;
    /// [`Error::UnknownAttendee`], [`Error::AttendeeAlreadyLinked`] for links;
    /// [`Error::WorkshopHeld`] for cancelling a workshop people attended;
    /// [`Error::ZeroCapacity`], [`Error::EmptyAttendeeName`].
    pub fn decide(
        &self,
        command: &WorkshopCommand,
        now: DateTime<Utc>,
    ) -> Result<Vec<WorkshopEvent>, Error> {
        let actor = command.actor();
        let action = command.action();
        let allowed = match command {
            WorkshopCommand::Schedule { .. } | WorkshopCommand::Cancel { .. } => {
                actor.is_operations()
            }
            WorkshopCommand::RecordAttendance { .. }
            | WorkshopCommand::LinkAttendeeToSeller { .. } => actor.is_marketplace(),
        };
        if !allowed {
            return Err(Error::Forbidden { actor, action });
        }
        let Some(schedule) = &self.schedule else {
            return match command {
                WorkshopCommand::Schedule {
                    id,
                    district,
                    venue,
                    date,
                    partner,
                    capacity,
                    ..
                } => {
                    if *capacity == 0 {
                        return Err(Error::ZeroCapacity);
                    }
                    Ok(vec![WorkshopEvent::WorkshopScheduled {
                        workshop: *id,
                        at: now,
                        by: actor,
                        district: *district,
                        venue: venue.trim().to_owned(),
                        date: *date,
                        partner: partner.clone(),
                        capacity: *capacity,
                    }])
                }
                _ => Err(Error::WorkshopNotScheduled { action }),
            };
        };
        let workshop = schedule.id;
        if self.cancelled_at.is_some() && !matches!(command, WorkshopCommand::Cancel { .. }) {
            return Err(Error::WorkshopClosed {
                workshop,
                status: WorkshopStatus::Cancelled,
                action,
            });
        }
        match command {
            WorkshopCommand::Schedule {
                id,
                district,
                venue,
                date,
                partner,
                capacity,
                ..
            } => {
                let same = *id == workshop
                    && *district == schedule.district
                    && venue.trim() == schedule.venue
                    && *date == schedule.date
                    && *partner == schedule.partner
                    && *capacity == schedule.capacity;
                if same {
                    Ok(Vec::new())
                } else {
                    Err(Error::WorkshopAlreadyScheduled { workshop })
                }
            }
            WorkshopCommand::RecordAttendance {
                attendee,
                name,
                mobile,
                ..
            } => {
                let today = ist_date(now);
                if now < ist_midnight(schedule.date) {
                    return Err(Error::WorkshopNotStarted {
                        workshop,
                        date: schedule.date,
                        today,
                    });
                }
                if self.attendees.contains_key(attendee) {
                    return Err(Error::DuplicateAttendee {
                        workshop,
                        attendee: *attendee,
                    });
                }
                if self.attendees.len() >= schedule.capacity as usize {
                    return Err(Error::WorkshopFull {
                        workshop,
                        capacity: schedule.capacity,
                    });
                }
                let name = name.trim();
                if name.is_empty() {
                    return Err(Error::EmptyAttendeeName);
                }
                Ok(vec![WorkshopEvent::AttendanceRecorded {
                    workshop,
                    at: now,
                    by: actor,
                    district: schedule.district,
                    date: schedule.date,
                    attendee: *attendee,
                    name: name.to_owned(),
                    mobile: *mobile,
                }])
            }
            WorkshopCommand::LinkAttendeeToSeller {
                attendee, seller, ..
            } => {
                let Some(record) = self.attendees.get(attendee) else {
                    return Err(Error::UnknownAttendee {
                        workshop,
                        attendee: *attendee,
                    });
                };
                match record.seller {
                    Some(linked) if linked == *seller => Ok(Vec::new()),
                    Some(linked) => Err(Error::AttendeeAlreadyLinked {
                        workshop,
                        attendee: *attendee,
                        seller: linked,
                    }),
                    None => Ok(vec![WorkshopEvent::AttendeeBecameSeller {
                        workshop,
                        at: now,
                        by: actor,
                        district: schedule.district,
                        date: schedule.date,
                        attendee: *attendee,
                        seller: *seller,
                    }]),
                }
            }
            WorkshopCommand::Cancel { .. } => {
                if self.cancelled_at.is_some() {
                    return Ok(Vec::new());
                }
                if !self.attendees.is_empty() {
                    return Err(Error::WorkshopHeld {
                        workshop,
                        attendees: self.attendees.len(),
                    });
                }
                Ok(vec![WorkshopEvent::WorkshopCancelled {
                    workshop,
                    at: now,
                    by: actor,
                }])
            }
        }
    }

    /// Folds one event into the state. Never fails: events are facts.
    pub fn apply(&mut self, event: &WorkshopEvent) {
        match event {
            WorkshopEvent::WorkshopScheduled {
                workshop,
                district,
                venue,
                date,
                partner,
                capacity,
                ..
            } => {
                self.schedule = Some(Schedule {
                    id: *workshop,
                    district: *district,
                    venue: venue.clone(),
                    date: *date,
                    partner: partner.clone(),
                    capacity: *capacity,
                });
            }
            WorkshopEvent::AttendanceRecorded {
                at,
                attendee,
                name,
                mobile,
                ..
            } => {
                self.attendees.insert(
                    *attendee,
                    Attendee {
                        name: name.clone(),
                        mobile: *mobile,
                        recorded_at: *at,
                        seller: None,
                    },
                );
            }
            WorkshopEvent::AttendeeBecameSeller {
                attendee, seller, ..
            } => {
                if let Some(record) = self.attendees.get_mut(attendee) {
                    record.seller = Some(*seller);
                }
            }
            WorkshopEvent::WorkshopCancelled { at, .. } => self.cancelled_at = Some(*at),
        }
    }

    /// The workshop's id, once scheduled.
    pub fn id(&self) -> Option<WorkshopId> {
        self.schedule.as_ref().map(|s| s.id)
    }

    /// Whether it is on or cancelled; `None` before scheduling.
    pub fn status(&self) -> Option<WorkshopStatus> {
        self.schedule.as_ref().map(|_| {
            if self.cancelled_at.is_some() {
                WorkshopStatus::Cancelled
            } else {
                WorkshopStatus::Scheduled
            }
        })
    }

    /// Its district.
    pub fn district(&self) -> Option<District> {
        self.schedule.as_ref().map(|s| s.district)
    }

    /// Its venue.
    pub fn venue(&self) -> Option<&str> {
        self.schedule.as_ref().map(|s| s.venue.as_str())
    }

    /// Its day (IST).
    pub fn date(&self) -> Option<NaiveDate> {
        self.schedule.as_ref().map(|s| s.date)
    }

    /// Its partner department.
    pub fn partner(&self) -> Option<&PartnerDepartment> {
        self.schedule.as_ref().map(|s| &s.partner)
    }

    /// How many it can take.
    pub fn capacity(&self) -> Option<u32> {
        self.schedule.as_ref().map(|s| s.capacity)
    }

    /// The attendees, by number.
    pub fn attendees(&self) -> &BTreeMap<AttendeeId, Attendee> {
        &self.attendees
    }

    /// How many attended.
    pub fn attendee_count(&self) -> usize {
        self.attendees.len()
    }

    /// How many attendees became sellers.
    pub fn sellers_count(&self) -> usize {
        self.attendees
            .values()
            .filter(|a| a.seller.is_some())
            .count()
    }
}
