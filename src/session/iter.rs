//! Python's lazy iterators where eager lists cannot stand in for them: `itertools.count`,
//! `itertools.cycle`, `itertools.repeat` without a count, `iter(xs)`, and a generator
//! expression over one of these (`compile::genexp`). The rest of rask iterates eagerly,
//! into lists; these are pulled one item at a time by `for`, `next`, `islice`, `zip`
//! and `takewhile`, and an endless one refuses to become a list instead of running
//! out of memory.

use crate::errors::{RaskError, Result};
use crate::session::eval;
use crate::session::runtime::Frame;
use crate::syntax::ast::BinOp;
use crate::value::display::repr;
use crate::value::object::Object;
use crate::value::pyops;
use crate::value::value::Value;
use std::sync::{Arc, Mutex, TryLockError};

/// One lazy iterator's state.
pub trait PyIter: Send + std::fmt::Debug {
    /// The next item, or None once it is exhausted.
    fn next(&mut self, fr: &mut Frame) -> Result<Option<Value>>;
    /// Whether it never stops (so a list of it would never be finished).
    fn endless(&self) -> bool;
    fn repr(&self) -> String;
}

/// A lazy iterator as a value: shared, so `next(it)` through any name advances it.
#[derive(Debug)]
pub struct LazyIter {
    /// Its Python type: `itertools.count`, `generator`, `list_iterator`.
    kind: &'static str,
    state: Mutex<Box<dyn PyIter>>,
}

impl LazyIter {
    pub fn new_value(kind: &'static str, it: impl PyIter + 'static) -> Value {
        Value::obj(Arc::new(LazyIter {
            kind,
            state: Mutex::new(Box::new(it)),
        }))
    }

    fn state(&self) -> Result<std::sync::MutexGuard<'_, Box<dyn PyIter>>> {
        match self.state.try_lock() {
            Ok(g) => Ok(g),
            Err(TryLockError::Poisoned(p)) => Ok(p.into_inner()),
            // its own code asked it for an item while it was making one
            Err(TryLockError::WouldBlock) => Err(RaskError::value("generator already executing")),
        }
    }

    pub fn next(&self, fr: &mut Frame) -> Result<Option<Value>> {
        self.state()?.next(fr)
    }

    pub fn endless(&self) -> bool {
        self.state().is_ok_and(|s| s.endless())
    }

    /// Every remaining item; an error for an endless iterator.
    pub fn drain(&self, fr: &mut Frame) -> Result<Vec<Value>> {
        if self.endless() {
            return Err(RaskError::memory(format!(
                "{} never ends, so it cannot be made into a list",
                self.label()
            ))
            .with_hint(
                "take part of it, e.g. itertools.islice(it, 10), or stop a for loop with break",
            ));
        }
        let mut out = Vec::new();
        while let Some(x) = self.next(fr)? {
            crate::value::limits::check_growth(
                out.len(),
                std::mem::size_of::<Value>(),
                "the iterator's items",
            )?;
            out.push(x);
        }
        Ok(out)
    }

    fn label(&self) -> String {
        match self.state() {
            Ok(s) => s.repr(),
            Err(_) => self.kind.to_string(),
        }
    }
}

impl Object for Arc<LazyIter> {
    fn type_name(&self) -> &'static str {
        self.kind
    }
    fn repr(&self) -> String {
        self.label()
    }
}

/// The lazy iterator a value is, if it is one.
pub fn lazy(v: &Value) -> Option<&Arc<LazyIter>> {
    v.get::<Arc<LazyIter>>()
}

/// `itertools.count(start, step)`.
#[derive(Debug)]
pub struct Count {
    next: Value,
    step: Value,
}

pub fn count(start: Value, step: Value) -> Result<Value> {
    for v in [&start, &step] {
        if pyops::as_f64(v).is_none() {
            return Err(RaskError::type_(format!(
                "a number is required, not '{}'",
                v.type_name()
            )));
        }
    }
    Ok(LazyIter::new_value(
        "itertools.count",
        Count { next: start, step },
    ))
}

impl PyIter for Count {
    fn next(&mut self, _fr: &mut Frame) -> Result<Option<Value>> {
        let after = pyops::binary(BinOp::Add, &self.next, &self.step)?;
        Ok(Some(std::mem::replace(&mut self.next, after)))
    }
    fn endless(&self) -> bool {
        true
    }
    fn repr(&self) -> String {
        match self.step {
            Value::Int(1) => format!("count({})", repr(&self.next)),
            _ => format!("count({}, {})", repr(&self.next), repr(&self.step)),
        }
    }
}

/// `itertools.cycle(iterable)`: the items once from the source, saved, then again
/// and again.
#[derive(Debug)]
pub struct Cycle {
    saved: Vec<Value>,
    /// A lazy source still being read.
    src: Option<Arc<LazyIter>>,
    i: usize,
}

pub fn cycle(fr: &mut Frame, source: &Value) -> Result<Value> {
    let (saved, src) = match lazy(source) {
        Some(it) => (Vec::new(), Some(it.clone())),
        None => (eval::iter_values(fr, source)?, None),
    };
    Ok(LazyIter::new_value(
        "itertools.cycle",
        Cycle { saved, src, i: 0 },
    ))
}

impl PyIter for Cycle {
    fn next(&mut self, fr: &mut Frame) -> Result<Option<Value>> {
        if let Some(src) = &self.src {
            if let Some(x) = src.next(fr)? {
                self.saved.push(x.clone());
                return Ok(Some(x));
            }
            self.src = None;
        }
        if self.saved.is_empty() {
            return Ok(None);
        }
        let x = self.saved[self.i % self.saved.len()].clone();
        self.i = (self.i + 1) % self.saved.len();
        Ok(Some(x))
    }
    fn endless(&self) -> bool {
        self.src.is_some() || !self.saved.is_empty()
    }
    fn repr(&self) -> String {
        "<itertools.cycle object>".into()
    }
}

/// `itertools.repeat(obj)` with no count.
#[derive(Debug)]
pub struct Repeat(pub Value);

impl PyIter for Repeat {
    fn next(&mut self, _fr: &mut Frame) -> Result<Option<Value>> {
        Ok(Some(self.0.clone()))
    }
    fn endless(&self) -> bool {
        true
    }
    fn repr(&self) -> String {
        format!("repeat({})", repr(&self.0))
    }
}

/// `iter(xs)` of a finite iterable: its items, one at a time.
#[derive(Debug)]
pub struct Items {
    items: std::vec::IntoIter<Value>,
    kind: &'static str,
}

/// `iter(v)`: a lazy iterator is its own iterator; anything else iterable gives its items.
pub fn iter_of(fr: &mut Frame, v: &Value) -> Result<Value> {
    if lazy(v).is_some() {
        return Ok(v.clone());
    }
    let kind = match v {
        Value::List(_) => "list_iterator",
        Value::Tuple(_) => "tuple_iterator",
        Value::Str(_) => "str_ascii_iterator",
        Value::Dict(_) => "dict_keyiterator",
        Value::Range(..) => "range_iterator",
        _ => "iterator",
    };
    let items = eval::iter_values(fr, v)?.into_iter();
    Ok(LazyIter::new_value(kind, Items { items, kind }))
}

impl PyIter for Items {
    fn next(&mut self, _fr: &mut Frame) -> Result<Option<Value>> {
        Ok(self.items.next())
    }
    fn endless(&self) -> bool {
        false
    }
    fn repr(&self) -> String {
        format!("<{} object>", self.kind)
    }
}

/// `next(it[, default])`.
pub fn next_of(fr: &mut Frame, it: &Value, default: Option<&Value>) -> Result<Value> {
    let Some(li) = lazy(it) else {
        return Err(
            RaskError::type_(format!("'{}' object is not an iterator", it.type_name()))
                .with_hint("make one with iter(xs)"),
        );
    };
    match (li.next(fr)?, default) {
        (Some(x), _) => Ok(x),
        (None, Some(d)) => Ok(d.clone()),
        (None, None) => {
            Err(RaskError::new(crate::errors::ErrorKind::Runtime, "").with_class("StopIteration"))
        }
    }
}

/// `zip(...)` when some argument is lazy: pulled side by side up to the shortest.
pub fn zip(fr: &mut Frame, args: &[Value]) -> Result<Value> {
    enum Src {
        Lazy(Arc<LazyIter>),
        Items(std::vec::IntoIter<Value>),
    }
    if !args.is_empty() && args.iter().all(|a| lazy(a).is_some_and(|l| l.endless())) {
        return Err(RaskError::memory(
            "zip of iterators that never end never ends, so it cannot be made into a list",
        )
        .with_hint("take part of one, e.g. itertools.islice(it, 10)"));
    }
    let mut srcs = Vec::with_capacity(args.len());
    for a in args {
        srcs.push(match lazy(a) {
            Some(l) => Src::Lazy(l.clone()),
            None => Src::Items(eval::iter_values(fr, a)?.into_iter()),
        });
    }
    let mut out = Vec::new();
    'rows: loop {
        let mut row = Vec::with_capacity(srcs.len());
        for s in &mut srcs {
            let x = match s {
                Src::Lazy(l) => l.next(fr)?,
                Src::Items(it) => it.next(),
            };
            match x {
                Some(x) => row.push(x),
                None => break 'rows,
            }
        }
        out.push(Value::tuple(row));
    }
    Ok(Value::list(out))
}
