//! `take(n)`: the first n records, computing only the partitions it needs — partition 0
//! first, then more (as many at a time as there are worker threads) while it is short.

use super::lazy::{BagKind, LazyBag};
use crate::errors::{RaskError, Result};
use crate::graph::chunk::Chunk;
use crate::scheduler::ComputeOptions;
use crate::value::value::Value;

/// Dask's warning when the bag holds fewer than n records in the partitions read.
pub fn insufficient(n: usize, got: usize) -> String {
    format!(
        "UserWarning: Insufficient elements for `take`. {} elements requested, only {} elements available. Try passing larger `npartitions` to `take`.\n",
        n, got
    )
}

/// `npartitions`: None reads partitions until n records are found; -1 reads all; k
/// reads the first k. A warning goes to `out` when fewer than n records were found.
pub fn take(
    b: &LazyBag,
    n: usize,
    npartitions: Option<i64>,
    warn: bool,
    opts: &ComputeOptions,
    out: &mut String,
) -> Result<Value> {
    if b.kind != BagKind::Bag {
        return Err(RaskError::type_(
            "take() needs a bag; this is a single value: use .compute()",
        ));
    }
    let heads = b.heads(n);
    let total = b.npartitions;
    let mut found: Vec<Value> = Vec::new();
    let run = |parts: std::ops::Range<usize>, found: &mut Vec<Value>| -> Result<()> {
        let keys: Vec<_> = parts.map(|i| heads.key(i)).collect();
        for c in crate::scheduler::compute(std::slice::from_ref(&heads.layer), &keys, opts)? {
            match &*c {
                Chunk::Value(Value::List(items)) => found.extend(items.read().iter().cloned()),
                _ => return Err(RaskError::runtime("a bag partition is not a list")),
            }
        }
        Ok(())
    };
    match npartitions {
        Some(-1) => run(0..total, &mut found)?,
        Some(k) if k < 1 => {
            return Err(RaskError::value(format!(
                "take(): npartitions must be -1 or at least 1, got {}",
                k
            )))
        }
        Some(k) => {
            let k = k as usize;
            if k > total {
                return Err(RaskError::value(format!(
                    "only {} partitions, take received {}",
                    total, k
                )));
            }
            run(0..k, &mut found)?
        }
        None => {
            let batch = opts
                .num_workers
                .unwrap_or_else(rayon::current_num_threads)
                .max(1);
            let mut next = 0;
            let mut size = 1;
            while next < total && found.len() < n {
                let end = (next + size).min(total);
                run(next..end, &mut found)?;
                next = end;
                size = batch;
            }
        }
    }
    found.truncate(n);
    if found.len() < n && warn {
        out.push_str(&insufficient(n, found.len()));
    }
    Ok(Value::tuple(found))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::display::repr;

    #[test]
    fn reads_more_partitions_only_when_short() {
        let b = LazyBag::from_sequence((1..=10).map(Value::Int).collect(), 2);
        let opts = ComputeOptions::default();
        let mut out = String::new();
        assert_eq!(
            repr(&take(&b, 3, None, true, &opts, &mut out).expect("ok")),
            "(1, 2, 3)"
        );
        assert!(out.is_empty());
        assert_eq!(
            repr(&take(&b, 1, None, true, &opts, &mut out).expect("ok")),
            "(1,)"
        );
        let mut out = String::new();
        let v = take(&b, 12, None, true, &opts, &mut out).expect("ok");
        assert_eq!(crate::value::pyops::len_of(&v).expect("len"), 10);
        assert_eq!(out, insufficient(12, 10));
        let mut out = String::new();
        assert_eq!(
            repr(&take(&b, 5, Some(1), true, &opts, &mut out).expect("ok")),
            "(1, 2)"
        );
        assert!(out.contains("5 elements requested, only 2 elements available"));
        assert!(take(&b, 5, Some(9), true, &opts, &mut out).is_err());
    }
}
