//! Asking the processor for memory before the fold needs it: the workspace's one `unsafe`
//! block, and why it is there.
//!
//! Folding a batch of order records reads, for each order, its 128-byte record and then the
//! records it points to (its listing's, its seller's, its PIN code's). At marketplace
//! scale most of those miss the cache, and on the machine the benchmarks run on the hardware
//! prefetcher does not keep ahead even of the plain stream of order records. Plain reads
//! issued early do not help: a read that misses holds up everything after it until it is
//! served. A prefetch instruction does not: it asks for the line and moves on. Issued a few
//! dozen orders ahead, it made the fold about a quarter faster (docs/BENCHMARKS.md).
//!
//! Rust's safe prefetch, `std::hint::prefetch_read`, is not stable yet. `_mm_prefetch` is a
//! safe function that needs the `sse` target feature, which every x86-64 target has; the
//! compiler still wants an `unsafe` block around a call from a function that does not itself
//! declare that feature. A prefetch never dereferences its address, cannot fault, and
//! changes nothing any later read returns, so an address that is wrong would cost time and
//! nothing else. On targets without `sse` it compiles to nothing.

/// Asks for the cache lines `value` occupies, for reading soon. A hint: it changes no value
/// the program reads.
#[inline(always)]
pub(crate) fn prefetch<T>(value: &T) {
    let size = size_of::<T>();
    if size == 0 {
        return;
    }
    let start = std::ptr::from_ref(value).cast::<i8>();
    // The line of the first byte, and every line after it up to the one of the last byte.
    let lines = (start.addr() % LINE + size - 1) / LINE + 1;
    for line in 0..lines {
        prefetch_line(start.wrapping_add(line * LINE));
    }
}

/// Bytes in a cache line on the processors this is tuned for.
const LINE: usize = 64;

#[cfg(all(target_arch = "x86_64", target_feature = "sse"))]
#[inline(always)]
#[allow(unsafe_code)] // the one exception to the workspace's rule: see the module's comment
fn prefetch_line(address: *const i8) {
    use core::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
    // SAFETY: `_mm_prefetch` requires the `sse` target feature, which the `cfg` above
    // guarantees. It does not dereference `address`, cannot fault for any address, and has
    // no effect on the values any load returns.
    unsafe { _mm_prefetch::<_MM_HINT_T0>(address) }
}

#[cfg(not(all(target_arch = "x86_64", target_feature = "sse")))]
#[inline(always)]
fn prefetch_line(_: *const i8) {}
