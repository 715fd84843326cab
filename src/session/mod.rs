//! A session: bound names, the one evaluator (`compile` to closures, `eval` for what
//! operations mean, `runtime` for the context code runs in), builtins and `%` commands.
pub mod builtins;
pub mod cell;
pub mod commands;
pub mod compile;
pub mod eval;
#[cfg(test)]
mod frame_project_tests;
pub mod help;
pub mod iter;
pub mod runtime;
pub mod save;
#[allow(clippy::module_inception)]
pub mod session;

/// Make the evaluator reachable from the layers below it (tasks compile user functions
/// and eager frame code calls back into them through `value::interp`).
pub fn register() {
    use crate::value::interp::{set_evaluator, Code, Evaluator, GlobalLookup, Interp, Out};
    crate::value::cell::register();
    fn compile(
        f: &crate::value::value::Function,
        g: GlobalLookup,
    ) -> crate::errors::Result<std::sync::Arc<dyn Code>> {
        Ok(compile::Compiled::compile(f, g)?)
    }
    fn with_interp(f: &mut dyn FnMut(&mut dyn Interp, &mut Out)) {
        let mut fr = runtime::Frame::empty();
        let mut out = String::new();
        f(&mut fr, &mut out);
    }
    set_evaluator(Evaluator {
        compile,
        with_interp,
    });
    builtins::modules::register();
    builtins::pytype::register();
}
