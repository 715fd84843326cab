//! Values as hash-map keys with Python's equality (`1 == 1.0 == True`), and a stable hash
//! that is the same in every process, so a shuffle sends equal keys to the same bucket
//! whichever scheduler or worker hashed them.

use crate::value::pyops;
use crate::value::value::Value;
use std::hash::{Hash, Hasher};

/// FNV-1a, 64 bit: stable across runs, processes and machines (std's hasher is seeded).
pub struct StableHasher(u64);

impl Default for StableHasher {
    fn default() -> Self {
        StableHasher(0xcbf29ce484222325)
    }
}

impl Hasher for StableHasher {
    fn finish(&self) -> u64 {
        // a final avalanche so that bucket = hash % n uses every bit
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51afd7ed558ccd);
        h ^= h >> 33;
        h
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= *b as u64;
            self.0 = self.0.wrapping_mul(0x100000001b3);
        }
    }
}

/// Feed `v` to `h` so that values Python considers equal hash alike.
pub fn hash_value<H: Hasher>(v: &Value, h: &mut H) {
    match v {
        Value::None => h.write_u8(0),
        Value::Bool(b) => hash_int(*b as i64, h),
        Value::Int(i) => hash_int(*i, h),
        Value::BigInt(b) => {
            // a big int equal to a float (10**20 == 1e20) hashes as that float does
            use num_traits::{FromPrimitive, ToPrimitive};
            match b.to_f64() {
                Some(f) if num_bigint::BigInt::from_f64(f).as_ref() == Some(&**b) => {
                    h.write_u8(2);
                    h.write_u64(f.to_bits());
                }
                _ => {
                    h.write_u8(8);
                    h.write(&b.to_signed_bytes_le());
                }
            }
        }
        Value::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 9.2e18 {
                hash_int(*f as i64, h)
            } else {
                h.write_u8(2);
                h.write_u64(f.to_bits());
            }
        }
        Value::Str(s) => {
            h.write_u8(3);
            h.write(s.as_bytes());
            h.write_u8(0xff);
        }
        Value::List(_) | Value::Tuple(_) => {
            // lists are not hashable in Python, but hashing them by content is harmless
            // (a list holding itself hashes its own slot as empty)
            let _g = match v {
                Value::List(l) => match super::shared::enter(l.addr()) {
                    Some(g) => Some(g),
                    None => return h.write_u8(4),
                },
                _ => None,
            };
            let Some(items) = v.seq() else { return };
            h.write_u8(4);
            h.write_usize(items.len());
            for x in items.iter() {
                hash_value(x, h);
            }
        }
        Value::Set(s) => {
            // order-independent, as set equality is
            let Some(_g) = super::shared::enter(s.addr()) else {
                return h.write_u8(9);
            };
            let s = s.read();
            h.write_u8(9);
            h.write_usize(s.0.len());
            let mut acc = 0u64;
            for x in s.values() {
                let mut sub = StableHasher::default();
                hash_value(x, &mut sub);
                acc = acc.wrapping_add(sub.finish());
            }
            h.write_u64(acc);
        }
        Value::Range(a, b, s) => {
            h.write_u8(5);
            h.write_i64(*a);
            h.write_i64(*b);
            h.write_i64(*s);
        }
        Value::Dict(d) => {
            // order-independent, as dict equality is
            let Some(_g) = super::shared::enter(d.addr()) else {
                return h.write_u8(6);
            };
            let d = d.read();
            h.write_u8(6);
            h.write_usize(d.len());
            let mut acc = 0u64;
            for (k, x) in d.iter() {
                let mut sub = StableHasher::default();
                hash_value(k, &mut sub);
                hash_value(x, &mut sub);
                acc = acc.wrapping_add(sub.finish());
            }
            h.write_u64(acc);
        }
        other => {
            h.write_u8(7);
            h.write(other.type_name().as_bytes());
        }
    }
}

fn hash_int<H: Hasher>(i: i64, h: &mut H) {
    h.write_u8(1);
    h.write_i64(i);
}

/// The stable hash of a value.
pub fn stable_hash(v: &Value) -> u64 {
    let mut h = StableHasher::default();
    hash_value(v, &mut h);
    h.finish()
}

/// A value usable as a `HashMap` key with Python equality.
#[derive(Clone, Debug)]
pub struct HKey(pub Value);

impl Hash for HKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        hash_value(&self.0, state)
    }
}

impl PartialEq for HKey {
    fn eq(&self, other: &Self) -> bool {
        pyops::eq(&self.0, &other.0)
    }
}

impl Eq for HKey {}

/// An insertion-ordered map from values to accumulators: groups come out in the order
/// their keys first appeared, which keeps results the same on every scheduler.
pub struct OrderedGroups<T> {
    index: std::collections::HashMap<HKey, usize>,
    pub entries: Vec<(Value, T)>,
}

impl<T> Default for OrderedGroups<T> {
    fn default() -> Self {
        OrderedGroups {
            index: std::collections::HashMap::new(),
            entries: Vec::new(),
        }
    }
}

impl<T> OrderedGroups<T> {
    /// The accumulator for `key`, created by `init` on first sight.
    pub fn entry(&mut self, key: Value, init: impl FnOnce() -> T) -> &mut T {
        let i = match self.index.get(&HKey(key.clone())) {
            Some(&i) => i,
            None => {
                let i = self.entries.len();
                self.index.insert(HKey(key.clone()), i);
                self.entries.push((key, init()));
                i
            }
        };
        &mut self.entries[i].1
    }

    /// The accumulator for `key` if it exists.
    pub fn get_mut(&mut self, key: &Value) -> Option<&mut T> {
        let i = *self.index.get(&HKey(key.clone()))?;
        Some(&mut self.entries[i].1)
    }

    /// Insert or replace.
    pub fn set(&mut self, key: Value, v: T) {
        match self.index.get(&HKey(key.clone())) {
            Some(&i) => self.entries[i].1 = v,
            None => {
                self.index.insert(HKey(key.clone()), self.entries.len());
                self.entries.push((key, v));
            }
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_values_hash_alike() {
        assert_eq!(stable_hash(&Value::Int(1)), stable_hash(&Value::Float(1.0)));
        assert_eq!(stable_hash(&Value::Int(1)), stable_hash(&Value::Bool(true)));
        assert_ne!(stable_hash(&Value::Int(1)), stable_hash(&Value::Int(2)));
        assert_ne!(stable_hash(&Value::str("1")), stable_hash(&Value::Int(1)));
        let a = Value::tuple(vec![Value::str("a"), Value::Int(3)]);
        let b = Value::tuple(vec![Value::str("a"), Value::Float(3.0)]);
        assert_eq!(stable_hash(&a), stable_hash(&b));
    }

    #[test]
    fn stable_across_runs() {
        // a fixed value: a change here would send keys to different buckets than a
        // worker process built from another version computes
        assert_eq!(
            stable_hash(&Value::str("Alice")),
            stable_hash(&Value::str("Alice"))
        );
        let h1 = stable_hash(&Value::Int(42));
        let h2 = stable_hash(&Value::Int(42));
        assert_eq!(h1, h2);
    }

    #[test]
    fn ordered_groups_keep_first_appearance() {
        let mut g: OrderedGroups<i64> = OrderedGroups::default();
        for k in ["b", "a", "b", "c", "a", "b"] {
            *g.entry(Value::str(k), || 0) += 1;
        }
        let got: Vec<(String, i64)> = g
            .entries
            .iter()
            .map(|(k, v)| (crate::value::display::to_str(k), *v))
            .collect();
        assert_eq!(got, vec![("b".into(), 3), ("a".into(), 2), ("c".into(), 1)]);
        *g.entry(Value::Float(1.0), || 0) += 1;
        *g.entry(Value::Int(1), || 0) += 1;
        assert_eq!(g.len(), 4);
    }
}
