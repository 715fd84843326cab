//! The rest of Python's `str` methods (predicates, padding, partition, prefix/suffix)
//! and the small builtins on characters and integers (`ord`,
//! `chr`, `divmod`, `hex`, `oct`, `bin`, `format`). Indices count characters, as Python's do.

use crate::errors::{RaskError, Result};
use crate::value::args::Args;
use crate::value::value::Value;

/// Methods beyond `methods::STR_METHODS`.
pub const MORE_STR_METHODS: &[&str] = &[
    "isalnum",
    "isupper",
    "islower",
    "isspace",
    "isdecimal",
    "isnumeric",
    "istitle",
    "isidentifier",
    "center",
    "ljust",
    "rjust",
    "partition",
    "rpartition",
    "removeprefix",
    "removesuffix",
    "swapcase",
    "expandtabs",
    "rsplit",
    "casefold",
];

fn chars(s: &str) -> Vec<char> {
    s.chars().collect()
}

fn fill_char(args: &Args) -> Result<char> {
    match args.get(1, "fillchar") {
        None => Ok(' '),
        Some(Value::Str(f)) if f.chars().count() == 1 => Ok(f.chars().next().unwrap_or(' ')),
        Some(_) => Err(RaskError::type_(
            "The fill character must be exactly one character long",
        )),
    }
}

fn pred(s: &str, f: impl Fn(char) -> bool) -> Value {
    Value::Bool(!s.is_empty() && s.chars().all(f))
}

/// `s.name(args)` for the methods above; None when `name` is not one of them.
pub fn method(s: &str, name: &str, args: &Args) -> Option<Result<Value>> {
    let st = |v: String| Ok(Value::str(&v));
    Some(match name {
        "isalnum" => Ok(pred(s, char::is_alphanumeric)),
        "isspace" => Ok(pred(s, char::is_whitespace)),
        "isdecimal" | "isnumeric" => Ok(pred(s, |c| c.is_numeric())),
        "isidentifier" => Ok(Value::Bool(
            s.chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() || c == '_')
                && s.chars().all(|c| c.is_alphanumeric() || c == '_'),
        )),
        "isupper" | "islower" => {
            let cased: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
            let want_upper = name == "isupper";
            let ok = cased.iter().any(|c| c.is_uppercase() || c.is_lowercase())
                && s.chars().all(|c| {
                    if want_upper {
                        !c.is_lowercase()
                    } else {
                        !c.is_uppercase()
                    }
                });
            Ok(Value::Bool(ok))
        }
        "istitle" => {
            let mut prev_cased = false;
            let mut any = false;
            let mut ok = true;
            for c in s.chars() {
                if c.is_uppercase() {
                    ok &= !prev_cased;
                    prev_cased = true;
                    any = true;
                } else if c.is_lowercase() {
                    ok &= prev_cased;
                    prev_cased = true;
                    any = true;
                } else {
                    prev_cased = false;
                }
            }
            Ok(Value::Bool(ok && any))
        }
        "center" | "ljust" | "rjust" => (|| {
            let width = args.int(0, "width")?;
            let fill = fill_char(args)?;
            let n = s.chars().count() as i64;
            if width <= n {
                return st(s.to_string());
            }
            let pad = (width - n) as usize;
            let (left, right) = match name {
                "ljust" => (0, pad),
                "rjust" => (pad, 0),
                // Python's center puts the extra space on the right when width is... odd
                _ => {
                    let left = pad / 2 + (pad & width as usize & 1);
                    (left, pad - left)
                }
            };
            let f = |k: usize| std::iter::repeat_n(fill, k).collect::<String>();
            st(format!("{}{}{}", f(left), s, f(right)))
        })(),
        "partition" | "rpartition" => (|| {
            let sep = args.str(0, "sep")?;
            if sep.is_empty() {
                return Err(RaskError::value("empty separator"));
            }
            let at = if name == "partition" {
                s.find(sep.as_str())
            } else {
                s.rfind(sep.as_str())
            };
            let t = |a: &str, b: &str, c: &str| {
                Ok(Value::tuple(vec![
                    Value::str(a),
                    Value::str(b),
                    Value::str(c),
                ]))
            };
            match (at, name) {
                (Some(i), _) => t(&s[..i], &sep, &s[i + sep.len()..]),
                (None, "partition") => t(s, "", ""),
                (None, _) => t("", "", s),
            }
        })(),
        "removeprefix" => args
            .str(0, "prefix")
            .map(|p| Value::str(s.strip_prefix(p.as_str()).unwrap_or(s))),
        "removesuffix" => args
            .str(0, "suffix")
            .map(|p| Value::str(s.strip_suffix(p.as_str()).unwrap_or(s))),
        "swapcase" => st(s
            .chars()
            .flat_map(|c| {
                if c.is_uppercase() {
                    c.to_lowercase().collect::<Vec<_>>()
                } else {
                    c.to_uppercase().collect::<Vec<_>>()
                }
            })
            .collect()),
        "casefold" => st(s.to_lowercase()),
        "expandtabs" => (|| {
            let size = args.int_or(0, "tabsize", 8)?.max(0) as usize;
            let mut out = String::new();
            let mut col = 0;
            for c in s.chars() {
                match c {
                    '\t' => {
                        let n = if size == 0 { 0 } else { size - col % size };
                        out.extend(std::iter::repeat_n(' ', n));
                        col += n;
                    }
                    '\n' | '\r' => {
                        out.push(c);
                        col = 0;
                    }
                    c => {
                        out.push(c);
                        col += 1;
                    }
                }
            }
            st(out)
        })(),
        "rsplit" => (|| {
            let sep = match args.get(0, "sep") {
                None | Some(Value::None) => None,
                Some(_) => Some(args.str(0, "sep")?),
            };
            let max = args.int_or(1, "maxsplit", -1)?;
            let mut parts: Vec<String> = match &sep {
                Some(p) if p.is_empty() => return Err(RaskError::value("empty separator")),
                Some(p) => {
                    let mut v: Vec<String> = Vec::new();
                    let mut rest = s;
                    while max < 0 || (v.len() as i64) < max {
                        match rest.rfind(p.as_str()) {
                            Some(i) => {
                                v.push(rest[i + p.len()..].to_string());
                                rest = &rest[..i];
                            }
                            None => break,
                        }
                    }
                    v.push(rest.to_string());
                    v
                }
                None => {
                    let words: Vec<&str> = s.split_whitespace().collect();
                    if max < 0 || words.len() as i64 <= max {
                        words.iter().rev().map(|w| w.to_string()).collect()
                    } else {
                        let keep = words.len() - max as usize;
                        let mut v: Vec<String> =
                            words[keep..].iter().rev().map(|w| w.to_string()).collect();
                        // the rest keeps its inner spacing, trimmed at the end
                        let mut rest = s.trim_end();
                        for _ in 0..max {
                            if let Some(i) = rest.rfind(char::is_whitespace) {
                                rest = rest[..i].trim_end();
                            }
                        }
                        v.push(rest.to_string());
                        v
                    }
                }
            };
            parts.reverse();
            Ok(Value::list(
                parts.into_iter().map(|p| Value::str(&p)).collect(),
            ))
        })(),
        _ => return None,
    })
}

/// `s.startswith(x)` / `endswith` with a string or a tuple of strings, and start/end.
pub fn starts_ends(s: &str, name: &str, args: &Args) -> Result<Value> {
    let cs = chars(s);
    let n = cs.len() as i64;
    let norm = |i: i64| if i < 0 { (i + n).max(0) } else { i.min(n) } as usize;
    let start = norm(args.int_opt(1, "start")?.unwrap_or(0));
    let end = norm(args.int_opt(2, "end")?.unwrap_or(n));
    let part: String = if start <= end {
        cs[start..end].iter().collect()
    } else {
        String::new()
    };
    let test = |p: &str| {
        if name == "startswith" {
            part.starts_with(p)
        } else {
            part.ends_with(p)
        }
    };
    match args.req(0, "prefix")? {
        Value::Str(p) => Ok(Value::Bool(test(p))),
        Value::Tuple(ps) => {
            let mut any = false;
            for p in ps.iter() {
                match p {
                    Value::Str(p) => any |= test(p),
                    other => {
                        return Err(RaskError::type_(format!(
                            "tuple for {} must only contain str, not {}",
                            name,
                            other.type_name()
                        )))
                    }
                }
            }
            Ok(Value::Bool(any))
        }
        other => Err(RaskError::type_(format!(
            "{} first arg must be str or a tuple of str, not {}",
            name,
            other.type_name()
        ))),
    }
}

fn int_arg(args: &Args, i: usize, name: &str) -> Result<i64> {
    match args.req(i, name)? {
        Value::Int(v) => Ok(*v),
        Value::Bool(b) => Ok(*b as i64),
        other => Err(RaskError::type_(format!(
            "'{}' object cannot be interpreted as an integer",
            other.type_name()
        ))),
    }
}

/// `ord chr divmod hex oct bin`; None for other names.
pub fn builtin(name: &str, args: &Args) -> Option<Result<Value>> {
    Some(match name {
        "ord" => match args.req(0, "c") {
            Ok(Value::Str(s)) if s.chars().count() == 1 => {
                Ok(Value::Int(s.chars().next().map(|c| c as i64).unwrap_or(0)))
            }
            Ok(Value::Str(s)) => Err(RaskError::type_(format!(
                "ord() expected a character, but string of length {} found",
                s.chars().count()
            ))),
            Ok(other) => Err(RaskError::type_(format!(
                "ord() expected string of length 1, but {} found",
                other.type_name()
            ))),
            Err(e) => Err(e),
        },
        "chr" => int_arg(args, 0, "i").and_then(|i| {
            u32::try_from(i)
                .ok()
                .and_then(char::from_u32)
                .map(|c| Value::str(&c.to_string()))
                .ok_or_else(|| RaskError::value("chr() arg not in range(0x110000)"))
        }),
        "hex" | "oct" | "bin" => int_arg(args, 0, "x").map(|i| {
            let (p, digits) = match name {
                "hex" => ("0x", format!("{:x}", i.unsigned_abs())),
                "oct" => ("0o", format!("{:o}", i.unsigned_abs())),
                _ => ("0b", format!("{:b}", i.unsigned_abs())),
            };
            Value::str(&format!("{}{}{}", if i < 0 { "-" } else { "" }, p, digits))
        }),
        "divmod" => (|| {
            let a = args.req(0, "a")?;
            let b = args.req(1, "b")?;
            let q = crate::value::pyops::binary(crate::syntax::ast::BinOp::FloorDiv, a, b)?;
            let r = crate::value::pyops::binary(crate::syntax::ast::BinOp::Mod, a, b)?;
            Ok(Value::tuple(vec![q, r]))
        })(),
        "format" => (|| {
            let v = args.req(0, "value")?;
            let spec = args.str_opt(1, "format_spec")?.unwrap_or_default();
            if spec.is_empty() {
                return Ok(Value::str(&crate::value::display::to_str(v)));
            }
            crate::value::format_spec::apply(v, &spec).map(|s| Value::str(&s))
        })(),
        _ => return None,
    })
}
