//! Indexing with NumPy semantics: ints, slices with any step (Python's `slice.indices`
//! rules), `None`/newaxis, `...`, and one fancy item (a list of ints or a bool mask).
//! Also `transpose`.

use super::broadcast::shape_str;
use super::IndexItem;
use crate::common::ndarr::NdArr;
use crate::errors::{RaskError, Result};
use ndarray::{ArrayD, ArrayViewD, Axis, IxDyn, Slice};

pub use crate::value::slice::slice_indices;

/// The same selection as ndarray's `Slice` (whose negative steps count from the end of
/// the range rather than from `start`).
fn nd_slice(first: i64, count: usize, step: i64) -> Slice {
    if count == 0 {
        return Slice::new(0, Some(0), 1);
    }
    let last = first + (count as i64 - 1) * step;
    if step > 0 {
        Slice::new(first as isize, Some(last as isize + 1), step as isize)
    } else {
        Slice::new(last as isize, Some(first as isize + 1), step as isize)
    }
}

fn norm_index(i: i64, axis: usize, size: usize) -> Result<usize> {
    let n = size as i64;
    let j = if i < 0 { i + n } else { i };
    if j < 0 || j >= n {
        return Err(RaskError::index(format!(
            "index {} is out of bounds for axis {} with size {}",
            i, axis, size
        )));
    }
    Ok(j as usize)
}

fn consumes(it: &IndexItem) -> bool {
    !matches!(it, IndexItem::NewAxis | IndexItem::Ellipsis)
}

pub fn index(a: &NdArr, items: &[IndexItem]) -> Result<NdArr> {
    Ok(crate::with_arr!(a, x => super::elem::Elem::wrap(index_typed(x.view(), items)?)))
}

fn index_typed<T: Clone>(a: ArrayViewD<'_, T>, items: &[IndexItem]) -> Result<ArrayD<T>> {
    let nd = a.ndim();
    let n_ell = items
        .iter()
        .filter(|i| matches!(i, IndexItem::Ellipsis))
        .count();
    if n_ell > 1 {
        return Err(RaskError::index(
            "an index can only have a single ellipsis ('...')",
        ));
    }
    let used = items.iter().filter(|i| consumes(i)).count();
    if used > nd {
        return Err(RaskError::index(format!(
            "too many indices for array: array is {}-dimensional, but {} were indexed",
            nd, used
        )));
    }
    // expand `...` (or pad at the end) with full slices
    let full = IndexItem::Slice {
        start: None,
        stop: None,
        step: None,
    };
    let mut expanded: Vec<IndexItem> = Vec::with_capacity(nd + items.len());
    for it in items {
        if matches!(it, IndexItem::Ellipsis) {
            expanded.extend(std::iter::repeat_n(full.clone(), nd - used));
        } else {
            expanded.push(it.clone());
        }
    }
    if n_ell == 0 {
        expanded.extend(std::iter::repeat_n(full.clone(), nd - used));
    }
    let n_fancy = expanded
        .iter()
        .filter(|i| matches!(i, IndexItem::List(_) | IndexItem::Mask(_)))
        .count();
    if n_fancy > 1 {
        return Err(RaskError::index(
            "only one list or boolean-mask index per indexing expression is supported; index one axis at a time, e.g. x[[1, 2]][:, [0, 3]]",
        ));
    }
    // NumPy moves the fancy result axis first when advanced items (ints and the list)
    // are separated by a slice or newaxis
    let adv: Vec<usize> = expanded
        .iter()
        .enumerate()
        .filter(|(_, i)| {
            matches!(
                i,
                IndexItem::Int(_) | IndexItem::List(_) | IndexItem::Mask(_)
            )
        })
        .map(|(k, _)| k)
        .collect();
    let fancy_first = n_fancy == 1 && adv.windows(2).any(|w| w[1] != w[0] + 1);

    let mut v = a;
    let mut out_ax = 0usize; // current axis in `v`
    let mut src_ax = 0usize; // axis of the original array, for messages
    let mut fancy: Option<(usize, Vec<usize>)> = None;
    for it in &expanded {
        match it {
            IndexItem::Int(i) => {
                let j = norm_index(*i, src_ax, v.shape()[out_ax])?;
                v.index_axis_inplace(Axis(out_ax), j);
                src_ax += 1;
            }
            IndexItem::Slice { start, stop, step } => {
                let (f, c, s) = slice_indices(*start, *stop, *step, v.shape()[out_ax])?;
                v.slice_axis_inplace(Axis(out_ax), nd_slice(f, c, s));
                out_ax += 1;
                src_ax += 1;
            }
            IndexItem::NewAxis => {
                v.insert_axis_inplace(Axis(out_ax));
                out_ax += 1;
            }
            IndexItem::List(l) => {
                let size = v.shape()[out_ax];
                let idx = l
                    .iter()
                    .map(|&i| norm_index(i, src_ax, size))
                    .collect::<Result<Vec<_>>>()?;
                fancy = Some((out_ax, idx));
                out_ax += 1;
                src_ax += 1;
            }
            IndexItem::Mask(m) => {
                let size = v.shape()[out_ax];
                if m.len() != size {
                    return Err(RaskError::index(format!(
                        "boolean index did not match indexed array along axis {}; size of axis is {} but size of corresponding boolean axis is {}",
                        src_ax,
                        size,
                        m.len()
                    )));
                }
                let idx = m
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| **b)
                    .map(|(k, _)| k)
                    .collect();
                fancy = Some((out_ax, idx));
                out_ax += 1;
                src_ax += 1;
            }
            IndexItem::Ellipsis => {}
        }
    }
    match fancy {
        None => Ok(v.to_owned()),
        Some((ax, idx)) => {
            let r = v.select(Axis(ax), &idx);
            if fancy_first && ax != 0 {
                let mut perm: Vec<usize> = (0..r.ndim()).collect();
                perm.remove(ax);
                perm.insert(0, ax);
                Ok(r.permuted_axes(IxDyn(&perm))
                    .as_standard_layout()
                    .to_owned())
            } else {
                Ok(r)
            }
        }
    }
}

/// Permute axes (`axes` empty: reverse them, like `.T`).
pub fn transpose(a: &NdArr, axes: &[usize]) -> Result<NdArr> {
    let nd = a.ndim();
    let perm: Vec<usize> = if axes.is_empty() {
        (0..nd).rev().collect()
    } else {
        let mut seen = vec![false; nd];
        if axes.len() != nd {
            return Err(RaskError::value(format!(
                "axes don't match array: {} axes given for an array of shape {}",
                axes.len(),
                shape_str(a.shape())
            )));
        }
        for &x in axes {
            if x >= nd {
                return Err(RaskError::new(
                    crate::errors::ErrorKind::Index,
                    format!("axis {} is out of bounds for array of dimension {}", x, nd),
                ));
            }
            if seen[x] {
                return Err(RaskError::value("repeated axis in transpose"));
            }
            seen[x] = true;
        }
        axes.to_vec()
    };
    Ok(crate::with_arr!(a, x => super::elem::Elem::wrap(
        x.view().permuted_axes(IxDyn(&perm)).as_standard_layout().into_owned()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::array::kernels::elem::Elem;

    fn arange(n: i64) -> NdArr {
        NdArr::I64(ArrayD::from_shape_vec(IxDyn(&[n as usize]), (0..n).collect()).unwrap())
    }
    fn vals(a: &NdArr) -> Vec<i64> {
        crate::with_arr!(a, x => x.iter().map(|v| v.as_i64()).collect())
    }
    fn sl(a: Option<i64>, b: Option<i64>, c: Option<i64>) -> IndexItem {
        IndexItem::Slice {
            start: a,
            stop: b,
            step: c,
        }
    }

    #[test]
    fn negative_steps_like_python() {
        let x = arange(10);
        assert_eq!(
            vals(&index(&x, &[sl(None, None, Some(-2))]).unwrap()),
            vec![9, 7, 5, 3, 1]
        );
        assert_eq!(
            vals(&index(&x, &[sl(Some(8), Some(2), Some(-3))]).unwrap()),
            vec![8, 5]
        );
        assert_eq!(
            vals(&index(&x, &[sl(Some(-3), None, None)]).unwrap()),
            vec![7, 8, 9]
        );
        assert_eq!(
            vals(&index(&x, &[sl(None, None, Some(-1))]).unwrap()),
            (0..10).rev().collect::<Vec<_>>()
        );
        assert_eq!(
            vals(&index(&x, &[sl(Some(2), Some(8), Some(-1))]).unwrap()),
            Vec::<i64>::new()
        );
        let big = arange(1000);
        let r = index(&big, &[sl(Some(500), Some(100), Some(-2))]).unwrap();
        assert_eq!(r.shape(), &[200]);
        assert_eq!(vals(&r)[..3], [500, 498, 496]);
        assert_eq!(*vals(&r).last().unwrap(), 102);
    }

    #[test]
    fn ints_newaxis_ellipsis_fancy() {
        let x = NdArr::I64(ArrayD::from_shape_vec(IxDyn(&[3, 4]), (0..12).collect()).unwrap());
        let r = index(&x, &[IndexItem::Int(-1)]).unwrap();
        assert_eq!(vals(&r), vec![8, 9, 10, 11]);
        let r = index(&x, &[IndexItem::Ellipsis, IndexItem::Int(1)]).unwrap();
        assert_eq!(vals(&r), vec![1, 5, 9]);
        let r = index(
            &x,
            &[IndexItem::NewAxis, sl(None, None, None), IndexItem::Int(0)],
        )
        .unwrap();
        assert_eq!(r.shape(), &[1, 3]);
        let r = index(&x, &[sl(None, None, None), IndexItem::List(vec![3, 0, -1])]).unwrap();
        assert_eq!(r.shape(), &[3, 3]);
        assert_eq!(vals(&r)[..3], [3, 0, 3]);
        let r = index(&x, &[IndexItem::Mask(vec![true, false, true])]).unwrap();
        assert_eq!(r.shape(), &[2, 4]);
        let e = index(&x, &[IndexItem::Int(0), IndexItem::Int(7)]).unwrap_err();
        assert_eq!(e.message, "index 7 is out of bounds for axis 1 with size 4");
        assert!(index(
            &x,
            &[IndexItem::Int(0), IndexItem::Int(0), IndexItem::Int(0)]
        )
        .is_err());
        // advanced items separated by a slice: the fancy axis goes first
        let y = NdArr::I64(ArrayD::from_shape_vec(IxDyn(&[2, 3, 4]), (0..24).collect()).unwrap());
        let r = index(
            &y,
            &[
                IndexItem::Int(0),
                sl(None, None, None),
                IndexItem::List(vec![1, 2]),
            ],
        )
        .unwrap();
        assert_eq!(r.shape(), &[2, 3]);
        assert_eq!(vals(&r), vec![1, 5, 9, 2, 6, 10]);
    }

    #[test]
    fn transpose_axes() {
        let y = NdArr::I64(ArrayD::from_shape_vec(IxDyn(&[2, 3, 4]), (0..24).collect()).unwrap());
        let t = transpose(&y, &[1, 0, 2]).unwrap();
        assert_eq!(t.shape(), &[3, 2, 4]);
        assert_eq!(vals(&t)[4..8], [12, 13, 14, 15]);
        let r = transpose(&y, &[]).unwrap();
        assert_eq!(r.shape(), &[4, 3, 2]);
        assert!(transpose(&y, &[0, 0, 1]).is_err());
    }
}
