//! Sellers: registration, KYC, the staff's verification, activation, programme enrolment.

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use haat::core::{Actor, PinCode, ProgrammeId, SellerId, WorkshopId};
use haat::seller::{
    AttendeeId, Error, InclusionTag, KycProblem, KycRejectionReason, KycSubmission, Mobile,
    Programme, Seller, SellerCommand, WorkshopReferral,
};
use haat_store::{CommandHandler, HandlerError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Outcome, meta};
use crate::hub::{Hub, Ids};
use crate::problem::{
    Body, Caller, FieldProblem, Idempotency, Problem, handler_problem, path_id, refusal,
};

/// A registration.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Registration {
    /// The name buyers see.
    pub display_name: String,
    /// A ten-digit Indian mobile number.
    #[schema(value_type = String, example = "9830012345")]
    pub mobile: Mobile,
    /// The place of business's PIN code.
    #[schema(value_type = String, example = "741404")]
    pub pin_code: PinCode,
    /// Self-declared inclusion tags (`weaver`, `artisan`, `woman_led`, ...).
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    pub tags: BTreeSet<InclusionTag>,
    /// The workshop and attendee the seller came from, if any.
    #[serde(default)]
    pub referral: Option<Referral>,
}

/// A workshop referral.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Referral {
    /// The workshop.
    pub workshop: u64,
    /// The attendee's number in it.
    pub attendee: u64,
}

/// A new seller: its id, its API key (shown once), and the registration's outcome.
#[derive(Debug, Serialize, ToSchema)]
pub struct Registered {
    /// The seller's id.
    pub seller: u64,
    /// The seller's API key, for the `X-Api-Key` header.
    pub api_key: String,
    /// What the registration appended.
    pub outcome: Outcome,
}

/// Registers a seller. Without a key it is the seller's own registration; with the staff's
/// key, staff register on the seller's behalf.
#[utoipa::path(post, path = "/api/sellers", tag = "sellers",
    request_body = Registration,
    responses((status = 201, body = Registered), (status = 400, body = Problem), (status = 422, body = Problem)))]
pub async fn register(
    State(hub): State<Arc<Hub>>,
    caller: Option<Caller>,
    Idempotency(command): Idempotency,
    Body(body): Body<Registration>,
) -> Result<(axum::http::StatusCode, Json<Registered>), Problem> {
    let registered = hub
        .blocking(move |hub| {
            let handler = CommandHandler::new(&*hub.store);
            loop {
                let seller = SellerId::new(Ids::next(&hub.ids.seller));
                let actor = caller.as_ref().map_or(Actor::Seller(seller), |c| c.0);
                let register = SellerCommand::Register {
                    actor,
                    seller,
                    display_name: body.display_name.clone(),
                    mobile: body.mobile,
                    pin_code: body.pin_code,
                    tags: body.tags.clone(),
                    referral: body.referral.as_ref().map(|r| WorkshopReferral {
                        workshop: WorkshopId::new(r.workshop),
                        attendee: AttendeeId::new(r.attendee),
                    }),
                };
                match handler.handle::<Seller>(
                    &(),
                    &seller,
                    &register,
                    &meta(actor, command.clone()),
                ) {
                    // Another instance took the id: take the next.
                    Err(HandlerError::Refused(Error::AlreadyRegistered { .. })) => continue,
                    other => {
                        let done = other.map_err(seller_problem)?;
                        let id = done.stream.id().parse::<u64>().unwrap_or(seller.get());
                        return Ok(Registered {
                            seller: id,
                            api_key: hub.keys.seller_key(SellerId::new(id)),
                            outcome: Outcome::of(done),
                        });
                    }
                }
            }
        })
        .await;
    registered.map(|r| (axum::http::StatusCode::CREATED, Json(r)))
}

/// A seller as the hub shows it (no KYC details: those stay with the seller's events).
#[derive(Debug, Serialize, ToSchema)]
pub struct SellerView {
    /// The id.
    pub seller: u64,
    /// The name buyers see.
    pub display_name: String,
    /// The onboarding status (`registered`, `kyc_submitted`, `active`, ...).
    pub status: String,
    /// The stream's version.
    pub version: u64,
    /// The programmes the seller is enrolled in.
    pub programmes: Vec<u64>,
}

/// A seller's onboarding state. A seller's key reads only its own.
#[utoipa::path(get, path = "/api/sellers/{seller}", tag = "sellers",
    params(("seller" = u64, Path, description = "The seller's id")),
    security(("api_key" = [])),
    responses((status = 200, body = SellerView), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn show(
    State(hub): State<Arc<Hub>>,
    Caller(actor): Caller,
    Path(raw): Path<String>,
) -> Result<Json<SellerView>, Problem> {
    let seller: SellerId = path_id("seller", &raw)?;
    if !actor.may_act_for(seller) {
        return Err(Problem::forbidden(format!(
            "{actor} may not read seller {seller}"
        )));
    }
    hub.blocking(move |hub| {
        let loaded = CommandHandler::new(&*hub.store)
            .load::<Seller>(&seller)
            .map_err(seller_problem)?;
        let state = loaded.state;
        let Some(status) = state.status() else {
            return Err(Problem::not_found(format!(
                "seller {seller} is not registered"
            )));
        };
        Ok(Json(SellerView {
            seller: seller.get(),
            display_name: state.display_name().unwrap_or_default().to_owned(),
            status: serde_json::to_value(status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_else(|| format!("{status:?}")),
            version: loaded.version,
            programmes: state
                .enrolments()
                .iter()
                .map(|e| e.programme.id().get())
                .collect(),
        }))
    })
    .await
}

/// Submits the seller's KYC. Every problem the cross-checks find is answered at once, field
/// by field.
#[utoipa::path(post, path = "/api/sellers/{seller}/kyc", tag = "sellers",
    params(("seller" = u64, Path, description = "The seller's id")),
    request_body(content = Object, description = "A KYC submission: legal_name, pan, gst, address, bank, udyam, email"),
    security(("api_key" = [])),
    responses((status = 200, body = Outcome), (status = 400, body = Problem), (status = 422, body = Problem)))]
pub async fn submit_kyc(
    State(hub): State<Arc<Hub>>,
    Caller(actor): Caller,
    Idempotency(command): Idempotency,
    Path(raw): Path<String>,
    Body(submission): Body<KycSubmission>,
) -> Result<Json<Outcome>, Problem> {
    let seller: SellerId = path_id("seller", &raw)?;
    run(
        hub,
        seller,
        SellerCommand::SubmitKyc { actor, submission },
        actor,
        command,
    )
    .await
}

/// Verifies the seller's KYC (staff only).
#[utoipa::path(post, path = "/api/sellers/{seller}/kyc/verify", tag = "sellers",
    params(("seller" = u64, Path, description = "The seller's id")),
    security(("api_key" = [])),
    responses((status = 200, body = Outcome), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn verify_kyc(
    State(hub): State<Arc<Hub>>,
    Caller(actor): Caller,
    Idempotency(command): Idempotency,
    Path(raw): Path<String>,
) -> Result<Json<Outcome>, Problem> {
    let seller: SellerId = path_id("seller", &raw)?;
    run(
        hub,
        seller,
        SellerCommand::VerifyKyc { actor },
        actor,
        command,
    )
    .await
}

/// Why KYC is rejected.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Rejection {
    /// At least one reason: `{"kind": "pan_name_mismatch"}`, `{"kind": "other", "detail": "..."}`.
    #[schema(value_type = Vec<Object>)]
    pub reasons: Vec<KycRejectionReason>,
}

/// Rejects the seller's KYC with reasons (staff only).
#[utoipa::path(post, path = "/api/sellers/{seller}/kyc/reject", tag = "sellers",
    params(("seller" = u64, Path, description = "The seller's id")),
    request_body = Rejection,
    security(("api_key" = [])),
    responses((status = 200, body = Outcome), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn reject_kyc(
    State(hub): State<Arc<Hub>>,
    Caller(actor): Caller,
    Idempotency(command): Idempotency,
    Path(raw): Path<String>,
    Body(body): Body<Rejection>,
) -> Result<Json<Outcome>, Problem> {
    let seller: SellerId = path_id("seller", &raw)?;
    let reject = SellerCommand::RejectKyc {
        actor,
        reasons: body.reasons,
    };
    run(hub, seller, reject, actor, command).await
}

/// Activates a verified seller (the marketplace's staff).
#[utoipa::path(post, path = "/api/sellers/{seller}/activate", tag = "sellers",
    params(("seller" = u64, Path, description = "The seller's id")),
    security(("api_key" = [])),
    responses((status = 200, body = Outcome), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn activate(
    State(hub): State<Arc<Hub>>,
    Caller(actor): Caller,
    Idempotency(command): Idempotency,
    Path(raw): Path<String>,
) -> Result<Json<Outcome>, Problem> {
    let seller: SellerId = path_id("seller", &raw)?;
    run(
        hub,
        seller,
        SellerCommand::Activate { actor },
        actor,
        command,
    )
    .await
}

/// An enrolment.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Enrolment {
    /// The programme's id (the inclusion programme: any inclusion tag is eligible).
    pub programme: u64,
}

/// Enrols a seller in a programme (staff only).
#[utoipa::path(post, path = "/api/sellers/{seller}/programmes", tag = "sellers",
    params(("seller" = u64, Path, description = "The seller's id")),
    request_body = Enrolment,
    security(("api_key" = [])),
    responses((status = 200, body = Outcome), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn enrol(
    State(hub): State<Arc<Hub>>,
    Caller(actor): Caller,
    Idempotency(command): Idempotency,
    Path(raw): Path<String>,
    Body(body): Body<Enrolment>,
) -> Result<Json<Outcome>, Problem> {
    let seller: SellerId = path_id("seller", &raw)?;
    let programme = Programme::samarth_like(ProgrammeId::new(body.programme));
    run(
        hub,
        seller,
        SellerCommand::EnrolInProgramme { actor, programme },
        actor,
        command,
    )
    .await
}

async fn run(
    hub: Arc<Hub>,
    seller: SellerId,
    command: SellerCommand,
    actor: Actor,
    id: Option<haat_store::CommandId>,
) -> Result<Json<Outcome>, Problem> {
    hub.blocking(move |hub| {
        CommandHandler::new(&*hub.store)
            .handle::<Seller>(&(), &seller, &command, &meta(actor, id))
            .map(|done| Json(Outcome::of(done)))
            .map_err(seller_problem)
    })
    .await
}

/// A seller command's error as a problem, KYC problems field by field.
pub fn seller_problem(error: HandlerError<Error>) -> Problem {
    handler_problem(error, |e| refusal(e, kyc_fields))
}

fn kyc_fields(error: &Error) -> Vec<FieldProblem> {
    let field = |name: &str, problem: &KycProblem| FieldProblem {
        field: name.to_owned(),
        reason: problem.to_string(),
    };
    match error {
        Error::KycProblems(problems) => problems
            .iter()
            .map(|p| match p {
                KycProblem::LegalNameEmpty => field("body.legal_name", p),
                KycProblem::AccountHolderNameEmpty => field("body.bank.holder_name", p),
                KycProblem::UnknownPinCode { .. } => field("body.address.pin_code", p),
                KycProblem::GstinStateMismatch { .. } => field("body.gst", p),
                KycProblem::GstinPanMismatch { .. } | KycProblem::EnrolmentPanMismatch { .. } => {
                    field("body.pan", p)
                }
                _ => field("body.gst", p),
            })
            .collect(),
        Error::EmptyDisplayName => vec![FieldProblem {
            field: "body.display_name".into(),
            reason: error.to_string(),
        }],
        _ => Vec::new(),
    }
}
