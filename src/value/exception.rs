//! Python's exceptions as values: the classes (`ValueError`, a tuple of them in
//! `except (A, B):`), instances made by calling one or caught with `except ... as e`, and
//! the class hierarchy `except` matches by. rask's own errors carry a class name (see
//! `RaskError::class_name`), so `except ZeroDivisionError:` catches a division by zero
//! wherever it happened.

use super::object::Object;
use super::value::Value;
use crate::errors::{ErrorKind, ExcArgs, RaskError};
use std::sync::Arc;

/// Each class with its base, root first. Anything else a user raises is an `Exception`.
const CLASSES: &[(&str, &str)] = &[
    ("BaseException", ""),
    ("Exception", "BaseException"),
    ("KeyboardInterrupt", "BaseException"),
    ("SystemExit", "BaseException"),
    ("GeneratorExit", "BaseException"),
    ("ArithmeticError", "Exception"),
    ("ZeroDivisionError", "ArithmeticError"),
    ("OverflowError", "ArithmeticError"),
    ("FloatingPointError", "ArithmeticError"),
    ("LookupError", "Exception"),
    ("KeyError", "LookupError"),
    ("IndexError", "LookupError"),
    ("NameError", "Exception"),
    ("UnboundLocalError", "NameError"),
    ("AttributeError", "Exception"),
    ("TypeError", "Exception"),
    ("ValueError", "Exception"),
    ("UnicodeError", "ValueError"),
    ("UnicodeDecodeError", "UnicodeError"),
    ("UnicodeEncodeError", "UnicodeError"),
    ("JSONDecodeError", "ValueError"),
    ("LinAlgError", "ValueError"),
    ("AssertionError", "Exception"),
    ("RuntimeError", "Exception"),
    ("RecursionError", "RuntimeError"),
    ("NotImplementedError", "RuntimeError"),
    ("MemoryError", "Exception"),
    ("StopIteration", "Exception"),
    ("ImportError", "Exception"),
    ("ModuleNotFoundError", "ImportError"),
    ("OSError", "Exception"),
    ("IOError", "OSError"),
    ("EnvironmentError", "OSError"),
    ("FileNotFoundError", "OSError"),
    ("FileExistsError", "OSError"),
    ("PermissionError", "OSError"),
    ("IsADirectoryError", "OSError"),
    ("NotADirectoryError", "OSError"),
    ("TimeoutError", "OSError"),
    ("SyntaxError", "Exception"),
    ("WorkerError", "Exception"),
    ("InternalError", "Exception"),
];

/// The class named `name`, if Python (or rask) has one.
pub fn class_named(name: &str) -> Option<&'static str> {
    CLASSES.iter().find(|(n, _)| *n == name).map(|(n, _)| *n)
}

/// Whether class `cls` is `base` or derives from it.
pub fn is_subclass(cls: &str, base: &str) -> bool {
    let mut c = cls;
    loop {
        if c == base {
            return true;
        }
        match CLASSES.iter().find(|(n, _)| *n == c) {
            Some((_, parent)) if !parent.is_empty() => c = parent,
            // an unknown class is an Exception
            None => c = "Exception",
            _ => return false,
        }
    }
}

/// The class value bound to a builtin name such as `ValueError`.
pub fn class_value(name: &str) -> Option<Value> {
    class_named(name).map(|n| Value::obj(ExcClass(n)))
}

/// An exception class.
#[derive(Debug, Clone, Copy)]
pub struct ExcClass(pub &'static str);

impl Object for ExcClass {
    fn type_name(&self) -> &'static str {
        "type"
    }
    fn repr(&self) -> String {
        format!("<class '{}'>", self.0)
    }
    fn eq_value(&self, other: &Value) -> Option<bool> {
        Some(other.get::<ExcClass>().is_some_and(|c| c.0 == self.0))
    }
}

/// An exception instance: its class and arguments (`e.args`), and the error it came from
/// when rask raised it (re-raised as it was).
#[derive(Debug, Clone)]
pub struct ExcValue {
    pub class: String,
    pub args: Vec<Value>,
    pub error: Option<RaskError>,
}

impl Object for Arc<ExcValue> {
    fn type_name(&self) -> &'static str {
        "exception"
    }
    fn repr(&self) -> String {
        let args: Vec<String> = self.args.iter().map(super::display::repr).collect();
        format!("{}({})", self.class, args.join(", "))
    }
    fn str(&self) -> String {
        match self.args.as_slice() {
            [] => String::new(),
            // KeyError shows its key as a repr, as Python does
            [one] if self.class == "KeyError" => super::display::repr(one),
            [one] => super::display::to_str(one),
            many => super::display::repr(&Value::tuple(many.to_vec())),
        }
    }
}

impl ExcValue {
    /// The instance `except ... as e` binds for a rask error.
    pub fn from_error(e: &RaskError) -> Value {
        let class = e.class_name().to_string();
        let args = match args_of(e) {
            Some(args) => args.clone(),
            None => match e.kind {
                // KeyError's argument is the key: rask's message starts with its repr
                ErrorKind::Key if e.class.is_none() => vec![key_of(&e.message)],
                _ => vec![Value::str(&e.message)],
            },
        };
        Value::obj(Arc::new(ExcValue {
            class,
            args,
            error: Some(e.clone()),
        }))
    }

    /// The error `raise` of this instance propagates.
    pub fn to_error(&self) -> RaskError {
        if let Some(e) = &self.error {
            return e.clone();
        }
        let message = match self.args.as_slice() {
            [] => String::new(),
            [one] if self.class == "KeyError" => super::display::repr(one),
            [one] => super::display::to_str(one),
            many => super::display::repr(&Value::tuple(many.to_vec())),
        };
        let e = RaskError::new(kind_of(&self.class), message).with_class(&self.class);
        with_args(e, self.args.clone())
    }
}

/// The error carrying `args` as its exception's arguments (`e.args` when caught).
pub fn with_args(mut e: RaskError, args: Vec<Value>) -> RaskError {
    e.args = Some(ExcArgs(Arc::new(args)));
    e
}

/// The arguments an error carries as values, if it carries any.
fn args_of(e: &RaskError) -> Option<&Vec<Value>> {
    e.args
        .as_ref()
        .and_then(|a| a.0.downcast_ref::<Vec<Value>>())
}

/// The key a KeyError message starts with (`'amount' (record: ...)` gives `amount`).
fn key_of(message: &str) -> Value {
    let b = message.as_bytes();
    if let Some(&q) = b.first().filter(|&&q| q == b'\'' || q == b'"') {
        let mut i = 1;
        while i < b.len() {
            match b[i] {
                b'\\' => i += 2,
                c if c == q => return Value::str(&message[1..i]),
                _ => i += 1,
            }
        }
    }
    let word = message.split(" (").next().unwrap_or(message);
    match word.parse::<i64>() {
        Ok(i) => Value::Int(i),
        Err(_) => Value::str(word),
    }
}

/// The error kind closest to a Python class (its messages, exit codes).
pub fn kind_of(class: &str) -> ErrorKind {
    match class {
        "ZeroDivisionError" => ErrorKind::ZeroDivision,
        "OverflowError" => ErrorKind::Overflow,
        "KeyError" => ErrorKind::Key,
        "IndexError" => ErrorKind::Index,
        "NameError" | "UnboundLocalError" | "AttributeError" => ErrorKind::Name,
        "TypeError" => ErrorKind::Type,
        "AssertionError" => ErrorKind::Assertion,
        "RecursionError" => ErrorKind::Recursion,
        "MemoryError" => ErrorKind::Memory,
        "ImportError" => ErrorKind::Import,
        "ModuleNotFoundError" => ErrorKind::ModuleNotFound,
        "PermissionError" => ErrorKind::Permission,
        "KeyboardInterrupt" => ErrorKind::Interrupted,
        "LinAlgError" => ErrorKind::LinAlg,
        c if is_subclass(c, "OSError") => ErrorKind::Io,
        c if is_subclass(c, "ValueError") => ErrorKind::Value,
        _ => ErrorKind::Runtime,
    }
}
