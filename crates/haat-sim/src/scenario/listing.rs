//! A listing's way from draft to live: created, checked, reviewed, activated, stocked.

use chrono::{DateTime, TimeDelta, Utc};
use haat_catalogue::{ListingCommand, ListingEvent};
use haat_core::{Actor, ListingId, LocationId, SellerId};
use haat_orders::ListingView;

use super::orders::{Act, ListingInfo};
use super::seller::SellerRun;
use super::{hours, staff};
use crate::plan::Plan;
use crate::products::{self, Product};
use crate::profile::Appeal;
use crate::refusal::{Refusal, SimSurprise};

/// The listings a seller numbers in the first range: ids seller × 1,000 + n.
pub(super) const FIRST_RANGE: u32 = 999;

/// Where the second range of listing ids starts: above every first-range id of any scenario.
const SECOND_RANGE: u64 = 1_000_000_000_000;

/// The id of seller `seller`'s listing `number`: seller × 1,000 + n for its first 999, as
/// every seller's always were; a house listing more (only a profile does) numbers the rest
/// 10^12 + seller × 10^6 + n, a range of its own, so no two listings share an id.
pub(super) fn listing_id(seller: SellerId, number: u32) -> ListingId {
    if number <= FIRST_RANGE {
        ListingId::new(seller.get() * 1_000 + u64::from(number))
    } else {
        ListingId::new(SECOND_RANGE + seller.get() * 1_000_000 + u64::from(number))
    }
}

impl SellerRun<'_, '_, '_, '_, '_> {
    /// Creates listing `number` from `product`: a draft, submitted (fixed and resubmitted if
    /// drawn flawed), reviewed and made live; then its first stock and its first month of
    /// orders.
    pub(super) fn create_listing(
        &mut self,
        product: &Product,
        number: u32,
        district: &str,
        home: LocationId,
        at: DateTime<Utc>,
        plan: &Plan,
    ) {
        let config = &self.world.config;
        let me = Actor::Seller(self.id);
        let flawed = self.rng.chance_bp(config.quality_fix_share.basis_points());
        let Some(content) =
            products::content(&mut self.rng, product, self.id, number, district, flawed)
        else {
            self.out
                .refused(Refusal::of_sim(SimSurprise::ListingTemplate));
            return;
        };
        let listing = listing_id(self.id, number);
        let view = ListingView {
            listing,
            seller: self.id,
            sku: content.sku.clone(),
            category: content.category.clone(),
            hsn: content.hsn,
            price: content.price,
            mrp: content.mrp.unwrap_or(content.price),
            live: true,
            return_days: self.world.return_days,
        };
        let sku = content.sku.clone();
        let fixed = flawed.then(|| products::fixed(&content));
        let create = ListingCommand::CreateDraft {
            actor: me,
            listing,
            seller: self.id,
            content,
        };
        if self.listing_cmd(&create, at).is_none() {
            return;
        }
        self.out.counts.listings += 1;
        let mut t = at + hours(&mut self.rng, 0, 2);
        let submit = ListingCommand::SubmitForReview { actor: me, listing };
        let events = self.listing_cmd(&submit, t).unwrap_or_default();
        let failed = events
            .iter()
            .any(|e| matches!(e, ListingEvent::QualityCheckFailed { .. }));
        if failed != flawed {
            self.out
                .refused(Refusal::of_sim(SimSurprise::QualityCheckSurprise));
        }
        if let Some(content) = fixed {
            t += hours(&mut self.rng, 2, 48);
            self.listing_cmd(
                &ListingCommand::EditContent {
                    actor: me,
                    listing,
                    content,
                },
                t,
            );
            t += hours(&mut self.rng, 0, 2);
            self.listing_cmd(&submit, t);
        }
        t += hours(&mut self.rng, 4, 48);
        let reviewer = staff(&mut self.rng);
        self.listing_cmd(
            &ListingCommand::PassReview {
                actor: reviewer,
                listing,
            },
            t,
        );
        t += hours(&mut self.rng, 0, 12);
        if self
            .listing_cmd(&ListingCommand::Activate { actor: me, listing }, t)
            .is_none()
        {
            return;
        }
        // Stock goes to the home location, then a month of orders at a time.
        let Appeal { values, weights } = self.appeal;
        let appeal = values
            .get(self.rng.weighted(weights))
            .copied()
            .unwrap_or(1_000);
        let index = self.listings.len() as u32;
        self.listings.push(ListingInfo {
            id: listing,
            sku,
            home,
            appeal,
            restocking: false,
            po: 0,
            live_at: t,
            view,
        });
        self.push(t, Act::Live { listing: index });
        let quantity = self.restock_quantity(index, plan, t);
        self.expect_stock(
            index,
            quantity,
            t - TimeDelta::hours(30),
            t - TimeDelta::hours(6),
        );
        let month = plan
            .months
            .iter()
            .position(|m| m.end() > t)
            .unwrap_or(plan.months.len());
        if month < plan.months.len() {
            self.push(
                t,
                Act::Month {
                    listing: index,
                    month: month as u16,
                },
            );
        }
    }
}
