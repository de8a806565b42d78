//! What a buyer asks the index for.

use haat_core::{District, Money, SellerId, StateCode};

use crate::{AttributeValue, CategoryId};

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum SortOrder {
    /// Best text match first (BM25 over titles); without text, newest first.
    #[default]
    Relevance,
    /// Cheapest first.
    PriceAscending,
    /// Dearest first.
    PriceDescending,
    /// Most recently activated first.
    Newest,
}

/// A search: filters, free text, order and page. Every filter must hold for a hit.
///
/// ```
/// use haat_catalogue::{AttributeValue, SearchQuery, SortOrder};
/// use haat_core::Money;
///
/// let query = SearchQuery::new()
///     .text("baluchari silk")
///     .category("textiles/sarees".parse()?)
///     .attribute("fabric", [AttributeValue::text("silk")])
///     .price_between(Money::from_rupees(5_000), Money::from_rupees(20_000))
///     .in_stock_only()
///     .sort(SortOrder::PriceAscending)
///     .page(1, 20);
/// assert_eq!(query.per_page(), 20);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    pub(crate) text: String,
    pub(crate) category: Option<CategoryId>,
    pub(crate) seller: Option<SellerId>,
    pub(crate) attributes: Vec<(String, Vec<AttributeValue>)>,
    pub(crate) min_price: Option<Money>,
    pub(crate) max_price: Option<Money>,
    pub(crate) state: Option<StateCode>,
    pub(crate) district: Option<District>,
    pub(crate) in_stock_only: bool,
    pub(crate) sort: SortOrder,
    pub(crate) page: u32,
    pub(crate) per_page: u32,
}

impl Default for SearchQuery {
    fn default() -> SearchQuery {
        SearchQuery {
            text: String::new(),
            category: None,
            seller: None,
            attributes: Vec::new(),
            min_price: None,
            max_price: None,
            state: None,
            district: None,
            in_stock_only: false,
            sort: SortOrder::Relevance,
            page: 1,
            per_page: 20,
        }
    }
}

impl SearchQuery {
    /// Everything active, first page of 20, by relevance.
    pub fn new() -> SearchQuery {
        SearchQuery::default()
    }

    /// Free text: every word must appear in the title (after normalisation).
    #[must_use]
    pub fn text(mut self, text: impl Into<String>) -> SearchQuery {
        self.text = text.into();
        self
    }

    /// Only this category and the categories beneath it.
    #[must_use]
    pub fn category(mut self, category: CategoryId) -> SearchQuery {
        self.category = Some(category);
        self
    }

    /// Only this seller's listings.
    #[must_use]
    pub fn seller(mut self, seller: SellerId) -> SearchQuery {
        self.seller = Some(seller);
        self
    }

    /// Only listings whose attribute `name` equals one of `values` (text compared after
    /// normalisation: case and diacritics do not matter). Several calls must all hold.
    #[must_use]
    pub fn attribute(
        mut self,
        name: impl Into<String>,
        values: impl IntoIterator<Item = AttributeValue>,
    ) -> SearchQuery {
        self.attributes
            .push((name.into(), values.into_iter().collect()));
        self
    }

    /// Only prices (tax-inclusive) from `min` to `max`, both included.
    #[must_use]
    pub fn price_between(mut self, min: Money, max: Money) -> SearchQuery {
        self.min_price = Some(min);
        self.max_price = Some(max);
        self
    }

    /// Only prices of at least `min`.
    #[must_use]
    pub fn min_price(mut self, min: Money) -> SearchQuery {
        self.min_price = Some(min);
        self
    }

    /// Only prices of at most `max`.
    #[must_use]
    pub fn max_price(mut self, max: Money) -> SearchQuery {
        self.max_price = Some(max);
        self
    }

    /// Only sellers located in this state (as told by `set_seller_region`).
    #[must_use]
    pub fn seller_state(mut self, state: StateCode) -> SearchQuery {
        self.state = Some(state);
        self
    }

    /// Only sellers located in this district.
    #[must_use]
    pub fn seller_district(mut self, district: District) -> SearchQuery {
        self.district = Some(district);
        self
    }

    /// Only listings whose stock signal says in stock (no signal counts as out of stock).
    #[must_use]
    pub fn in_stock_only(mut self) -> SearchQuery {
        self.in_stock_only = true;
        self
    }

    /// The order of results.
    #[must_use]
    pub fn sort(mut self, sort: SortOrder) -> SearchQuery {
        self.sort = sort;
        self
    }

    /// Page `page` (from 1) of `per_page` hits (1 to 1,000).
    #[must_use]
    pub fn page(mut self, page: u32, per_page: u32) -> SearchQuery {
        self.page = page;
        self.per_page = per_page;
        self
    }

    /// The page asked for (from 1).
    pub fn page_number(&self) -> u32 {
        self.page
    }

    /// Hits per page.
    pub fn per_page(&self) -> u32 {
        self.per_page
    }
}

/// One listing found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SearchHit {
    /// The listing.
    pub listing: haat_core::ListingId,
    /// Its seller.
    pub seller: SellerId,
    /// Its tax-inclusive price.
    pub price: Money,
    /// The text relevance score (0 without text; higher is better).
    pub score: u32,
}

/// A page of results and how many there are in all.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchResults {
    /// Every hit across all pages.
    pub total: usize,
    /// This page's hits, in order.
    pub hits: Vec<SearchHit>,
}
