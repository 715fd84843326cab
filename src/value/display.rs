//! How values print: `repr` for the REPL's echo (Python's repr), `to_str` for `print`
//! and `str()`.

use super::float_repr::py_float;
use super::value::{Function, Value};

/// Python's `repr`.
pub fn repr(v: &Value) -> String {
    let mut s = String::new();
    write_repr(v, &mut s);
    s
}

/// Python's `str`: strings without quotes, everything else as repr.
pub fn to_str(v: &Value) -> String {
    match v {
        Value::Str(s) => s.to_string(),
        Value::Obj(o) => o.str(),
        _ => repr(v),
    }
}

/// Python's repr of a string: single quotes unless the text holds one and no double.
pub fn repr_str(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

fn write_seq(items: &[Value], open: &str, close: &str, out: &mut String) {
    out.push_str(open);
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write_repr(x, out);
    }
    out.push_str(close);
}

fn write_repr(v: &Value, out: &mut String) {
    match v {
        Value::None => out.push_str("None"),
        Value::Bool(true) => out.push_str("True"),
        Value::Bool(false) => out.push_str("False"),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::BigInt(b) => out.push_str(&b.to_string()),
        Value::Float(f) => out.push_str(&py_float(*f)),
        Value::Str(s) => out.push_str(&repr_str(s)),
        Value::List(l) => match super::shared::enter(l.addr()) {
            Some(_g) => write_seq(&l.read(), "[", "]", out),
            None => out.push_str("[...]"),
        },
        Value::Set(st) => match super::shared::enter(st.addr()) {
            Some(_g) => {
                let items = st.read();
                if items.0.is_empty() {
                    out.push_str("set()");
                } else {
                    out.push('{');
                    for (i, x) in items.values().enumerate() {
                        if i > 0 {
                            out.push_str(", ");
                        }
                        write_repr(x, out);
                    }
                    out.push('}');
                }
            }
            None => out.push_str("set(...)"),
        },
        Value::Tuple(items) => {
            if items.len() == 1 {
                out.push('(');
                write_repr(&items[0], out);
                out.push_str(",)");
            } else {
                write_seq(items, "(", ")", out)
            }
        }
        Value::Dict(d) => {
            let Some(_g) = super::shared::enter(d.addr()) else {
                out.push_str("{...}");
                return;
            };
            let items = d.read();
            out.push('{');
            for (i, (k, x)) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_repr(k, out);
                out.push_str(": ");
                write_repr(x, out);
            }
            out.push('}');
        }
        Value::Range(a, b, s) => {
            if *s == 1 {
                out.push_str(&format!("range({}, {})", a, b))
            } else {
                out.push_str(&format!("range({}, {}, {})", a, b, s))
            }
        }
        Value::Func(f) => out.push_str(&func_repr(f)),
        Value::Module(m) => out.push_str(&format!("<module '{}'>", m)),
        Value::Obj(o) => out.push_str(&o.repr()),
    }
}

pub fn func_repr(f: &Function) -> String {
    match f {
        Function::User { name, .. } => format!("<function {}>", name),
        Function::Builtin { name } => format!("<built-in function {}>", name),
        Function::Method { receiver, name } => {
            format!("<bound method {}.{}>", receiver.type_name(), name)
        }
    }
}
