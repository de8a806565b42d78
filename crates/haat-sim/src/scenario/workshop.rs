//! A seller-training workshop: scheduled, attended, and the sellers it brought simulated.

use chrono::{DateTime, TimeDelta, Utc};
use haat_core::{Actor, SellerId, WorkshopId, ist_midnight};
use haat_seller::{AttendeeId, PartnerDepartment, Workshop, WorkshopCommand, WorkshopReferral};

use super::out::Out;
use super::{World, seller, staff, working_hours};
use crate::plan::Plan;
use crate::refusal::Refusal;
use crate::{Rng, people};

/// Runs a workshop: schedules it, records its attendees, and simulates the sellers it brought.
pub(super) fn simulate(world: &World<'_>, plan: &Plan, w: u32, out: &mut Out<'_, '_>) {
    let Some(wp) = plan.workshops.get(w as usize) else {
        return;
    };
    let config = &world.config;
    let mut rng = Rng::stream(config.seed, crate::plan::WORKSHOP_STREAM ^ u64::from(w) ^ 1);
    let id = WorkshopId::new(u64::from(w) + 1);
    let Some(&district) = world.districts.list.get(usize::from(wp.district)) else {
        return;
    };
    let sellers = wp.sellers.len() as u64;
    let conversion = u64::from(config.workshop_conversion.basis_points().max(1));
    let attendees = (sellers * 10_000).div_ceil(conversion).max(sellers);
    let partner = match rng.below(6) {
        0 => PartnerDepartment::Msme,
        1 => PartnerDepartment::Textiles,
        2 => PartnerDepartment::RuralDevelopment,
        3 => PartnerDepartment::MinorityAffairs,
        4 => PartnerDepartment::TribalAffairs,
        _ => PartnerDepartment::StateGovernment(
            "Department of MSME and Textiles, Government of West Bengal".into(),
        ),
    };
    let ops = staff(&mut rng);
    let mut workshop = Workshop::default();
    let scheduled_at = working_hours(&mut rng, wp.date - chrono::Days::new(14));
    let schedule = WorkshopCommand::Schedule {
        actor: ops,
        id,
        district,
        venue: format!("District Industries Centre, {}", district.name()),
        date: wp.date,
        partner,
        capacity: u32::try_from(attendees + 10).unwrap_or(u32::MAX),
    };
    workshop_cmd(&mut workshop, &schedule, scheduled_at, out);
    out.counts.workshops += 1;
    let start = ist_midnight(wp.date) + TimeDelta::hours(11);
    for a in 0..attendees {
        let record = WorkshopCommand::RecordAttendance {
            actor: ops,
            attendee: AttendeeId::new(a + 1),
            name: people::person_name(&mut rng),
            mobile: people::mobile(&mut rng),
        };
        workshop_cmd(
            &mut workshop,
            &record,
            start + TimeDelta::minutes(a as i64),
            out,
        );
        out.counts.attendees += 1;
    }
    for (a, &s) in wp.sellers.iter().enumerate() {
        let referral = WorkshopReferral {
            workshop: id,
            attendee: AttendeeId::new(a as u64 + 1),
        };
        let registered = seller::simulate(world, plan, s, Some((referral, wp.date)), out);
        if let Some(at) = registered {
            let link = WorkshopCommand::LinkAttendeeToSeller {
                actor: Actor::System,
                attendee: referral.attendee,
                seller: SellerId::new(u64::from(s) + 1),
            };
            workshop_cmd(&mut workshop, &link, at + TimeDelta::minutes(5), out);
        }
    }
}

/// Sends a workshop command, folding in its events; a refusal is counted.
fn workshop_cmd(
    workshop: &mut Workshop,
    command: &WorkshopCommand,
    at: DateTime<Utc>,
    out: &mut Out<'_, '_>,
) {
    out.counts.commands += 1;
    match workshop.decide(command, at) {
        Ok(events) => {
            for event in &events {
                workshop.apply(event);
                out.workshop(event);
            }
        }
        Err(e) => out.refused(Refusal::of_workshop(&e)),
    }
}
