//! A session: bound names, statement evaluation, builtins and `%` commands.
pub mod args;
pub mod builtins;
pub mod commands;
pub mod compile;
pub mod display;
pub mod eval;
pub mod format_spec;
pub mod help;
pub mod interp;
pub mod pyops;
pub mod registry;
#[allow(clippy::module_inception)]
pub mod session;
pub mod value;
