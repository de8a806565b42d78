//! KYC identifiers: GSTIN, PAN, IFSC, bank account, Udyam, mobile, e-mail, GST enrolment number.
