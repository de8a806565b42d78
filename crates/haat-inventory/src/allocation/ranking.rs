//! The ranking of stock-holding locations for a destination, by the policy's tiers: the one
//! place the tiers are defined.

use haat_core::{LocationId, PinCode, PinDirectory, StateCode};

use super::Reason;
use crate::{Location, LocationKind, Network};

/// Tiers of the policy's location criteria: (1) feeds a serving last-mile hub, (2) same
/// district, (3) same state, and the rest.
pub(super) const TIERS: usize = 4;
/// Availability is asked for this many locations at a time, into a buffer on the stack.
pub(super) const CHUNK: usize = 64;

pub(super) const fn tier_reason(tier: usize) -> Reason {
    match tier {
        0 => Reason::FeedsServingHub,
        1 => Reason::SameDistrict,
        2 => Reason::SameState,
        _ => Reason::MostStock,
    }
}

/// The stock-holding locations ranked for one destination: `ids[bounds[t]..bounds[t + 1]]` is
/// tier `t`, ascending by id.
#[derive(Clone, Copy)]
pub(super) struct Ranked<'a> {
    pub(super) ids: &'a [LocationId],
    pub(super) states: &'a [StateCode],
    pub(super) bounds: [usize; TIERS + 1],
}

/// Ranks `candidates` (stock-holding locations, ascending by id) for `destination` into
/// `ids`/`states`, returning the tier bounds relative to the start of the run it appends.
pub(super) fn rank_into(
    network: &Network,
    candidates: &[&Location],
    destination: PinCode,
    ids: &mut Vec<LocationId>,
    states: &mut Vec<StateCode>,
) -> [usize; TIERS + 1] {
    let tiers = tiers_for(network, candidates, destination);
    let start = ids.len();
    let mut bounds = [start; TIERS + 1];
    for tier in 0..TIERS {
        for (location, _) in candidates.iter().zip(&tiers).filter(|(_, t)| **t == tier) {
            ids.push(location.id());
            states.push(location.state());
        }
        bounds[tier + 1] = ids.len();
    }
    bounds
}

/// The tier of each candidate for `destination`.
pub(super) fn tiers_for(
    network: &Network,
    candidates: &[&Location],
    destination: PinCode,
) -> Vec<usize> {
    let place = PinDirectory::india().lookup(destination);
    let (districts, states) = place.map_or((&[][..], &[][..]), |p| (p.districts(), p.states()));
    let feeds = |id: LocationId| {
        network.serving_hubs(destination).iter().any(|hub| {
            network.get(*hub).is_some_and(|h| {
                matches!(h.kind(), LocationKind::LastMileHub { fed_by, .. } if fed_by.contains(&id))
            })
        })
    };
    candidates
        .iter()
        .map(|c| {
            if feeds(c.id()) {
                0
            } else if districts.contains(&c.district()) {
                1
            } else if states.contains(&c.state()) {
                2
            } else {
                3
            }
        })
        .collect()
}
