//! Results of a diagnostic (being written).
