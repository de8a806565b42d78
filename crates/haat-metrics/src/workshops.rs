//! Workshops: who attended where, and which attendees became sellers.

use std::collections::HashMap;

use chrono::NaiveDate;
use haat_core::{District, SellerId, WorkshopId};
use haat_seller::{AttendeeId, PartnerDepartment, WorkshopEvent};

/// What the metrics know of one workshop.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkshopFacts {
    /// Its district, day and partner, once its scheduling has been seen.
    pub scheduled: Option<(District, NaiveDate, PartnerDepartment)>,
    /// Whether it was called off.
    pub cancelled: bool,
}

/// One attendance, and the seller it led to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AttendanceFacts {
    /// The workshop's district.
    pub district: District,
    /// The workshop's day (IST).
    pub date: NaiveDate,
    /// Whether the attendance itself was recorded (a link can arrive before it).
    pub attended: bool,
    /// The seller the attendee became.
    pub seller: Option<SellerId>,
}

fn min_option<T: Ord + Clone>(a: &Option<T>, b: &Option<T>) -> Option<T> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.clone().min(b.clone())),
        (a, b) => a.clone().or_else(|| b.clone()),
    }
}

impl AttendanceFacts {
    fn merge(&mut self, other: &AttendanceFacts) {
        (self.district, self.date) = (self.district, self.date).min((other.district, other.date));
        self.attended |= other.attended;
        self.seller = min_option(&self.seller, &other.seller);
    }
}

/// Workshops and their attendance, folded from [`WorkshopEvent`]s: the top of the funnel
/// attended → registered → KYC verified → active → first listing → first sale.
///
/// ```
/// use chrono::{NaiveDate, TimeZone, Utc};
/// use haat_core::{Actor, PinDirectory, SellerId, StateCode, WorkshopId};
/// use haat_metrics::WorkshopFold;
/// use haat_seller::{AttendeeId, WorkshopEvent};
///
/// let nadia = PinDirectory::india().find_district(StateCode::WEST_BENGAL, "Nadia").ok_or("no Nadia")?;
/// let date = NaiveDate::from_ymd_opt(2025, 6, 14).ok_or("bad date")?;
/// let at = Utc.with_ymd_and_hms(2025, 6, 14, 6, 0, 0).unwrap();
/// let (workshop, attendee, by) = (WorkshopId::new(1), AttendeeId::new(3), Actor::System);
/// let mut workshops = WorkshopFold::default();
/// workshops.apply(&WorkshopEvent::AttendeeBecameSeller {
///     workshop, at, by, district: nadia, date, attendee, seller: SellerId::new(7),
/// });
/// assert_eq!(workshops.attendance(workshop, attendee).unwrap().seller, Some(SellerId::new(7)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkshopFold {
    workshops: HashMap<WorkshopId, WorkshopFacts>,
    attendance: HashMap<(WorkshopId, AttendeeId), AttendanceFacts>,
}

impl WorkshopFold {
    /// Folds one workshop event in.
    pub fn apply(&mut self, event: &WorkshopEvent) {
        match event {
            WorkshopEvent::WorkshopScheduled {
                workshop,
                district,
                date,
                partner,
                ..
            } => self.merge_workshop(
                *workshop,
                &WorkshopFacts {
                    scheduled: Some((*district, *date, partner.clone())),
                    cancelled: false,
                },
            ),
            WorkshopEvent::WorkshopCancelled { workshop, .. } => self.merge_workshop(
                *workshop,
                &WorkshopFacts {
                    scheduled: None,
                    cancelled: true,
                },
            ),
            WorkshopEvent::AttendanceRecorded {
                workshop,
                district,
                date,
                attendee,
                ..
            } => self.merge_attendance(
                (*workshop, *attendee),
                &AttendanceFacts {
                    district: *district,
                    date: *date,
                    attended: true,
                    seller: None,
                },
            ),
            WorkshopEvent::AttendeeBecameSeller {
                workshop,
                district,
                date,
                attendee,
                seller,
                ..
            } => self.merge_attendance(
                (*workshop, *attendee),
                &AttendanceFacts {
                    district: *district,
                    date: *date,
                    attended: false,
                    seller: Some(*seller),
                },
            ),
            _ => {}
        }
    }

    fn merge_workshop(&mut self, id: WorkshopId, facts: &WorkshopFacts) {
        let ours = self.workshops.entry(id).or_default();
        ours.scheduled = min_option(&ours.scheduled, &facts.scheduled);
        ours.cancelled |= facts.cancelled;
    }

    fn merge_attendance(&mut self, key: (WorkshopId, AttendeeId), facts: &AttendanceFacts) {
        match self.attendance.get_mut(&key) {
            Some(ours) => ours.merge(facts),
            None => {
                self.attendance.insert(key, *facts);
            }
        }
    }

    /// Merges another fold in: associative and commutative.
    pub fn merge(&mut self, other: &WorkshopFold) {
        for (id, facts) in &other.workshops {
            self.merge_workshop(*id, facts);
        }
        for (key, facts) in &other.attendance {
            self.merge_attendance(*key, facts);
        }
    }

    /// One workshop's facts.
    pub fn workshop(&self, id: WorkshopId) -> Option<&WorkshopFacts> {
        self.workshops.get(&id)
    }

    /// One attendance.
    pub fn attendance(
        &self,
        workshop: WorkshopId,
        attendee: AttendeeId,
    ) -> Option<&AttendanceFacts> {
        self.attendance.get(&(workshop, attendee))
    }

    /// Every attendance, in no particular order.
    pub fn attendances(&self) -> impl Iterator<Item = (WorkshopId, AttendeeId, &AttendanceFacts)> {
        self.attendance
            .iter()
            .map(|((w, a), facts)| (*w, *a, facts))
    }

    /// The partner department of a workshop, once its scheduling has been seen.
    pub fn partner(&self, id: WorkshopId) -> Option<&PartnerDepartment> {
        self.workshops
            .get(&id)
            .and_then(|w| w.scheduled.as_ref())
            .map(|(_, _, partner)| partner)
    }
}
