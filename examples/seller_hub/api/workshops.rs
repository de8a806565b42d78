//! Workshops: scheduling, attendance, and attendees who became sellers.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use chrono::NaiveDate;
use haat::core::{Actor, District, PinCode, PinDirectory, SellerId, WorkshopId};
use haat::seller::{AttendeeId, Error, PartnerDepartment, Workshop, WorkshopCommand};
use haat_store::{CommandHandler, HandlerError};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{Outcome, meta};
use crate::hub::{Hub, Ids};
use crate::problem::{Body, Caller, Idempotency, Problem, handler_problem, path_id, refusal};

/// A workshop to schedule.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    /// A PIN code in the district it is held in.
    #[schema(value_type = String, example = "741101")]
    pub pin_code: PinCode,
    /// Where.
    pub venue: String,
    /// When (IST date).
    #[schema(value_type = String, example = "2026-01-15")]
    pub date: NaiveDate,
    /// The partner department (`msme`, `textiles`, ...).
    #[schema(value_type = String)]
    pub partner: PartnerDepartment,
    /// Seats.
    pub capacity: u32,
}

/// Schedules a workshop (staff only).
#[utoipa::path(post, path = "/api/workshops", tag = "workshops",
    request_body = Schedule,
    security(("api_key" = [])),
    responses((status = 201, body = Outcome), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn schedule(
    State(hub): State<Arc<Hub>>,
    Caller(actor): Caller,
    Idempotency(command): Idempotency,
    Body(body): Body<Schedule>,
) -> Result<(axum::http::StatusCode, Json<Outcome>), Problem> {
    let district = district_of(body.pin_code)?;
    hub.blocking(move |hub| {
        let handler = CommandHandler::new(&*hub.store);
        loop {
            let id = WorkshopId::new(Ids::next(&hub.ids.workshop));
            let schedule = WorkshopCommand::Schedule {
                actor,
                id,
                district,
                venue: body.venue.clone(),
                date: body.date,
                partner: body.partner.clone(),
                capacity: body.capacity,
            };
            match handler.handle::<Workshop>(&(), &id, &schedule, &meta(actor, command.clone())) {
                Err(HandlerError::Refused(Error::WorkshopAlreadyScheduled { .. })) => continue,
                other => {
                    return other
                        .map(|done| (axum::http::StatusCode::CREATED, Json(Outcome::of(done))))
                        .map_err(workshop_problem);
                }
            }
        }
    })
    .await
}

/// The district a PIN code lies in, or a 400 naming the field.
pub fn district_of(pin: PinCode) -> Result<District, Problem> {
    PinDirectory::india()
        .lookup(pin)
        .and_then(|l| l.districts().first().copied())
        .ok_or_else(|| {
            Problem::bad_field("body.pin_code", format!("{pin} is not a known PIN code"))
        })
}

/// An attendee at a workshop.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Attendance {
    /// The attendee's number on the sheet.
    pub attendee: u64,
    /// The attendee's name (kept in the event, never logged).
    pub name: String,
}

/// Records an attendee (staff only).
#[utoipa::path(post, path = "/api/workshops/{workshop}/attendance", tag = "workshops",
    params(("workshop" = u64, Path, description = "The workshop's id")),
    request_body = Attendance,
    security(("api_key" = [])),
    responses((status = 200, body = Outcome), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn attend(
    State(hub): State<Arc<Hub>>,
    Caller(actor): Caller,
    Idempotency(command): Idempotency,
    Path(raw): Path<String>,
    Body(body): Body<Attendance>,
) -> Result<Json<Outcome>, Problem> {
    let workshop: WorkshopId = path_id("workshop", &raw)?;
    let attend = WorkshopCommand::RecordAttendance {
        actor,
        attendee: AttendeeId::new(body.attendee),
        name: body.name,
        mobile: None,
    };
    run(hub, workshop, attend, actor, command).await
}

/// An attendee who became a seller.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Link {
    /// The attendee's number.
    pub attendee: u64,
    /// The seller.
    pub seller: u64,
}

/// Links an attendee to the seller they became (staff only).
#[utoipa::path(post, path = "/api/workshops/{workshop}/links", tag = "workshops",
    params(("workshop" = u64, Path, description = "The workshop's id")),
    request_body = Link,
    security(("api_key" = [])),
    responses((status = 200, body = Outcome), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn link(
    State(hub): State<Arc<Hub>>,
    Caller(actor): Caller,
    Idempotency(command): Idempotency,
    Path(raw): Path<String>,
    Body(body): Body<Link>,
) -> Result<Json<Outcome>, Problem> {
    let workshop: WorkshopId = path_id("workshop", &raw)?;
    let link = WorkshopCommand::LinkAttendeeToSeller {
        actor,
        attendee: AttendeeId::new(body.attendee),
        seller: SellerId::new(body.seller),
    };
    run(hub, workshop, link, actor, command).await
}

async fn run(
    hub: Arc<Hub>,
    workshop: WorkshopId,
    command: WorkshopCommand,
    actor: Actor,
    id: Option<haat_store::CommandId>,
) -> Result<Json<Outcome>, Problem> {
    hub.blocking(move |hub| {
        CommandHandler::new(&*hub.store)
            .handle::<Workshop>(&(), &workshop, &command, &meta(actor, id))
            .map(|done| Json(Outcome::of(done)))
            .map_err(workshop_problem)
    })
    .await
}

fn workshop_problem(error: HandlerError<Error>) -> Problem {
    handler_problem(error, |e| refusal(e, |_| Vec::new()))
}
