//! The bottom layer: `Value` and functions, call arguments, repr/str, Python's operator
//! semantics on plain values, Python's shared mutable containers (`shared.rs`), hashing
//! of values that is the same in every process (`hashkey.rs`, for sets, shuffles and
//! group-bys), help records and method registries, and the object trait
//! through which collections plug in. Nothing here imports a folder above it (only
//! `syntax` and `errors`); collections and the evaluator build on it.
pub mod args;
pub mod bigint;
pub mod cell;
pub mod display;
pub mod exception;
pub mod float_repr;
pub mod format_spec;
pub mod hashkey;
pub mod help;
pub mod interp;
pub mod limits;
pub mod mutate;
pub mod object;
pub mod pyops;
pub mod registry;
pub mod shared;
pub mod slice;
#[allow(clippy::module_inception)]
pub mod value;
