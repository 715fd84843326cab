//! What builtins need from the evaluator that runs them: calling back into user
//! functions and methods, iterating, truth, operators. Builtins (and eager frame code)
//! are written once against this; the evaluator's `runtime::Frame` implements it, at the
//! prompt and inside tasks alike.

use super::args::Args;
use super::eval::Out;
use super::value::Value;
use crate::errors::Result;
use crate::syntax::ast::BinOp;

pub trait Interp {
    fn call_value(&mut self, f: &Value, args: Args, out: &mut Out) -> Result<Value>;
    fn call_method(&mut self, recv: &Value, name: &str, args: Args, out: &mut Out)
        -> Result<Value>;
    fn iter_values(&mut self, v: &Value) -> Result<Vec<Value>>;
    fn truth(&mut self, v: &Value) -> Result<bool>;
    fn binary(&mut self, op: BinOp, a: &Value, b: &Value) -> Result<Value>;

    /// Call with positional values only (key functions, reduce, map).
    fn call1(&mut self, f: &Value, pos: Vec<Value>, out: &mut Out) -> Result<Value> {
        self.call_value(f, Args::new("function", pos), out)
    }
}
