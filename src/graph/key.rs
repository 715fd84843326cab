//! Task keys: a name (operation plus a deterministic token) and a chunk index, as in Dask:
//! `('add-3f2a…', 0, 1)`. Tokens come from a stable hash of what built the value, so the
//! same expression gives the same keys in every session and on every machine.

use crate::value::value::Value;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Key {
    pub name: Arc<str>,
    pub index: Vec<u32>,
}

impl Key {
    pub fn new(name: &Arc<str>, index: Vec<u32>) -> Self {
        Key {
            name: name.clone(),
            index,
        }
    }
    pub fn scalar(name: &Arc<str>) -> Self {
        Key {
            name: name.clone(),
            index: vec![],
        }
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.index.is_empty() {
            return write!(f, "'{}'", self.name);
        }
        write!(f, "('{}'", self.name)?;
        for i in &self.index {
            write!(f, ", {}", i)?;
        }
        write!(f, ")")
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// A stable 128-bit FNV-1a hash of `text`, as 32 hex digits (Dask's tokens are md5 hex).
pub fn tokenize(text: &str) -> String {
    const OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
    const PRIME: u128 = 0x0000000001000000000000000000013B;
    let mut h = OFFSET;
    for b in text.as_bytes() {
        h ^= *b as u128;
        h = h.wrapping_mul(PRIME);
    }
    format!("{:032x}", h)
}

/// `prefix-token` for a new layer, e.g. `name("add", "x-…|y-…")`.
pub fn layer_name(prefix: &str, description: &str) -> Arc<str> {
    let full = format!("{}|{}", prefix, description);
    Arc::from(format!("{}-{}", prefix, tokenize(&full)))
}

/// Dask's `key_split`: the operation a layer name stands for, its token dropped
/// (`add-3f2a…` → `add`, `read-csv-3f2a…` → `read-csv`, a bare token → `data`).
pub fn key_split(name: &str) -> String {
    let mut words = name.split('-');
    let mut out = words.next().unwrap_or("").to_string();
    for w in words {
        let hex8 = w.len() == 8 && w.chars().all(|c| c.is_ascii_hexdigit());
        if !w.is_empty() && w.chars().all(char::is_alphabetic) && !hex8 {
            out.push('-');
            out.push_str(w);
        } else {
            break;
        }
    }
    if out.len() == 32 && out.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f')) {
        return "data".into();
    }
    out
}

/// Dask's `__dask_keys__` of a collection: each key as a tuple `(name, i, ...)`, or the
/// bare name for a one-value result.
pub fn keys_value(keys: &[Key]) -> Value {
    Value::list(
        keys.iter()
            .map(|k| {
                let mut v = vec![Value::Str(k.name.clone())];
                v.extend(k.index.iter().map(|&i| Value::Int(i as i64)));
                if v.len() == 1 {
                    v.remove(0)
                } else {
                    Value::tuple(v)
                }
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_split_drops_the_token_like_dask() {
        assert_eq!(key_split("add-3f2a0000000000000000000000000000"), "add");
        assert_eq!(key_split("read-csv-0123abcd"), "read-csv");
        assert_eq!(
            key_split(&layer_name("from_sequence", "x")),
            "from_sequence"
        );
        assert_eq!(key_split("ae05086432ca935f6eba409a8ecd4896"), "data");
        assert_eq!(key_split("x"), "x");
    }
}
