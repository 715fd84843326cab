//! `groupby` as a disk shuffle (Dask's partd model): every partition hashes its records
//! by key into buckets, written as one file per partition (`ShuffleDir::write_split`),
//! then one task per bucket reads that bucket from every partition's file, in partition
//! order, and groups.
//! Only one partition or one bucket is in memory at a time, so a groupby larger than
//! memory completes. The stable hash and the fixed read order make the groups and their
//! order the same on every scheduler.

use super::ops::KeyFn;
use crate::errors::{RaskError, Result};
use crate::value::hashkey::{stable_hash, OrderedGroups};
use crate::value::value::Value;

pub use crate::common::shuffle_dir::ShuffleDir;

/// Step 1: write partition `part`'s (key, record) pairs into `nbuckets` files.
pub fn split(
    dir: &ShuffleDir,
    part: usize,
    nbuckets: usize,
    key: &KeyFn,
    rs: &[Value],
) -> Result<Value> {
    let nb = nbuckets.max(1);
    let mut buckets: Vec<Vec<(Value, Value)>> = (0..nb).map(|_| Vec::new()).collect();
    for r in rs {
        let k = key.apply(r)?;
        let b = (stable_hash(&k) % nb as u64) as usize;
        buckets[b].push((k, r.clone()));
    }
    let encoded: Vec<Vec<u8>> = buckets
        .iter()
        .map(|items| {
            if items.is_empty() {
                Ok(Vec::new())
            } else {
                postcard::to_allocvec(items)
                    .map_err(|e| RaskError::runtime(format!("groupby shuffle: {}", e)))
            }
        })
        .collect::<Result<_>>()?;
    dir.write_split(part, &encoded)?;
    Ok(Value::Int(rs.len() as i64))
}

/// Step 2: the groups of bucket `bucket`, as `(key, [records])` pairs in order of first
/// appearance (partition by partition).
pub fn group(dir: &ShuffleDir, bucket: usize, nparts: usize) -> Result<Value> {
    let mut g: OrderedGroups<Vec<Value>> = OrderedGroups::default();
    for part in 0..nparts {
        let bytes = dir.read_bucket(part, bucket)?;
        if bytes.is_empty() {
            continue;
        }
        let items: Vec<(Value, Value)> = postcard::from_bytes(&bytes).map_err(|e| {
            RaskError::io(format!(
                "groupby shuffle: damaged file '{}': {}",
                dir.split_file(part).display(),
                e
            ))
        })?;
        for (k, r) in items {
            g.entry(k, Vec::new).push(r);
        }
    }
    Ok(Value::list(
        g.entries
            .into_iter()
            .map(|(k, rs)| Value::tuple(vec![k, Value::list(rs)]))
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::display::repr;

    #[test]
    fn split_then_group_keeps_every_record_once() {
        let dir = ShuffleDir::new().expect("dir");
        let parts: Vec<Vec<Value>> = vec![
            (0..5).map(Value::Int).collect(),
            (5..10).map(Value::Int).collect(),
        ];
        let key = KeyFn::Field(Value::Int(0));
        // key by parity through a field of a pair
        let as_pairs: Vec<Vec<Value>> = parts
            .iter()
            .map(|p| {
                p.iter()
                    .map(|v| match v {
                        Value::Int(i) => Value::tuple(vec![Value::Int(i % 2), Value::Int(*i)]),
                        _ => unreachable!(),
                    })
                    .collect()
            })
            .collect();
        for (i, p) in as_pairs.iter().enumerate() {
            split(&dir, i, 3, &key, p).expect("split");
        }
        let mut all = Vec::new();
        for b in 0..3 {
            if let Value::List(groups) = group(&dir, b, 2).expect("group") {
                all.extend(groups.read().iter().map(repr));
            }
        }
        all.sort();
        assert_eq!(
            all,
            vec![
                "(0, [(0, 0), (0, 2), (0, 4), (0, 6), (0, 8)])".to_string(),
                "(1, [(1, 1), (1, 3), (1, 5), (1, 7), (1, 9)])".to_string()
            ]
        );
        let path = dir.path.clone();
        drop(dir);
        assert!(!path.exists(), "the directory goes with its last owner");
    }
}
