//! The documentation record every function and method carries (`help()`, did-you-mean
//! and completion read it through the registries).

/// One documented function or method.
pub struct FnDoc {
    /// Qualified name as the user types it: `da.arange`, `Array.sum`, `len`.
    pub name: &'static str,
    /// `da.arange(start=0, stop, step=1, chunks="auto", dtype=None)`
    pub signature: &'static str,
    pub summary: &'static str,
    /// (parameter, what it means)
    pub params: &'static [(&'static str, &'static str)],
    /// A one- or few-line rask snippet that runs without error on a fresh session
    /// (lines separated by `\n`).
    pub example: &'static str,
    /// What the example shows, byte for byte under every scheduler (nushell's examples
    /// with results): tests/help_examples.rs runs every example and compares.
    pub output: &'static str,
}
