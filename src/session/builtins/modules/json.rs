//! `json.loads` and `json.dumps` with CPython's options and layout: `indent`,
//! `separators`, `sort_keys`, `ensure_ascii`, `allow_nan`, `default`.

use crate::errors::{RaskError, Result};
use crate::session::eval::call_value;
use crate::session::runtime::Frame;
use crate::value::args::Args;
use crate::value::value::Value;
use std::sync::Arc;

pub fn call(fr: &mut Frame, name: &str, args: &Args) -> Result<Value> {
    match name {
        "loads" => loads(args),
        "dumps" => {
            args.check(&[
                "obj",
                "skipkeys",
                "ensure_ascii",
                "check_circular",
                "allow_nan",
                "cls",
                "indent",
                "separators",
                "default",
                "sort_keys",
            ])?;
            let opts = Options::from_args(args)?;
            let mut out = String::new();
            Dumper { fr, opts: &opts }.value(args.req(0, "obj")?, 0, &mut out)?;
            Ok(Value::str(&out))
        }
        other => Err(
            RaskError::name(format!("module 'json' has no function '{}'", other))
                .with_hint("json has loads and dumps"),
        ),
    }
}

fn loads(args: &Args) -> Result<Value> {
    let s = args.str(0, "s")?;
    // the decoder tasks use (exact big ints, records as dicts); serde_json only words
    // the error when there is one
    if let Ok(v) = crate::common::json::Parser::new().parse(s.as_bytes()) {
        return Ok(v);
    }
    let j: serde_json::Value = serde_json::from_str(&s).map_err(|e| {
        RaskError::value(format!(
            "invalid JSON at line {}, column {}: {}",
            e.line(),
            e.column(),
            e
        ))
    })?;
    Ok(from_json(&j))
}

pub fn from_json(j: &serde_json::Value) -> Value {
    match j {
        serde_json::Value::Null => Value::None,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        serde_json::Value::String(s) => Value::str(s),
        serde_json::Value::Array(a) => Value::list(a.iter().map(from_json).collect()),
        serde_json::Value::Object(o) => Value::dict(
            o.iter()
                .map(|(k, v)| (Value::str(k), from_json(v)))
                .collect(),
        ),
    }
}

struct Options {
    /// None: everything on one line.
    indent: Option<String>,
    item_sep: String,
    key_sep: String,
    sort_keys: bool,
    ensure_ascii: bool,
    allow_nan: bool,
    skipkeys: bool,
    default: Option<Value>,
}

impl Options {
    fn from_args(args: &Args) -> Result<Options> {
        let kw = |name: &str| args.kw(name).filter(|v| !matches!(v, Value::None));
        let indent = match kw("indent") {
            None => None,
            Some(Value::Str(s)) => Some(s.to_string()),
            Some(v) => {
                let n = args.int(usize::MAX, "indent").map_err(|_| {
                    RaskError::type_(format!(
                        "indent must be an int or a str, not {}",
                        v.type_name()
                    ))
                })?;
                crate::value::limits::check_alloc(n.max(0) as u128, 1, "the indent")?;
                Some(" ".repeat(n.max(0) as usize))
            }
        };
        // with an indent the default item separator has no trailing space, as CPython's
        let (item_sep, key_sep) = match kw("separators") {
            None if indent.is_some() => (",".to_string(), ": ".to_string()),
            None => (", ".to_string(), ": ".to_string()),
            Some(v) if v.seq().is_some_and(|p| p.len() == 2) => match v
                .seq()
                .map(|p| (p[0].clone(), p[1].clone()))
                .unwrap_or((Value::None, Value::None))
            {
                (Value::Str(a), Value::Str(b)) => (a.to_string(), b.to_string()),
                _ => return Err(RaskError::type_("separators must be a pair of str")),
            },
            Some(_) => {
                return Err(RaskError::value(
                    "separators must be an (item_separator, key_separator) tuple",
                ))
            }
        };
        let flag = |name: &str, default: bool| args.kw(name).map_or(default, |v| v.truthy());
        Ok(Options {
            indent,
            item_sep,
            key_sep,
            sort_keys: flag("sort_keys", false),
            ensure_ascii: flag("ensure_ascii", true),
            allow_nan: flag("allow_nan", true),
            skipkeys: flag("skipkeys", false),
            default: kw("default").cloned(),
        })
    }
}

/// Python's recursion limit, which bounds its encoder's nesting.
const MAX_DEPTH: usize = 1000;

struct Dumper<'a, 'h> {
    fr: &'a mut Frame<'h>,
    opts: &'a Options,
}

impl Dumper<'_, '_> {
    fn value(&mut self, v: &Value, depth: usize, out: &mut String) -> Result<()> {
        // values cannot hold themselves, but a `default` can keep making new levels
        if depth > MAX_DEPTH {
            return Err(RaskError::new(
                crate::errors::ErrorKind::Recursion,
                "maximum recursion depth exceeded while encoding a JSON object",
            ));
        }
        match v {
            Value::None => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) => out.push_str(&i.to_string()),
            Value::BigInt(b) => out.push_str(&b.to_string()),
            Value::Float(f) => out.push_str(&self.float(*f)?),
            Value::Str(s) => quote(s, self.opts.ensure_ascii, out),
            Value::List(items) => {
                let items = items.snapshot();
                let items: Vec<&Value> = items.iter().collect();
                self.seq(&items, depth, out)?
            }
            Value::Tuple(items) => {
                let items: Vec<&Value> = items.iter().collect();
                self.seq(&items, depth, out)?
            }
            Value::Dict(d) => self.dict(&d.snapshot(), depth, out)?,
            arr if let Some(a) = arr.get::<Arc<crate::common::ndarr::NdArr>>() => {
                self.value(&crate::array::convert::tolist(a), depth, out)?
            }
            other => match &self.opts.default {
                // `default=f`: what f makes of the object is written instead
                Some(f) => {
                    let f = f.clone();
                    let r = call_value(self.fr, &f, Args::new("default", vec![other.clone()]))?;
                    self.value(&r, depth, out)?
                }
                None => {
                    return Err(RaskError::type_(format!(
                        "Object of type {} is not JSON serializable",
                        other.type_name()
                    )))
                }
            },
        }
        Ok(())
    }

    fn float(&self, f: f64) -> Result<String> {
        if f.is_finite() {
            return Ok(crate::array::kernels::format::py_float(f));
        }
        if !self.opts.allow_nan {
            return Err(RaskError::value(
                "Out of range float values are not JSON compliant",
            ));
        }
        Ok(if f.is_nan() {
            "NaN"
        } else if f > 0.0 {
            "Infinity"
        } else {
            "-Infinity"
        }
        .to_string())
    }

    /// Before an item: the separator, then with an indent a new line at `depth`.
    fn open_item(&self, first: bool, depth: usize, out: &mut String) {
        match &self.opts.indent {
            Some(ind) => {
                if !first {
                    out.push_str(&self.opts.item_sep);
                }
                out.push('\n');
                out.push_str(&ind.repeat(depth));
            }
            None if !first => out.push_str(&self.opts.item_sep),
            None => {}
        }
    }

    /// After the last item: with an indent, a new line at the enclosing depth.
    fn close(&self, depth: usize, out: &mut String) {
        if let Some(ind) = &self.opts.indent {
            out.push('\n');
            out.push_str(&ind.repeat(depth));
        }
    }

    fn seq(&mut self, items: &[&Value], depth: usize, out: &mut String) -> Result<()> {
        if items.is_empty() {
            out.push_str("[]");
            return Ok(());
        }
        out.push('[');
        for (i, x) in items.iter().enumerate() {
            self.open_item(i == 0, depth + 1, out);
            self.value(x, depth + 1, out)?;
        }
        self.close(depth, out);
        out.push(']');
        Ok(())
    }

    fn dict(&mut self, d: &[(Value, Value)], depth: usize, out: &mut String) -> Result<()> {
        if d.is_empty() {
            out.push_str("{}");
            return Ok(());
        }
        let mut pairs: Vec<&(Value, Value)> = d.iter().collect();
        if self.opts.sort_keys {
            let mut err = None;
            pairs.sort_by(|a, b| {
                crate::value::pyops::cmp(&a.0, &b.0).unwrap_or_else(|e| {
                    err.get_or_insert(e);
                    std::cmp::Ordering::Equal
                })
            });
            if let Some(e) = err {
                return Err(e);
            }
        }
        out.push('{');
        let mut first = true;
        for (k, v) in pairs {
            let Some(key) = key_text(k)? else {
                if self.opts.skipkeys {
                    continue;
                }
                return Err(RaskError::type_(format!(
                    "keys must be str, int, float, bool or None, not {}",
                    k.type_name()
                )));
            };
            self.open_item(first, depth + 1, out);
            first = false;
            quote(&key, self.opts.ensure_ascii, out);
            out.push_str(&self.opts.key_sep);
            self.value(v, depth + 1, out)?;
        }
        self.close(depth, out);
        out.push('}');
        Ok(())
    }
}

/// A dict key as JSON's string key (`1` → `"1"`, `None` → `"null"`); None for keys
/// JSON cannot have.
fn key_text(k: &Value) -> Result<Option<String>> {
    Ok(Some(match k {
        Value::Str(s) => s.to_string(),
        Value::Bool(b) => (if *b { "true" } else { "false" }).to_string(),
        Value::None => "null".to_string(),
        Value::Int(_) | Value::BigInt(_) => crate::value::display::to_str(k),
        Value::Float(f) if f.is_finite() => crate::array::kernels::format::py_float(*f),
        Value::Float(f) if f.is_nan() => "NaN".to_string(),
        Value::Float(f) => (if *f > 0.0 { "Infinity" } else { "-Infinity" }).to_string(),
        _ => return Ok(None),
    }))
}

/// A JSON string literal: `"` and `\` escaped, control characters as `\n`-style or
/// `\u00XX` escapes, and with `ensure_ascii` everything outside printable ASCII as
/// `\uXXXX` (UTF-16 surrogate pairs past the BMP), as CPython writes them.
fn quote(s: &str, ensure_ascii: bool, out: &mut String) {
    use std::fmt::Write;
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (ensure_ascii && !(' '..='~').contains(&c)) => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{:04x}", u);
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dumps(v: Value, kw: Vec<(&str, Value)>) -> String {
        let mut args = Args::new("dumps", vec![v]);
        args.kw = kw.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        let mut fr = Frame::empty();
        match call(&mut fr, "dumps", &args) {
            Ok(Value::Str(s)) => s.to_string(),
            Ok(other) => format!("not a str: {:?}", other),
            Err(e) => format!("{}: {}", e.class_name(), e.message),
        }
    }

    fn dict(pairs: Vec<(&str, Value)>) -> Value {
        Value::dict(pairs.into_iter().map(|(k, v)| (Value::str(k), v)).collect())
    }

    #[test]
    fn indent_nests_and_keeps_empty_containers_short() {
        let v = dict(vec![
            ("a", Value::list(vec![Value::Int(1), Value::list(vec![])])),
            ("b", dict(vec![("c", Value::None)])),
            ("d", dict(vec![])),
        ]);
        assert_eq!(
            dumps(v, vec![("indent", Value::Int(2))]),
            "{\n  \"a\": [\n    1,\n    []\n  ],\n  \"b\": {\n    \"c\": null\n  },\n  \"d\": {}\n}"
        );
        let l = Value::list(vec![Value::Int(1), Value::Int(2)]);
        assert_eq!(
            dumps(l.clone(), vec![("indent", Value::Int(0))]),
            "[\n1,\n2\n]"
        );
        assert_eq!(
            dumps(l, vec![("indent", Value::str("\t"))]),
            "[\n\t1,\n\t2\n]"
        );
    }

    #[test]
    fn options_as_cpython() {
        let v = dict(vec![("b", Value::Int(1)), ("a", Value::str("é\u{1F600}"))]);
        assert_eq!(
            dumps(v.clone(), vec![("sort_keys", Value::Bool(true))]),
            "{\"a\": \"\\u00e9\\ud83d\\ude00\", \"b\": 1}"
        );
        assert_eq!(
            dumps(v.clone(), vec![("ensure_ascii", Value::Bool(false))]),
            "{\"b\": 1, \"a\": \"é\u{1F600}\"}"
        );
        let seps = Value::tuple(vec![Value::str(","), Value::str(":")]);
        assert_eq!(
            dumps(
                v,
                vec![("separators", seps), ("ensure_ascii", Value::Bool(false))]
            ),
            "{\"b\":1,\"a\":\"é\u{1F600}\"}"
        );
        let k = Value::dict(vec![
            (Value::Int(1), Value::Bool(true)),
            (Value::None, Value::Float(f64::NAN)),
        ]);
        assert_eq!(dumps(k.clone(), vec![]), "{\"1\": true, \"null\": NaN}");
        assert_eq!(
            dumps(k, vec![("allow_nan", Value::Bool(false))]),
            "ValueError: Out of range float values are not JSON compliant"
        );
        let t = Value::dict(vec![(Value::tuple(vec![]), Value::Int(1))]);
        assert_eq!(
            dumps(t, vec![]),
            "TypeError: keys must be str, int, float, bool or None, not tuple"
        );
    }
}
