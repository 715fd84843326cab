//! A session: bound names, the one evaluator (`compile` to closures, `eval` for what
//! operations mean, `runtime` for the context code runs in), builtins and `%` commands.
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
pub mod runtime;
#[allow(clippy::module_inception)]
pub mod session;
pub mod value;
