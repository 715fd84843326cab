//! `str` search methods with Python's optional `start`/`end` (slice-style indices,
//! counted in characters): `find`, `rfind`, `index`, `rindex`, `count`, and
//! `replace(old, new, count)`.

use crate::errors::{RaskError, Result};
use crate::value::args::Args;
use crate::value::value::Value;

pub const SEARCH_STR_METHODS: &[&str] = &["find", "rfind", "index", "rindex", "count", "replace"];

/// `s.name(args)` for the methods above; None when `name` is not one of them.
pub fn method(s: &str, name: &str, args: &Args) -> Option<Result<Value>> {
    Some(match name {
        "find" | "rfind" | "index" | "rindex" => find(s, name, args),
        "count" => count(s, args),
        "replace" => replace(s, args),
        _ => return None,
    })
}

/// The window `s[start:end]` as char indices `(a, b)` clamped as a slice clamps them,
/// with its byte offsets. `None` when `start` is past the end (nothing, not even the
/// empty string, is found there).
struct Window {
    a: usize,
    ba: usize,
    bb: usize,
}

fn window(s: &str, args: &Args) -> Result<Option<Window>> {
    let n = s.chars().count() as i64;
    let clamp = |i: Option<i64>, default: i64| -> i64 {
        match i {
            None => default,
            Some(i) if i < 0 => (i + n).max(0),
            Some(i) => i.min(n),
        }
    };
    let start = args.int_opt(1, "start")?;
    if start.is_some_and(|i| i > n) {
        return Ok(None);
    }
    let a = clamp(start, 0);
    let b = clamp(args.int_opt(2, "end")?, n);
    if a > b {
        return Ok(None);
    }
    let byte = |c: i64| {
        s.char_indices()
            .nth(c as usize)
            .map_or(s.len(), |(byte, _)| byte)
    };
    Ok(Some(Window {
        a: a as usize,
        ba: byte(a),
        bb: byte(b),
    }))
}

fn find(s: &str, name: &str, args: &Args) -> Result<Value> {
    let sub = args.str(0, "sub")?;
    let hit = window(s, args)?.and_then(|w| {
        let part = &s[w.ba..w.bb];
        let at = if name.starts_with('r') {
            part.rfind(sub.as_str())
        } else {
            part.find(sub.as_str())
        };
        at.map(|i| (w.a + part[..i].chars().count()) as i64)
    });
    match hit {
        Some(i) => Ok(Value::Int(i)),
        None if name.ends_with("find") => Ok(Value::Int(-1)),
        None => Err(RaskError::value("substring not found")),
    }
}

fn count(s: &str, args: &Args) -> Result<Value> {
    let sub = args.str(0, "sub")?;
    Ok(Value::Int(match window(s, args)? {
        // non-overlapping, as Python counts ("aaaa".count("aa") == 2)
        Some(w) => s[w.ba..w.bb].matches(sub.as_str()).count() as i64,
        None => 0,
    }))
}

fn replace(s: &str, args: &Args) -> Result<Value> {
    let old = args.str(0, "old")?;
    let new = args.str(1, "new")?;
    let out = match args.int_opt(2, "count")? {
        Some(k) if k >= 0 => s.replacen(old.as_str(), &new, k as usize),
        _ => s.replace(old.as_str(), &new),
    };
    Ok(Value::str(&out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(s: &str, name: &str, pos: Vec<Value>) -> String {
        let args = Args::new(name, pos);
        match method(s, name, &args) {
            Some(Ok(v)) => crate::value::display::repr(&v),
            Some(Err(e)) => format!("{}: {}", e.class_name(), e.message),
            None => "none".into(),
        }
    }

    fn st(s: &str) -> Value {
        Value::str(s)
    }

    #[test]
    fn find_with_bounds_counts_chars() {
        let t = "the cat sat on the mat";
        assert_eq!(call(t, "find", vec![st("the"), Value::Int(1)]), "15");
        assert_eq!(call(t, "find", vec![st("the"), Value::Int(-7)]), "15");
        assert_eq!(
            call(t, "find", vec![st("cat"), Value::Int(0), Value::Int(6)]),
            "-1"
        );
        assert_eq!(
            call(t, "rfind", vec![st("at"), Value::Int(0), Value::Int(11)]),
            "9"
        );
        assert_eq!(call("éaé", "find", vec![st("é"), Value::Int(1)]), "2");
        assert_eq!(call("abc", "find", vec![st(""), Value::Int(3)]), "3");
        assert_eq!(call("abc", "find", vec![st(""), Value::Int(4)]), "-1");
        assert_eq!(
            call("abc", "index", vec![st("z")]),
            "ValueError: substring not found"
        );
        assert_eq!(
            call(
                "abcabc",
                "rindex",
                vec![st("b"), Value::None, Value::Int(-2)]
            ),
            "1"
        );
    }

    #[test]
    fn count_and_replace_as_python() {
        assert_eq!(call("banana", "count", vec![st("a"), Value::Int(2)]), "2");
        assert_eq!(call("aaaa", "count", vec![st("aa")]), "2");
        assert_eq!(call("abc", "count", vec![st("")]), "4");
        assert_eq!(
            call("abc", "count", vec![st(""), Value::Int(2), Value::Int(1)]),
            "0"
        );
        assert_eq!(
            call("a.a.a", "replace", vec![st("."), st("-"), Value::Int(1)]),
            "'a-a.a'"
        );
        assert_eq!(call("ab", "replace", vec![st(""), st("-")]), "'-a-b-'");
        assert_eq!(
            call("aa", "replace", vec![st("a"), st("b"), Value::Int(-1)]),
            "'bb'"
        );
    }
}
