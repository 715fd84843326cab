//! Syntax: the pest grammar (grammar/rask.pest) and the AST it is turned into.
pub mod ast;
