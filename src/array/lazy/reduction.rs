//! Tree reductions (Dask's `reduction`): a partial per chunk, then combines of at most
//! `split_every` partials per reduced axis until one remains, then an aggregate that
//! finishes the statistic. Partials keep reduced dims of length 1, so they are tiny and
//! each task depends only on its own group.

use super::creation::block_starts;
use super::{grid_indices, key_of, task, LazyArray};
use crate::array::kernels::{self, ReduceKind};
use crate::array::ops::ArrayOp;
use crate::common::ndarr::DType;
use crate::errors::{RaskError, Result};
use crate::graph::key::layer_name;
use crate::graph::key::Key;
use crate::graph::task::{Layer, Task};
use std::sync::Arc;

/// Dask's default total fan-in of one combine step.
pub const SPLIT_EVERY: usize = 16;

fn prefix(k: ReduceKind) -> (&'static str, &'static str, &'static str) {
    match k {
        ReduceKind::Sum => ("sum", "sum-partial", "sum-aggregate"),
        ReduceKind::Prod => ("prod", "prod-partial", "prod-aggregate"),
        ReduceKind::Min => ("min", "min-partial", "min-aggregate"),
        ReduceKind::Max => ("max", "max-partial", "max-aggregate"),
        ReduceKind::Any => ("any", "any-partial", "any-aggregate"),
        ReduceKind::All => ("all", "all-partial", "all-aggregate"),
        ReduceKind::Mean => ("mean_chunk", "mean_combine", "mean_agg"),
        ReduceKind::Var { .. } => ("var_chunk", "var_combine", "var_agg"),
        ReduceKind::Std { .. } => ("std_chunk", "std_combine", "std_agg"),
        ReduceKind::ArgMin => ("argmin_chunk", "argmin_combine", "argmin_agg"),
        ReduceKind::ArgMax => ("argmax_chunk", "argmax_combine", "argmax_agg"),
    }
}

pub fn result_dtype(k: ReduceKind, d: DType) -> DType {
    match k {
        ReduceKind::Mean | ReduceKind::Var { .. } | ReduceKind::Std { .. } => {
            if d == DType::F32 {
                DType::F32
            } else {
                DType::F64
            }
        }
        ReduceKind::ArgMin | ReduceKind::ArgMax => DType::I64,
        ReduceKind::Any | ReduceKind::All => DType::Bool,
        _ => kernels::reduce_dtype(k, d),
    }
}

/// Per-axis fan-in: `split_every ** (1 / number of reduced axes)`, at least 2.
pub fn split_per_axis(split_every: usize, n_axes: usize) -> usize {
    if n_axes == 0 {
        return 2;
    }
    ((split_every as f64).powf(1.0 / n_axes as f64).floor() as usize).max(2)
}

/// Reduce `a` over `axes` (sorted, distinct). For argmin/argmax, `axes` is one axis or,
/// for the flattened array, all of them.
pub fn reduce(
    a: &LazyArray,
    kind: ReduceKind,
    axes: &[usize],
    keepdims: bool,
    split_every: Option<usize>,
) -> Result<LazyArray> {
    let nd = a.ndim();
    let is_arg = matches!(kind, ReduceKind::ArgMin | ReduceKind::ArgMax);
    if is_arg && a.size() == 0 {
        return Err(RaskError::value(format!(
            "attempt to get {} of an empty sequence",
            if kind == ReduceKind::ArgMin {
                "argmin"
            } else {
                "argmax"
            }
        )));
    }
    let split = split_per_axis(split_every.unwrap_or(SPLIT_EVERY).max(2), axes.len());
    let (p0, p1, p2) = prefix(kind);
    let desc = format!("{}|{:?}|{:?}|{}|{}", a.name, kind, axes, keepdims, split);
    let dtype = result_dtype(kind, a.dtype);

    // Level 0: one partial per chunk.
    let part_name = layer_name(p0, &desc);
    let nb0 = a.numblocks();
    let full_shape = a.shape.clone();
    let strides: Vec<usize> = axes
        .iter()
        .map(|&ax| {
            axes.iter()
                .filter(|&&b| b > ax)
                .map(|&b| full_shape[b])
                .product()
        })
        .collect();
    let tasks: Vec<(Key, Task)> = grid_indices(&nb0)
        .into_iter()
        .map(|idx| {
            let op = if is_arg {
                let starts = block_starts(&a.chunks, &idx);
                ArrayOp::ArgPartial {
                    min: kind == ReduceKind::ArgMin,
                    axes: axes.to_vec(),
                    offsets: axes.iter().map(|&ax| starts[ax]).collect(),
                    strides: strides.clone(),
                }
            } else {
                ArrayOp::ReducePartial {
                    kind,
                    axes: axes.to_vec(),
                }
            };
            (key_of(&part_name, &idx), task(op, vec![a.key(&idx)]))
        })
        .collect();
    let mut layer = Layer::new(part_name.clone(), tasks, vec![a.layer.clone()]);
    let mut cur_name = part_name;
    let mut cur_nb = nb0;

    // Combine levels while some reduced axis still has more than `split` partials.
    let mut depth = 0;
    while axes.iter().any(|&ax| cur_nb[ax] > split) {
        depth += 1;
        let name = layer_name(p1, &format!("{}|{}", desc, depth));
        let next_nb: Vec<usize> = (0..nd)
            .map(|ax| {
                if axes.contains(&ax) {
                    cur_nb[ax].div_ceil(split)
                } else {
                    cur_nb[ax]
                }
            })
            .collect();
        let tasks = group_tasks(&name, &cur_name, &cur_nb, &next_nb, axes, split, |grid| {
            ArrayOp::ReduceCombine {
                kind,
                axes: axes.to_vec(),
                grid,
            }
        });
        layer = Layer::new(name.clone(), tasks, vec![layer]);
        cur_name = name;
        cur_nb = next_nb;
    }

    // Aggregate: everything left along the reduced axes.
    let out_nb: Vec<usize> = (0..nd)
        .map(|ax| if axes.contains(&ax) { 1 } else { cur_nb[ax] })
        .collect();
    let agg_name = layer_name(p2, &desc);
    let big = usize::MAX / 4;
    let mut tasks = group_tasks(&agg_name, &cur_name, &cur_nb, &out_nb, axes, big, |grid| {
        ArrayOp::ReduceAggregate {
            kind,
            axes: axes.to_vec(),
            grid,
            keepdims,
            dtype,
        }
    });
    if !keepdims {
        for (k, _) in tasks.iter_mut() {
            k.index = k
                .index
                .iter()
                .enumerate()
                .filter(|(i, _)| !axes.contains(i))
                .map(|(_, &v)| v)
                .collect();
        }
    }
    let mut shape = Vec::new();
    let mut chunks = Vec::new();
    for ax in 0..nd {
        if axes.contains(&ax) {
            if keepdims {
                shape.push(1);
                chunks.push(vec![1]);
            }
        } else {
            shape.push(a.shape[ax]);
            chunks.push(a.chunks[ax].clone());
        }
    }
    Ok(LazyArray {
        layer: Layer::new(agg_name.clone(), tasks, vec![layer]),
        name: agg_name,
        shape,
        chunks,
        dtype,
    })
}

/// Tasks of one tree level: output block `j` along a reduced axis takes input blocks
/// `j*split .. (j+1)*split`; kept axes map one to one.
fn group_tasks(
    name: &Arc<str>,
    src: &Arc<str>,
    src_nb: &[usize],
    out_nb: &[usize],
    axes: &[usize],
    split: usize,
    op: impl Fn(Vec<usize>) -> ArrayOp,
) -> Vec<(Key, Task)> {
    grid_indices(out_nb)
        .into_iter()
        .map(|idx| {
            let ranges: Vec<(usize, usize)> = (0..idx.len())
                .map(|ax| {
                    if axes.contains(&ax) {
                        let s = idx[ax].saturating_mul(split).min(src_nb[ax]);
                        (s, (s.saturating_add(split)).min(src_nb[ax]))
                    } else {
                        (idx[ax], idx[ax] + 1)
                    }
                })
                .collect();
            let grid: Vec<usize> = ranges.iter().map(|(s, e)| e - s).collect();
            let deps = grid_indices(&grid)
                .into_iter()
                .map(|g| {
                    let i: Vec<usize> = g.iter().zip(&ranges).map(|(k, (s, _))| s + k).collect();
                    key_of(src, &i)
                })
                .collect();
            (key_of(name, &idx), task(op(grid), deps))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::creation::{arange, from_ndarr, random};
    use super::super::testutil::{eval, f64s};
    use super::*;
    use crate::array::ops::Dist;
    use crate::common::ndarr::NdArr;
    use crate::value::value::Value;

    #[test]
    fn tree_shape() {
        // 20 x 20 chunks reduced along axis 0: 400 partials, 20 combines (groups of 16
        // then 4 remain), 20 aggregates.
        let d = Dist::Normal {
            loc: 10.0,
            scale: 0.1,
        };
        let x = random(d, vec![20000, 20000], Some(&Value::Int(1000)), 1).unwrap();
        let m = reduce(&x, ReduceKind::Mean, &[0], false, None).unwrap();
        assert_eq!(m.shape, vec![20000]);
        assert_eq!(m.chunks, vec![vec![1000; 20]]);
        assert_eq!(m.layer.tasks.len(), 20);
        assert_eq!(m.layer.task_count(), 400 + 400 + 40 + 20);
        assert!(m.name.starts_with("mean_agg-"));
        // Each aggregate depends on the two combine groups of its column only.
        for (k, t) in &m.layer.tasks {
            assert_eq!(t.deps.len(), 2);
            assert!(t.deps.iter().all(|d| d.index[1] == k.index[0]));
        }
        // Both axes: fan-in 4 per axis.
        let s = reduce(&x, ReduceKind::Sum, &[0, 1], false, None).unwrap();
        assert_eq!(s.shape, Vec::<usize>::new());
        assert_eq!(s.output_keys().len(), 1);
        assert_eq!(s.layer.tasks[0].1.deps.len(), 4);
    }

    #[test]
    fn exercise_graph_and_values() {
        // The tutorial exercise, full size: structure only.
        let d = Dist::Normal {
            loc: 10.0,
            scale: 0.1,
        };
        let x = random(d, vec![20000, 20000], Some(&Value::Int(1000)), 7).unwrap();
        let m = reduce(&x, ReduceKind::Mean, &[0], false, None).unwrap();
        let step = crate::array::kernels::IndexItem::Slice {
            start: None,
            stop: None,
            step: Some(100),
        };
        let y = super::super::slicing::getitem(&m, std::slice::from_ref(&step)).unwrap();
        assert_eq!(y.chunks, vec![vec![10; 20]]);
        assert_eq!(y.layer.task_count(), 400 + 400 + 40 + 20 + 20);
        for (k, t) in &y.layer.tasks {
            assert_eq!(t.deps, vec![m.key(&[k.index[0] as usize])]);
        }
        // Small size: values against a direct computation.
        let x = random(d, vec![200, 120], Some(&Value::Int(10)), 7).unwrap();
        let m = reduce(&x, ReduceKind::Mean, &[0], false, Some(4)).unwrap();
        let step = crate::array::kernels::IndexItem::Slice {
            start: None,
            stop: None,
            step: Some(7),
        };
        let y = super::super::slicing::getitem(&m, &[step]).unwrap();
        let full = f64s(&eval(&x).unwrap());
        let got = f64s(&eval(&y).unwrap());
        let want: Vec<f64> = (0..120)
            .step_by(7)
            .map(|c| (0..200).map(|r| full[r * 120 + c]).sum::<f64>() / 200.0)
            .collect();
        assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(&want) {
            assert!(((g - w) / w).abs() < 1e-13, "{} {}", g, w);
        }
    }

    #[test]
    fn zero_d_and_keys_deterministic() {
        let a = arange(0.0, 10.0, 1.0, DType::F64, Some(&Value::Int(3))).unwrap();
        let m = reduce(&a, ReduceKind::Mean, &[0], false, None).unwrap();
        let m2 = reduce(&a, ReduceKind::Mean, &[0], false, None).unwrap();
        assert_eq!(m.output_keys(), m2.output_keys());
        assert_eq!(m.shape, Vec::<usize>::new());
        let again = reduce(&m, ReduceKind::Mean, &[], false, None).unwrap();
        assert_eq!(f64s(&eval(&again).unwrap()), vec![4.5]);
        let v = reduce(&a, ReduceKind::Var { ddof: 0 }, &[0], true, None).unwrap();
        assert_eq!(v.shape, vec![1]);
        assert!((f64s(&eval(&v).unwrap())[0] - 8.25).abs() < 1e-12);
    }

    #[test]
    fn mean_std_match_one_pass() {
        let vals: Vec<f64> = (0..1000)
            .map(|i| 1e4 + ((i * 7919) % 1000) as f64 * 0.001)
            .collect();
        let a = NdArr::F64(
            ndarray::ArrayD::from_shape_vec(ndarray::IxDyn(&[1000]), vals.clone()).unwrap(),
        );
        let x = from_ndarr(&a, Some(&Value::Int(7)), "t").unwrap();
        let n = vals.len() as f64;
        let mean = vals.iter().sum::<f64>() / n;
        let var = vals.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
        let m = f64s(&eval(&reduce(&x, ReduceKind::Mean, &[0], false, Some(4)).unwrap()).unwrap());
        let s = f64s(
            &eval(&reduce(&x, ReduceKind::Std { ddof: 1 }, &[0], false, Some(4)).unwrap()).unwrap(),
        );
        assert!(((m[0] - mean) / mean).abs() < 1e-12);
        let want = (var * n / (n - 1.0)).sqrt();
        assert!(((s[0] - want) / want).abs() < 1e-10, "{} {}", s[0], want);
    }

    #[test]
    fn argmax_over_chunks_and_flat() {
        let v: Vec<f64> = vec![3., 9., 1., 9., 0., 5., 2., 8., 7., 6., 4., 9.];
        let a = NdArr::F64(ndarray::ArrayD::from_shape_vec(ndarray::IxDyn(&[3, 4]), v).unwrap());
        let x = from_ndarr(&a, Some(&Value::Int(2)), "t").unwrap();
        let am = eval(&reduce(&x, ReduceKind::ArgMax, &[0, 1], false, None).unwrap()).unwrap();
        assert_eq!(f64s(&am), vec![1.]);
        let am0 = eval(&reduce(&x, ReduceKind::ArgMax, &[0], false, None).unwrap()).unwrap();
        assert_eq!(f64s(&am0), vec![2., 0., 2., 0.]);
        let a = arange(0.0, 10.0, 1.0, DType::F64, Some(&Value::Int(3))).unwrap();
        let am = eval(&reduce(&a, ReduceKind::ArgMin, &[0], true, Some(2)).unwrap()).unwrap();
        assert_eq!(am.shape(), &[1]);
        assert_eq!(f64s(&am), vec![0.]);
    }
}
