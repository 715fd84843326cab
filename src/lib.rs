//! rask: an interactive shell for lazy parallel data. See ARCHITECTURE.md for the map.
pub mod array;
pub mod bag;
pub mod cli;
pub mod common;
pub mod data;
pub mod errors;
pub mod frame;
pub mod graph;
pub mod h5py;
pub mod io;
pub mod kernel;
pub mod repl;
pub mod scheduler;
pub mod session;
pub mod syntax;
pub mod transcript;
pub mod value;
