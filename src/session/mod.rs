//! A session: bound names, statement evaluation, builtins and `%` commands.
pub mod args;
pub mod help;
pub mod value;
