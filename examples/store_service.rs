//! A marketplace's command loop on a durable store: sellers onboarded, listings imported and
//! reviewed, stock counted in, orders checked out and dispatched or cancelled, every command
//! through `haat-store`'s command handler.
//!
//! ```sh
//! cargo run --example store_service -- /tmp/haat.db --commands 500
//! cargo run --example store_service -- --postgres postgres://postgres@127.0.0.1:5432/test --schema demo
//! ```
//!
//! Command `n` is a pure function of `n` (its kind, its ids, its instant), and its command id is
//! `cmd-n`. On start the service goes to its saved cursor (every command before it was
//! answered) and from there to the first command with no recorded outcome, so a restart after a
//! crash runs again only a command whose outcome was never recorded (perhaps half done: its
//! stock moved, its order not yet), and a repeat of a recorded one answers its first outcome. After each command's events are committed it prints
//! `ack <n> <command id> <stream> <version>` (or `refused <n> <why>`), so whatever it
//! acknowledged is durable. Every `--progress` commands it brings the metrics projection up to
//! date and prints a line. `--commands N` stops after command N-1; without it, it runs until
//! killed.
#![allow(clippy::print_stdout)]

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use haat::catalogue::{GstRateTable, GstRegistration, ListingCommand, ListingContent, Taxonomy};
use haat::core::{Actor, ListingId, LocationId, OrderId, SellerId, StaffId};
use haat::inventory::{
    AdjustmentReason, Allocator, Command, IdempotencyKey, Network, Operation, StockKey,
};
use haat::orders::{
    BuyerId, CancelledBy, Cart, CartLine, CheckoutRequest, CheckoutTerms, ListingView, Market,
    OrderCommand, SellerView, ShelfSnapshot,
};
use haat::seller::{
    BankDetails, BusinessAddress, GstStatus, InclusionTag, KycSubmission, Pan, Seller,
    SellerCommand, gstin_check_character,
};
use haat_store::{
    CommandHandler, CommandId, EventStore, ListingState, Metadata, MetricsProjection,
    PostgresStore, SellerStock, SqliteStore,
};

/// Commands per seller: 4 onboarding, 4 per listing, 1 stock count per listing, then
/// checkouts each followed by packing and dispatch, or a cancellation (then the dispatch is
/// refused).
const LISTINGS: u64 = 2;
const ORDERS: u64 = 6;
const BLOCK: u64 = 4 + 4 * LISTINGS + LISTINGS + 3 * ORDERS;
/// Units counted in per listing: few, so later checkouts find a listing sold out.
const STOCK: u64 = 8;
/// Where the service keeps the number of the first command it has not answered.
const CURSOR: &str = "store_service/cursor";
/// The metro hub in Kolkata that serves the buyers' PIN code.
const HUB: u64 = 2001;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("store_service: {message}");
            ExitCode::from(2)
        }
    }
}

struct Args {
    file: Option<String>,
    postgres: Option<String>,
    schema: Option<String>,
    commands: Option<u64>,
    progress: u64,
}

fn args() -> Result<Args, String> {
    let mut args = Args {
        file: None,
        postgres: None,
        schema: None,
        commands: None,
        progress: 50,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--postgres" => args.postgres = Some(value("--postgres")?),
            "--schema" => args.schema = Some(value("--schema")?),
            "--commands" => {
                let n = value("--commands")?;
                args.commands = Some(n.parse().map_err(|_| format!("--commands {n}"))?);
            }
            "--progress" => {
                let n = value("--progress")?;
                args.progress = n.parse().map_err(|_| format!("--progress {n}"))?;
            }
            "--help" | "-h" => {
                return Err(
                    "usage: store_service FILE | --postgres URL [--schema NAME] [--commands N] [--progress N]"
                        .into(),
                );
            }
            file if !file.starts_with("--") && args.file.is_none() => {
                args.file = Some(file.to_owned());
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if args.file.is_none() && args.postgres.is_none() {
        return Err("give a store file or --postgres URL".into());
    }
    Ok(args)
}

fn run() -> Result<(), String> {
    let args = args()?;
    match (&args.postgres, &args.file) {
        (Some(url), _) => {
            let schema = args.schema.as_deref().unwrap_or("haat");
            let store =
                PostgresStore::connect_in_schema(url, schema, 2).map_err(|e| e.to_string())?;
            serve(store, &args)
        }
        (None, Some(file)) => {
            let store = SqliteStore::open(file).map_err(|e| e.to_string())?;
            serve(store, &args)
        }
        (None, None) => Err("give a store file or --postgres URL".into()),
    }
}

fn serve<S: EventStore>(store: S, args: &Args) -> Result<(), String> {
    let handler = CommandHandler::new(&store).with_snapshot_every(4);
    let world = World::new()?;
    // The cursor: every command before it has been answered (acknowledged or refused), saved
    // at each progress line. From there, commands whose outcome is recorded are passed over;
    // the first without one (perhaps half done when the process died) is run again.
    let cursor = CURSOR;
    let mut next = handler
        .store()
        .load_projection(cursor)
        .map_err(|e| e.to_string())?
        .map_or(0, |(position, _)| position);
    while handler
        .store()
        .command_outcome(&command_id(next)?)
        .map_err(|e| e.to_string())?
        .is_some()
    {
        next += 1;
    }
    let mut projection = MetricsProjection::load(handler.store()).map_err(|e| e.to_string())?;
    println!(
        "resume at command {next}, projection at position {}",
        projection.position()
    );
    let mut out = std::io::stdout().lock();
    loop {
        if args.commands.is_some_and(|n| next >= n) {
            break;
        }
        let line = match world.run(&handler, next) {
            Ok(ack) => format!("ack {next} {} {ack}", command_id(next)?),
            Err(why) => format!("refused {next} {why}"),
        };
        writeln!(out, "{line}").map_err(|e| e.to_string())?;
        next += 1;
        if args.progress > 0 && next.is_multiple_of(args.progress) {
            projection
                .catch_up(handler.store(), 1_000)
                .map_err(|e| e.to_string())?;
            handler
                .store()
                .save_projection(cursor, next, &serde_json::Value::Null)
                .map_err(|e| e.to_string())?;
            let metrics = projection.metrics();
            writeln!(
                out,
                "progress {next} commands, position {}, {} sellers known, {} order lines",
                projection.position(),
                metrics.sellers().len(),
                projection
                    .inputs()
                    .orders
                    .values()
                    .map(Vec::len)
                    .sum::<usize>(),
            )
            .map_err(|e| e.to_string())?;
        }
        out.flush().map_err(|e| e.to_string())?;
    }
    projection
        .catch_up(handler.store(), 1_000)
        .map_err(|e| e.to_string())?;
    writeln!(
        out,
        "done at command {next}, projection at position {}",
        projection.position()
    )
    .map_err(|e| e.to_string())?;
    Ok(())
}

fn command_id(n: u64) -> Result<CommandId, String> {
    CommandId::new(format!("cmd-{n}")).map_err(|e| e.to_string())
}

/// The instant command `n` is decided at: a minute apart, from 1 October 2025.
fn instant(n: u64) -> DateTime<Utc> {
    let start = Utc
        .with_ymd_and_hms(2025, 10, 1, 4, 0, 0)
        .single()
        .unwrap_or(DateTime::UNIX_EPOCH);
    start + TimeDelta::minutes(i64::try_from(n).unwrap_or(i64::MAX / 60_000))
}

/// What every command reads besides its aggregate.
struct World {
    taxonomy: Arc<Taxonomy>,
    network: Network,
}

impl World {
    fn new() -> Result<World, String> {
        Ok(World {
            taxonomy: Arc::new(Taxonomy::west_bengal_default()),
            network: Network::west_bengal_reference().map_err(|e| e.to_string())?,
        })
    }

    /// Runs command `n`: `Ok("<stream> <version>")` once its events are committed.
    fn run<S: EventStore>(
        &self,
        handler: &CommandHandler<'_, S>,
        n: u64,
    ) -> Result<String, String> {
        let (block, step) = (n / BLOCK, n % BLOCK);
        let seller = SellerId::new(block + 1);
        let me = Actor::Seller(seller);
        let staff = Actor::Operations(StaffId::new(9));
        let meta =
            |actor| Ok::<_, String>(Metadata::new(actor, instant(n)).with_command(command_id(n)?));
        let ack = |stream: &dyn std::fmt::Display, version: u64| format!("{stream} {version}");
        let onboarding = 4;
        let listings_end = onboarding + 4 * LISTINGS;
        let stock_end = listings_end + LISTINGS;
        if step < onboarding {
            let command = match step {
                0 => SellerCommand::Register {
                    actor: me,
                    seller,
                    display_name: format!("Tant Ghar {}", seller.get()),
                    mobile: format!("98300{:05}", seller.get() % 100_000)
                        .parse()
                        .map_err(|e| format!("{e}"))?,
                    pin_code: "741404".parse().map_err(|e| format!("{e}"))?,
                    tags: [InclusionTag::Weaver].into(),
                    referral: None,
                },
                1 => SellerCommand::SubmitKyc {
                    actor: me,
                    submission: kyc(seller)?,
                },
                2 => SellerCommand::VerifyKyc { actor: staff },
                _ => SellerCommand::Activate { actor: staff },
            };
            let actor = if step < 2 { me } else { staff };
            let done = handler
                .handle::<Seller>(&(), &seller, &command, &meta(actor)?)
                .map_err(|e| e.to_string())?;
            return Ok(ack(&done.stream, done.version));
        }
        if step < listings_end {
            let j = (step - onboarding) / 4;
            let listing = listing_id(seller, j);
            let (actor, command) = match (step - onboarding) % 4 {
                0 => (
                    me,
                    ListingCommand::CreateDraft {
                        actor: me,
                        listing,
                        seller,
                        content: content(seller, j)?,
                    },
                ),
                1 => (me, ListingCommand::SubmitForReview { actor: me, listing }),
                2 => (
                    staff,
                    ListingCommand::PassReview {
                        actor: staff,
                        listing,
                    },
                ),
                _ => (me, ListingCommand::Activate { actor: me, listing }),
            };
            let done = handler
                .handle::<ListingState>(&self.taxonomy, &listing, &command, &meta(actor)?)
                .map_err(|e| e.to_string())?;
            return Ok(ack(&done.stream, done.version));
        }
        if step < stock_end {
            let j = step - listings_end;
            let count = Operation::Adjust {
                key: StockKey::new(seller, sku(j)?, LocationId::new(HUB)),
                expected_on_hand: 0,
                counted_on_hand: STOCK,
                reason: AdjustmentReason::Found,
            };
            let command = Command::new(me, IdempotencyKey::new(u128::from(n) + 1), count);
            let done = handler
                .handle::<SellerStock>(&(), &seller, &command, &meta(me)?)
                .map_err(|e| e.to_string())?;
            return Ok(ack(&done.stream, done.version));
        }
        let k = step - stock_end;
        let order = OrderId::new(n - k % 3);
        let command = match k % 3 {
            0 => {
                // A checkout: this seller's listings, or from the fourth order on the
                // previous seller's, whose stock is running out by then.
                let from = if k / 3 >= 3 && block > 0 {
                    SellerId::new(block)
                } else {
                    seller
                };
                let j = (n / 3) % LISTINGS;
                let quantity = 1 + u32::try_from(n % 3).unwrap_or(0);
                return self.checkout(handler, n, from, j, quantity);
            }
            // Every fourth order is cancelled by its buyer; the others are packed.
            1 if (k / 3) % 4 == 1 => OrderCommand::Cancel {
                actor: Actor::System,
                order,
                cancelled_by: CancelledBy::Buyer,
            },
            1 => OrderCommand::Pack {
                actor: Actor::System,
                order,
            },
            _ => OrderCommand::Dispatch {
                actor: Actor::System,
                order,
            },
        };
        let done = handler
            .execute_order(&command, &meta(Actor::System)?)
            .map_err(|e| e.to_string())?;
        Ok(ack(&done.stream, done.version))
    }

    fn checkout<S: EventStore>(
        &self,
        handler: &CommandHandler<'_, S>,
        n: u64,
        seller: SellerId,
        j: u64,
        quantity: u32,
    ) -> Result<String, String> {
        let listing = listing_id(seller, j);
        let shelf = self.shelf(handler, seller, listing)?;
        let allocator = Allocator::new(&self.network);
        let market = Market {
            shelf: &shelf,
            rates: GstRateTable::india(),
            allocator: &allocator,
            terms: CheckoutTerms::default(),
        };
        let request = CheckoutRequest {
            actor: Actor::System,
            key: IdempotencyKey::new(u128::from(n) + 1),
            cart: Cart {
                buyer: BuyerId::new(n),
                pin_code: "700001".parse().map_err(|e| format!("{e}"))?,
                lines: vec![CartLine { listing, quantity }],
            },
        };
        let meta = Metadata::new(Actor::System, instant(n)).with_command(command_id(n)?);
        let done = handler
            .checkout(&market, OrderId::new(n), &request, &meta)
            .map_err(|e| e.to_string())?;
        Ok(format!("{} {}", done.stream, done.version))
    }

    /// The seller and the listing as checkout reads them, from their streams.
    fn shelf<S: EventStore>(
        &self,
        handler: &CommandHandler<'_, S>,
        seller: SellerId,
        listing: ListingId,
    ) -> Result<ShelfSnapshot, String> {
        let mut shelf = ShelfSnapshot::default();
        let s = handler
            .load::<Seller>(&seller)
            .map_err(|e| e.to_string())?
            .state;
        if let (Some(status), Some(kyc)) = (s.status(), s.kyc()) {
            let registration = match &kyc.gst {
                GstStatus::Registered(gstin) => GstRegistration::Registered {
                    state: gstin.state_code(),
                },
                GstStatus::NonGst(number) => GstRegistration::NonGst {
                    state: number.state_code(),
                },
            };
            shelf.put_seller(SellerView {
                seller,
                status,
                registration,
            });
        }
        let l = handler
            .load::<ListingState>(&listing)
            .map_err(|e| e.to_string())?
            .state;
        if let Some(l) = l.0 {
            let content = l.live().unwrap_or(l.content());
            shelf.put_listing(ListingView {
                listing,
                seller: l.seller(),
                sku: l.sku().clone(),
                category: content.category.clone(),
                hsn: content.hsn,
                price: content.price,
                mrp: content.mrp.unwrap_or(content.price),
                live: l.is_active(),
                return_days: 7,
            });
        }
        Ok(shelf)
    }
}

fn listing_id(seller: SellerId, j: u64) -> ListingId {
    ListingId::new(seller.get() * 10 + j)
}

fn sku(j: u64) -> Result<haat::core::Sku, String> {
    format!("SHP-RED-{j:03}")
        .parse()
        .map_err(|e| format!("{e}"))
}

/// A saree listing that passes the automatic checks.
fn content(seller: SellerId, j: u64) -> Result<ListingContent, String> {
    let json = format!(
        r#"{{
        "title": "Handwoven Shantipuri cotton saree, red and white",
        "description": "Woven on a pit loom in Shantipur, Nadia, with a fine 100-count weft, by weaver house {seller}.",
        "category": "textiles/sarees/handloom/shantipuri",
        "attributes": {{"blouse_piece": true, "fabric": "cotton", "gi_name": "Santipore Saree",
                       "gi_tag": true, "length_m": 5.5}},
        "images": ["https://img.example.in/shantipuri-1.jpg",
                   "https://img.example.in/shantipuri-2.jpg",
                   "https://img.example.in/shantipuri-3.jpg"],
        "price": "2450.00", "mrp": "2800.00", "hsn": "5208", "sku": "SHP-RED-{j:03}"
    }}"#
    );
    serde_json::from_str(&json).map_err(|e| e.to_string())
}

/// A KYC submission that passes the cross-checks: a PAN and GSTIN unique to the seller.
fn kyc(seller: SellerId) -> Result<KycSubmission, String> {
    let n = seller.get();
    let letters = |mut x: u64| {
        let mut s = [b'A'; 3];
        for b in s.iter_mut().rev() {
            *b = b'A' + u8::try_from(x % 26).unwrap_or(0);
            x /= 26;
        }
        String::from_utf8_lossy(&s).into_owned()
    };
    let pan = format!("{}PK{:04}Z", letters(n / 9_999), n % 9_999 + 1);
    let pan: Pan = pan.parse().map_err(|e| format!("{e}"))?;
    let first14 = format!("19{}1Z", pan.expose());
    let check = gstin_check_character(&first14).map_err(|e| e.to_string())?;
    let legal_name = format!("Tant Ghar {n}");
    Ok(KycSubmission {
        legal_name: legal_name.clone(),
        pan,
        gst: GstStatus::Registered(
            format!("{first14}{check}")
                .parse()
                .map_err(|e| format!("{e}"))?,
        ),
        address: BusinessAddress {
            lines: format!("Holding {n}, Shantipur, Nadia"),
            pin_code: "741404".parse().map_err(|e| format!("{e}"))?,
        },
        bank: BankDetails {
            account: format!("{:012}", 100_000_000 + n)
                .parse()
                .map_err(|e| format!("{e}"))?,
            ifsc: "SBIN0000123".parse().map_err(|e| format!("{e}"))?,
            holder_name: legal_name,
        },
        udyam: None,
        email: format!("seller{n}@example.in")
            .parse()
            .map_err(|e| format!("{e}"))?,
    })
}
