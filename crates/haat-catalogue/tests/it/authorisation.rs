//! Authorisation, proven: a seller actor reaches no other seller's listing, whatever it asks
//! and wherever the listing is in its life.

use chrono::{DateTime, Duration, TimeZone, Utc};
use haat_catalogue::{Catalogue, Error, ListingCommand as C, Taxonomy};
use haat_core::{Actor, ListingId, Money, SellerId, StaffId};
use proptest::prelude::*;

use crate::quality::{saree, tea};

const L: ListingId = ListingId::new(1);
const OWNER: SellerId = SellerId::new(7);
const ME: Actor = Actor::Seller(OWNER);
const OPS: Actor = Actor::Operations(StaffId::new(3));

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 10, 1, 4, 30, 0).unwrap()
}

/// The owner's listing `L` in each state of its life, by name.
fn catalogue_in(state: &str) -> Catalogue {
    let create = C::CreateDraft {
        actor: ME,
        listing: L,
        seller: OWNER,
        content: saree(),
    };
    let submit = C::SubmitForReview {
        actor: ME,
        listing: L,
    };
    let pass = C::PassReview {
        actor: OPS,
        listing: L,
    };
    let reject = C::RejectReview {
        actor: OPS,
        listing: L,
        reasons: vec!["blurred photos".into()],
    };
    let activate = C::Activate {
        actor: ME,
        listing: L,
    };
    let deactivate = C::Deactivate {
        actor: ME,
        listing: L,
    };
    let archive = C::Archive {
        actor: ME,
        listing: L,
    };
    let revise = C::EditContent {
        actor: ME,
        listing: L,
        content: {
            let mut c = saree();
            c.title = "Handwoven Shantipuri cotton saree, red and cream".into();
            c
        },
    };
    let failing = C::EditContent {
        actor: ME,
        listing: L,
        content: {
            let mut c = saree();
            c.title = "SALE!".into();
            c
        },
    };
    let live = vec![create.clone(), submit.clone(), pass.clone(), activate];
    let commands = match state {
        "draft" => vec![create],
        "checks_failed" => vec![create, failing, submit],
        "in_review" => vec![create, submit],
        "rejected" => vec![create, submit, reject],
        "approved" => vec![create, submit, pass],
        "active" => live,
        "revising" => [live, vec![revise, submit]].concat(),
        "inactive" => [live, vec![deactivate]].concat(),
        "archived" => [live, vec![archive]].concat(),
        other => panic!("no such state {other}"),
    };
    let mut catalogue = Catalogue::new(Taxonomy::west_bengal_default());
    for (i, command) in commands.iter().enumerate() {
        catalogue
            .execute(command, t0() + Duration::minutes(i as i64))
            .unwrap_or_else(|e| panic!("{state}: command {i} refused: {e}"));
    }
    catalogue
}

const STATES: [&str; 9] = [
    "draft",
    "checks_failed",
    "in_review",
    "rejected",
    "approved",
    "active",
    "revising",
    "inactive",
    "archived",
];

/// Any command of any variant on listing `L`, by a seller that is not its owner. A draft is
/// created either for the stranger itself or for the owner, under the owner's listing id.
fn stranger_command() -> impl Strategy<Value = C> {
    let stranger = (1u64..1_000).prop_filter("not the owner", |&n| n != OWNER.get());
    (stranger, 0u8..9, any::<bool>()).prop_map(|(n, kind, flip)| {
        let actor = Actor::Seller(SellerId::new(n));
        let listing = L;
        let content = if flip { saree() } else { tea() };
        match kind {
            0 => C::CreateDraft {
                actor,
                listing,
                seller: if flip { SellerId::new(n) } else { OWNER },
                content,
            },
            1 => C::EditContent {
                actor,
                listing,
                content,
            },
            2 => C::EditPrice {
                actor,
                listing,
                price: Money::from_rupees(if flip { 0 } else { 2_100 }),
                mrp: Some(Money::from_rupees(2_800)),
            },
            3 => C::SubmitForReview { actor, listing },
            4 => C::PassReview { actor, listing },
            5 => C::RejectReview {
                actor,
                listing,
                reasons: if flip { vec![] } else { vec!["blurred".into()] },
            },
            6 => C::Activate { actor, listing },
            7 => C::Deactivate { actor, listing },
            _ => C::Archive { actor, listing },
        }
    })
}

proptest! {
    /// Any command by a seller that does not own the listing, in any state of the listing, is
    /// `Forbidden` (before any other rule, so it learns nothing of the listing) and changes
    /// nothing: through the catalogue and through the listing itself.
    #[test]
    fn a_seller_is_forbidden_on_another_sellers_listing(
        state in prop::sample::select(STATES.to_vec()),
        command in stranger_command(),
    ) {
        let catalogue = catalogue_in(state);
        let before: Vec<_> = catalogue.listings().cloned().collect();
        let forbidden = Err(Error::Forbidden {
            actor: command.actor(),
            action: command.action(),
            listing: L,
        });
        let now = t0() + Duration::hours(1);
        prop_assert_eq!(catalogue.decide(&command, now), forbidden.clone());
        let listing = catalogue.get(L).unwrap();
        prop_assert_eq!(listing.decide(&command, catalogue.taxonomy(), now), forbidden);
        let after: Vec<_> = catalogue.listings().cloned().collect();
        prop_assert_eq!(before, after);
    }
}

/// A stranger asking anything of an archived listing was told it is archived.
#[test]
fn a_stranger_learns_nothing_from_an_archived_listing() {
    let catalogue = catalogue_in("archived");
    let stranger = Actor::Seller(SellerId::new(8));
    let edit = C::EditPrice {
        actor: stranger,
        listing: L,
        price: Money::from_rupees(1),
        mrp: Some(Money::from_rupees(2_800)),
    };
    let err = catalogue.decide(&edit, t0()).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("seller 8 may not edit the price of listing 1")
    );
}

/// A stranger creating a draft under another seller's listing id was told the listing exists.
#[test]
fn a_stranger_cannot_create_over_another_sellers_listing() {
    let catalogue = catalogue_in("draft");
    let stranger = SellerId::new(8);
    let create = C::CreateDraft {
        actor: Actor::Seller(stranger),
        listing: L,
        seller: stranger,
        content: tea(),
    };
    assert_eq!(
        catalogue.decide(&create, t0()),
        Err(Error::Forbidden {
            actor: Actor::Seller(stranger),
            action: "create",
            listing: L,
        })
    );
    // The owner itself is told the listing exists.
    let again = C::CreateDraft {
        actor: ME,
        listing: L,
        seller: OWNER,
        content: tea(),
    };
    assert_eq!(
        catalogue.decide(&again, t0()),
        Err(Error::ListingExists { listing: L })
    );
}
