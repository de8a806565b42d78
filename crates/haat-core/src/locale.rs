//! Number formatting for en-IN and bn-IN.
