//! Indian geography: GST state codes, PIN codes and districts.
