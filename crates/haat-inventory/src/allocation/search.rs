//! Allocating an order's lines over a ranking: for each line, the best location tier by tier,
//! split across locations where the policy allows, and the shortfalls merged per SKU.

use chrono::{DateTime, Utc};
use haat_core::{LocationId, PinDirectory, StateCode};

use super::ranking::{CHUNK, Ranked, TIERS, tier_reason};
use super::{
    Allocation, AllocationRequest, AvailableStock, OrderLine, Reason, SellerConstraint, Shipment,
    Shortfall, ShortfallCause, SplitPolicy,
};

/// What one line is, while it is being allocated.
pub(super) struct LineJob<'r> {
    pub(super) request: &'r AllocationRequest,
    pub(super) index: usize,
    pub(super) line: &'r OrderLine,
    /// Locations must be in this state.
    pub(super) only_state: Option<StateCode>,
    /// Earlier lines of the same SKU exist: subtract what they took.
    pub(super) repeat: bool,
    /// The locations holding the SKU, ascending by id, with what each can promise, when the
    /// stock can list them ([`AvailableStock::stocked`]): only these need a look.
    pub(super) listed: Option<&'r [(LocationId, u64)]>,
}

pub(super) fn run(
    ranked: Ranked<'_>,
    stock: &impl AvailableStock,
    request: &AllocationRequest,
    now: DateTime<Utc>,
    out: &mut Allocation,
) {
    out.clear();
    let destination_states = PinDirectory::india()
        .lookup(request.destination)
        .map_or(&[][..], |p| p.states());
    let mut any_repeat = false;
    let mut listed = Vec::new();
    for (index, line) in request.lines.iter().enumerate() {
        if line.quantity == 0 {
            continue;
        }
        let only_state = request
            .constraint(line.seller)
            .and_then(SellerConstraint::only_state);
        let repeat = request.lines[..index]
            .iter()
            .any(|l| l.seller == line.seller && l.sku == line.sku);
        any_repeat |= repeat;
        let listed = stock
            .stocked(line.seller, &line.sku, now, &mut listed)
            .then_some(listed.as_slice());
        let job = LineJob {
            request,
            index,
            line,
            only_state,
            repeat,
            listed,
        };
        let (allocated, cause) = match only_state {
            Some(state) if !destination_states.contains(&state) => {
                (0, ShortfallCause::OutsideSellerState)
            }
            _ => allocate_line(ranked, stock, request, &job, now, out),
        };
        if allocated < line.quantity {
            out.shortfalls.push(Shortfall {
                seller: line.seller,
                sku: line.sku.clone(),
                requested: line.quantity,
                allocatable: allocated,
                cause,
            });
        }
    }
    if any_repeat && !out.shortfalls.is_empty() {
        merge_shortfalls(request, out);
    }
}

/// Turns per-line shortfalls into one per SKU, counting every line of the SKU.
pub(super) fn merge_shortfalls(request: &AllocationRequest, out: &mut Allocation) {
    let per_line = std::mem::take(&mut out.shortfalls);
    for (index, line) in request.lines.iter().enumerate() {
        let same = |l: &OrderLine| l.seller == line.seller && l.sku == line.sku;
        if request.lines[..index].iter().any(same) {
            continue;
        }
        let mut causes = per_line
            .iter()
            .filter(|s| s.seller == line.seller && s.sku == line.sku)
            .map(|s| s.cause);
        let Some(first) = causes.next() else { continue };
        let cause = if first == ShortfallCause::NotEnoughStock
            || causes.any(|c| c == ShortfallCause::NotEnoughStock)
        {
            ShortfallCause::NotEnoughStock
        } else {
            first
        };
        let lines = || request.lines.iter().enumerate().filter(|(_, l)| same(l));
        let requested = lines().map(|(_, l)| l.quantity).sum();
        let allocatable = lines().map(|(i, _)| out.allocated(i)).sum();
        out.shortfalls.push(Shortfall {
            seller: line.seller,
            sku: line.sku.clone(),
            requested,
            allocatable,
            cause,
        });
    }
}

/// Calls `visit(position, tier, available)` for every location of `tier` that may ship `job`'s
/// line, with what it has left for the line.
pub(super) fn scan(
    ranked: Ranked<'_>,
    stock: &impl AvailableStock,
    job: &LineJob<'_>,
    shipments: &[Shipment],
    tier: usize,
    now: DateTime<Utc>,
    mut visit: impl FnMut(usize, u64),
) {
    let (Some(&start), Some(&end)) = (ranked.bounds.get(tier), ranked.bounds.get(tier + 1)) else {
        return;
    };
    if let Some(listed) = job.listed {
        // Only the listed locations can have any: find each in the tier (ascending by id, as
        // the list is, so the visits come in rank order) instead of asking every location.
        let (Some(ids), Some(states)) = (ranked.ids.get(start..end), ranked.states.get(start..end))
        else {
            return;
        };
        for &(location, count) in listed {
            let Ok(offset) = ids.binary_search(&location) else {
                continue;
            };
            if job
                .only_state
                .is_some_and(|only| states.get(offset) != Some(&only))
            {
                continue;
            }
            let count = if job.repeat {
                count.saturating_sub(taken(job.request, shipments, job.line, location))
            } else {
                count
            };
            visit(start + offset, count);
        }
        return;
    }
    let mut buffer = [0u64; CHUNK];
    let mut from = start;
    while from < end {
        let to = end.min(from + CHUNK);
        let (Some(ids), Some(states)) = (ranked.ids.get(from..to), ranked.states.get(from..to))
        else {
            return;
        };
        let counts = &mut buffer[..to - from];
        stock.available_many(job.line.seller, &job.line.sku, ids, now, counts);
        if job.only_state.is_none() && !job.repeat {
            // The common case, kept tight: every location may ship, nothing taken yet.
            for (offset, &count) in counts.iter().enumerate() {
                visit(from + offset, count);
            }
            from = to;
            continue;
        }
        for (offset, ((&id, &state), &count)) in
            ids.iter().zip(states).zip(counts.iter()).enumerate()
        {
            if job.only_state.is_some_and(|only| only != state) {
                continue;
            }
            let count = if job.repeat {
                count.saturating_sub(taken(job.request, shipments, job.line, id))
            } else {
                count
            };
            visit(from + offset, count);
        }
        from = to;
    }
}

/// Units of `line`'s SKU already allocated from `location` in this request.
pub(super) fn taken(
    request: &AllocationRequest,
    shipments: &[Shipment],
    line: &OrderLine,
    location: LocationId,
) -> u64 {
    shipments
        .iter()
        .filter(|s| {
            s.location == location
                && request
                    .lines
                    .get(s.line)
                    .is_some_and(|l| l.seller == line.seller && l.sku == line.sku)
        })
        .map(|s| s.quantity)
        .sum()
}

/// The best location of one tier: its position and stock, how many locations could ship, and
/// how many of those had the same stock as the best.
#[derive(Default)]
pub(super) struct Best {
    pub(super) best: Option<(usize, u64)>,
    pub(super) contenders: usize,
    pub(super) ties: usize,
}

impl Best {
    /// Considers a location with `count` units; candidates arrive in rank order, so the first
    /// of equals stays.
    fn offer(&mut self, position: usize, count: u64) {
        self.contenders += 1;
        match self.best {
            Some((_, best)) if count < best => {}
            Some((_, best)) if count == best => self.ties += 1,
            _ => {
                self.best = Some((position, count));
                self.ties = 1;
            }
        }
    }

    /// Why the best was chosen among the tier's contenders.
    fn reason(&self, tier: usize) -> Reason {
        if self.contenders == 1 {
            tier_reason(tier)
        } else if self.ties == 1 {
            Reason::MostStock
        } else {
            Reason::LowestId
        }
    }
}

/// Allocates one line; returns the units allocated and, should that fall short, why.
pub(super) fn allocate_line(
    ranked: Ranked<'_>,
    stock: &impl AvailableStock,
    request: &AllocationRequest,
    job: &LineJob<'_>,
    now: DateTime<Utc>,
    out: &mut Allocation,
) -> (u64, ShortfallCause) {
    let wanted = job.line.quantity;
    // The common case: the first tier with a location holding the whole line decides.
    for tier in 0..TIERS {
        let mut whole = Best::default();
        scan(
            ranked,
            stock,
            job,
            &out.shipments,
            tier,
            now,
            |position, count| {
                if count >= wanted {
                    whole.offer(position, count);
                }
            },
        );
        if let Some((position, _)) = whole.best {
            push(out, ranked, job, position, wanted, whole.reason(tier));
            return (wanted, ShortfallCause::NotEnoughStock);
        }
    }
    // No location holds it all: look again for the total and the location with the most,
    // and how many share that most (overall and in its tier).
    let mut total: u64 = 0;
    let mut most: Option<(usize, u64, usize)> = None;
    let mut most_ties = 0usize;
    let mut most_tier_ties = 0usize;
    for tier in 0..TIERS {
        scan(
            ranked,
            stock,
            job,
            &out.shipments,
            tier,
            now,
            |position, count| {
                total = total.saturating_add(count);
                if count == 0 {
                    return;
                }
                match most {
                    Some((_, best, _)) if count < best => {}
                    Some((_, best, best_tier)) if count == best => {
                        most_ties += 1;
                        if best_tier == tier {
                            most_tier_ties += 1;
                        }
                    }
                    _ => {
                        most = Some((position, count, tier));
                        most_ties = 1;
                        most_tier_ties = 1;
                    }
                }
            },
        );
    }
    let cause = if total >= wanted {
        ShortfallCause::WouldSplit
    } else {
        ShortfallCause::NotEnoughStock
    };
    match request.split {
        SplitPolicy::Never => {
            let Some((position, count, tier)) = most else {
                return (0, cause);
            };
            let reason = if most_ties == 1 {
                Reason::MostStock
            } else if most_tier_ties == 1 && tier + 1 < TIERS {
                tier_reason(tier)
            } else {
                Reason::LowestId
            };
            push(out, ranked, job, position, count, reason);
            (count, cause)
        }
        SplitPolicy::AcrossLocations => {
            let split_job = LineJob {
                request: job.request,
                index: job.index,
                line: job.line,
                only_state: job.only_state,
                repeat: true,
                listed: job.listed,
            };
            let mut remaining = wanted;
            for tier in 0..TIERS {
                while remaining > 0 {
                    let mut best = Best::default();
                    scan(
                        ranked,
                        stock,
                        &split_job,
                        &out.shipments,
                        tier,
                        now,
                        |position, count| {
                            if count > 0 {
                                best.offer(position, count);
                            }
                        },
                    );
                    let Some((position, count)) = best.best else {
                        break;
                    };
                    let quantity = count.min(remaining);
                    push(out, ranked, job, position, quantity, best.reason(tier));
                    remaining -= quantity;
                }
            }
            (wanted - remaining, ShortfallCause::NotEnoughStock)
        }
    }
}

pub(super) fn push(
    out: &mut Allocation,
    ranked: Ranked<'_>,
    job: &LineJob<'_>,
    position: usize,
    quantity: u64,
    reason: Reason,
) {
    if let Some(&location) = ranked.ids.get(position) {
        out.shipments.push(Shipment {
            line: job.index,
            location,
            quantity,
            reason,
        });
    }
}
