//! Call arguments: positional and keyword values with their source spans, and accessors
//! that turn a wrong argument into an error naming the parameter and the type it wanted.

use super::value::Value;
use crate::errors::{RaskError, Result};
use crate::syntax::ast::Span;

#[derive(Clone, Debug, Default)]
pub struct Args {
    /// The function's display name, e.g. `da.arange` or `Array.sum`, for messages.
    pub fname: String,
    pub pos: Vec<Value>,
    pub kw: Vec<(String, Value)>,
    /// Source spans of `pos` and `kw` items (may be empty for internal calls).
    pub pos_spans: Vec<Span>,
    pub kw_spans: Vec<Span>,
}

impl Args {
    pub fn new(fname: &str, pos: Vec<Value>) -> Args {
        Args {
            fname: fname.to_string(),
            pos,
            ..Default::default()
        }
    }

    /// Positional argument `i`, or keyword `name`.
    pub fn get(&self, i: usize, name: &str) -> Option<&Value> {
        self.kw
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
            .or_else(|| self.pos.get(i))
    }

    /// Keyword-only argument.
    pub fn kw(&self, name: &str) -> Option<&Value> {
        self.kw.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// The span of positional `i` or keyword `name`, if known.
    pub fn span_of(&self, i: usize, name: &str) -> Option<Span> {
        if let Some(j) = self.kw.iter().position(|(k, _)| k == name) {
            return self.kw_spans.get(j).copied();
        }
        self.pos_spans.get(i).copied()
    }

    pub fn req(&self, i: usize, name: &str) -> Result<&Value> {
        self.get(i, name).ok_or_else(|| {
            RaskError::type_(format!(
                "{}() missing required argument '{}'",
                self.fname, name
            ))
        })
    }

    /// An error saying argument `name` wanted `wanted` but got `got`.
    pub fn type_err(&self, i: usize, name: &str, wanted: &str, got: &Value) -> RaskError {
        let e = RaskError::type_(format!(
            "{}() argument '{}' must be {}, not {}",
            self.fname,
            name,
            wanted,
            got.type_name()
        ));
        match self.span_of(i, name) {
            Some(s) => e.with_span(s),
            None => e,
        }
    }

    /// A value error about argument `name`, pointing at it.
    pub fn value_err(&self, i: usize, name: &str, msg: impl Into<String>) -> RaskError {
        let e = RaskError::value(format!("{}(): {}", self.fname, msg.into()));
        match self.span_of(i, name) {
            Some(s) => e.with_span(s),
            None => e,
        }
    }

    pub fn int_opt(&self, i: usize, name: &str) -> Result<Option<i64>> {
        match self.get(i, name) {
            None | Some(Value::None) => Ok(None),
            Some(Value::Int(v)) => Ok(Some(*v)),
            Some(Value::Bool(b)) => Ok(Some(*b as i64)),
            Some(Value::Float(f)) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(Some(*f as i64)),
            Some(v) => Err(self.type_err(i, name, "int", v)),
        }
    }
    pub fn int(&self, i: usize, name: &str) -> Result<i64> {
        self.int_opt(i, name)?.ok_or_else(|| {
            RaskError::type_(format!(
                "{}() missing required argument '{}'",
                self.fname, name
            ))
        })
    }
    pub fn int_or(&self, i: usize, name: &str, default: i64) -> Result<i64> {
        Ok(self.int_opt(i, name)?.unwrap_or(default))
    }

    pub fn float_opt(&self, i: usize, name: &str) -> Result<Option<f64>> {
        match self.get(i, name) {
            None | Some(Value::None) => Ok(None),
            Some(Value::Int(v)) => Ok(Some(*v as f64)),
            Some(Value::Float(f)) => Ok(Some(*f)),
            Some(Value::Bool(b)) => Ok(Some(*b as i64 as f64)),
            Some(v) => Err(self.type_err(i, name, "float", v)),
        }
    }
    pub fn float_or(&self, i: usize, name: &str, default: f64) -> Result<f64> {
        Ok(self.float_opt(i, name)?.unwrap_or(default))
    }

    pub fn str_opt(&self, i: usize, name: &str) -> Result<Option<String>> {
        match self.get(i, name) {
            None | Some(Value::None) => Ok(None),
            Some(Value::Str(s)) => Ok(Some(s.to_string())),
            Some(v) => Err(self.type_err(i, name, "str", v)),
        }
    }
    pub fn str(&self, i: usize, name: &str) -> Result<String> {
        self.str_opt(i, name)?.ok_or_else(|| {
            RaskError::type_(format!(
                "{}() missing required argument '{}'",
                self.fname, name
            ))
        })
    }

    pub fn bool_or(&self, i: usize, name: &str, default: bool) -> Result<bool> {
        match self.get(i, name) {
            None | Some(Value::None) => Ok(default),
            Some(v) => Ok(v.truthy()),
        }
    }

    /// Refuse keywords not in `known` (and more positionals than `known` has).
    pub fn check(&self, known: &[&str]) -> Result<()> {
        if self.pos.len() > known.len() {
            let e = RaskError::type_(format!(
                "{}() takes at most {} positional argument{} but {} were given",
                self.fname,
                known.len(),
                if known.len() == 1 { "" } else { "s" },
                self.pos.len()
            ));
            return Err(match self.pos_spans.get(known.len()) {
                Some(s) => e.with_span(*s),
                None => e,
            });
        }
        for (j, (k, _)) in self.kw.iter().enumerate() {
            if !known.contains(&k.as_str()) {
                let mut e = RaskError::type_(format!(
                    "{}() got an unexpected keyword argument '{}'",
                    self.fname, k
                ));
                if let Some(s) = self.kw_spans.get(j) {
                    e = e.with_span(*s);
                }
                if let Some(c) = crate::errors::closest(k, known.iter().copied()) {
                    e = e.with_hint(format!("did you mean '{}'?", c));
                }
                return Err(e);
            }
        }
        Ok(())
    }
}
