//! Integration tests, compiled into one binary: one module per capability.

mod archives;
mod cli;
mod common;
mod csv_output;
mod enclosed;
mod engine;
mod errors;
mod eval;
mod formats;
mod fuzz_regressions;
mod headers;
mod hostile;
mod offline;
mod outlook;
mod pst;
mod pst_writer;
mod read_flags;
mod report;
mod techniques;
