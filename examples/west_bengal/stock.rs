//! Chapter 3: stock — the fulfilment network, stock received for the sellers' listings, and
//! orders reserved, allocated and shipped.

use std::error::Error as StdError;

use chrono::{DateTime, Duration, Utc};
use haat::catalogue::{Catalogue, Listing};
use haat::core::{
    Actor, CompactStyle, Decimal, IST, Locale, LocationId, OrderId, PinCode, PinDirectory,
    SellerId, Sku, StaffId, StateCode,
};
use haat::inventory::{
    Allocation, AllocationRequest, Allocator, AvailableStock, Command, IdempotencyKey, Location,
    LocationKind, Network, Operation, Receipt, ReservationOwner, ReserveLine, SellerConstraint,
    SplitPolicy, StockKey, StockLedger,
};

use crate::onboarding::Onboarded;

type Result<T> = std::result::Result<T, Box<dyn StdError>>;

/// Marketplace operations staff who receive inbound stock at the fulfilment centres.
const RECEIVING: Actor = Actor::Operations(StaffId::new(21));

/// The ledger, with the next idempotency key to use.
struct Stock {
    ledger: StockLedger,
    next_key: u128,
}

impl Stock {
    fn execute(
        &mut self,
        actor: Actor,
        operation: Operation,
        now: DateTime<Utc>,
    ) -> Result<Option<haat::inventory::ReservationId>> {
        self.next_key += 1;
        let command = Command::new(actor, IdempotencyKey::new(self.next_key), operation);
        Ok(self.ledger.execute(&command, now)?.reservation)
    }

    /// A purchase order for `quantity` units arrives, all sound, straight to available.
    fn receive(
        &mut self,
        key: &StockKey,
        quantity: u64,
        purchase_order: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.execute(
            Actor::Seller(key.seller()),
            Operation::ExpectInbound {
                key: key.clone(),
                quantity,
                purchase_order: purchase_order.into(),
            },
            now,
        )?;
        self.execute(
            RECEIVING,
            Operation::ReceiveInbound {
                key: key.clone(),
                purchase_order: purchase_order.into(),
                good: quantity,
                damaged: 0,
                into: Receipt::Available,
            },
            now + Duration::hours(6),
        )?;
        Ok(())
    }
}

/// The first location of `kind` (by label) in the district called `district`.
fn find(network: &Network, district: &str, label: &str) -> Result<LocationId> {
    network
        .locations()
        .find(|l| l.district().name() == district && l.kind().label() == label)
        .map(Location::id)
        .ok_or_else(|| format!("no {label} in {district}").into())
}

fn name(network: &Network, id: LocationId) -> &str {
    network.get(id).map_or("?", Location::name)
}

pub(crate) fn when(instant: DateTime<Utc>) -> String {
    instant
        .with_timezone(&IST)
        .format("%d %b %H:%M")
        .to_string()
}

/// What the stock chapter leaves: the network and the stock ledger at its end.
pub struct Stocked {
    /// The West Bengal fulfilment network.
    pub network: Network,
    /// Every story seller's stock.
    pub ledger: StockLedger,
    /// The instant of the chapter's last stock movement.
    pub ended_at: DateTime<Utc>,
}

/// Pieces of each saree of its range, besides the first, the saree house sends to Kalyani.
const RANGE_PIECES: u64 = 6;

/// Runs the chapter, printing what happens.
pub fn run(onboarded: &Onboarded, catalogue: &Catalogue) -> Result<Stocked> {
    println!();
    println!("3. Stock: the fulfilment network, stock received, orders allocated and shipped");

    // The network.
    let network = Network::west_bengal_reference()?;
    let summary = network.summary();
    let area = Decimal::from(summary.total_area_sq_ft());
    println!(
        "  network: {} fulfilment centres with {} sq ft ({} বর্গফুট), {} metro hubs, {} last-mile hubs, in {} districts",
        summary.fulfilment_centres(),
        Locale::EnIn.compact(area, CompactStyle::Long),
        Locale::BnIn.compact(area, CompactStyle::Long),
        summary.metro_hubs(),
        summary.last_mile_hubs(),
        summary.districts().len(),
    );
    for location in network
        .locations()
        .filter(|l| matches!(l.kind(), LocationKind::FulfilmentCentre { .. }))
    {
        println!(
            "    {:<34} {:<18} {}  {:>9} sq ft",
            location.name(),
            location.district().name(),
            location.pin(),
            Locale::EnIn.number(Decimal::from(location.area_sq_ft())),
        );
    }
    let state = network.coverage_of_state(StateCode::WEST_BENGAL);
    let percent = |share: Decimal, locale: Locale| locale.percent(share * Decimal::ONE_HUNDRED);
    println!(
        "  last-mile coverage: {} of {} West Bengal PIN codes ({} / {})",
        Locale::EnIn.integer(i64::try_from(state.served())?),
        Locale::EnIn.integer(i64::try_from(state.total())?),
        percent(state.share(), Locale::EnIn),
        percent(state.share(), Locale::BnIn),
    );
    let india = PinDirectory::india();
    for district in ["Nadia", "Kolkata", "Purulia"] {
        let district = india
            .find_district(StateCode::WEST_BENGAL, district)
            .ok_or("no such district")?;
        let coverage = network.coverage_of_district(district);
        println!(
            "    {:<18} {coverage} ({})",
            district.name(),
            percent(coverage.share(), Locale::EnIn)
        );
    }

    // Stock for the sellers' listings.
    let start = onboarded.ended_at + Duration::days(1);
    let kalyani = find(&network, "Nadia", "fulfilment centre")?;
    let nadia_hub = find(&network, "Nadia", "metro hub")?;
    let barasat = find(&network, "North 24 Parganas", "fulfilment centre")?;
    let kolkata_hub = find(&network, "Kolkata", "metro hub")?;
    let siliguri = find(&network, "Darjeeling", "fulfilment centre")?;
    let sku = |code: &str| code.parse::<Sku>();
    let tant = sku("NSH-SHA-001")?; // the first saree of the house's imported sheet
    let doll = sku("DOKRA-HORSE-18")?; // the artisan's Dokra horse, listed in chapter 2
    let shantipur = sku("SHANTIPUR-TANT")?; // the home weaver's saree, listed in chapter 2
    let bedsheet = sku("BEDSHEET-DBL-2")?; // the Barasat trader's bedsheet, listed in chapter 2
    let mut stock = Stock {
        ledger: StockLedger::new(),
        next_key: 0,
    };
    let receipts: [(SellerId, &Sku, LocationId, u64, &str); 7] = [
        (onboarded.saree_house, &tant, kalyani, 36, "PO-NSH-001"),
        (onboarded.saree_house, &tant, nadia_hub, 10, "PO-NSH-002"),
        (onboarded.saree_house, &tant, siliguri, 4, "PO-NSH-003"),
        (onboarded.artisan, &doll, nadia_hub, 6, "PO-GHU-001"),
        (onboarded.home_weaver, &shantipur, kalyani, 5, "PO-SHA-001"),
        (
            onboarded.barasat_trader,
            &bedsheet,
            barasat,
            120,
            "PO-BAR-001",
        ),
        (
            onboarded.barasat_trader,
            &bedsheet,
            kolkata_hub,
            12,
            "PO-BAR-002",
        ),
    ];
    println!();
    println!("  {}  stock received:", when(start + Duration::hours(6)));
    for (seller, sku, location, quantity, po) in receipts {
        let key = StockKey::new(seller, sku.clone(), location);
        stock.receive(&key, quantity, po, start)?;
        println!(
            "    seller {seller}  {:<16} {quantity:>4} at {}",
            sku.as_str(),
            name(&network, location)
        );
    }
    // The house sends the rest of its live range too, a few pieces of each, so that every
    // saree it lists can be bought (and published on ONDC, chapter 5).
    let mut range: Vec<&Listing> = catalogue
        .listings()
        .filter(|l| l.seller() == onboarded.saree_house && l.is_active() && l.sku() != &tant)
        .collect();
    range.sort_by_key(|l| l.id());
    for (number, listing) in (4u32..).zip(&range) {
        let key = StockKey::new(onboarded.saree_house, listing.sku().clone(), kalyani);
        stock.receive(&key, RANGE_PIECES, &format!("PO-NSH-{number:03}"), start)?;
    }
    println!(
        "    seller {}  the rest of its range: {} SKUs, {RANGE_PIECES} of each at {}",
        onboarded.saree_house,
        range.len(),
        name(&network, kalyani)
    );

    // Orders.
    let allocator = Allocator::new(&network);
    let pin = |code: &str| code.parse::<PinCode>();
    let in_state_only = SellerConstraint::IntraStateOnly {
        state: StateCode::WEST_BENGAL,
    };
    let orders = [
        (
            "a buyer in Krishnanagar: two Shantipuri sarees and a Dokra horse",
            AllocationRequest::new(pin("741101")?)
                .line(onboarded.saree_house, tant.clone(), 2)
                .line(onboarded.artisan, doll.clone(), 1),
        ),
        (
            "a buyer in Ballygunge, Kolkata: three bedsheets",
            AllocationRequest::new(pin("700019")?).line(
                onboarded.barasat_trader,
                bedsheet.clone(),
                3,
            ),
        ),
        (
            "a buyer in Shantipur: a saree from the non-GST weaver (intra-state only)",
            AllocationRequest::new(pin("741404")?)
                .line(onboarded.home_weaver, shantipur.clone(), 1)
                .constrain(onboarded.home_weaver, in_state_only),
        ),
        (
            "a buyer in Bhubaneswar, Odisha: the same saree",
            AllocationRequest::new(pin("751001")?)
                .line(onboarded.home_weaver, shantipur.clone(), 1)
                .constrain(onboarded.home_weaver, in_state_only),
        ),
        (
            "a boutique in Siliguri: sixty Shantipuri sarees, split allowed",
            AllocationRequest::new(pin("734001")?)
                .line(onboarded.saree_house, tant.clone(), 60)
                .split(SplitPolicy::AcrossLocations),
        ),
    ];
    let mut now = start + Duration::days(1);
    for (number, (story, request)) in (1u64..).zip(orders) {
        let order = OrderId::new(500 + number);
        now += Duration::hours(2);
        let allocation = allocator.allocate(&stock.ledger, &request, now);
        println!();
        println!(
            "  {}  order {order}, {story}, to {}",
            when(now),
            request.destination()
        );
        print_allocation(&network, &request, &allocation, &stock.ledger, now);
        if allocation.shipments().is_empty() {
            continue;
        }
        // Hold what allocation chose, every line or none, then ship it.
        let lines = allocation
            .shipments()
            .iter()
            .filter_map(|s| {
                let line = request.lines().get(s.line())?;
                Some(ReserveLine {
                    key: StockKey::new(line.seller(), line.sku().clone(), s.location()),
                    quantity: s.quantity(),
                })
            })
            .collect();
        let reservation = stock
            .execute(
                Actor::System,
                Operation::Reserve {
                    owner: ReservationOwner::Order(order),
                    expires_at: now + Duration::hours(2),
                    lines,
                },
                now,
            )?
            .ok_or("a reservation without an id")?;
        stock.execute(
            Actor::System,
            Operation::Commit { reservation },
            now + Duration::minutes(40),
        )?;
        println!(
            "    reserved ({reservation}) and shipped at {}",
            when(now + Duration::minutes(40))
        );
    }

    // Where the stock stands.
    println!();
    println!("  stock after the orders (available / shipped):");
    for (seller, sku, location, _, _) in receipts {
        let q = stock
            .ledger
            .quantities(&StockKey::new(seller, sku.clone(), location));
        println!(
            "    seller {seller}  {:<16} {:>4} / {:>3}  at {}",
            sku.as_str(),
            q.available(),
            q.shipped(),
            name(&network, location)
        );
    }
    println!("  {} ledger events", stock.ledger.events().count());
    Ok(Stocked {
        network,
        ledger: stock.ledger,
        ended_at: now + Duration::minutes(40),
    })
}

fn print_allocation(
    network: &Network,
    request: &AllocationRequest,
    allocation: &Allocation,
    stock: &impl AvailableStock,
    now: DateTime<Utc>,
) {
    for shipment in allocation.shipments() {
        let Some(line) = request.lines().get(shipment.line()) else {
            continue;
        };
        println!(
            "    {:<16} {:>3} from {} ({} there): {}",
            line.sku().as_str(),
            shipment.quantity(),
            name(network, shipment.location()),
            stock.available(line.seller(), line.sku(), shipment.location(), now),
            shipment.reason(),
        );
    }
    for shortfall in allocation.shortfalls() {
        println!(
            "    {:<16} short by {} of {}: {}",
            shortfall.sku().as_str(),
            shortfall.missing(),
            shortfall.requested(),
            shortfall.cause(),
        );
    }
}
