//! Structural per-chunk work that needs no arithmetic kernel: gluing a grid of chunks
//! into one block, applying already-normalized (in-range, non-negative) index items,
//! transposing, reshaping, inserting and squeezing axes. Every bound is checked so a chunk
//! of an unexpected shape (e.g. a short file read) gives an error, never a panic.

use crate::common::ndarr::NdArr;
use crate::errors::{RaskError, Result};
use ndarray::{ArrayD, ArrayViewD, Axis, IxDyn, Slice};
use serde::{Deserialize, Serialize};

/// Apply `$body` to the inner `ArrayD` and wrap the result in the same dtype variant.
macro_rules! map_same {
    ($arr:expr, $a:ident => $body:expr) => {
        match $arr {
            NdArr::Bool($a) => NdArr::Bool($body),
            NdArr::I32($a) => NdArr::I32($body),
            NdArr::I64($a) => NdArr::I64($body),
            NdArr::F32($a) => NdArr::F32($body),
            NdArr::F64($a) => NdArr::F64($body),
        }
    };
}

/// One axis of a chunk-local index, computed when the graph is built.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum LocalIdx {
    /// `count` elements from `start`, every `step` (negative: walking backwards).
    Range {
        start: usize,
        step: isize,
        count: usize,
    },
    /// One position; the axis disappears.
    Int(usize),
    /// Fancy indexing: these positions, in this order.
    Take(Vec<usize>),
    /// Insert a new axis of length 1 here.
    NewAxis,
}

impl LocalIdx {
    pub fn full(len: usize) -> LocalIdx {
        LocalIdx::Range {
            start: 0,
            step: 1,
            count: len,
        }
    }
}

fn bad(msg: String) -> RaskError {
    RaskError::runtime(format!("chunk index: {}", msg))
}

/// Index a view; only the selected elements are copied. A fancy (`Take`) axis is
/// applied last, on the output axis it lands on, so everything before stays a view.
fn apply_v<T: Clone>(a: ArrayViewD<'_, T>, items: &[LocalIdx]) -> Result<ArrayD<T>> {
    let mut cur = a;
    let mut axis = 0usize;
    let mut take: Option<(usize, &Vec<usize>)> = None;
    for it in items {
        match it {
            LocalIdx::Range { start, step, count } => {
                let len = *cur
                    .shape()
                    .get(axis)
                    .ok_or_else(|| bad("too many axes".into()))?;
                let (start, step, count) = (*start as isize, *step, *count as isize);
                let last = start + (count - 1).max(0) * step;
                if count > 0 && (start >= len as isize || last < 0 || last >= len as isize) {
                    return Err(bad(format!(
                        "range {}..{} step {} outside an axis of length {}",
                        start, last, step, len
                    )));
                }
                let s = if count == 0 {
                    let p = start.min(len as isize);
                    Slice::new(p, Some(p), 1)
                } else if step > 0 {
                    Slice::new(start, Some(last + 1), step)
                } else {
                    Slice::new(last, Some(start + 1), step)
                };
                cur.slice_axis_inplace(Axis(axis), s);
                axis += 1;
            }
            LocalIdx::Int(i) => {
                let len = *cur
                    .shape()
                    .get(axis)
                    .ok_or_else(|| bad("too many axes".into()))?;
                if *i >= len {
                    return Err(bad(format!("{} outside an axis of length {}", i, len)));
                }
                cur = cur.index_axis_move(Axis(axis), *i);
            }
            LocalIdx::Take(idx) => {
                let len = *cur
                    .shape()
                    .get(axis)
                    .ok_or_else(|| bad("too many axes".into()))?;
                if let Some(i) = idx.iter().find(|&&i| i >= len) {
                    return Err(bad(format!("{} outside an axis of length {}", i, len)));
                }
                take = Some((axis, idx));
                axis += 1;
            }
            LocalIdx::NewAxis => {
                if axis > cur.ndim() {
                    return Err(bad("new axis past the end".into()));
                }
                cur.insert_axis_inplace(Axis(axis));
                axis += 1;
            }
        }
    }
    Ok(match take {
        Some((ax, idx)) => cur.select(Axis(ax), idx),
        None => cur.as_standard_layout().into_owned(),
    })
}

/// Apply normalized index items (one per input axis, plus `NewAxis` entries).
pub fn apply_index(a: &NdArr, items: &[LocalIdx]) -> Result<NdArr> {
    Ok(map_same!(a, x => apply_v(x.view(), items)?))
}

macro_rules! concat_variant {
    ($arrs:expr, $axis:expr, $var:ident) => {{
        let mut views = Vec::with_capacity($arrs.len());
        for a in $arrs {
            match a {
                NdArr::$var(x) => views.push(x.view()),
                other => {
                    return Err(RaskError::runtime(format!(
                        "cannot join chunks of dtypes {} and {}",
                        stringify!($var),
                        other.dtype().name()
                    )))
                }
            }
        }
        NdArr::$var(ndarray::concatenate(Axis($axis), &views).map_err(|e| {
            RaskError::shape(format!(
                "chunks do not fit together along axis {}: {}",
                $axis, e
            ))
        })?)
    }};
}

/// Join chunks along one axis (all of one dtype).
pub fn concat_axis(arrs: &[&NdArr], axis: usize) -> Result<NdArr> {
    let first = *arrs
        .first()
        .ok_or_else(|| RaskError::runtime("join of zero chunks"))?;
    if axis >= first.ndim() {
        return Err(RaskError::runtime(format!(
            "join along axis {} of {}-d chunks",
            axis,
            first.ndim()
        )));
    }
    Ok(match first {
        NdArr::Bool(_) => concat_variant!(arrs.iter().copied(), axis, Bool),
        NdArr::I32(_) => concat_variant!(arrs.iter().copied(), axis, I32),
        NdArr::I64(_) => concat_variant!(arrs.iter().copied(), axis, I64),
        NdArr::F32(_) => concat_variant!(arrs.iter().copied(), axis, F32),
        NdArr::F64(_) => concat_variant!(arrs.iter().copied(), axis, F64),
    })
}

/// Glue chunks laid out row-major on `grid` (blocks per axis) into one array.
pub fn block_concat(grid: &[usize], pieces: &[&NdArr]) -> Result<NdArr> {
    let expected: usize = grid.iter().product();
    if pieces.len() != expected || expected == 0 {
        return Err(RaskError::runtime(format!(
            "expected {} chunks for a {:?} grid, got {}",
            expected,
            grid,
            pieces.len()
        )));
    }
    let mut owned: Option<Vec<NdArr>> = None;
    // Join the last axis first: consecutive runs of grid[ax] pieces become one.
    for ax in (0..grid.len()).rev() {
        let g = grid[ax];
        if g == 1 {
            continue;
        }
        let refs: Vec<&NdArr> = match &owned {
            Some(v) => v.iter().collect(),
            None => pieces.to_vec(),
        };
        let next = refs
            .chunks(g)
            .map(|group| concat_axis(group, ax))
            .collect::<Result<Vec<_>>>()?;
        owned = Some(next);
    }
    match owned {
        Some(mut v) => v
            .pop()
            .ok_or_else(|| RaskError::runtime("join of zero chunks")),
        None => Ok(pieces[0].clone()),
    }
}

pub fn transpose(a: &NdArr, axes: &[usize]) -> Result<NdArr> {
    let mut sorted = axes.to_vec();
    sorted.sort_unstable();
    if sorted != (0..a.ndim()).collect::<Vec<_>>() {
        return Err(RaskError::runtime(format!(
            "transpose axes {:?} for a {}-d chunk",
            axes,
            a.ndim()
        )));
    }
    Ok(map_same!(a, x => x.view().permuted_axes(IxDyn(axes)).as_standard_layout().into_owned()))
}

/// Reshape in row-major (C) order.
pub fn reshape(a: &NdArr, shape: &[usize]) -> Result<NdArr> {
    let n: usize = shape.iter().product();
    if n != a.len() {
        return Err(RaskError::shape(format!(
            "cannot reshape a chunk of shape {:?} into {:?}",
            a.shape(),
            shape
        )));
    }
    Ok(map_same!(a, x => x
        .to_shape(IxDyn(shape))
        .map_err(|e| RaskError::runtime(format!("reshape: {}", e)))?
        .into_owned()))
}

/// Drop length-1 `axes` (sorted) — the last step of a reduction without keepdims.
pub fn squeeze(a: NdArr, axes: &[usize]) -> Result<NdArr> {
    let shape: Vec<usize> = a
        .shape()
        .iter()
        .enumerate()
        .filter(|(i, _)| !axes.contains(i))
        .map(|(_, &d)| d)
        .collect();
    if shape.iter().product::<usize>() != a.len() {
        return Err(RaskError::runtime("squeeze of an axis longer than 1"));
    }
    Ok(map_same!(a, x => {
        let x = if x.is_standard_layout() { x } else { x.as_standard_layout().into_owned() };
        x.into_shape_with_order(IxDyn(&shape))
            .map_err(|e| RaskError::runtime(format!("squeeze: {}", e)))?
    }))
}

pub fn expand_dims(a: &NdArr, axis: usize) -> Result<NdArr> {
    if axis > a.ndim() {
        return Err(RaskError::runtime(format!(
            "new axis {} for a {}-d chunk",
            axis,
            a.ndim()
        )));
    }
    Ok(map_same!(a, x => x.view().insert_axis(Axis(axis)).to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ar(v: Vec<i64>, shape: &[usize]) -> NdArr {
        NdArr::I64(ArrayD::from_shape_vec(IxDyn(shape), v).unwrap())
    }
    fn vals(a: &NdArr) -> Vec<i64> {
        match a {
            NdArr::I64(x) => x.iter().copied().collect(),
            _ => panic!("dtype"),
        }
    }

    #[test]
    fn ranges_forward_backward_and_empty() {
        let a = ar((0..10).collect(), &[10]);
        let f = apply_index(
            &a,
            &[LocalIdx::Range {
                start: 1,
                step: 3,
                count: 3,
            }],
        )
        .unwrap();
        assert_eq!(vals(&f), vec![1, 4, 7]);
        let b = apply_index(
            &a,
            &[LocalIdx::Range {
                start: 9,
                step: -4,
                count: 3,
            }],
        )
        .unwrap();
        assert_eq!(vals(&b), vec![9, 5, 1]);
        let e = apply_index(
            &a,
            &[LocalIdx::Range {
                start: 3,
                step: 1,
                count: 0,
            }],
        )
        .unwrap();
        assert_eq!(e.shape(), &[0]);
        assert!(apply_index(
            &a,
            &[LocalIdx::Range {
                start: 8,
                step: 1,
                count: 5
            }]
        )
        .is_err());
    }

    #[test]
    fn int_take_newaxis() {
        let a = ar((0..12).collect(), &[3, 4]);
        let r = apply_index(&a, &[LocalIdx::Int(1), LocalIdx::Take(vec![3, 0])]).unwrap();
        assert_eq!(vals(&r), vec![7, 4]);
        let n = apply_index(
            &a,
            &[LocalIdx::NewAxis, LocalIdx::full(3), LocalIdx::Int(0)],
        )
        .unwrap();
        assert_eq!(n.shape(), &[1, 3]);
        assert_eq!(vals(&n), vec![0, 4, 8]);
    }

    #[test]
    fn block_concat_grid() {
        // 2x2 grid of 1x1 blocks -> [[0,1],[2,3]]
        let pieces: Vec<NdArr> = (0..4).map(|i| ar(vec![i], &[1, 1])).collect();
        let refs: Vec<&NdArr> = pieces.iter().collect();
        let r = block_concat(&[2, 2], &refs).unwrap();
        assert_eq!(r.shape(), &[2, 2]);
        assert_eq!(vals(&r), vec![0, 1, 2, 3]);
        assert!(block_concat(&[2, 2], &[&ar(vec![1], &[1, 1])]).is_err());
    }

    #[test]
    fn transpose_reshape_squeeze() {
        let a = ar((0..6).collect(), &[2, 3]);
        let t = transpose(&a, &[1, 0]).unwrap();
        assert_eq!(vals(&t), vec![0, 3, 1, 4, 2, 5]);
        let r = reshape(&t, &[6]).unwrap();
        assert_eq!(vals(&r), vec![0, 3, 1, 4, 2, 5]);
        let s = squeeze(ar(vec![5], &[1, 1]), &[0, 1]).unwrap();
        assert_eq!(s.shape(), &[] as &[usize]);
        assert!(reshape(&a, &[4]).is_err());
    }
}
