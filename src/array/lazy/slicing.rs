//! `x[...]`: ints, slices with any step (negative too), `None`, `...`, and fancy
//! indexing with a list (or boolean mask) on one axis. Every output chunk depends only on
//! the input chunks holding the elements it selects: a stepped slice gives one output
//! chunk per input chunk it touches, so `y[::100]` never reads the chunks it skips.

use super::chunks::bounds;
use super::{describe_chunks, grid_indices, key_of, task, LazyArray};
use crate::array::kernels::IndexItem;
use crate::array::ops::{ArrayOp, LocalIdx};
use crate::errors::{RaskError, Result};

/// One output chunk along an input axis: the input blocks to glue and what to take.
#[derive(Clone, Debug, PartialEq)]
struct Piece {
    blocks: Vec<usize>,
    idx: LocalIdx,
    /// Elements along this axis in the output (0 for an int index: the axis goes away).
    len: usize,
}

/// Python's `slice.indices(n)`: (start, step, count).
pub fn slice_indices(
    start: Option<i64>,
    stop: Option<i64>,
    step: Option<i64>,
    n: usize,
) -> Result<(i64, i64, usize)> {
    let (first, count, step) = crate::value::slice::slice_indices(start, stop, step, n)?;
    Ok((first, step, count))
}

fn slice_pieces(chunks: &[usize], start: i64, step: i64, count: usize) -> Vec<Piece> {
    let b = bounds(chunks);
    let mut pieces = Vec::new();
    let order: Vec<usize> = if step > 0 {
        (0..chunks.len()).collect()
    } else {
        (0..chunks.len()).rev().collect()
    };
    for i in order {
        let (bs, be) = (b[i] as i64, b[i + 1] as i64);
        if count == 0 || bs == be {
            continue;
        }
        let last_k = count as i64 - 1;
        // k range whose positions start + k*step fall in [bs, be).
        let (kmin, kmax) = if step > 0 {
            let kmin = if bs > start {
                (bs - start + step - 1) / step
            } else {
                0
            };
            let kmax = if be > start {
                (be - 1 - start) / step
            } else {
                -1
            };
            (kmin, kmax.min(last_k))
        } else {
            let st = -step;
            let kmin = if start > be - 1 {
                (start - (be - 1) + st - 1) / st
            } else {
                0
            };
            let kmax = if start >= bs { (start - bs) / st } else { -1 };
            (kmin, kmax.min(last_k))
        };
        if kmin > kmax {
            continue;
        }
        let n = (kmax - kmin + 1) as usize;
        pieces.push(Piece {
            blocks: vec![i],
            idx: LocalIdx::Range {
                start: (start + kmin * step - bs) as usize,
                step: step as isize,
                count: n,
            },
            len: n,
        });
    }
    if pieces.is_empty() {
        pieces.push(Piece {
            blocks: vec![0],
            idx: LocalIdx::Range {
                start: 0,
                step: 1,
                count: 0,
            },
            len: 0,
        });
    }
    pieces
}

/// Fancy indexing: output chunks of about the input's chunk size, each gluing only the
/// input blocks its indices fall in.
fn take_pieces(chunks: &[usize], idx: &[usize]) -> Vec<Piece> {
    let b = bounds(chunks);
    let block_of = |g: usize| b.partition_point(|&x| x <= g) - 1;
    let per = chunks.iter().copied().max().unwrap_or(1).max(1);
    if idx.is_empty() {
        return vec![Piece {
            blocks: vec![0],
            idx: LocalIdx::Take(vec![]),
            len: 0,
        }];
    }
    idx.chunks(per)
        .map(|part| {
            let mut blocks: Vec<usize> = part.iter().map(|&g| block_of(g)).collect();
            blocks.sort_unstable();
            blocks.dedup();
            // Offsets of each used block inside their concatenation.
            let mut off = std::collections::HashMap::new();
            let mut acc = 0;
            for &bl in &blocks {
                off.insert(bl, acc);
                acc += chunks[bl];
            }
            let local = part
                .iter()
                .map(|&g| {
                    let bl = block_of(g);
                    off.get(&bl).copied().unwrap_or(0) + g - b[bl]
                })
                .collect();
            Piece {
                blocks,
                idx: LocalIdx::Take(local),
                len: part.len(),
            }
        })
        .collect()
}

/// What one index item does to the layout.
enum AxisPlan {
    /// An input axis: its output pieces (dropped from the output for an int index).
    Input {
        pieces: Vec<Piece>,
        keep: bool,
    },
    NewAxis,
}

fn expand(a: &LazyArray, items: &[IndexItem]) -> Result<Vec<IndexItem>> {
    let consumed = items
        .iter()
        .filter(|i| !matches!(i, IndexItem::NewAxis | IndexItem::Ellipsis))
        .count();
    if items
        .iter()
        .filter(|i| matches!(i, IndexItem::Ellipsis))
        .count()
        > 1
    {
        return Err(RaskError::index(
            "an index can only have a single ellipsis ('...')",
        ));
    }
    if consumed > a.ndim() {
        return Err(RaskError::index(format!(
            "too many indices for array: array is {}-dimensional, but {} were indexed",
            a.ndim(),
            consumed
        )));
    }
    let fill = a.ndim() - consumed;
    let full = IndexItem::Slice {
        start: None,
        stop: None,
        step: None,
    };
    let mut out = Vec::new();
    let mut saw_ellipsis = false;
    for it in items {
        if let IndexItem::Ellipsis = it {
            out.extend(std::iter::repeat_n(full.clone(), fill));
            saw_ellipsis = true;
        } else {
            out.push(it.clone());
        }
    }
    if !saw_ellipsis {
        out.extend(std::iter::repeat_n(full, fill));
    }
    Ok(out)
}

pub fn getitem(a: &LazyArray, items: &[IndexItem]) -> Result<LazyArray> {
    let items = expand(a, items)?;
    let fancy = items
        .iter()
        .filter(|i| matches!(i, IndexItem::List(_) | IndexItem::Mask(_)))
        .count();
    if fancy > 1 {
        return Err(RaskError::index(
            "fancy indexing (a list or mask) is supported on one axis at a time; index one axis, then the other",
        ));
    }
    let mut plans = Vec::with_capacity(items.len());
    let mut ax = 0usize;
    for it in &items {
        let plan = match it {
            IndexItem::NewAxis => AxisPlan::NewAxis,
            IndexItem::Ellipsis => continue,
            IndexItem::Int(i) => {
                let n = a.shape[ax] as i64;
                let g = if *i < 0 { i + n } else { *i };
                if g < 0 || g >= n {
                    return Err(RaskError::index(format!(
                        "index {} is out of bounds for axis {} with size {}",
                        i, ax, n
                    )));
                }
                let b = bounds(&a.chunks[ax]);
                let bl = b.partition_point(|&x| x <= g as usize) - 1;
                AxisPlan::Input {
                    pieces: vec![Piece {
                        blocks: vec![bl],
                        idx: LocalIdx::Int(g as usize - b[bl]),
                        len: 0,
                    }],
                    keep: false,
                }
            }
            IndexItem::Slice { start, stop, step } => {
                let (s, st, n) = slice_indices(*start, *stop, *step, a.shape[ax])?;
                AxisPlan::Input {
                    pieces: slice_pieces(&a.chunks[ax], s, st, n),
                    keep: true,
                }
            }
            IndexItem::List(l) => {
                let n = a.shape[ax] as i64;
                let mut g = Vec::with_capacity(l.len());
                for &i in l {
                    let v = if i < 0 { i + n } else { i };
                    if v < 0 || v >= n {
                        return Err(RaskError::index(format!(
                            "index {} is out of bounds for axis {} with size {}",
                            i, ax, n
                        )));
                    }
                    g.push(v as usize);
                }
                AxisPlan::Input {
                    pieces: take_pieces(&a.chunks[ax], &g),
                    keep: true,
                }
            }
            IndexItem::Mask(m) => {
                if m.len() != a.shape[ax] {
                    return Err(RaskError::index(format!(
                        "boolean index did not match indexed array along axis {}; size of axis is {} but size of boolean index is {}",
                        ax,
                        a.shape[ax],
                        m.len()
                    )));
                }
                let g: Vec<usize> = m
                    .iter()
                    .enumerate()
                    .filter(|(_, &b)| b)
                    .map(|(i, _)| i)
                    .collect();
                AxisPlan::Input {
                    pieces: take_pieces(&a.chunks[ax], &g),
                    keep: true,
                }
            }
        };
        if matches!(plan, AxisPlan::Input { .. }) {
            ax += 1;
        }
        plans.push(plan);
    }

    // A plain `x[:]`-like index changes nothing.
    let identity = plans.iter().zip(&a.chunks).all(|(p, c)| match p {
        AxisPlan::Input { pieces, keep } => {
            *keep
                && pieces.len() == c.len()
                && pieces.iter().zip(c).all(|(pc, &n)| {
                    pc.idx
                        == LocalIdx::Range {
                            start: 0,
                            step: 1,
                            count: n,
                        }
                })
        }
        AxisPlan::NewAxis => false,
    }) && plans.len() == a.ndim();
    if identity {
        return Ok(a.clone());
    }

    // Output grid: one output axis per kept input axis or new axis.
    let mut shape = Vec::new();
    let mut chunks = Vec::new();
    for p in &plans {
        match p {
            AxisPlan::Input { pieces, keep: true } => {
                shape.push(pieces.iter().map(|p| p.len).sum());
                chunks.push(pieces.iter().map(|p| p.len).collect::<Vec<_>>());
            }
            AxisPlan::Input { keep: false, .. } => {}
            AxisPlan::NewAxis => {
                shape.push(1);
                chunks.push(vec![1]);
            }
        }
    }
    let nb: Vec<usize> = chunks.iter().map(|c: &Vec<usize>| c.len()).collect();
    let desc = format!("{}|{:?}|{}", a.name, items, describe_chunks(&chunks));
    // Per output block: the chosen piece of every input axis and the local index items.
    let blocks: Vec<(Vec<usize>, Vec<&Piece>, Vec<LocalIdx>)> = grid_indices(&nb)
        .into_iter()
        .map(|out_idx| {
            let mut o = 0usize;
            let mut chosen: Vec<&Piece> = Vec::new();
            let mut local = Vec::new();
            for p in &plans {
                match p {
                    AxisPlan::Input { pieces, keep } => {
                        let pc = if *keep {
                            let pc = &pieces[out_idx[o]];
                            o += 1;
                            pc
                        } else {
                            &pieces[0]
                        };
                        chosen.push(pc);
                        local.push(pc.idx.clone());
                    }
                    AxisPlan::NewAxis => {
                        o += 1;
                        local.push(LocalIdx::NewAxis);
                    }
                }
            }
            (out_idx, chosen, local)
        })
        .collect();
    if let Some(tasks) = h5_pushdown(a, &blocks) {
        return Ok(LazyArray::build(
            "getitem",
            &desc,
            shape,
            chunks,
            a.dtype,
            |name| {
                tasks
                    .into_iter()
                    .map(|(idx, op)| (key_of(name, &idx), task(op, vec![])))
                    .collect()
            },
            vec![],
        ));
    }
    let src = a.clone();
    Ok(LazyArray::build(
        "getitem",
        &desc,
        shape,
        chunks,
        a.dtype,
        |name| {
            blocks
                .into_iter()
                .map(|(out_idx, chosen, local)| {
                    let grid: Vec<usize> = chosen.iter().map(|p| p.blocks.len()).collect();
                    let deps = grid_indices(&grid)
                        .into_iter()
                        .map(|g| {
                            let i: Vec<usize> =
                                g.iter().zip(&chosen).map(|(&k, p)| p.blocks[k]).collect();
                            src.key(&i)
                        })
                        .collect();
                    let op = ArrayOp::Gather {
                        grid,
                        items: local,
                        label: "getitem".into(),
                    };
                    (key_of(name, &out_idx), task(op, deps))
                })
                .collect()
        },
        vec![a.layer.clone()],
    ))
}

/// Slicing an array read straight from HDF5: read only the hyperslab each output chunk
/// needs (`x[:10]` reads 10 elements, not a whole chunk). None when the input is not a
/// plain HDF5 read or an output chunk needs fancy indexing or several blocks.
#[allow(clippy::type_complexity)]
fn h5_pushdown(
    a: &LazyArray,
    blocks: &[(Vec<usize>, Vec<&Piece>, Vec<LocalIdx>)],
) -> Option<Vec<(Vec<usize>, ArrayOp)>> {
    if a.layer.name != a.name || !a.layer.deps.is_empty() {
        return None;
    }
    let (path, dataset) = match a.layer.tasks.first().and_then(|(_, t)| t.op.downcast()) {
        Some(ArrayOp::FromH5 { path, dataset, .. }) => (path.clone(), dataset.clone()),
        _ => return None,
    };
    if !a
        .layer
        .tasks
        .iter()
        .all(|(_, t)| matches!(t.op.downcast(), Some(ArrayOp::FromH5 { .. })))
    {
        return None;
    }
    let mut out = Vec::with_capacity(blocks.len());
    for (out_idx, chosen, local) in blocks {
        if chosen.iter().any(|p| p.blocks.len() != 1) {
            return None;
        }
        let in_idx: Vec<usize> = chosen.iter().map(|p| p.blocks[0]).collect();
        let base = super::creation::block_starts(&a.chunks, &in_idx);
        let (mut start, mut count, mut items) = (Vec::new(), Vec::new(), Vec::new());
        let mut ax = 0usize;
        for it in local {
            match it {
                LocalIdx::NewAxis => items.push(LocalIdx::NewAxis),
                LocalIdx::Int(i) => {
                    start.push(base[ax] + i);
                    count.push(1);
                    items.push(LocalIdx::Int(0));
                    ax += 1;
                }
                LocalIdx::Range {
                    start: s,
                    step,
                    count: n,
                } => {
                    if *n == 0 {
                        return None;
                    }
                    let last = *s as isize + (*n as isize - 1) * step;
                    let lo = (*s as isize).min(last) as usize;
                    let span = (*s as isize - last).unsigned_abs() + 1;
                    start.push(base[ax] + lo);
                    count.push(span);
                    items.push(LocalIdx::Range {
                        start: if *step > 0 { 0 } else { span - 1 },
                        step: *step,
                        count: *n,
                    });
                    ax += 1;
                }
                LocalIdx::Take(_) => return None,
            }
        }
        out.push((
            out_idx.clone(),
            ArrayOp::FromH5Slice {
                path: path.clone(),
                dataset: dataset.clone(),
                start,
                count,
                items,
            },
        ));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::super::creation::{arange, from_ndarr};
    use super::super::testutil::{eval, f64s};
    use super::*;
    use crate::common::ndarr::{DType, NdArr};
    use crate::value::value::Value;

    fn sl(a: Option<i64>, b: Option<i64>, c: Option<i64>) -> IndexItem {
        IndexItem::Slice {
            start: a,
            stop: b,
            step: c,
        }
    }

    fn py_slice(n: i64, a: Option<i64>, b: Option<i64>, c: Option<i64>) -> Vec<f64> {
        let (s, st, cnt) = slice_indices(a, b, c, n as usize).unwrap();
        (0..cnt as i64).map(|k| (s + k * st) as f64).collect()
    }

    #[test]
    fn python_slice_semantics() {
        assert_eq!(py_slice(10, None, None, Some(-3)), vec![9., 6., 3., 0.]);
        assert_eq!(py_slice(10, Some(-2), None, None), vec![8., 9.]);
        assert_eq!(py_slice(10, Some(8), Some(2), Some(-2)), vec![8., 6., 4.]);
        assert_eq!(py_slice(10, Some(20), None, Some(-1)).len(), 10);
        assert!(py_slice(10, Some(5), Some(2), None).is_empty());
    }

    #[test]
    fn slices_compute_like_numpy() {
        let x = arange(0.0, 25.0, 1.0, DType::I64, Some(&Value::Int(5))).unwrap();
        let cases = [
            (None, None, Some(-3)),
            (Some(3), Some(22), Some(4)),
            (Some(-1), Some(2), Some(-7)),
            (None, Some(17), None),
            (Some(7), Some(7), None),
            (Some(24), None, Some(-1)),
        ];
        for (a, b, c) in cases {
            let y = getitem(&x, &[sl(a, b, c)]).unwrap();
            assert_eq!(
                f64s(&eval(&y).unwrap()),
                py_slice(25, a, b, c),
                "{:?}",
                (a, b, c)
            );
        }
    }

    #[test]
    fn stepped_slice_reads_only_needed_chunks() {
        let x = arange(0.0, 20000.0, 1.0, DType::F64, Some(&Value::Int(1000))).unwrap();
        let y = getitem(&x, &[sl(None, None, Some(100))]).unwrap();
        assert_eq!(y.chunks, vec![vec![10; 20]]);
        for (k, t) in &y.layer.tasks {
            assert_eq!(t.deps.len(), 1);
            assert_eq!(t.deps[0].index, k.index);
        }
        let z = getitem(&x, &[sl(Some(0), Some(1500), None)]).unwrap();
        assert_eq!(z.layer.tasks.len(), 2);
        let w = getitem(&x, &[sl(None, None, None)]).unwrap();
        assert_eq!(w.name, x.name);
    }

    #[test]
    fn hdf5_slices_read_only_what_they_need() {
        let chunks = Value::tuple(vec![Value::Int(50), Value::Int(10)]);
        let x = super::super::creation::from_h5_parts(
            "f.h5",
            "/x",
            &[100, 10],
            DType::F32,
            None,
            Some(&chunks),
        )
        .unwrap();
        let y = getitem(&x, &[sl(Some(60), Some(50), Some(-3)), IndexItem::Int(4)]).unwrap();
        assert_eq!(y.shape, vec![4]);
        assert_eq!(y.layer.task_count(), 1);
        match y.layer.tasks[0].1.op.downcast() {
            Some(ArrayOp::FromH5Slice {
                start,
                count,
                items,
                ..
            }) => {
                assert_eq!(start, &vec![51, 4]);
                assert_eq!(count, &vec![10, 1]);
                assert_eq!(
                    items[0],
                    LocalIdx::Range {
                        start: 9,
                        step: -3,
                        count: 4
                    }
                );
            }
            other => panic!("{:?}", other),
        }
        // Fancy indexing keeps the read tasks.
        let f = getitem(&x, &[IndexItem::List(vec![1, 70])]).unwrap();
        assert_eq!(f.layer.task_count(), 2 + 1);
    }

    #[test]
    fn ints_newaxis_ellipsis_fancy() {
        let v: Vec<i64> = (0..24).collect();
        let a = NdArr::I64(ndarray::ArrayD::from_shape_vec(ndarray::IxDyn(&[4, 6]), v).unwrap());
        let x = from_ndarr(&a, Some(&Value::Int(2)), "t").unwrap();
        let r = getitem(
            &x,
            &[
                IndexItem::Int(-1),
                IndexItem::Slice {
                    start: None,
                    stop: None,
                    step: Some(2),
                },
            ],
        )
        .unwrap();
        assert_eq!(r.shape, vec![3]);
        assert_eq!(f64s(&eval(&r).unwrap()), vec![18., 20., 22.]);
        let n = getitem(
            &x,
            &[IndexItem::Ellipsis, IndexItem::NewAxis, IndexItem::Int(1)],
        )
        .unwrap();
        assert_eq!(n.shape, vec![4, 1]);
        assert_eq!(f64s(&eval(&n).unwrap()), vec![1., 7., 13., 19.]);
        let f = getitem(&x, &[sl(None, None, None), IndexItem::List(vec![5, 1, -2])]).unwrap();
        assert_eq!(f.shape, vec![4, 3]);
        assert_eq!(
            f64s(&eval(&f).unwrap()),
            vec![5., 1., 4., 11., 7., 10., 17., 13., 16., 23., 19., 22.]
        );
        let e = getitem(&x, &[IndexItem::Int(4)]).unwrap_err();
        assert!(e.message.contains("axis 0 with size 4"), "{}", e.message);
        let e = getitem(
            &x,
            &[IndexItem::Int(0), IndexItem::Int(0), IndexItem::Int(0)],
        )
        .unwrap_err();
        assert!(e.message.contains("too many indices"));
        let m = getitem(&x, &[IndexItem::Mask(vec![true, false, false, true])]).unwrap();
        assert_eq!(m.shape, vec![2, 6]);
        assert_eq!(
            f64s(&eval(&m).unwrap())[6..],
            [18., 19., 20., 21., 22., 23.]
        );
    }
}
