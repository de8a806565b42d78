//! Benchmarks for `haat-orders`: checkout (price, tax, allocate, reserve, place) beside the
//! bare reserve path over the same lines, in the same run.
//!
//! 1,000 sellers of West Bengal with ten listings each (sarees at 5%, kurtas in the 5%/18%
//! slabs), every SKU stocked at a fulfilment centre and a metro hub; 10,000 carts of one to
//! three lines (a fifth of them from two sellers) to PIN codes across the state.
//! `orders/checkout` runs `OrderBook::checkout` on every cart; `orders/reserve_bare` places
//! the same lines' reservations straight in the ledger (one `Operation::Reserve` per cart, at
//! the locations checkout chose). Each iteration starts from a fresh copy of the stocked
//! ledger and an empty book (the copy is not timed). Throughput counts cart lines.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use criterion::{Criterion, Throughput};
use haat::catalogue::{GstRateTable, GstRegistration};
use haat::core::{Actor, ListingId, LocationId, Money, OrderId, PinCode, SellerId, StateCode};
use haat::inventory::{
    AdjustmentReason, Allocator, Command, IdempotencyKey, Network, Operation, ReservationOwner,
    ReserveLine, StockKey, StockLedger,
};
use haat::orders::{
    BuyerId, Cart, CartLine, CheckoutRequest, CheckoutTerms, ListingView, Market, OrderBook,
    OrderEvent, SellerView, ShelfSnapshot,
};
use haat::seller::SellerStatus;

const SELLERS: u64 = 1_000;
const LISTINGS_PER_SELLER: u64 = 10;
const CARTS: u64 = 10_000;
const LOCATIONS: [u64; 2] = [1001, 2001];

fn base() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 10, 1, 5, 0, 0)
        .single()
        .unwrap_or_else(|| unreachable!())
}

/// A small deterministic generator (no dependency on a random crate).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below
    }
}

fn shelf() -> ShelfSnapshot {
    let mut shelf = ShelfSnapshot::default();
    let registration = GstRegistration::Registered {
        state: StateCode::WEST_BENGAL,
    };
    for s in 0..SELLERS {
        let seller = SellerId::new(s + 1);
        shelf.put_seller(SellerView {
            seller,
            status: SellerStatus::Active,
            registration,
        });
        for l in 0..LISTINGS_PER_SELLER {
            let id = s * LISTINGS_PER_SELLER + l + 1;
            let (hsn, price) = if l % 2 == 0 {
                ("5208", 2_450)
            } else {
                ("6211", 1_800 + 100 * l as i64)
            };
            shelf.put_listing(ListingView {
                listing: ListingId::new(id),
                seller,
                sku: format!("SKU-{l}")
                    .parse()
                    .unwrap_or_else(|_| unreachable!()),
                category: "textiles/handloom"
                    .parse()
                    .unwrap_or_else(|_| unreachable!()),
                hsn: hsn.parse().unwrap_or_else(|_| unreachable!()),
                price: Money::from_rupees(price),
                mrp: Money::from_rupees(price + 500),
                live: true,
                return_days: 7,
            });
        }
    }
    shelf
}

fn stocked_ledger() -> StockLedger {
    let mut ledger = StockLedger::with_capacity(
        (SELLERS * LISTINGS_PER_SELLER) as usize * LOCATIONS.len(),
        1 << 16,
    );
    let mut key = u128::MAX;
    for s in 0..SELLERS {
        for l in 0..LISTINGS_PER_SELLER {
            for location in LOCATIONS {
                key -= 1;
                let cell = StockKey::new(
                    SellerId::new(s + 1),
                    format!("SKU-{l}")
                        .parse()
                        .unwrap_or_else(|_| unreachable!()),
                    LocationId::new(location),
                );
                let count = Operation::Adjust {
                    key: cell,
                    expected_on_hand: 0,
                    counted_on_hand: 1_000_000_000,
                    reason: AdjustmentReason::Found,
                };
                let _ = ledger.execute(
                    &Command::new(Actor::System, IdempotencyKey::new(key), count),
                    base(),
                );
            }
        }
    }
    ledger.forget_events_through(ledger.next_seq() - 1);
    ledger
}

fn carts(network: &Network) -> Vec<CheckoutRequest> {
    let pins: Vec<PinCode> = network.served_pin_codes().collect();
    let mut rng = Lcg(7);
    (0..CARTS)
        .map(|c| {
            let first = rng.next(SELLERS);
            let second = if rng.next(5) == 0 {
                rng.next(SELLERS)
            } else {
                first
            };
            let lines = (0..=rng.next(3))
                .map(|i| {
                    let seller = if i == 1 { second } else { first };
                    CartLine {
                        listing: ListingId::new(
                            seller * LISTINGS_PER_SELLER + rng.next(LISTINGS_PER_SELLER) + 1,
                        ),
                        quantity: 1 + rng.next(2) as u32,
                    }
                })
                .collect();
            CheckoutRequest {
                actor: Actor::System,
                key: IdempotencyKey::new(u128::from(c) + 1),
                cart: Cart {
                    buyer: BuyerId::new(c),
                    pin_code: pins[rng.next(pins.len() as u64) as usize],
                    lines,
                },
            }
        })
        .collect()
}

pub fn benches(c: &mut Criterion) {
    let network = Network::west_bengal_reference().unwrap_or_else(|_| unreachable!());
    let allocator = Allocator::new(&network);
    let shelf = shelf();
    let ledger = stocked_ledger();
    let requests = carts(&network);
    let lines: u64 = requests.iter().map(|r| r.cart.lines.len() as u64).sum();
    let market = Market {
        shelf: &shelf,
        rates: GstRateTable::india(),
        allocator: &allocator,
        terms: CheckoutTerms::default(),
    };
    let now = base();

    // The reservations checkout places, as bare ledger commands (one per seller's order).
    let mut reserves = Vec::new();
    {
        let mut ledger = ledger.clone();
        let mut book = OrderBook::starting_at(OrderId::new(1));
        for request in &requests {
            let Ok(placed) = book.checkout(&market, &mut ledger, request, now) else {
                continue;
            };
            for event in &placed.events {
                if let OrderEvent::OrderPlaced {
                    order,
                    seller,
                    lines,
                    ..
                } = event
                {
                    let op = Operation::Reserve {
                        owner: ReservationOwner::Order(*order),
                        expires_at: now + chrono::Duration::days(9),
                        lines: lines
                            .iter()
                            .map(|l| ReserveLine {
                                key: StockKey::new(*seller, l.sku.clone(), l.location),
                                quantity: u64::from(l.quantity),
                            })
                            .collect(),
                    };
                    let key = IdempotencyKey::new(1 + reserves.len() as u128);
                    reserves.push(Command::new(Actor::System, key, op));
                }
            }
        }
    }

    let mut group = c.benchmark_group("orders");
    group.throughput(Throughput::Elements(lines));
    group.bench_function("checkout", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let mut ledger = ledger.clone();
                let mut book = OrderBook::starting_at(OrderId::new(1));
                let start = Instant::now();
                for request in &requests {
                    let _ = black_box(book.checkout(&market, &mut ledger, black_box(request), now));
                }
                total += start.elapsed();
            }
            total
        })
    });
    group.bench_function("reserve_bare", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let mut ledger = ledger.clone();
                let start = Instant::now();
                for command in &reserves {
                    let _ = black_box(ledger.execute(black_box(command), now));
                }
                total += start.elapsed();
            }
            total
        })
    });
    group.finish();
}
