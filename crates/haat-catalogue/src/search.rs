//! Search over active listings.
