//! Data frames: each partition is a polars `DataFrame` with a pandas-style index.
//!
//! - `eager/`: `PFrame` and `PSeries` (what `pd` gives and what a partition holds), their
//!   methods, operators, group-bys and their pandas-style display.
//! - `csv.rs`: reading CSV (schema inference over files, byte-range blocks, errors that
//!   name the file, line and column); `csv_scan.rs` a column's min and max straight
//!   from the bytes (set_index's order check); `csv_fast.rs` projected numeric columns
//!   in one pass when the data is plain.
//! - `parquet.rs`: reading Parquet (pieces planned from footers: row groups, statistics,
//!   pandas index metadata, hive directories) and writing it with pandas metadata.
//! - `lazy/`: the lazy `dd` frame: a graph layer plus meta (an empty frame of the right
//!   schema), divisions, and the ops a frame task runs.
//! - `dd_api.rs`, `pd_api.rs`: the namespaces; `docs.rs` their help.
//! - `stamp.rs`: one element of a datetime, date or decimal column as a value
//!   (`Timestamp`, `datetime.date`, `Decimal`); `eager/temporal.rs` such columns.
//! - `html.rs`: the notebook (`text/html`) forms of eager and lazy frames.

pub mod api;
pub mod codec;
pub mod codec_num;
pub mod csv;
pub mod csv_fast;
pub mod csv_keys;
pub mod csv_scan;
pub mod dd_api;
pub mod docs;
pub mod eager;
pub mod helper;
pub mod html;
pub mod json_read;
pub mod lazy;
pub mod object;
pub mod parquet;
pub mod pd_api;
pub mod stamp;
pub mod text_write;
