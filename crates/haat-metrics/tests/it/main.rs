//! Integration tests of haat-metrics.
