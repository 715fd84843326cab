//! Variables shared between a function and the functions defined inside it (Python's
//! cells), and the marker of a local not yet assigned.

use super::object::Object;
use super::value::Value;
use crate::errors::Result;
use std::sync::{Arc, Mutex};

/// A variable that nested functions read and write (`nonlocal`, late binding).
#[derive(Debug, Default)]
pub struct Cell(pub Mutex<Option<Value>>);

impl Cell {
    pub fn value(v: Option<Value>) -> Value {
        Value::obj(Arc::new(Cell(Mutex::new(v))))
    }

    pub fn get(&self) -> Option<Value> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn set(&self, v: Option<Value>) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = v;
    }
}

impl Object for Arc<Cell> {
    fn type_name(&self) -> &'static str {
        "cell"
    }
    fn repr(&self) -> String {
        match self.get() {
            Some(v) => format!("<cell: {}>", super::display::repr(&v)),
            None => "<cell: empty>".into(),
        }
    }
    /// A cell travels as its value (a task gets a copy, as a worker does in Dask).
    fn encode(&self) -> Option<(&'static str, Result<Vec<u8>>)> {
        let v = self.get();
        Some((
            CELL_TAG,
            bincode_like(&v).map_err(crate::errors::RaskError::runtime),
        ))
    }
}

const CELL_TAG: &str = "cell";

fn bincode_like(v: &Option<Value>) -> std::result::Result<Vec<u8>, String> {
    postcard::to_allocvec(v).map_err(|e| format!("cannot send a closure variable: {}", e))
}

fn decode_cell(b: &[u8]) -> Result<Value> {
    let v: Option<Value> = postcard::from_bytes(b)
        .map_err(|e| crate::errors::RaskError::runtime(format!("bad closure variable: {}", e)))?;
    Ok(Cell::value(v))
}

/// Register the cell decoder (values travel to worker processes).
pub fn register() {
    super::object::register_decoder(CELL_TAG, decode_cell);
}

/// A local variable before its first assignment.
#[derive(Debug)]
pub struct Unbound;

impl Object for Unbound {
    fn type_name(&self) -> &'static str {
        "unbound"
    }
    fn repr(&self) -> String {
        "<unbound>".into()
    }
}

pub fn unbound() -> Value {
    Value::obj(Unbound)
}

pub fn is_unbound(v: &Value) -> bool {
    matches!(v, Value::Obj(o) if o.get::<Unbound>().is_some())
}

/// The cell a slot holds, if it holds one.
pub fn as_cell(v: &Value) -> Option<&Arc<Cell>> {
    v.get::<Arc<Cell>>()
}
