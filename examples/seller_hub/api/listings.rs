//! Listings: drafts, edits, review, going live, bulk import, search.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use haat::catalogue::{
    Error, ListingCommand, ListingContent, SearchQuery, import_csv, import_jsonl,
};
use haat::core::{Actor, ListingId, Money, SellerId};
use haat_store::{Claim, CommandHandler, HandlerError, ListingState};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{Outcome, derived, meta};
use crate::hub::{Hub, Ids};
use crate::problem::{Body, Caller, Idempotency, Problem, handler_problem, path_id, refusal};

/// A new listing's draft.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Draft {
    /// The seller it belongs to (a seller's key may only name itself).
    pub seller: u64,
    /// The content: title, description, category, attributes, images, price, mrp, hsn, sku.
    #[schema(value_type = Object)]
    pub content: ListingContent,
}

/// Creates a listing's draft.
#[utoipa::path(post, path = "/api/listings", tag = "listings",
    request_body = Draft,
    security(("api_key" = [])),
    responses((status = 201, body = Outcome), (status = 400, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn create(
    State(hub): State<Arc<Hub>>,
    Caller(actor): Caller,
    Idempotency(command): Idempotency,
    Body(body): Body<Draft>,
) -> Result<(axum::http::StatusCode, Json<Outcome>), Problem> {
    let seller = SellerId::new(body.seller);
    hub.blocking(move |hub| {
        create_draft(hub, actor, seller, body.content, command)
            .map(|o| (axum::http::StatusCode::CREATED, Json(o)))
    })
    .await
}

/// Creates a draft under a new listing id, taking the next id when another instance took it.
fn create_draft(
    hub: &Hub,
    actor: Actor,
    seller: SellerId,
    content: ListingContent,
    command: Option<haat_store::CommandId>,
) -> Result<Outcome, Problem> {
    let handler = CommandHandler::new(&*hub.store);
    loop {
        let listing = ListingId::new(Ids::next(&hub.ids.listing));
        let draft = ListingCommand::CreateDraft {
            actor,
            listing,
            seller,
            content: content.clone(),
        };
        match handler.handle::<ListingState>(
            &hub.taxonomy,
            &listing,
            &draft,
            &meta(actor, command.clone()),
        ) {
            Err(HandlerError::Refused(Error::ListingExists { .. })) => continue,
            other => return other.map(Outcome::of).map_err(listing_problem),
        }
    }
}

/// A listing as the hub shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListingView {
    /// The id.
    pub listing: u64,
    /// Its seller.
    pub seller: u64,
    /// Its status (`draft`, `in_review`, `approved`, `active`, ...).
    #[schema(value_type = String)]
    pub status: haat::catalogue::ListingStatus,
    /// The stream's version.
    pub version: u64,
    /// The current content.
    #[schema(value_type = Object)]
    pub content: ListingContent,
}

/// A listing. A seller's key reads only its own listings.
#[utoipa::path(get, path = "/api/listings/{listing}", tag = "listings",
    params(("listing" = u64, Path, description = "The listing's id")),
    security(("api_key" = [])),
    responses((status = 200, body = ListingView), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn show(
    State(hub): State<Arc<Hub>>,
    Caller(actor): Caller,
    Path(raw): Path<String>,
) -> Result<Json<ListingView>, Problem> {
    let listing: ListingId = path_id("listing", &raw)?;
    hub.blocking(move |hub| {
        let loaded = CommandHandler::new(&*hub.store)
            .load::<ListingState>(&listing)
            .map_err(listing_problem)?;
        let Some(state) = loaded.state.0 else {
            return Err(Problem::not_found(format!(
                "listing {listing} does not exist"
            )));
        };
        if !actor.may_act_for(state.seller()) {
            return Err(Problem::forbidden(format!(
                "{actor} may not read listing {listing}"
            )));
        }
        Ok(Json(ListingView {
            listing: listing.get(),
            seller: state.seller().get(),
            status: state.status(),
            version: loaded.version,
            content: state.content().clone(),
        }))
    })
    .await
}

/// New content for a listing.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Content {
    /// The content.
    #[schema(value_type = Object)]
    pub content: ListingContent,
}

/// Edits a listing's content (the seller's own).
#[utoipa::path(put, path = "/api/listings/{listing}/content", tag = "listings",
    params(("listing" = u64, Path, description = "The listing's id")),
    request_body = Content,
    security(("api_key" = [])),
    responses((status = 200, body = Outcome), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn edit_content(
    State(hub): State<Arc<Hub>>,
    Caller(actor): Caller,
    Idempotency(command): Idempotency,
    Path(raw): Path<String>,
    Body(body): Body<Content>,
) -> Result<Json<Outcome>, Problem> {
    let listing: ListingId = path_id("listing", &raw)?;
    let edit = ListingCommand::EditContent {
        actor,
        listing,
        content: body.content,
    };
    run(hub, listing, edit, command).await
}

/// A new price.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Price {
    /// The price, in rupees (`"2450.00"`).
    #[schema(value_type = String)]
    pub price: Money,
    /// The MRP, if printed.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub mrp: Option<Money>,
}

/// Edits a listing's price (the seller's own).
#[utoipa::path(put, path = "/api/listings/{listing}/price", tag = "listings",
    params(("listing" = u64, Path, description = "The listing's id")),
    request_body = Price,
    security(("api_key" = [])),
    responses((status = 200, body = Outcome), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn edit_price(
    State(hub): State<Arc<Hub>>,
    Caller(actor): Caller,
    Idempotency(command): Idempotency,
    Path(raw): Path<String>,
    Body(body): Body<Price>,
) -> Result<Json<Outcome>, Problem> {
    let listing: ListingId = path_id("listing", &raw)?;
    let edit = ListingCommand::EditPrice {
        actor,
        listing,
        price: body.price,
        mrp: body.mrp,
    };
    run(hub, listing, edit, command).await
}

/// Submits a listing for review (the seller's own).
#[utoipa::path(post, path = "/api/listings/{listing}/submit", tag = "listings",
    params(("listing" = u64, Path, description = "The listing's id")),
    security(("api_key" = [])),
    responses((status = 200, body = Outcome), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn submit(
    State(hub): State<Arc<Hub>>,
    Caller(actor): Caller,
    Idempotency(command): Idempotency,
    Path(raw): Path<String>,
) -> Result<Json<Outcome>, Problem> {
    let listing: ListingId = path_id("listing", &raw)?;
    run(
        hub,
        listing,
        ListingCommand::SubmitForReview { actor, listing },
        command,
    )
    .await
}

/// A review's verdict.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Verdict {
    /// Whether the listing passes.
    pub pass: bool,
    /// Why not, when it does not.
    #[serde(default)]
    pub reasons: Vec<String>,
}

/// Passes or rejects a listing's review (staff only).
#[utoipa::path(post, path = "/api/listings/{listing}/review", tag = "listings",
    params(("listing" = u64, Path, description = "The listing's id")),
    request_body = Verdict,
    security(("api_key" = [])),
    responses((status = 200, body = Outcome), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn review(
    State(hub): State<Arc<Hub>>,
    Caller(actor): Caller,
    Idempotency(command): Idempotency,
    Path(raw): Path<String>,
    Body(body): Body<Verdict>,
) -> Result<Json<Outcome>, Problem> {
    let listing: ListingId = path_id("listing", &raw)?;
    let verdict = if body.pass {
        ListingCommand::PassReview { actor, listing }
    } else {
        ListingCommand::RejectReview {
            actor,
            listing,
            reasons: body.reasons,
        }
    };
    run(hub, listing, verdict, command).await
}

/// Puts an approved listing live (the seller's own).
#[utoipa::path(post, path = "/api/listings/{listing}/activate", tag = "listings",
    params(("listing" = u64, Path, description = "The listing's id")),
    security(("api_key" = [])),
    responses((status = 200, body = Outcome), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn activate(
    State(hub): State<Arc<Hub>>,
    Caller(actor): Caller,
    Idempotency(command): Idempotency,
    Path(raw): Path<String>,
) -> Result<Json<Outcome>, Problem> {
    let listing: ListingId = path_id("listing", &raw)?;
    run(
        hub,
        listing,
        ListingCommand::Activate { actor, listing },
        command,
    )
    .await
}

/// The import's file format.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ImportFormat {
    /// `csv` (the default) or `jsonl`.
    pub format: Option<String>,
}

/// One row's fate.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportRow {
    /// The row (1 is the first data row).
    pub row: usize,
    /// `created` or `refused`.
    pub result: String,
    /// The new listing, when created.
    pub listing: Option<u64>,
    /// Why not, column by column, when refused.
    pub errors: Vec<crate::problem::FieldProblem>,
}

/// The per-row report of a bulk import.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportResult {
    /// Rows read.
    pub rows: usize,
    /// Drafts created.
    pub created: usize,
    /// Rows refused.
    pub refused: usize,
    /// Every row, in order.
    pub report: Vec<ImportRow>,
}

/// Imports a CSV or JSON Lines file of listings as drafts; answers each row's fate.
#[utoipa::path(post, path = "/api/sellers/{seller}/listings/import", tag = "listings",
    params(("seller" = u64, Path, description = "The seller's id"), ImportFormat),
    request_body(content = String, content_type = "text/csv"),
    security(("api_key" = [])),
    responses((status = 200, body = ImportResult), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn import(
    State(hub): State<Arc<Hub>>,
    Caller(actor): Caller,
    Idempotency(command): Idempotency,
    Path(raw): Path<String>,
    Query(format): Query<ImportFormat>,
    body: String,
) -> Result<Json<ImportResult>, Problem> {
    let seller: SellerId = path_id("seller", &raw)?;
    if !actor.may_act_for(seller) {
        return Err(Problem::forbidden(format!(
            "{actor} may not import listings for seller {seller}"
        )));
    }
    let jsonl = match format.format.as_deref() {
        None | Some("csv") => false,
        Some("jsonl") => true,
        Some(other) => {
            return Err(Problem::bad_field(
                "query.format",
                format!("{other:?} is neither csv nor jsonl"),
            ));
        }
    };
    hub.blocking(move |hub| {
        let store = &*hub.store;
        let existing = |sku: &haat::core::Sku| {
            store
                .claim_owner(&Claim::new("sku", format!("{seller}/{sku}")))
                .ok()
                .flatten()
                .is_some()
        };
        let read = if jsonl {
            import_jsonl(body.as_bytes(), seller, &hub.taxonomy, existing)
        } else {
            import_csv(body.as_bytes(), seller, &hub.taxonomy, existing)
        };
        let report = read.map_err(|e| Problem::bad_field("body", e.to_string()))?;
        let mut rows: Vec<ImportRow> = Vec::new();
        for error in &report.errors {
            let field = crate::problem::FieldProblem {
                field: error.column.to_string(),
                reason: error.reason.to_string(),
            };
            match rows.iter_mut().find(|r| r.row == error.row) {
                Some(row) => row.errors.push(field),
                None => rows.push(ImportRow {
                    row: error.row,
                    result: "refused".into(),
                    listing: None,
                    errors: vec![field],
                }),
            }
        }
        for (row, content) in report.drafts {
            let step = derived(command.as_ref(), &format!("row{row}"))?;
            let created = create_draft(hub, actor, seller, content, step);
            rows.push(match created {
                Ok(outcome) => ImportRow {
                    row,
                    result: "created".into(),
                    listing: outcome
                        .stream
                        .rsplit('/')
                        .next()
                        .and_then(|id| id.parse().ok()),
                    errors: Vec::new(),
                },
                Err(problem) => ImportRow {
                    row,
                    result: "refused".into(),
                    listing: None,
                    errors: vec![crate::problem::FieldProblem {
                        field: "row".into(),
                        reason: problem.detail,
                    }],
                },
            });
        }
        rows.sort_by_key(|r| r.row);
        let created = rows.iter().filter(|r| r.result == "created").count();
        Ok(Json(ImportResult {
            rows: report.rows,
            created,
            refused: rows.len() - created,
            report: rows,
        }))
    })
    .await
}

/// A search.
#[derive(Debug, Deserialize, IntoParams)]
pub struct Search {
    /// Words to find in titles and descriptions.
    pub q: Option<String>,
    /// Only this seller's listings.
    pub seller: Option<String>,
}

/// One hit.
#[derive(Debug, Serialize, ToSchema)]
pub struct Hit {
    /// The listing.
    pub listing: u64,
    /// Its seller.
    pub seller: u64,
    /// Its price, in rupees.
    pub price: String,
    /// Its relevance.
    pub score: u32,
}

/// Hits for a search.
#[derive(Debug, Serialize, ToSchema)]
pub struct Hits {
    /// How many listings match.
    pub total: usize,
    /// The first page of them.
    pub hits: Vec<Hit>,
}

/// Searches live listings (open to every caller).
#[utoipa::path(get, path = "/api/search", tag = "listings",
    params(Search),
    responses((status = 200, body = Hits), (status = 400, body = Problem)))]
pub async fn search(
    State(hub): State<Arc<Hub>>,
    Query(search): Query<Search>,
) -> Result<Json<Hits>, Problem> {
    let mut query = SearchQuery::new();
    if let Some(q) = search.q {
        query = query.text(q);
    }
    if let Some(raw) = search.seller {
        query = query.seller(path_id::<SellerId>("seller", &raw).map_err(|mut p| {
            for e in &mut p.errors {
                e.field = "query.seller".into();
            }
            p
        })?);
    }
    hub.blocking(move |hub| {
        let results = hub
            .with_search(|index| index.search(&query))?
            .map_err(|e| Problem::bad_field("query", e.to_string()))?;
        Ok(Json(Hits {
            total: results.total,
            hits: results
                .hits
                .iter()
                .map(|h| Hit {
                    listing: h.listing.get(),
                    seller: h.seller.get(),
                    price: h.price.to_string(),
                    score: h.score,
                })
                .collect(),
        }))
    })
    .await
}

async fn run(
    hub: Arc<Hub>,
    listing: ListingId,
    command: ListingCommand,
    id: Option<haat_store::CommandId>,
) -> Result<Json<Outcome>, Problem> {
    let actor = command.actor();
    hub.blocking(move |hub| {
        CommandHandler::new(&*hub.store)
            .handle::<ListingState>(&hub.taxonomy, &listing, &command, &meta(actor, id))
            .map(|done| Json(Outcome::of(done)))
            .map_err(listing_problem)
    })
    .await
}

/// A listing command's error as a problem.
pub fn listing_problem(error: HandlerError<Error>) -> Problem {
    handler_problem(error, |e| refusal(e, |_| Vec::new()))
}
