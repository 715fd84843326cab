//! What builtins need from whoever runs them: the session's evaluator at the prompt, or a
//! compiled function inside a task (`compile.rs`). Builtins are written once against this.

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

impl Interp for super::session::Session {
    fn call_value(&mut self, f: &Value, args: Args, out: &mut Out) -> Result<Value> {
        super::session::Session::call_value(self, f, args, out)
    }
    fn call_method(
        &mut self,
        recv: &Value,
        name: &str,
        args: Args,
        out: &mut Out,
    ) -> Result<Value> {
        super::session::Session::call_method(self, recv, name, args, out)
    }
    fn iter_values(&mut self, v: &Value) -> Result<Vec<Value>> {
        super::session::Session::iter_values(self, v)
    }
    fn truth(&mut self, v: &Value) -> Result<bool> {
        super::session::Session::truth(self, v)
    }
    fn binary(&mut self, op: BinOp, a: &Value, b: &Value) -> Result<Value> {
        super::session::Session::binary(self, op, a, b)
    }
}
