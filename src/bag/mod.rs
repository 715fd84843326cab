//! Lazy bags of records (Dask's `dask.bag`): partitions of Python-like values read from
//! text files or built from a sequence, transformed per partition by serializable ops,
//! reduced as trees, regrouped by a disk-backed shuffle.
//!
//! A partition is `Chunk::Value(Value::List(records))`. A reduction's result is one
//! value under a single key.

pub mod db_api;
pub mod gzip_stream;
pub mod html;
pub mod lazy;
mod object;
pub mod ops;
pub mod project;
pub mod read;
pub mod reduce;
pub mod shuffle;
pub mod stream;
pub mod take;
pub mod write;
