//! Impact metrics: what onboarding, listing and stocking did for sellers.
//!
//! `haat-metrics` sits above `haat-seller`, `haat-catalogue` and `haat-inventory`: it reads their
//! events, and order records, and folds them into projections by IST month, quarter and Indian
//! financial year. Every projection has an associative, commutative `merge`, so rollups computed
//! per shard or per partition combine into the answer one pass over everything would give.

mod error;
mod growth;
mod order;
mod order_csv;
mod period;
mod sales;
mod sellers;

pub use error::{Error, RowProblem};
pub use growth::Growth;
pub use order::{Cancellation, CancelledBy, OrderRecord};
pub use order_csv::{
    ORDER_CSV_COLUMNS, OrderCsvReader, read_orders_csv, write_order_csv_header,
    write_order_csv_row,
};
pub use period::{Granularity, Period};
pub use sales::{SalesFold, SalesKey, SalesTotals};
pub use sellers::{SellerDirectory, SellerFacts};
