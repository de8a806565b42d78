//! A small, seeded pseudo-random number generator: SplitMix64.

/// SplitMix64 (Steele, Lea and Flood, 2014): a 64-bit state advanced by a constant and
/// scrambled by two multiply–xorshift rounds. It passes BigCrush, needs no dependency, and is
/// the same on every platform and compiler, so a seed pins a scenario byte for byte.
///
/// Every draw is integer arithmetic: shares are basis points, never floats.
///
/// ```
/// use haat_sim::Rng;
/// let mut a = Rng::new(42);
/// let mut b = Rng::new(42);
/// assert_eq!(a.next_u64(), b.next_u64());
/// assert!(a.below(6) < 6);
/// // Independent streams from one seed: one per seller, say.
/// assert_ne!(Rng::stream(42, 1).next_u64(), Rng::stream(42, 2).next_u64());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rng {
    state: u64,
}

const GOLDEN_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng { state: seed }
    }

    /// The generator of stream `stream` under `seed`: streams are independent of each other,
    /// so work split by stream (a seller each) draws the same numbers in any order.
    pub fn stream(seed: u64, stream: u64) -> Rng {
        Rng {
            state: mix(seed ^ mix(stream.wrapping_add(GOLDEN_GAMMA))),
        }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GOLDEN_GAMMA);
        mix(self.state)
    }

    /// A number in `0..n` (0 when `n` is 0), by Lemire's multiply-and-shift; the bias is below
    /// 2⁻³² for every `n` this crate asks for.
    pub fn below(&mut self, n: u64) -> u64 {
        let wide = u128::from(self.next_u64()) * u128::from(n);
        (wide >> 64) as u64
    }

    /// A number in `low..=high` (`low` when `high < low`).
    pub fn between(&mut self, low: u64, high: u64) -> u64 {
        if high <= low {
            return low;
        }
        low + self.below(high - low + 1)
    }

    /// `true` with probability `basis_points / 10 000`.
    pub fn chance_bp(&mut self, basis_points: u32) -> bool {
        self.below(10_000) < u64::from(basis_points)
    }

    /// An index of `weights`, each picked with probability proportional to its weight
    /// (0 when every weight is 0).
    pub fn weighted(&mut self, weights: &[u64]) -> usize {
        let total: u64 = weights.iter().sum();
        let mut x = self.below(total);
        for (i, &w) in weights.iter().enumerate() {
            if x < w {
                return i;
            }
            x -= w;
        }
        0
    }

    /// One element of a non-empty slice, uniformly (`None` if it is empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len() as u64) as usize)
    }

    /// `whole + chance(fraction)`: the integer part of `numerator / denominator`, plus one with
    /// the probability of the remainder, so the mean is exactly the quotient.
    pub fn round_random(&mut self, numerator: u128, denominator: u128) -> u64 {
        if denominator == 0 {
            return 0;
        }
        let whole = numerator / denominator;
        let rest = numerator % denominator;
        let up = rest > 0 && {
            let draw = u128::from(self.next_u64());
            let x = draw.checked_mul(denominator).map_or(0, |wide| wide >> 64);
            x < rest
        };
        u64::try_from(whole).unwrap_or(u64::MAX) + u64::from(up)
    }
}
