//! The duplicate guard: each order and each event counted once, a repeat reported, and a
//! different record under an identity already seen refused.
//!
//! The folds add: an order row read twice would count its GMV twice. The guard stands in front
//! of them and remembers, for every identity it has admitted, a fingerprint of the record: an
//! order record (one order line) is known by its order id and listing; an event by its stream,
//! its kind, its aggregate (the seller, workshop or listing; the attendee too for attendance),
//! and its instant; a settlement statement by its seller and cycle (a stock signal, which
//! [`crate::Metrics`] does not read, by its whole content). Identities are read from the typed
//! values and the fingerprint is the record's `Hash`, so nothing is written out as text to
//! admit it. The memory is about 40 bytes per identity, which is why the guard is a separate
//! value the caller opts into rather than part of every fold (docs/DESIGN.md has the
//! measurements).

use std::fmt;
use std::hash::{BuildHasher, Hash, Hasher};

use chrono::{DateTime, SecondsFormat, Utc};
use haat_catalogue::ListingEvent;
use haat_core::{FastBuildHasher, FastHashMap, ListingId, OrderId, SellerId, WorkshopId};
use haat_orders::Cycle;
use haat_seller::{AttendeeId, SellerEvent, WorkshopEvent};

use crate::{Error, HaatEvent, OrderRecord};

/// How many repeated identities a guard keeps to show (the count covers all of them).
const EXAMPLES: usize = 5;

/// What the guard made of a record it admitted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Sighting {
    /// Its identity is new: fold it in.
    First,
    /// The same record was admitted before: it is counted once already, so skip it.
    Repeat,
}

/// Remembers the orders and events it has admitted, so that each is folded in once.
///
/// Ask it before folding: [`DuplicateGuard::admit_order`] and [`DuplicateGuard::admit_event`]
/// say whether a record is new ([`Sighting::First`]) or a repeat of one already admitted
/// ([`Sighting::Repeat`], counted and skipped); a record that differs from the one admitted under
/// the same identity is [`Error::ConflictingOrder`] or [`Error::ConflictingEvent`], and the first
/// record stays the one counted. [`crate::Metrics::add_order_once`] and
/// [`crate::Metrics::apply_event_once`] do both steps; [`DuplicateGuard::orders`] and
/// [`DuplicateGuard::events`] put a guard behind a reader.
///
/// One guard must see every record of a fold: the folds' `merge` adds, so a record folded in
/// two shards counts twice. To fold in parallel, share one guard between the threads (behind a
/// `Mutex`, admitting a batch at a time), or partition the input by identity (order id; seller,
/// workshop or listing) and give each partition its own guard.
///
/// ```
/// use haat_metrics::{DuplicateGuard, Error, Metrics, Sighting};
/// # use chrono::{TimeZone, Utc};
/// # use haat_core::{ListingId, Money, OrderId, SellerId};
/// # let placed = Utc.with_ymd_and_hms(2025, 10, 2, 6, 0, 0).unwrap();
/// # let order = haat_metrics::OrderRecord { order: OrderId::new(1), seller: SellerId::new(7),
/// #   listing: ListingId::new(70), quantity: 1, amount: Money::from_rupees(2_450), placed_at: placed,
/// #   promised_dispatch_by: placed, dispatched_at: None, delivered_at: None, cancellation: None,
/// #   returned_at: None, destination: "700001".parse()? };
/// let mut metrics = Metrics::default();
/// let mut guard = DuplicateGuard::default();
/// assert_eq!(metrics.add_order_once(&mut guard, &order)?, Sighting::First);
/// assert_eq!(metrics.add_order_once(&mut guard, &order)?, Sighting::Repeat);
/// assert_eq!(guard.repeated_orders(), 1);
/// assert_eq!(guard.repeated_order_ids(), [OrderId::new(1)]);
///
/// let changed = haat_metrics::OrderRecord { amount: Money::from_rupees(2_500), ..order };
/// let error = metrics.add_order_once(&mut guard, &changed).unwrap_err();
/// assert_eq!(
///     error.to_string(),
///     "order 1's line of listing 70 appears again with a different amount"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct DuplicateGuard {
    orders: FastHashMap<(OrderId, ListingId), OrderPrint>,
    events: FastHashMap<u128, u64>,
    repeated_orders: u64,
    repeated_events: u64,
    conflicts: u64,
    repeated_order_ids: Vec<OrderId>,
    repeated_event_ids: Vec<String>,
}

impl DuplicateGuard {
    /// Admits an order record: [`Sighting::First`] if its order line (order id and listing)
    /// is new, [`Sighting::Repeat`] if the same record was admitted before.
    ///
    /// A record is one order line, so an order of several listings gives several records
    /// under one order id, each its own.
    ///
    /// # Errors
    /// [`Error::ConflictingOrder`] if a different record was admitted for the same order and
    /// listing; it names the fields that differ.
    pub fn admit_order(&mut self, order: &OrderRecord) -> Result<Sighting, Error> {
        let print = OrderPrint::of(order);
        let key = (order.order, order.listing);
        match self.orders.get(&key) {
            None => {
                self.orders.insert(key, print);
                Ok(Sighting::First)
            }
            Some(first) if *first == print => {
                self.repeated_orders += 1;
                if self.repeated_order_ids.len() < EXAMPLES {
                    self.repeated_order_ids.push(order.order);
                }
                Ok(Sighting::Repeat)
            }
            Some(first) => {
                self.conflicts += 1;
                Err(Error::ConflictingOrder {
                    order: order.order,
                    listing: order.listing,
                    fields: first.differing_fields(&print),
                })
            }
        }
    }

    /// Admits an event: [`Sighting::First`] if its identity (stream, kind, aggregate, instant)
    /// is new, [`Sighting::Repeat`] if the same event was admitted before.
    ///
    /// # Errors
    /// [`Error::ConflictingEvent`] if a different event was admitted under the same identity.
    pub fn admit_event(&mut self, event: &HaatEvent) -> Result<Sighting, Error> {
        match event {
            HaatEvent::Seller(event) => self.admit_seller_event(event),
            HaatEvent::Workshop(event) => self.admit_workshop_event(event),
            HaatEvent::Listing(event) => self.admit_listing_event(event),
            HaatEvent::Stock(signal) => self.admit(Identity::Whole(whole_key(signal)), signal),
            HaatEvent::Settlement(issued) => {
                let identity = Identity::Settlement {
                    seller: issued.statement.seller,
                    cycle: issued.statement.cycle,
                };
                self.admit(identity, issued)
            }
        }
    }

    /// [`DuplicateGuard::admit_event`] for a seller event, without wrapping it in a
    /// [`HaatEvent`].
    ///
    /// # Errors
    /// As [`DuplicateGuard::admit_event`].
    pub fn admit_seller_event(&mut self, event: &SellerEvent) -> Result<Sighting, Error> {
        let identity = Identity::Seller {
            seller: event.seller(),
            kind: event.kind(),
            at: event.at(),
        };
        self.admit(identity, event)
    }

    /// [`DuplicateGuard::admit_event`] for a workshop event.
    ///
    /// # Errors
    /// As [`DuplicateGuard::admit_event`].
    pub fn admit_workshop_event(&mut self, event: &WorkshopEvent) -> Result<Sighting, Error> {
        let identity = Identity::Workshop {
            workshop: event.workshop(),
            attendee: event.attendee(),
            kind: event.kind(),
            at: event.at(),
        };
        self.admit(identity, event)
    }

    /// [`DuplicateGuard::admit_event`] for a listing event.
    ///
    /// # Errors
    /// As [`DuplicateGuard::admit_event`].
    pub fn admit_listing_event(&mut self, event: &ListingEvent) -> Result<Sighting, Error> {
        let identity = Identity::Listing {
            listing: event.listing(),
            kind: event.kind(),
            at: event.at(),
        };
        self.admit(identity, event)
    }

    /// Forgets the identities admitted so far, keeping the counts and the ids shown: for a
    /// caller that knows no later record can share an identity with an earlier one (it has
    /// finished a partition of its input by identity), so that memory stays bounded.
    pub fn forget(&mut self) {
        self.orders.clear();
        self.events.clear();
    }

    /// Admits `event` under `identity`: the identity decides which event it is, a fingerprint
    /// of its whole content whether it is the same event again.
    fn admit(&mut self, identity: Identity, event: &impl Hash) -> Result<Sighting, Error> {
        let print = hash_of(event, 0);
        let key = identity.key();
        match self.events.get(&key) {
            None => {
                self.events.insert(key, print);
                Ok(Sighting::First)
            }
            Some(&first) if first == print => {
                self.repeated_events += 1;
                if self.repeated_event_ids.len() < EXAMPLES {
                    self.repeated_event_ids.push(identity.to_string());
                }
                Ok(Sighting::Repeat)
            }
            Some(_) => {
                self.conflicts += 1;
                Err(Error::ConflictingEvent {
                    event: identity.to_string(),
                })
            }
        }
    }

    /// The rows of an order reader with repeats left out and conflicts turned into errors;
    /// [`DuplicateGuard::repeated_orders`] counts what was left out.
    ///
    /// ```
    /// use haat_metrics::{DuplicateGuard, read_orders_csv, write_order_csv_header, write_order_csv_row};
    /// # use chrono::{TimeZone, Utc};
    /// # use haat_core::{ListingId, Money, OrderId, SellerId};
    /// # let placed = Utc.with_ymd_and_hms(2025, 10, 2, 6, 0, 0).unwrap();
    /// # let order = haat_metrics::OrderRecord { order: OrderId::new(1), seller: SellerId::new(7),
    /// #   listing: ListingId::new(70), quantity: 1, amount: Money::from_rupees(2_450), placed_at: placed,
    /// #   promised_dispatch_by: placed, dispatched_at: None, delivered_at: None, cancellation: None,
    /// #   returned_at: None, destination: "700001".parse()? };
    /// let mut csv = String::new();
    /// write_order_csv_header(&mut csv);
    /// write_order_csv_row(&mut csv, &order);
    /// write_order_csv_row(&mut csv, &order);
    /// let mut guard = DuplicateGuard::default();
    /// let kept: Vec<_> = guard.orders(read_orders_csv(csv.as_bytes())?).collect::<Result<_, _>>()?;
    /// assert_eq!((kept.len(), guard.repeated_orders()), (1, 1));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn orders<I>(&mut self, rows: I) -> impl Iterator<Item = Result<OrderRecord, Error>>
    where
        I: IntoIterator<Item = Result<OrderRecord, Error>>,
    {
        rows.into_iter().filter_map(|row| {
            match row.and_then(|order| Ok((self.admit_order(&order)?, order))) {
                Ok((Sighting::First, order)) => Some(Ok(order)),
                Ok((Sighting::Repeat, _)) => None,
                Err(error) => Some(Err(error)),
            }
        })
    }

    /// The items of an event reader with repeats left out and conflicts turned into errors;
    /// [`DuplicateGuard::repeated_events`] counts what was left out.
    pub fn events<I>(&mut self, lines: I) -> impl Iterator<Item = Result<HaatEvent, Error>>
    where
        I: IntoIterator<Item = Result<HaatEvent, Error>>,
    {
        lines.into_iter().filter_map(|line| {
            match line.and_then(|event| Ok((self.admit_event(&event)?, event))) {
                Ok((Sighting::First, event)) => Some(Ok(event)),
                Ok((Sighting::Repeat, _)) => None,
                Err(error) => Some(Err(error)),
            }
        })
    }

    /// How many order records were repeats of one admitted before.
    pub fn repeated_orders(&self) -> u64 {
        self.repeated_orders
    }

    /// How many events were repeats of one admitted before.
    pub fn repeated_events(&self) -> u64 {
        self.repeated_events
    }

    /// How many records differed from the one admitted under the same identity.
    pub fn conflicts(&self) -> u64 {
        self.conflicts
    }

    /// The order ids of the first few repeats (at most five), in the order they were found.
    pub fn repeated_order_ids(&self) -> &[OrderId] {
        &self.repeated_order_ids
    }

    /// The identities of the first few repeated events (at most five), in the order they were
    /// found, as text: `seller 7 seller_activated at 2025-06-01T04:30:00Z`.
    pub fn repeated_event_ids(&self) -> &[String] {
        &self.repeated_event_ids
    }

    /// How many distinct orders and events the guard remembers.
    pub fn len(&self) -> usize {
        self.orders.len() + self.events.len()
    }

    /// Whether it remembers nothing yet.
    pub fn is_empty(&self) -> bool {
        self.orders.is_empty() && self.events.is_empty()
    }
}

/// The fields of an order record, in the order its fingerprint lanes take them.
const ORDER_FIELDS: [&str; 10] = [
    "seller",
    "quantity",
    "amount",
    "placed_at",
    "promised_dispatch_by",
    "dispatched_at",
    "delivered_at",
    "cancellation",
    "returned_at",
    "destination",
];

/// Bits of each field's lane in [`OrderPrint::lanes`].
const LANE_BITS: u32 = 5;

/// A fingerprint of an order record (its order id and listing aside): 64 bits over every field, which
/// decide whether two records differ, and five bits per field, which name the fields that do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct OrderPrint {
    whole: u64,
    lanes: u64,
}

impl OrderPrint {
    fn of(order: &OrderRecord) -> OrderPrint {
        let instant = |at: &DateTime<Utc>| {
            mix(at.timestamp() as u64 ^ mix(u64::from(at.timestamp_subsec_nanos())))
        };
        let maybe = |at: &Option<DateTime<Utc>>| at.as_ref().map_or(0, |at| mix(instant(at)));
        // Money compares by value: 100.0 and 100.00 are the same amount.
        let amount = order.amount.amount().normalize().serialize();
        let fields: [u64; ORDER_FIELDS.len()] = [
            mix(order.seller.get()),
            mix(u64::from(order.quantity)),
            hash_bytes(&amount, 0),
            instant(&order.placed_at),
            instant(&order.promised_dispatch_by),
            maybe(&order.dispatched_at),
            maybe(&order.delivered_at),
            order
                .cancellation
                .as_ref()
                .map_or(0, |c| mix(instant(&c.at) ^ mix(1 + c.by as u64))),
            maybe(&order.returned_at),
            mix(u64::from(order.destination.get())),
        ];
        let mut whole = 0u64;
        let mut lanes = 0u64;
        for (at, field) in fields.iter().enumerate() {
            whole = mix(whole.rotate_left(7) ^ field);
            lanes |= (field >> (64 - LANE_BITS)) << (at as u32 * LANE_BITS);
        }
        OrderPrint { whole, lanes }
    }

    /// The fields whose lanes differ (a field can hide behind an equal lane, one time in 32).
    fn differing_fields(&self, other: &OrderPrint) -> Vec<&'static str> {
        let lane = |lanes: u64, at: usize| (lanes >> (at as u32 * LANE_BITS)) & 0b1_1111;
        ORDER_FIELDS
            .iter()
            .enumerate()
            .filter(|&(at, _)| lane(self.lanes, at) != lane(other.lanes, at))
            .map(|(_, name)| *name)
            .collect()
    }
}

/// SplitMix64's finaliser: every bit of the input moves about half the bits of the output.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A fixed 64-bit hash of `bytes` (the same in every process, unlike `RandomState`'s).
fn hash_bytes(bytes: &[u8], seed: u64) -> u64 {
    let mut hasher = FastBuildHasher::default().build_hasher();
    hasher.write_u64(seed);
    hasher.write_usize(bytes.len());
    hasher.write(bytes);
    mix(hasher.finish())
}

/// A fixed 64-bit hash of `value` through its `Hash`, which visits every field (the same in
/// every process, unlike `RandomState`'s).
fn hash_of(value: &(impl Hash + ?Sized), seed: u64) -> u64 {
    let mut hasher = FastBuildHasher::default().build_hasher();
    hasher.write_u64(seed);
    value.hash(&mut hasher);
    mix(hasher.finish())
}

/// A 128-bit key for `value`: two independent 64-bit hashes, so that two different values
/// share a key about once in 2^64 pairs, rarer than a fault in the memory holding them.
fn key_of(value: &(impl Hash + ?Sized), seeds: (u64, u64)) -> u128 {
    u128::from(hash_of(value, seeds.0)) | (u128::from(hash_of(value, seeds.1)) << 64)
}

/// The key of an event that is its own identity.
fn whole_key(event: &impl Hash) -> u128 {
    key_of(event, (1, 2))
}

/// What identifies an event: its stream and kind, the aggregate it belongs to (the attendee
/// too for attendance) and its instant; a statement by its seller and cycle (a seller is
/// settled once a cycle); a stock signal, which the metrics do not read, by its whole content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Identity {
    Seller {
        seller: SellerId,
        kind: &'static str,
        at: DateTime<Utc>,
    },
    Workshop {
        workshop: WorkshopId,
        attendee: Option<AttendeeId>,
        kind: &'static str,
        at: DateTime<Utc>,
    },
    Listing {
        listing: ListingId,
        kind: &'static str,
        at: DateTime<Utc>,
    },
    Settlement {
        seller: SellerId,
        cycle: Cycle,
    },
    Whole(u128),
}

impl Identity {
    /// The key the guard remembers the identity by.
    fn key(&self) -> u128 {
        match self {
            Identity::Whole(key) => *key,
            identity => key_of(identity, (3, 4)),
        }
    }
}

/// The identity as text, as the event's JSON form names its parts:
/// `seller 7 seller_activated at 2025-06-01T04:30:00Z`.
impl fmt::Display for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The instant as serde writes it in the event's JSON form.
        let at = |at: &DateTime<Utc>| at.to_rfc3339_opts(SecondsFormat::AutoSi, true);
        match self {
            Identity::Seller {
                seller,
                kind,
                at: t,
            } => {
                write!(f, "seller {seller} {kind} at {}", at(t))
            }
            Identity::Workshop {
                workshop,
                attendee: Some(attendee),
                kind,
                at: t,
            } => write!(
                f,
                "workshop {workshop} attendee {attendee} {kind} at {}",
                at(t)
            ),
            Identity::Workshop {
                workshop,
                attendee: None,
                kind,
                at: t,
            } => write!(f, "workshop {workshop} {kind} at {}", at(t)),
            Identity::Listing {
                listing,
                kind,
                at: t,
            } => {
                write!(f, "listing {listing} {kind} at {}", at(t))
            }
            Identity::Settlement { seller, cycle } => {
                write!(f, "settlement of seller {seller} for {cycle}")
            }
            Identity::Whole(_) => f.write_str("a stock signal"),
        }
    }
}
