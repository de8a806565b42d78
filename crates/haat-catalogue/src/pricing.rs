//! GST on tax-inclusive prices, and what a seller is paid for a sale.
