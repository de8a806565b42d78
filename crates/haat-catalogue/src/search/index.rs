//! The in-memory index: posting lists of sorted document numbers, and columns.

use std::cmp::{Ordering, Reverse};
use std::collections::HashMap;
use std::mem::size_of;

use haat_core::{District, FastBuildHasher, ListingId, Money, SellerId, Sku, StateCode};

use super::text::{keys_into, normalise_phrase, search_keys};
use super::{SearchError, SearchHit, SearchQuery, SearchResults, SortOrder};
use crate::{AttributeValue, CategoryId, ListingContent, ListingEvent, Taxonomy};

const ALIVE: u8 = 1;
const IN_STOCK: u8 = 2;
/// Compact once this many dead documents outnumber the live ones.
const COMPACT_MIN_DEAD: usize = 1024;
/// The most hits a page may hold.
pub const MAX_PER_PAGE: u32 = 1_000;

/// What the index keeps of a listing's approved content: its terms, not its text.
#[derive(Debug, Clone)]
struct Source {
    /// The category, as an index into the interned categories.
    category: u32,
    /// Term ids: category and its ancestors, the words of their names, seller, attributes,
    /// title words (no repeats).
    terms: Box<[u32]>,
    title_words: u8,
    price: i64,
    sku: Sku,
}

#[derive(Debug, Clone)]
struct Record {
    seller: SellerId,
    source: Option<Source>,
    active: bool,
    listed_at: i64,
    doc: Option<u32>,
}

/// An in-memory search index over active listings, kept current from listing events.
///
/// Free text matches the words of a listing's title and, for an index made
/// [`with_taxonomy`](SearchIndex::with_taxonomy), of the English and Bengali names of its
/// category and the categories above it; words match by their [`search_keys`](crate::search_keys),
/// so Bengali script finds romanised titles and the other way round.
///
/// Each listing that is active has a *document*: a number, and a row in a few columns (price,
/// activation time, seller, title length, flags). Categories (with every ancestor), sellers,
/// attribute values and title words are *terms*, each with a posting list of the documents
/// that have it, sorted. A query intersects the lists it names, smallest first, checking the
/// cheap columns (price, stock, region) before the larger lists; documents never move, so a
/// listing that changes gets a new number and the old one becomes a tombstone, and the index
/// compacts itself when tombstones outnumber live documents.
///
/// The caller also feeds in what the catalogue does not know: where each seller is
/// ([`set_seller_region`](SearchIndex::set_seller_region)) and whether a SKU is in stock
/// ([`set_in_stock`](SearchIndex::set_in_stock)).
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use haat_catalogue::{ListingContent, ListingEvent, SearchIndex, SearchQuery};
/// use haat_core::{Actor, ListingId, Money, SellerId, StaffId};
///
/// let (listing, seller) = (ListingId::new(1), SellerId::new(7));
/// let at = Utc.with_ymd_and_hms(2025, 10, 1, 6, 0, 0).unwrap();
/// let content = ListingContent {
///     title: "Baluchari silk saree, Bishnupur".into(),
///     description: String::new(),
///     category: "textiles/sarees/handloom/baluchari".parse()?,
///     attributes: Default::default(),
///     images: vec![],
///     price: Money::from_rupees(14_500),
///     mrp: None,
///     hsn: "5007".parse()?,
///     packaged: None,
///     sku: "BAL-001".parse()?,
/// };
/// let ops = Actor::Operations(StaffId::new(1));
/// let mut index = SearchIndex::new();
/// index.apply(&ListingEvent::ReviewPassed { listing, seller, actor: ops, at, content });
/// index.apply(&ListingEvent::Activated { listing, seller, actor: ops, at });
///
/// let found = index.search(&SearchQuery::new().text("BALUCHARI saree").category("textiles".parse()?))?;
/// assert_eq!(found.total, 1);
/// assert_eq!(found.hits[0].listing, listing);
///
/// index.apply(&ListingEvent::Deactivated { listing, seller, actor: ops, at });
/// assert_eq!(index.search(&SearchQuery::new().text("baluchari"))?.total, 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    /// The search keys of each category's own names (English and Bengali), by path.
    category_names: HashMap<Box<str>, Box<[String]>>,
    terms: HashMap<Box<str>, u32, FastBuildHasher>,
    postings: Vec<Vec<u32>>,
    category_terms: HashMap<CategoryId, (u32, Box<[u32]>)>,
    categories: Vec<CategoryId>,

    doc_listing: Vec<ListingId>,
    doc_seller: Vec<u32>,
    doc_price: Vec<i64>,
    doc_listed_at: Vec<i64>,
    doc_title_words: Vec<u8>,
    doc_flags: Vec<u8>,
    live: usize,
    dead: usize,
    unclustered: usize,
    live_title_words: u64,

    listings: HashMap<ListingId, Record>,
    by_sku: HashMap<(SellerId, Sku), ListingId>,
    stock: HashMap<(SellerId, Sku), bool>,
    seller_slots: HashMap<SellerId, u32>,
    regions: Vec<Option<(StateCode, District)>>,
    slot_sellers: Vec<SellerId>,
    scratch: Vec<String>,
}

impl SearchIndex {
    /// An empty index whose text search knows listings' titles only.
    pub fn new() -> SearchIndex {
        SearchIndex::default()
    }

    /// An empty index whose text search also knows the names of `taxonomy`'s categories: a
    /// listing is found by the words of its category's names and its ancestors', in English
    /// and Bengali, as if they were in its title (without counting towards the title's length
    /// in relevance).
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use haat_catalogue::{ListingContent, ListingEvent, SearchIndex, SearchQuery, Taxonomy};
    /// use haat_core::{Actor, ListingId, Money, SellerId, StaffId};
    ///
    /// let mut index = SearchIndex::with_taxonomy(&Taxonomy::west_bengal_default());
    /// let (listing, seller) = (ListingId::new(1), SellerId::new(7));
    /// let (ops, at) = (Actor::Operations(StaffId::new(1)), Utc.with_ymd_and_hms(2025, 10, 1, 6, 0, 0).unwrap());
    /// let content = ListingContent {
    ///     title: "Bishnupur silk with a Mahabharata pallu".into(),
    ///     description: String::new(),
    ///     category: "textiles/sarees/handloom/baluchari".parse()?,
    ///     attributes: Default::default(),
    ///     images: vec![],
    ///     price: Money::from_rupees(14_500),
    ///     mrp: None,
    ///     hsn: "5007".parse()?,
    ///     packaged: None,
    ///     sku: "BAL-001".parse()?,
    /// };
    /// index.apply(&ListingEvent::ReviewPassed { listing, seller, actor: ops, at, content });
    /// index.apply(&ListingEvent::Activated { listing, seller, actor: ops, at });
    /// // The category is "Baluchari sarees", "বালুচরী শাড়ি".
    /// for text in ["শাড়ি", "বালুচরী", "baluchari saree", "handloom"] {
    ///     assert_eq!(index.search(&SearchQuery::new().text(text))?.total, 1, "{text}");
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_taxonomy(taxonomy: &Taxonomy) -> SearchIndex {
        let category_names = taxonomy
            .categories()
            .into_iter()
            .map(|category| {
                let mut keys = search_keys(category.name_en());
                keys.extend(search_keys(category.name_bn()));
                keys.sort_unstable();
                keys.dedup();
                (Box::from(category.id().as_str()), keys.into_boxed_slice())
            })
            .collect();
        SearchIndex {
            category_names,
            ..SearchIndex::default()
        }
    }

    /// How many listings are active (searchable).
    pub fn len(&self) -> usize {
        self.live
    }

    /// Whether no listing is active.
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// Brings the index up to date with one listing event. Events for listings the index has
    /// not seen before are fine; events that change nothing searchable are ignored.
    pub fn apply(&mut self, event: &ListingEvent) {
        let listing = event.listing();
        let seller = event.seller();
        match event {
            ListingEvent::ReviewPassed { content, .. } => {
                let source = self.source_of(seller, content);
                let record = self.record(listing, seller);
                if let Some(old) = record.source.replace(source) {
                    self.forget_sku(seller, &old.sku, listing);
                }
                self.remember_sku(listing, seller);
                if self.record(listing, seller).active {
                    self.unindex(listing);
                    self.index(listing);
                }
            }
            ListingEvent::PriceChanged { price, .. } => {
                let record = self.record(listing, seller);
                if let Some(source) = record.source.as_mut() {
                    source.price = paise(*price);
                }
                if let Some(doc) = record.doc {
                    let price = paise(*price);
                    if let Some(slot) = self.doc_price.get_mut(doc as usize) {
                        *slot = price;
                    }
                }
            }
            ListingEvent::Activated { at, .. } => {
                let record = self.record(listing, seller);
                record.active = true;
                if record.doc.is_none() {
                    record.listed_at = at.timestamp_millis();
                    self.index(listing);
                }
            }
            ListingEvent::Deactivated { .. } => {
                self.record(listing, seller).active = false;
                self.unindex(listing);
            }
            ListingEvent::Archived { .. } => {
                self.unindex(listing);
                if let Some(record) = self.listings.remove(&listing)
                    && let Some(source) = record.source
                {
                    self.forget_sku(seller, &source.sku, listing);
                }
            }
            ListingEvent::DraftCreated { .. } => {
                self.record(listing, seller);
            }
            _ => {}
        }
        if (self.dead >= COMPACT_MIN_DEAD && self.dead > self.live)
            || (self.unclustered >= COMPACT_MIN_DEAD && self.unclustered > self.live / 2)
        {
            self.compact();
        }
    }

    /// Records where a seller is, for the state and district filters.
    pub fn set_seller_region(&mut self, seller: SellerId, state: StateCode, district: District) {
        let slot = self.seller_slot(seller);
        if let Some(region) = self.regions.get_mut(slot as usize) {
            *region = Some((state, district));
        }
    }

    /// Records whether a seller's SKU is in stock, for the in-stock filter. Signals may come
    /// before the listing is indexed; the latest signal wins.
    pub fn set_in_stock(&mut self, seller: SellerId, sku: &Sku, in_stock: bool) {
        self.stock.insert((seller, sku.clone()), in_stock);
        let doc = self
            .by_sku
            .get(&(seller, sku.clone()))
            .and_then(|listing| self.listings.get(listing))
            .and_then(|record| record.doc);
        if let Some(flags) = doc.and_then(|doc| self.doc_flags.get_mut(doc as usize)) {
            if in_stock {
                *flags |= IN_STOCK;
            } else {
                *flags &= !IN_STOCK;
            }
        }
    }

    /// Finds the active listings that satisfy every filter of `query`, in its order, one page.
    ///
    /// # Errors
    /// [`SearchError::InvalidPage`] if the page is 0 or `per_page` is not 1 to 1,000;
    /// [`SearchError::InvalidPriceRange`] if the minimum price is above the maximum.
    pub fn search(&self, query: &SearchQuery) -> Result<SearchResults, SearchError> {
        if query.page == 0 || query.per_page == 0 || query.per_page > MAX_PER_PAGE {
            return Err(SearchError::InvalidPage {
                page: query.page,
                per_page: query.per_page,
            });
        }
        if let (Some(min), Some(max)) = (query.min_price, query.max_price)
            && min > max
        {
            return Err(SearchError::InvalidPriceRange { min, max });
        }
        let Some(plan) = self.plan(query) else {
            return Ok(SearchResults::default());
        };
        let mut lists: Vec<&[u32]> = plan
            .lists
            .iter()
            .map(|list| match list {
                List::Term(term) => self.posting(*term),
                List::Owned(index) => plan.owned[*index].as_slice(),
            })
            .collect();
        lists.sort_by_key(|list| list.len());

        let filter = Filter::new(query);
        let mut hits: Vec<u32> = Vec::new();
        match lists.split_first() {
            None => {
                let all = u32::try_from(self.doc_flags.len()).unwrap_or(u32::MAX);
                hits.extend((0..all).filter(|&doc| self.passes(doc, &filter)));
            }
            Some((driver, others)) => {
                let mut cursors = vec![0usize; others.len()];
                'docs: for &doc in *driver {
                    if !self.passes(doc, &filter) {
                        continue;
                    }
                    for (list, cursor) in others.iter().zip(cursors.iter_mut()) {
                        if !gallop(list, cursor, doc) {
                            continue 'docs;
                        }
                    }
                    hits.push(doc);
                }
            }
        }

        let total = hits.len();
        let start = (query.page as usize - 1).saturating_mul(query.per_page as usize);
        if start >= total {
            return Ok(SearchResults {
                total,
                hits: Vec::new(),
            });
        }
        let end = total.min(start + query.per_page as usize);
        let text_weight = plan.idf_sum;
        let relevance = query.sort == SortOrder::Relevance && !plan.text_terms_empty;
        let score = |doc: u32| -> u32 {
            if plan.text_terms_empty {
                0
            } else {
                self.score(doc, text_weight)
            }
        };
        let compare = |a: &u32, b: &u32| -> Ordering {
            let (ia, ib) = (*a as usize, *b as usize);
            let by_listing = || self.doc_listing[ia].cmp(&self.doc_listing[ib]);
            let newest = || {
                Reverse(self.doc_listed_at[ia])
                    .cmp(&Reverse(self.doc_listed_at[ib]))
                    .then_with(by_listing)
            };
            match query.sort {
                _ if relevance => Reverse(score(*a))
                    .cmp(&Reverse(score(*b)))
                    .then_with(newest),
                SortOrder::PriceAscending => self.doc_price[ia]
                    .cmp(&self.doc_price[ib])
                    .then_with(by_listing),
                SortOrder::PriceDescending => Reverse(self.doc_price[ia])
                    .cmp(&Reverse(self.doc_price[ib]))
                    .then_with(by_listing),
                _ => newest(),
            }
        };
        if end < total {
            hits.select_nth_unstable_by(end - 1, compare);
            hits.truncate(end);
        }
        hits.sort_unstable_by(compare);
        let page = hits[start..end]
            .iter()
            .map(|&doc| {
                let i = doc as usize;
                SearchHit {
                    listing: self.doc_listing[i],
                    seller: self.seller_of_slot(self.doc_seller[i]),
                    price: Money::from_paise(self.doc_price[i]),
                    score: score(doc),
                }
            })
            .collect();
        Ok(SearchResults { total, hits: page })
    }

    /// An estimate of the memory the index holds, in bytes: the posting lists, the term
    /// dictionary, the columns and the per-listing records, counted from their capacities.
    pub fn memory_bytes(&self) -> usize {
        let map = |capacity: usize, entry: usize| capacity * (entry + 1);
        let postings: usize = self
            .postings
            .iter()
            .map(|list| list.capacity() * size_of::<u32>())
            .sum::<usize>()
            + self.postings.capacity() * size_of::<Vec<u32>>();
        let terms: usize = self.terms.keys().map(|k| k.len()).sum::<usize>()
            + map(self.terms.capacity(), size_of::<(Box<str>, u32)>());
        let categories: usize = self
            .category_terms
            .values()
            .map(|(_, t)| t.len() * 4)
            .sum::<usize>()
            + map(
                self.category_terms.capacity(),
                size_of::<(CategoryId, (u32, Box<[u32]>))>(),
            )
            + self.categories.capacity() * size_of::<CategoryId>()
            + self
                .category_names
                .iter()
                .map(|(path, keys)| {
                    path.len()
                        + keys
                            .iter()
                            .map(|k| k.len() + size_of::<String>())
                            .sum::<usize>()
                })
                .sum::<usize>()
            + map(
                self.category_names.capacity(),
                size_of::<(Box<str>, Box<[String]>)>(),
            );
        let columns = self.doc_listing.capacity() * size_of::<ListingId>()
            + self.doc_seller.capacity() * size_of::<u32>()
            + self.doc_price.capacity() * size_of::<i64>()
            + self.doc_listed_at.capacity() * size_of::<i64>()
            + self.doc_title_words.capacity()
            + self.doc_flags.capacity();
        let sources: usize = self
            .listings
            .values()
            .filter_map(|r| r.source.as_ref())
            .map(|s| s.terms.len() * size_of::<u32>() + s.sku.as_str().len() + 16)
            .sum();
        let records = map(self.listings.capacity(), size_of::<(ListingId, Record)>()) + sources;
        let skus = map(
            self.by_sku.capacity(),
            size_of::<((SellerId, Sku), ListingId)>(),
        ) + map(self.stock.capacity(), size_of::<((SellerId, Sku), bool)>());
        let sellers = map(self.seller_slots.capacity(), size_of::<(SellerId, u32)>())
            + self.regions.capacity() * size_of::<Option<(StateCode, District)>>()
            + self.slot_sellers.capacity() * size_of::<SellerId>();
        postings + terms + categories + columns + records + skus + sellers
    }

    /// Rebuilds the posting lists and columns without tombstones, numbering the documents in
    /// category order so that a category's documents sit together (its posting list is a run of
    /// consecutive numbers, and the columns are read in order). [`apply`](Self::apply) does this
    /// on its own when tombstones outnumber live documents, or documents added since the last
    /// compaction outnumber the rest; after a bulk load, calling it once gives the fastest
    /// index.
    pub fn compact(&mut self) {
        let mut live: Vec<(u32, ListingId)> = self
            .listings
            .iter()
            .filter_map(|(listing, record)| {
                let category = record.source.as_ref()?.category;
                record.doc.map(|_| (category, *listing))
            })
            .collect();
        let categories = &self.categories;
        live.sort_unstable_by(|(a, la), (b, lb)| {
            let path = |c: &u32| categories.get(*c as usize).map_or("", CategoryId::as_str);
            path(a).cmp(path(b)).then(la.cmp(lb))
        });
        for list in &mut self.postings {
            list.clear();
        }
        self.doc_listing.clear();
        self.doc_seller.clear();
        self.doc_price.clear();
        self.doc_listed_at.clear();
        self.doc_title_words.clear();
        self.doc_flags.clear();
        self.live = 0;
        self.dead = 0;
        self.live_title_words = 0;
        for (_, listing) in live {
            if let Some(record) = self.listings.get_mut(&listing) {
                record.doc = None;
            }
            self.index(listing);
        }
        for list in &mut self.postings {
            list.shrink_to_fit();
        }
        self.unclustered = 0;
    }

    // --- building -----------------------------------------------------------------------

    fn record(&mut self, listing: ListingId, seller: SellerId) -> &mut Record {
        self.listings.entry(listing).or_insert(Record {
            seller,
            source: None,
            active: false,
            listed_at: 0,
            doc: None,
        })
    }

    fn remember_sku(&mut self, listing: ListingId, seller: SellerId) {
        if let Some(source) = self.listings.get(&listing).and_then(|r| r.source.as_ref()) {
            self.by_sku.insert((seller, source.sku.clone()), listing);
        }
    }

    fn forget_sku(&mut self, seller: SellerId, sku: &Sku, listing: ListingId) {
        let key = (seller, sku.clone());
        if self.by_sku.get(&key) == Some(&listing) {
            self.by_sku.remove(&key);
        }
    }

    fn term(&mut self, key: &str) -> u32 {
        if let Some(&id) = self.terms.get(key) {
            return id;
        }
        let id = u32::try_from(self.postings.len()).unwrap_or(u32::MAX);
        self.postings.push(Vec::new());
        self.terms.insert(key.into(), id);
        id
    }

    fn seller_slot(&mut self, seller: SellerId) -> u32 {
        if let Some(&slot) = self.seller_slots.get(&seller) {
            return slot;
        }
        let slot = u32::try_from(self.regions.len()).unwrap_or(u32::MAX);
        self.regions.push(None);
        self.slot_sellers.push(seller);
        self.seller_slots.insert(seller, slot);
        slot
    }

    fn seller_of_slot(&self, slot: u32) -> SellerId {
        self.slot_sellers
            .get(slot as usize)
            .copied()
            .unwrap_or(SellerId::new(0))
    }

    fn source_of(&mut self, seller: SellerId, content: &ListingContent) -> Source {
        let (category, mut terms) = match self.category_terms.get(&content.category) {
            Some((category, cached)) => (*category, cached.to_vec()),
            None => {
                let paths: Vec<&str> = std::iter::once(content.category.as_str())
                    .chain(content.category.ancestor_paths())
                    .collect();
                let mut path: Vec<u32> = paths
                    .iter()
                    .map(|path| self.term(&category_key(path)))
                    .collect();
                // The words of the names of the category and its ancestors, once per category.
                let names: Vec<String> = paths
                    .iter()
                    .filter_map(|path| self.category_names.get(*path))
                    .flat_map(|keys| keys.iter().cloned())
                    .collect();
                for key in &names {
                    path.push(self.term(&word_key(key)));
                }
                let category = u32::try_from(self.categories.len()).unwrap_or(u32::MAX);
                self.categories.push(content.category.clone());
                self.category_terms.insert(
                    content.category.clone(),
                    (category, path.clone().into_boxed_slice()),
                );
                (category, path)
            }
        };
        terms.push(self.term(&seller_key(seller)));
        for (name, value) in &content.attributes {
            terms.push(self.term(&attribute_key(name, value)));
        }
        let mut words = std::mem::take(&mut self.scratch);
        keys_into(&content.title, &mut words);
        let title_words = u8::try_from(words.len()).unwrap_or(u8::MAX);
        for word in &words {
            terms.push(self.term(&word_key(word)));
        }
        self.scratch = words;
        terms.sort_unstable();
        terms.dedup();
        Source {
            category,
            terms: terms.into_boxed_slice(),
            title_words,
            price: paise(content.price),
            sku: content.sku.clone(),
        }
    }

    fn index(&mut self, listing: ListingId) {
        let Some(record) = self.listings.get(&listing) else {
            return;
        };
        let (Some(source), true, None) = (record.source.as_ref(), record.active, record.doc) else {
            return;
        };
        let Ok(doc) = u32::try_from(self.doc_listing.len()) else {
            return;
        };
        for &term in source.terms.iter() {
            if let Some(list) = self.postings.get_mut(term as usize) {
                list.push(doc);
            }
        }
        let in_stock = self
            .stock
            .get(&(record.seller, source.sku.clone()))
            .copied()
            .unwrap_or(false);
        let (seller, price, listed_at, words) = (
            record.seller,
            source.price,
            record.listed_at,
            source.title_words,
        );
        let slot = self.seller_slot(seller);
        self.doc_listing.push(listing);
        self.doc_seller.push(slot);
        self.doc_price.push(price);
        self.doc_listed_at.push(listed_at);
        self.doc_title_words.push(words);
        self.doc_flags
            .push(ALIVE | if in_stock { IN_STOCK } else { 0 });
        self.live += 1;
        self.unclustered += 1;
        self.live_title_words += u64::from(words);
        if let Some(record) = self.listings.get_mut(&listing) {
            record.doc = Some(doc);
        }
    }

    fn unindex(&mut self, listing: ListingId) {
        let Some(doc) = self.listings.get_mut(&listing).and_then(|r| r.doc.take()) else {
            return;
        };
        let i = doc as usize;
        if let Some(flags) = self.doc_flags.get_mut(i) {
            *flags &= !ALIVE;
        }
        self.live = self.live.saturating_sub(1);
        self.dead += 1;
        let words = self.doc_title_words.get(i).copied().unwrap_or(0);
        self.live_title_words = self.live_title_words.saturating_sub(u64::from(words));
    }

    // --- querying -----------------------------------------------------------------------

    fn posting(&self, term: u32) -> &[u32] {
        self.postings.get(term as usize).map_or(&[], Vec::as_slice)
    }

    /// The lists a query intersects, or `None` if some filter matches nothing at all.
    fn plan(&self, query: &SearchQuery) -> Option<Plan> {
        let mut plan = Plan::default();
        if let Some(category) = &query.category {
            plan.lists.push(List::Term(
                *self.terms.get(category_key(category.as_str()).as_str())?,
            ));
        }
        if let Some(seller) = query.seller {
            plan.lists
                .push(List::Term(*self.terms.get(seller_key(seller).as_str())?));
        }
        for (name, values) in &query.attributes {
            let terms: Vec<u32> = values
                .iter()
                .filter_map(|value| self.terms.get(attribute_key(name, value).as_str()))
                .copied()
                .collect();
            match terms.as_slice() {
                [] => return None,
                [one] => plan.lists.push(List::Term(*one)),
                many => {
                    let mut union: Vec<u32> = many
                        .iter()
                        .flat_map(|term| self.posting(*term).iter().copied())
                        .collect();
                    union.sort_unstable();
                    union.dedup();
                    plan.lists.push(List::Owned(plan.owned.len()));
                    plan.owned.push(union);
                }
            }
        }
        let mut words = Vec::new();
        keys_into(&query.text, &mut words);
        words.sort_unstable();
        words.dedup();
        plan.text_terms_empty = words.is_empty();
        for word in &words {
            let term = *self.terms.get(word_key(word).as_str())?;
            plan.idf_sum += idf_q8(self.live as u64, self.posting(term).len() as u64);
            plan.lists.push(List::Term(term));
        }
        Some(plan)
    }

    fn passes(&self, doc: u32, filter: &Filter) -> bool {
        let i = doc as usize;
        let flags = self.doc_flags[i];
        if flags & ALIVE == 0 || (filter.in_stock_only && flags & IN_STOCK == 0) {
            return false;
        }
        let price = self.doc_price[i];
        if price < filter.min_price || price > filter.max_price {
            return false;
        }
        if filter.state.is_some() || filter.district.is_some() {
            let Some(Some((state, district))) = self.regions.get(self.doc_seller[i] as usize)
            else {
                return false;
            };
            if filter.state.is_some_and(|s| s != *state)
                || filter.district.is_some_and(|d| d != *district)
            {
                return false;
            }
        }
        true
    }

    /// BM25 with a term frequency of one (titles rarely repeat a word), in integers:
    /// Σ idf × (k1 + 1) / (1 + k1 × (1 − b + b × length / average length)), k1 = 1.2, b = 0.75.
    fn score(&self, doc: u32, idf_sum: u64) -> u32 {
        let words = u64::from(self.doc_title_words[doc as usize]).max(1);
        let live = (self.live as u64).max(1);
        let average_milli = (self.live_title_words * 1000 / live).max(1);
        let ratio_milli = words * 1_000_000 / average_milli;
        let norm_milli = 250 + 750 * ratio_milli / 1000;
        let denominator = 1000 + 1200 * norm_milli / 1000;
        u32::try_from(idf_sum * 2200 / denominator).unwrap_or(u32::MAX)
    }
}

#[derive(Default)]
struct Plan {
    lists: Vec<List>,
    owned: Vec<Vec<u32>>,
    idf_sum: u64,
    text_terms_empty: bool,
}

enum List {
    Term(u32),
    Owned(usize),
}

struct Filter {
    min_price: i64,
    max_price: i64,
    state: Option<StateCode>,
    district: Option<District>,
    in_stock_only: bool,
}

impl Filter {
    fn new(query: &SearchQuery) -> Filter {
        Filter {
            min_price: query.min_price.map_or(i64::MIN, paise),
            max_price: query.max_price.map_or(i64::MAX, paise),
            state: query.state,
            district: query.district,
            in_stock_only: query.in_stock_only,
        }
    }
}

/// Whether `target` is in the sorted `list` at or after `*cursor`; moves the cursor to the
/// first element not below `target` (exponential then binary search).
fn gallop(list: &[u32], cursor: &mut usize, target: u32) -> bool {
    let len = list.len();
    let mut low = *cursor;
    if low >= len {
        return false;
    }
    if list[low] >= target {
        return list[low] == target;
    }
    // list[low] < target: find a high bound.
    let mut step = 1;
    let mut high = low + 1;
    while high < len && list[high] < target {
        low = high;
        step *= 2;
        high = low + step;
    }
    let end = (high + 1).min(len);
    let index = low + 1 + list[low + 1..end].partition_point(|&x| x < target);
    *cursor = index;
    index < len && list[index] == target
}

/// log2(x) in fixed point with 8 fractional bits (linear between powers of two).
fn log2_q8(x: u64) -> u64 {
    if x == 0 {
        return 0;
    }
    let whole = 63 - u64::from(x.leading_zeros());
    let fraction = if whole >= 8 {
        (x >> (whole - 8)) & 0xff
    } else {
        (x << (8 - whole)) & 0xff
    };
    (whole << 8) | fraction
}

/// The inverse document frequency of a word in `df` of `n` documents, in fixed point.
fn idf_q8(n: u64, df: u64) -> u64 {
    log2_q8(((n + 1) << 10) / (df + 1))
}

fn paise(money: Money) -> i64 {
    i64::try_from(money.paise()).unwrap_or(if money.is_negative() {
        i64::MIN
    } else {
        i64::MAX
    })
}

fn category_key(path: &str) -> String {
    format!("c\u{1f}{path}")
}

fn seller_key(seller: SellerId) -> String {
    format!("s\u{1f}{}", seller.get())
}

fn word_key(word: &str) -> String {
    format!("t\u{1f}{word}")
}

fn attribute_key(name: &str, value: &AttributeValue) -> String {
    let value = match value {
        AttributeValue::Text(text) => normalise_phrase(text),
        other => other.to_string(),
    };
    format!("a\u{1f}{}\u{1f}{value}", name.trim().to_lowercase())
}
