//! Builders for events and orders, kept short so scenarios read as tables.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use haat_catalogue::{ListingContent, ListingEvent};
use haat_core::{
    Actor, District, ListingId, Money, OrderId, PinCode, PinDirectory, ProgrammeId, SellerId,
    StaffId, StateCode, WorkshopId,
};
use haat_metrics::{Cancellation, CancelledBy, OrderRecord};
use haat_seller::{
    AttendeeId, PartnerDepartment, Programme, SellerEvent, Workforce, WorkforceRole, WorkshopEvent,
    WorkshopReferral,
};

/// An instant given in IST (UTC+05:30).
pub fn ist(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap() - TimeDelta::minutes(330)
}

pub fn pin(code: &str) -> PinCode {
    code.parse().unwrap()
}

pub fn district(name: &str) -> District {
    PinDirectory::india()
        .find_district(StateCode::WEST_BENGAL, name)
        .unwrap()
}

pub fn registered(
    seller: u64,
    at: DateTime<Utc>,
    pin_code: &str,
    referral: Option<(u64, u64)>,
) -> SellerEvent {
    SellerEvent::SellerRegistered {
        seller: SellerId::new(seller),
        at,
        by: Actor::System,
        display_name: format!("Seller {seller}"),
        mobile: "9876543210".parse().unwrap(),
        pin_code: pin(pin_code),
        tags: BTreeSet::new(),
        referral: referral.map(|(w, a)| WorkshopReferral {
            workshop: WorkshopId::new(w),
            attendee: AttendeeId::new(a),
        }),
    }
}

pub fn kyc_verified(seller: u64, at: DateTime<Utc>) -> SellerEvent {
    SellerEvent::KycVerified {
        seller: SellerId::new(seller),
        at,
        by: StaffId::new(1),
    }
}

pub fn activated(seller: u64, at: DateTime<Utc>) -> SellerEvent {
    SellerEvent::SellerActivated {
        seller: SellerId::new(seller),
        at,
        by: Actor::System,
    }
}

pub fn deactivated(seller: u64, at: DateTime<Utc>) -> SellerEvent {
    SellerEvent::SellerDeactivated {
        seller: SellerId::new(seller),
        at,
        by: Actor::System,
    }
}

pub fn workforce(seller: u64, at: DateTime<Utc>, people: &[(WorkforceRole, u32)]) -> SellerEvent {
    SellerEvent::WorkforceDeclared {
        seller: SellerId::new(seller),
        at,
        by: Actor::System,
        workforce: Workforce::from_iter(people.iter().copied()),
    }
}

pub fn enrolled(seller: u64, at: DateTime<Utc>, programme: u64) -> SellerEvent {
    SellerEvent::EnrolledInProgramme {
        seller: SellerId::new(seller),
        at,
        by: Actor::System,
        programme: Programme::samarth_like(ProgrammeId::new(programme)),
    }
}

pub fn content(category: &str) -> ListingContent {
    ListingContent {
        title: "Tant saree".into(),
        description: String::new(),
        category: category.parse().unwrap(),
        attributes: Default::default(),
        images: Vec::new(),
        price: Money::from_rupees(1_000),
        mrp: None,
        hsn: "5208".parse().unwrap(),
        packaged: None,
        sku: "SKU-1".parse().unwrap(),
    }
}

pub fn draft(listing: u64, seller: u64, at: DateTime<Utc>, category: &str) -> ListingEvent {
    ListingEvent::DraftCreated {
        listing: ListingId::new(listing),
        seller: SellerId::new(seller),
        actor: Actor::System,
        at,
        content: content(category),
    }
}

pub fn listing_live(listing: u64, seller: u64, at: DateTime<Utc>) -> ListingEvent {
    ListingEvent::Activated {
        listing: ListingId::new(listing),
        seller: SellerId::new(seller),
        actor: Actor::System,
        at,
    }
}

pub fn listing_off(listing: u64, seller: u64, at: DateTime<Utc>) -> ListingEvent {
    ListingEvent::Deactivated {
        listing: ListingId::new(listing),
        seller: SellerId::new(seller),
        actor: Actor::System,
        at,
    }
}

pub fn listing_archived(listing: u64, seller: u64, at: DateTime<Utc>) -> ListingEvent {
    ListingEvent::Archived {
        listing: ListingId::new(listing),
        seller: SellerId::new(seller),
        actor: Actor::System,
        at,
    }
}

pub fn scheduled(
    workshop: u64,
    at: DateTime<Utc>,
    district_name: &str,
    date: NaiveDate,
) -> WorkshopEvent {
    WorkshopEvent::WorkshopScheduled {
        workshop: WorkshopId::new(workshop),
        at,
        by: Actor::Operations(StaffId::new(1)),
        district: district(district_name),
        venue: "District Industries Centre".into(),
        date,
        partner: PartnerDepartment::Textiles,
        capacity: 50,
    }
}

pub fn attended(
    workshop: u64,
    attendee: u64,
    district_name: &str,
    date: NaiveDate,
) -> WorkshopEvent {
    WorkshopEvent::AttendanceRecorded {
        workshop: WorkshopId::new(workshop),
        at: haat_core::ist_midnight(date),
        by: Actor::System,
        district: district(district_name),
        date,
        attendee: AttendeeId::new(attendee),
        name: format!("Attendee {attendee}"),
        mobile: None,
    }
}

pub fn became_seller(
    workshop: u64,
    attendee: u64,
    seller: u64,
    district_name: &str,
    date: NaiveDate,
    at: DateTime<Utc>,
) -> WorkshopEvent {
    WorkshopEvent::AttendeeBecameSeller {
        workshop: WorkshopId::new(workshop),
        at,
        by: Actor::System,
        district: district(district_name),
        date,
        attendee: AttendeeId::new(attendee),
        seller: SellerId::new(seller),
    }
}

/// What became of an order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    /// Dispatched on time and delivered.
    Delivered,
    /// Dispatched after the promise and delivered.
    Late,
    /// Cancelled by the seller before dispatch.
    SellerCancelled,
    /// Cancelled by the buyer before dispatch.
    BuyerCancelled,
    /// Delivered and returned.
    Returned,
}

impl Fate {
    /// Every fate, in declaration order.
    pub const ALL: [Fate; 5] = [
        Fate::Delivered,
        Fate::Late,
        Fate::SellerCancelled,
        Fate::BuyerCancelled,
        Fate::Returned,
    ];
}

pub fn order(
    n: u64,
    seller: u64,
    listing: u64,
    rupees: i64,
    placed_at: DateTime<Utc>,
    destination: &str,
    fate: Fate,
) -> OrderRecord {
    let day = TimeDelta::days(1);
    let promised = placed_at + day * 2;
    let (dispatched, delivered, cancellation, returned) = match fate {
        Fate::Delivered => (Some(placed_at + day), Some(placed_at + day * 4), None, None),
        Fate::Late => (
            Some(placed_at + day * 3),
            Some(placed_at + day * 5),
            None,
            None,
        ),
        Fate::SellerCancelled | Fate::BuyerCancelled => (
            None,
            None,
            Some(Cancellation {
                at: placed_at + day,
                by: if fate == Fate::SellerCancelled {
                    CancelledBy::Seller
                } else {
                    CancelledBy::Buyer
                },
            }),
            None,
        ),
        Fate::Returned => (
            Some(placed_at + day),
            Some(placed_at + day * 4),
            None,
            Some(placed_at + day * 10),
        ),
    };
    OrderRecord {
        order: OrderId::new(n),
        seller: SellerId::new(seller),
        listing: ListingId::new(listing),
        quantity: 1,
        amount: Money::from_rupees(rupees),
        placed_at,
        promised_dispatch_by: promised,
        dispatched_at: dispatched,
        delivered_at: delivered,
        cancellation,
        returned_at: returned,
        destination: pin(destination),
    }
}
