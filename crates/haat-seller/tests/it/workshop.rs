//! Workshops: scheduling, attendance, links to sellers, cancellation.

// Helpers outside `#[test]` functions assert too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use haat_core::{Actor, District, PinDirectory, SellerId, StaffId, StateCode, WorkshopId};
use haat_seller::{
    Action, AttendeeId, Error, PartnerDepartment, Workshop, WorkshopCommand, WorkshopEvent,
    WorkshopStatus,
};
use proptest::prelude::*;

use crate::seller::assert_personal_data_hidden;
use crate::seller::fixtures::MOBILE;

pub const WORKSHOP: WorkshopId = WorkshopId::new(1);

pub fn staff() -> Actor {
    Actor::Operations(StaffId::new(7))
}

pub fn nadia() -> District {
    PinDirectory::india()
        .find_district(StateCode::WEST_BENGAL, "Nadia")
        .unwrap()
}

pub fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 6, 14).unwrap()
}

/// 14 June 2025 at `hour`:00 UTC.
fn on_the_day(hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 6, 14, hour, 0, 0).unwrap()
}

fn booked() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 6, 1, 5, 0, 0).unwrap()
}

pub fn scheduled() -> WorkshopEvent {
    WorkshopEvent::WorkshopScheduled {
        workshop: WORKSHOP,
        at: booked(),
        by: staff(),
        district: nadia(),
        venue: "District Industries Centre, Krishnanagar".into(),
        date: day(),
        partner: PartnerDepartment::Msme,
        capacity: 2,
    }
}

pub fn attended(attendee: u64) -> WorkshopEvent {
    WorkshopEvent::AttendanceRecorded {
        workshop: WORKSHOP,
        at: on_the_day(5),
        by: staff(),
        district: nadia(),
        date: day(),
        attendee: AttendeeId::new(attendee),
        name: format!("Attendee {attendee}"),
        mobile: Some(MOBILE.parse().unwrap()),
    }
}

pub fn became_seller(attendee: u64, seller: u64) -> WorkshopEvent {
    WorkshopEvent::AttendeeBecameSeller {
        workshop: WORKSHOP,
        at: on_the_day(9),
        by: Actor::System,
        district: nadia(),
        date: day(),
        attendee: AttendeeId::new(attendee),
        seller: SellerId::new(seller),
    }
}

pub fn cancelled() -> WorkshopEvent {
    WorkshopEvent::WorkshopCancelled {
        workshop: WORKSHOP,
        at: booked(),
        by: staff(),
    }
}

fn schedule(actor: Actor, capacity: u32) -> WorkshopCommand {
    WorkshopCommand::Schedule {
        actor,
        id: WORKSHOP,
        district: nadia(),
        venue: "District Industries Centre, Krishnanagar".into(),
        date: day(),
        partner: PartnerDepartment::Msme,
        capacity,
    }
}

fn attend(attendee: u64) -> WorkshopCommand {
    WorkshopCommand::RecordAttendance {
        actor: staff(),
        attendee: AttendeeId::new(attendee),
        name: format!("Attendee {attendee}"),
        mobile: Some(MOBILE.parse().unwrap()),
    }
}

fn link(attendee: u64, seller: u64) -> WorkshopCommand {
    WorkshopCommand::LinkAttendeeToSeller {
        actor: Actor::System,
        attendee: AttendeeId::new(attendee),
        seller: SellerId::new(seller),
    }
}

/// Given `events`, when `command` at `now`: the events emitted, or the error.
#[track_caller]
fn check(
    given: &[WorkshopEvent],
    when: WorkshopCommand,
    now: DateTime<Utc>,
    then: Result<Vec<WorkshopEvent>, Error>,
) {
    let workshop = Workshop::replay(given);
    let before = workshop.clone();
    assert_eq!(
        workshop.decide(&when, now),
        then,
        "given {given:#?}\nwhen {when:#?}"
    );
    assert_eq!(workshop, before);
}

#[test]
fn scheduling() {
    check(&[], schedule(staff(), 2), booked(), Ok(vec![scheduled()]));
    check(
        &[],
        schedule(staff(), 0),
        booked(),
        Err(Error::ZeroCapacity),
    );
    // Again with the same details: nothing; with others: refused.
    check(
        &[scheduled()],
        schedule(staff(), 2),
        on_the_day(1),
        Ok(vec![]),
    );
    check(
        &[scheduled()],
        schedule(staff(), 40),
        booked(),
        Err(Error::WorkshopAlreadyScheduled { workshop: WORKSHOP }),
    );
    // Nothing else before scheduling.
    check(
        &[],
        attend(1),
        on_the_day(5),
        Err(Error::WorkshopNotScheduled {
            action: Action::RecordAttendance,
        }),
    );
    check(
        &[],
        WorkshopCommand::Cancel { actor: staff() },
        booked(),
        Err(Error::WorkshopNotScheduled {
            action: Action::CancelWorkshop,
        }),
    );
}

#[test]
fn authorisation() {
    let seller = Actor::Seller(SellerId::new(5));
    for actor in [seller, Actor::System] {
        check(
            &[],
            schedule(actor, 2),
            booked(),
            Err(Error::Forbidden {
                actor,
                action: Action::ScheduleWorkshop,
            }),
        );
        check(
            &[scheduled()],
            WorkshopCommand::Cancel { actor },
            booked(),
            Err(Error::Forbidden {
                actor,
                action: Action::CancelWorkshop,
            }),
        );
    }
    check(
        &[scheduled()],
        WorkshopCommand::RecordAttendance {
            actor: seller,
            attendee: AttendeeId::new(1),
            name: "Mita".into(),
            mobile: None,
        },
        on_the_day(5),
        Err(Error::Forbidden {
            actor: seller,
            action: Action::RecordAttendance,
        }),
    );
    check(
        &[scheduled(), attended(1)],
        WorkshopCommand::LinkAttendeeToSeller {
            actor: seller,
            attendee: AttendeeId::new(1),
            seller: SellerId::new(5),
        },
        on_the_day(9),
        Err(Error::Forbidden {
            actor: seller,
            action: Action::LinkAttendeeToSeller,
        }),
    );
}

#[test]
fn attendance() {
    // From 00:00 IST on the day (18:30 UTC the day before), not a second earlier.
    let midnight_ist = Utc.with_ymd_and_hms(2025, 6, 13, 18, 30, 0).unwrap();
    check(
        &[scheduled()],
        attend(1),
        midnight_ist - chrono::TimeDelta::seconds(1),
        Err(Error::WorkshopNotStarted {
            workshop: WORKSHOP,
            date: day(),
            today: NaiveDate::from_ymd_opt(2025, 6, 13).unwrap(),
        }),
    );
    assert!(
        Workshop::replay(&[scheduled()])
            .decide(&attend(1), midnight_ist)
            .is_ok()
    );
    check(
        &[scheduled()],
        attend(1),
        on_the_day(5),
        Ok(vec![attended(1)]),
    );
    // Late entries (a sheet typed up days later) are fine.
    assert!(
        Workshop::replay(&[scheduled()])
            .decide(&attend(1), on_the_day(5) + chrono::TimeDelta::days(3))
            .is_ok()
    );
    check(
        &[scheduled(), attended(1)],
        attend(1),
        on_the_day(5),
        Err(Error::DuplicateAttendee {
            workshop: WORKSHOP,
            attendee: AttendeeId::new(1),
        }),
    );
    check(
        &[scheduled(), attended(1), attended(2)],
        attend(3),
        on_the_day(5),
        Err(Error::WorkshopFull {
            workshop: WORKSHOP,
            capacity: 2,
        }),
    );
    check(
        &[scheduled()],
        WorkshopCommand::RecordAttendance {
            actor: staff(),
            attendee: AttendeeId::new(1),
            name: "  ".into(),
            mobile: None,
        },
        on_the_day(5),
        Err(Error::EmptyAttendeeName),
    );
}

#[test]
fn linking_attendees_to_sellers() {
    let given = [scheduled(), attended(1)];
    check(
        &given,
        link(1, 42),
        on_the_day(9),
        Ok(vec![became_seller(1, 42)]),
    );
    check(
        &given,
        link(2, 42),
        on_the_day(9),
        Err(Error::UnknownAttendee {
            workshop: WORKSHOP,
            attendee: AttendeeId::new(2),
        }),
    );
    let linked = [scheduled(), attended(1), became_seller(1, 42)];
    check(&linked, link(1, 42), on_the_day(10), Ok(vec![]));
    check(
        &linked,
        link(1, 43),
        on_the_day(10),
        Err(Error::AttendeeAlreadyLinked {
            workshop: WORKSHOP,
            attendee: AttendeeId::new(1),
            seller: SellerId::new(42),
        }),
    );
    let workshop = Workshop::replay(&linked);
    assert_eq!(workshop.sellers_count(), 1);
    assert_eq!(
        workshop.attendees()[&AttendeeId::new(1)].seller,
        Some(SellerId::new(42))
    );
}

#[test]
fn cancellation() {
    check(
        &[scheduled()],
        WorkshopCommand::Cancel { actor: staff() },
        booked(),
        Ok(vec![cancelled()]),
    );
    check(
        &[scheduled(), cancelled()],
        WorkshopCommand::Cancel { actor: staff() },
        booked(),
        Ok(vec![]),
    );
    check(
        &[scheduled(), cancelled()],
        attend(1),
        on_the_day(5),
        Err(Error::WorkshopClosed {
            workshop: WORKSHOP,
            status: WorkshopStatus::Cancelled,
            action: Action::RecordAttendance,
        }),
    );
    check(
        &[scheduled(), attended(1)],
        WorkshopCommand::Cancel { actor: staff() },
        on_the_day(9),
        Err(Error::WorkshopHeld {
            workshop: WORKSHOP,
            attendees: 1,
        }),
    );
    assert_eq!(
        Workshop::replay(&[scheduled(), cancelled()]).status(),
        Some(WorkshopStatus::Cancelled)
    );
}

#[test]
fn accessors() {
    let workshop = Workshop::replay(&[scheduled(), attended(1), attended(2), became_seller(2, 7)]);
    assert_eq!(workshop.id(), Some(WORKSHOP));
    assert_eq!(workshop.status(), Some(WorkshopStatus::Scheduled));
    assert_eq!(workshop.district().map(|d| d.name()), Some("Nadia"));
    assert_eq!(workshop.date(), Some(day()));
    assert_eq!(workshop.partner(), Some(&PartnerDepartment::Msme));
    assert_eq!(workshop.capacity(), Some(2));
    assert_eq!(
        workshop.venue(),
        Some("District Industries Centre, Krishnanagar")
    );
    assert_eq!(workshop.attendee_count(), 2);
    assert_eq!(workshop.sellers_count(), 1);
    assert_eq!(Workshop::default().status(), None);
    assert_personal_data_hidden(&format!("{workshop:?}"));
}

fn arbitrary_command() -> impl Strategy<Value = WorkshopCommand> {
    workshop_command_by(prop_oneof![
        Just(staff()),
        Just(Actor::System),
        Just(Actor::Seller(SellerId::new(5)))
    ])
}

/// Any command of any variant, by an actor from `actor`.
pub fn workshop_command_by(
    actor: impl Strategy<Value = Actor>,
) -> impl Strategy<Value = WorkshopCommand> {
    (actor, 0u8..4, 1u64..5, 1u64..4, 0u32..4).prop_map(
        |(actor, which, attendee, seller, capacity)| match which {
            0 => WorkshopCommand::Schedule {
                actor,
                id: WORKSHOP,
                district: nadia(),
                venue: "Krishnanagar".into(),
                date: day(),
                partner: PartnerDepartment::StateGovernment("MSME&T, West Bengal".into()),
                capacity,
            },
            1 => WorkshopCommand::RecordAttendance {
                actor,
                attendee: AttendeeId::new(attendee),
                name: "Rina".into(),
                mobile: Some(MOBILE.parse().unwrap()),
            },
            2 => WorkshopCommand::LinkAttendeeToSeller {
                actor,
                attendee: AttendeeId::new(attendee),
                seller: SellerId::new(seller),
            },
            _ => WorkshopCommand::Cancel { actor },
        },
    )
}

proptest! {
    /// Replaying the accepted events gives the live state; refusals change nothing; capacity
    /// is never exceeded; mobiles never appear whole.
    #[test]
    fn replay_equals_live_state(
        commands in prop::collection::vec((arbitrary_command(), 0i64..400_000), 0..30)
    ) {
        let mut live = Workshop::default();
        let mut stream = Vec::new();
        let mut now = booked();
        for (command, step) in &commands {
            now += chrono::TimeDelta::seconds(*step * 10);
            let before = live.clone();
            match live.decide(command, now) {
                Ok(events) => {
                    for event in &events {
                        live.apply(event);
                    }
                    stream.extend(events);
                }
                Err(error) => {
                    prop_assert_eq!(&live, &before);
                    assert_personal_data_hidden(&format!("{error:?} {error}"));
                }
            }
            prop_assert!(live.attendee_count() <= live.capacity().unwrap_or(0) as usize);
        }
        prop_assert_eq!(&Workshop::replay(&stream), &live);
        let json = serde_json::to_string(&stream).unwrap();
        let loaded: Vec<WorkshopEvent> = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&Workshop::replay(&loaded), &live);
        assert_personal_data_hidden(&format!("{live:?} {stream:?}"));
    }
}
