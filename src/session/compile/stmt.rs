//! Statements compiled to closures that return a control-flow signal.
//!
//! A statement node runs in a call's locals and says what happens next (`Flow`); a
//! `Block` runs statements until one says other than `Next`. Today every statement is
//! one line at the prompt (`Code`), and function bodies are one expression. Python's
//! blocks (issue 11) slot in here: `if`/`while`/`for` are statement nodes holding
//! `Block`s (a loop consumes `Break`/`Continue`), `return` yields `Flow::Return`, a `def`
//! body becomes a `Block` whose `Return` is the call's value, and `try` wraps a block's
//! `Result` and matches errors by their Python class.

use super::expr::{assign, Store};
use super::scope::{Compiler, Env, Level, Policy};
use crate::errors::{ErrorKind, RaskError, Result};
use crate::session::eval;
use crate::session::runtime::{Frame, Locals};
use crate::syntax::ast::{Stmt, StmtKind, Target};
use crate::value::display::{repr, to_str};
use crate::value::value::Value;
use std::sync::Arc;

/// What a statement tells the block running it.
pub enum Flow {
    /// Go on with the next statement.
    Next,
    /// Leave the function with this value.
    Return(Value),
}

/// Compiled code for one statement.
pub type StmtNode = Arc<dyn Fn(&mut Locals<'_>, &mut Frame<'_>) -> Result<Flow> + Send + Sync>;

fn stmt_node<F>(f: F) -> StmtNode
where
    F: Fn(&mut Locals<'_>, &mut Frame<'_>) -> Result<Flow> + Send + Sync + 'static,
{
    Arc::new(f)
}

/// Statements run in order until one leaves the block.
pub struct Block(pub Vec<StmtNode>);

impl Block {
    pub fn run(&self, l: &mut Locals, fr: &mut Frame) -> Result<Flow> {
        for s in &self.0 {
            match s(l, fr)? {
                Flow::Next => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Next)
    }
}

/// Statements typed at the prompt, compiled: names that are not local are the session's,
/// looked up and bound when the code runs.
pub struct Code {
    block: Block,
    nslots: usize,
}

impl Code {
    /// Compile one statement of an entry (`src` is the entry's text).
    pub fn statement(stmt: &Stmt, src: &Arc<str>) -> Result<Code> {
        let mut c = Compiler::new(
            Policy::Session,
            Env::new(Vec::new(), None, false),
            src.clone(),
        );
        c.levels.push(Level::default());
        let s = c.stmt(stmt).map_err(|e| e.or_span(stmt.span))?;
        let nslots = c.level().max;
        Ok(Code {
            block: Block(vec![s]),
            nslots,
        })
    }

    /// Run against a host (the frame's); what the statements print goes to `fr.out`.
    pub fn run(&self, fr: &mut Frame) -> Result<()> {
        let mut l = Locals {
            slots: vec![Value::None; self.nslots],
            free: &[],
        };
        match self.block.run(&mut l, fr)? {
            Flow::Next => Ok(()),
            Flow::Return(_) => Err(RaskError::syntax("'return' outside function")),
        }
    }
}

/// `import m [as a]`: the namespaces are built in; binding them again is harmless.
fn namespace(module: &str) -> Result<&str> {
    Ok(match module {
        "dask.array" => "da",
        "dask.bag" => "db",
        "dask.dataframe" => "dd",
        "numpy" => "np",
        "pandas" => "pd",
        "json" | "h5py" | "dask" | "os" | "math" => module,
        other => {
            return Err(RaskError::name(format!("no module named '{}'", other))
                .with_hint("rask has these built in: dask.array (da), numpy (np), h5py, json"))
        }
    })
}

impl Compiler<'_> {
    /// A target bound by a statement: at the prompt, session names.
    fn store(&mut self, t: &Target) -> Store {
        match t {
            Target::Name(n, _) => Store::Global(Arc::from(n.as_str())),
            Target::Tuple(ts, span) => {
                Store::Tuple(ts.iter().map(|t| self.store(t)).collect(), *span)
            }
        }
    }

    pub fn stmt(&mut self, s: &Stmt) -> Result<StmtNode> {
        let span = s.span;
        Ok(match &s.kind {
            StmtKind::Pass => stmt_node(|_, _| Ok(Flow::Next)),
            StmtKind::Expr(e) => {
                // at the prompt an expression statement shows its value
                let n = self.expr(e)?.into_node();
                stmt_node(move |l, fr| {
                    let v = n(l, fr)?;
                    if !matches!(v, Value::None) {
                        fr.out.push_str(&repr(&v));
                        fr.out.push('\n');
                    }
                    Ok(Flow::Next)
                })
            }
            StmtKind::Assign { target, value } => {
                let v = self.expr(value)?.into_node();
                let t = self.store(target);
                stmt_node(move |l, fr| {
                    let x = v(l, fr)?;
                    assign(&t, x, l, fr)?;
                    Ok(Flow::Next)
                })
            }
            StmtKind::Assert { test, msg } => {
                let t = self.expr(test)?.into_node();
                let m = match msg {
                    Some(m) => Some(self.expr(m)?.into_node()),
                    None => None,
                };
                let src = &self.source;
                let text = format!(
                    "assertion failed: {}",
                    &src[test.span.start.min(src.len())..test.span.end.min(src.len())]
                );
                stmt_node(move |l, fr| {
                    let v = t(l, fr)?;
                    if eval::truth(fr, &v).map_err(|e| e.or_span(span))? {
                        return Ok(Flow::Next);
                    }
                    let message = match &m {
                        Some(m) => to_str(&m(l, fr)?),
                        None => text.clone(),
                    };
                    Err(RaskError::new(ErrorKind::Assertion, message).with_span(span))
                })
            }
            StmtKind::Def { name, params, body } => {
                let f = self.make_function(name, params, body)?.into_node();
                let t = self.store(&Target::Name(name.clone(), span));
                stmt_node(move |l, fr| {
                    let v = f(l, fr)?;
                    assign(&t, v, l, fr)?;
                    Ok(Flow::Next)
                })
            }
            StmtKind::Import { module, alias } => {
                let ns = namespace(module)?;
                let bind_as = alias.as_deref().unwrap_or(module);
                // `import dask.array` binds nothing usable; `import dask.array as da` does
                let bind = (!bind_as.contains('.')).then(|| {
                    (
                        self.store(&Target::Name(bind_as.to_string(), span)),
                        Value::Module(Arc::from(ns)),
                    )
                });
                stmt_node(move |l, fr| {
                    if let Some((t, v)) = &bind {
                        assign(t, v.clone(), l, fr)?;
                    }
                    Ok(Flow::Next)
                })
            }
            StmtKind::Magic {
                name,
                rest,
                rest_offset,
            } => {
                let (name, rest, off) = (name.clone(), rest.clone(), *rest_offset);
                stmt_node(move |_, fr| {
                    fr.magic(&name, &rest, off)?;
                    Ok(Flow::Next)
                })
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn constant(v: i64, flow: bool) -> StmtNode {
        stmt_node(move |l, _| {
            l.slots[0] = Value::Int(v);
            Ok(if flow {
                Flow::Return(Value::Int(v))
            } else {
                Flow::Next
            })
        })
    }

    #[test]
    fn a_block_stops_at_the_first_statement_that_leaves_it() {
        let b = Block(vec![
            constant(1, false),
            constant(2, true),
            constant(3, false),
        ]);
        let mut l = Locals {
            slots: vec![Value::None],
            free: &[],
        };
        let mut fr = Frame::empty();
        let Ok(Flow::Return(v)) = b.run(&mut l, &mut fr) else {
            panic!("the block did not return")
        };
        assert!(matches!(v, Value::Int(2)));
        // the statement after the return did not run
        assert!(matches!(l.slots[0], Value::Int(2)));
        let b = Block(vec![constant(1, false)]);
        assert!(matches!(b.run(&mut l, &mut fr), Ok(Flow::Next)));
    }
}
