//! Python's slice arithmetic, shared by lists, strings, tuples and arrays.

use crate::errors::{RaskError, Result};

/// Python's `slice(start, stop, step).indices(len)` as (first index, count, step).
pub fn slice_indices(
    start: Option<i64>,
    stop: Option<i64>,
    step: Option<i64>,
    len: usize,
) -> Result<(i64, usize, i64)> {
    let n = len as i64;
    let step = step.unwrap_or(1);
    if step == 0 {
        return Err(RaskError::value("slice step cannot be zero"));
    }
    let clamp = |v: i64, lo: i64, hi: i64| v.max(lo).min(hi);
    let norm = |v: i64| if v < 0 { v + n } else { v };
    let (lo, hi) = if step > 0 { (0, n) } else { (-1, n - 1) };
    let s = match start {
        None => {
            if step > 0 {
                lo
            } else {
                hi
            }
        }
        Some(v) => clamp(norm(v), lo, hi),
    };
    let e = match stop {
        None => {
            if step > 0 {
                hi
            } else {
                lo
            }
        }
        Some(v) => clamp(norm(v), lo, hi),
    };
    let count = if step > 0 {
        if e > s {
            ((e - s - 1) / step + 1) as usize
        } else {
            0
        }
    } else if s > e {
        ((s - e - 1) / (-step) + 1) as usize
    } else {
        0
    };
    Ok((s, count, step))
}

/// The indices `seq[start:stop:step]` selects from a sequence of `len` items, in order.
pub fn slice_positions(
    start: Option<i64>,
    stop: Option<i64>,
    step: Option<i64>,
    len: usize,
) -> Result<impl Iterator<Item = usize>> {
    let (first, count, step) = slice_indices(start, stop, step, len)?;
    Ok((0..count as i64).map(move |k| (first + k * step) as usize))
}
