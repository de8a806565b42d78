//! Something to see on first start: a small West Bengal picture put through the command
//! handler, as the API would (sellers across districts onboarded, some from workshops and
//! some enrolled in the inclusion programme, listings reviewed and live, stock received,
//! orders placed over two financial years, most delivered, some cancelled).
//!
//! Every command carries the id `seed-<n>`, so a start that finds a seed cut short runs it
//! again and each command already done answers its first outcome.

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use haat::catalogue::{GstRateTable, ListingCommand, ListingContent};
use haat::core::{
    Actor, ListingId, LocationId, OrderId, PinCode, ProgrammeId, SellerId, StaffId, WorkshopId,
};
use haat::inventory::{Allocator, Command, IdempotencyKey, Operation, Receipt, StockKey};
use haat::orders::{
    BuyerId, CancelledBy, Cart, CartLine, CheckoutRequest, CheckoutTerms, Market, OrderCommand,
};
use haat::seller::{
    AttendeeId, BankDetails, BusinessAddress, GstStatus, InclusionTag, KycSubmission, Pan,
    PartnerDepartment, Programme, Seller, SellerCommand, Workshop, WorkshopCommand,
    WorkshopReferral, gstin_check_character,
};
use haat_store::{CommandHandler, CommandId, EventStore, ListingState, Metadata, SellerStock};

use crate::hub::Hub;

/// The sellers' places of business: PIN codes in eight districts.
const PINS: [&str; 8] = [
    "741404", "722101", "734002", "742101", "713101", "731101", "700084", "711101",
];
/// Sellers seeded.
pub const SELLERS: u64 = 16;
/// Listings per seller.
const LISTINGS: u64 = 2;
/// Orders per seller.
const ORDERS: u64 = 6;
/// The metro hub in Kolkata that holds the stock.
pub const HUB: u64 = 2001;

/// Whether the store needs the seed: it is empty, or a seed was cut short.
pub fn needed(store: &dyn EventStore) -> Result<bool, String> {
    let started = store
        .command_outcome(&id(0)?)
        .map_err(|e| e.to_string())?
        .is_some();
    let empty = store.head_position().map_err(|e| e.to_string())? == 0;
    let finished = store
        .command_outcome(&CommandId::new("seed-done").map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())?
        .is_some();
    Ok(empty || (started && !finished))
}

fn id(n: u64) -> Result<CommandId, String> {
    CommandId::new(format!("seed-{n}")).map_err(|e| e.to_string())
}

/// The seed's clock: from 10 April 2025, seller `i` joining every three weeks.
fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 4, 10, 5, 0, 0)
        .single()
        .unwrap_or(DateTime::UNIX_EPOCH)
}

struct Seeder<'h> {
    hub: &'h Hub,
    handler: CommandHandler<'h, dyn EventStore>,
    n: u64,
}

impl Seeder<'_> {
    fn meta(&mut self, actor: Actor, at: DateTime<Utc>) -> Result<Metadata, String> {
        let meta = Metadata::new(actor, at).with_command(id(self.n)?);
        self.n += 1;
        Ok(meta)
    }
}

/// Runs the seed. Answers how many commands it ran.
pub fn run(hub: &Hub) -> Result<u64, String> {
    let mut s = Seeder {
        hub,
        handler: CommandHandler::new(&*hub.store),
        n: 0,
    };
    let staff = Actor::Operations(StaffId::new(1));
    // Two workshops, in Nadia and Bankura; their first attendees become sellers.
    for (w, pin) in [(1u64, "741101"), (2, "722101")] {
        let workshop = WorkshopId::new(w);
        let district = crate::api::workshops::district_of(pin_code(pin)?).map_err(|p| p.detail)?;
        let date = NaiveDate::from_ymd_opt(2025, 4, 5).ok_or("date")?;
        let at = start() - TimeDelta::days(7);
        let schedule = WorkshopCommand::Schedule {
            actor: staff,
            id: workshop,
            district,
            venue: format!("Block office hall {w}"),
            date,
            partner: PartnerDepartment::Msme,
            capacity: 40,
        };
        let meta = s.meta(staff, at)?;
        s.handler
            .handle::<Workshop>(&(), &workshop, &schedule, &meta)
            .map_err(|e| e.to_string())?;
        for a in 1..=10u64 {
            let attend = WorkshopCommand::RecordAttendance {
                actor: staff,
                attendee: AttendeeId::new(a),
                name: format!("Attendee {w}-{a}"),
                mobile: None,
            };
            let meta = s.meta(
                staff,
                at + TimeDelta::days(5) + TimeDelta::minutes(a as i64),
            )?;
            s.handler
                .handle::<Workshop>(&(), &workshop, &attend, &meta)
                .map_err(|e| e.to_string())?;
        }
    }
    for i in 1..=SELLERS {
        onboard(&mut s, i)?;
    }
    for i in 1..=SELLERS {
        sell(&mut s, i)?;
    }
    let done = Metadata::new(Actor::System, start())
        .with_command(CommandId::new("seed-done").map_err(|e| e.to_string())?);
    // The last seed command carries `seed-done`, marking the seed finished: seller 1 declares
    // that the house is woman-led too.
    let seller = SellerId::new(1);
    let _ = s.handler.handle::<Seller>(
        &(),
        &seller,
        &SellerCommand::UpdateInclusionTags {
            actor: staff,
            tags: [InclusionTag::Weaver, InclusionTag::WomanLed].into(),
        },
        &done,
    );
    Ok(s.n)
}

fn pin_code(pin: &str) -> Result<PinCode, String> {
    pin.parse().map_err(|e| format!("{e}"))
}

fn onboard(s: &mut Seeder<'_>, i: u64) -> Result<(), String> {
    let seller = SellerId::new(i);
    let me = Actor::Seller(seller);
    let staff = Actor::Operations(StaffId::new(1));
    let joined = start() + TimeDelta::days(21 * (i as i64 - 1));
    let pin = PINS[(i as usize) % PINS.len()];
    // Sellers 1-4 came from the workshops (1, 3 from Nadia's; 2, 4 from Bankura's).
    let referral = (i <= 4).then(|| WorkshopReferral {
        workshop: WorkshopId::new(if i % 2 == 1 { 1 } else { 2 }),
        attendee: AttendeeId::new(i),
    });
    let tags = match i % 3 {
        0 => [InclusionTag::Artisan, InclusionTag::WomanLed].into(),
        1 => [InclusionTag::Weaver].into(),
        _ => [InclusionTag::FarmerOrFpo].into(),
    };
    let register = SellerCommand::Register {
        actor: me,
        seller,
        display_name: format!("Tant Ghar {i}"),
        mobile: format!("98300{:05}", i)
            .parse()
            .map_err(|e| format!("{e}"))?,
        pin_code: pin_code(pin)?,
        tags,
        referral,
    };
    let steps: Vec<(Actor, SellerCommand, i64)> = vec![
        (me, register, 0),
        (
            me,
            SellerCommand::SubmitKyc {
                actor: me,
                submission: kyc(seller, pin)?,
            },
            1,
        ),
        (staff, SellerCommand::VerifyKyc { actor: staff }, 2),
        (staff, SellerCommand::Activate { actor: staff }, 3),
    ];
    for (actor, command, day) in steps {
        let meta = s.meta(actor, joined + TimeDelta::days(day))?;
        s.handler
            .handle::<Seller>(&(), &seller, &command, &meta)
            .map_err(|e| format!("seller {i}: {e}"))?;
    }
    if i.is_multiple_of(2) {
        let enrol = SellerCommand::EnrolInProgramme {
            actor: staff,
            programme: Programme::samarth_like(ProgrammeId::new(1)),
        };
        let meta = s.meta(staff, joined + TimeDelta::days(4))?;
        s.handler
            .handle::<Seller>(&(), &seller, &enrol, &meta)
            .map_err(|e| format!("seller {i}: {e}"))?;
    }
    if let Some(referral) = referral {
        let link = WorkshopCommand::LinkAttendeeToSeller {
            actor: staff,
            attendee: referral.attendee,
            seller,
        };
        let meta = s.meta(staff, joined + TimeDelta::days(1))?;
        s.handler
            .handle::<Workshop>(&(), &referral.workshop, &link, &meta)
            .map_err(|e| format!("seller {i}: {e}"))?;
    }
    for j in 0..LISTINGS {
        let listing = listing_id(seller, j);
        let at = joined + TimeDelta::days(5 + j as i64);
        let commands = [
            (
                me,
                ListingCommand::CreateDraft {
                    actor: me,
                    listing,
                    seller,
                    content: content(seller, j)?,
                },
            ),
            (me, ListingCommand::SubmitForReview { actor: me, listing }),
            (
                staff,
                ListingCommand::PassReview {
                    actor: staff,
                    listing,
                },
            ),
            (me, ListingCommand::Activate { actor: me, listing }),
        ];
        for (k, (actor, command)) in commands.into_iter().enumerate() {
            let meta = s.meta(actor, at + TimeDelta::hours(k as i64))?;
            s.handler
                .handle::<ListingState>(&s.hub.taxonomy, &listing, &command, &meta)
                .map_err(|e| format!("listing {listing}: {e}"))?;
        }
        let key = StockKey::new(seller, sku(j)?, LocationId::new(HUB));
        let po = format!("PO-{i}-{j}");
        let ops = [
            Operation::ExpectInbound {
                key: key.clone(),
                quantity: 40,
                purchase_order: po.clone(),
            },
            Operation::ReceiveInbound {
                key,
                purchase_order: po,
                good: 40,
                damaged: 0,
                into: Receipt::Available,
            },
        ];
        for (k, op) in ops.into_iter().enumerate() {
            let key = IdempotencyKey::new(u128::from(s.n) + 1);
            let meta = s.meta(me, at + TimeDelta::hours(6 + k as i64))?;
            s.handler
                .handle::<SellerStock>(&(), &seller, &Command::new(me, key, op), &meta)
                .map_err(|e| format!("stock {i}: {e}"))?;
        }
    }
    Ok(())
}

fn sell(s: &mut Seeder<'_>, i: u64) -> Result<(), String> {
    let seller = SellerId::new(i);
    let joined = start() + TimeDelta::days(21 * (i as i64 - 1));
    let allocator = Allocator::new(&s.hub.network);
    for k in 0..ORDERS {
        // An order a month after the listings went live, more often for earlier sellers.
        let placed = joined + TimeDelta::days(10 + 30 * k as i64) + TimeDelta::hours(k as i64);
        let listing = listing_id(seller, k % LISTINGS);
        let lines = vec![CartLine {
            listing,
            quantity: 1 + (k % 2) as u32,
        }];
        let shelf = crate::api::orders::shelf_of(&s.handler, &lines).map_err(|p| p.detail)?;
        let market = Market {
            shelf: &shelf,
            rates: GstRateTable::india(),
            allocator: &allocator,
            terms: CheckoutTerms::default(),
        };
        let order = OrderId::new(i * 100 + k);
        let request = CheckoutRequest {
            actor: Actor::System,
            key: IdempotencyKey::new(u128::from(order.get()) << 8),
            cart: Cart {
                buyer: BuyerId::new(1000 + i * 10 + k),
                pin_code: pin_code("700001")?,
                lines,
            },
        };
        let meta = s.meta(Actor::System, placed)?;
        s.handler
            .checkout(&market, order, &request, &meta)
            .map_err(|e| format!("order {order}: {e}"))?;
        let steps: Vec<(OrderCommand, i64)> = if k % 5 == 3 {
            vec![(
                OrderCommand::Cancel {
                    actor: Actor::System,
                    order,
                    cancelled_by: CancelledBy::Buyer,
                },
                2,
            )]
        } else {
            let me = Actor::Seller(seller);
            vec![
                (OrderCommand::Pack { actor: me, order }, 3),
                (OrderCommand::Dispatch { actor: me, order }, 8),
                (
                    OrderCommand::Deliver {
                        actor: Actor::System,
                        order,
                    },
                    60,
                ),
            ]
        };
        for (command, hours) in steps {
            let at = placed + TimeDelta::hours(hours);
            if at > crate::hub::now() {
                break;
            }
            let meta = s.meta(command.actor(), at)?;
            s.handler
                .execute_order(&command, &meta)
                .map_err(|e| format!("order {order}: {e}"))?;
        }
    }
    Ok(())
}

/// Listing `j` of `seller`.
pub fn listing_id(seller: SellerId, j: u64) -> ListingId {
    ListingId::new(seller.get() * 10 + j)
}

fn sku(j: u64) -> Result<haat::core::Sku, String> {
    format!("SHP-RED-{j:03}")
        .parse()
        .map_err(|e| format!("{e}"))
}

/// A saree listing that passes the automatic checks.
pub fn content(seller: SellerId, j: u64) -> Result<ListingContent, String> {
    let json = format!(
        r#"{{
        "title": "Handwoven Shantipuri cotton saree, red and white, design {j}",
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

/// A KYC submission that passes the cross-checks: a PAN and GSTIN unique to the seller, the
/// address at `pin`.
pub fn kyc(seller: SellerId, pin: &str) -> Result<KycSubmission, String> {
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
            lines: format!("Holding {n}, ward {n}"),
            pin_code: pin_code(pin)?,
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
