//! Search over active listings.

mod index;
mod phonetic;
mod query;
mod text;

pub use index::{MAX_PER_PAGE, SearchIndex};
pub use query::{SearchHit, SearchQuery, SearchResults, SortOrder};
pub use text::search_keys;

use haat_core::Money;

/// Why a search could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SearchError {
    /// The page is 0, or the page size is not 1 to 1,000.
    #[error("invalid page {page} of {per_page} hits: pages count from 1, with 1 to 1000 hits each")]
    InvalidPage {
        /// The page asked for.
        page: u32,
        /// The page size asked for.
        per_page: u32,
    },
    /// The minimum price is above the maximum.
    #[error("invalid price range: minimum {min} is above maximum {max}")]
    InvalidPriceRange {
        /// The minimum.
        min: Money,
        /// The maximum.
        max: Money,
    },
}
