//! Rechunking: each output chunk glues the input chunks it overlaps and cuts its range
//! out of them (one `rechunk-merge` task per output chunk, depending only on those).

use super::chunks::bounds;
use super::{describe_chunks, fmt_tuple, grid_indices, key_of, task, LazyArray};
use crate::array::ops::{ArrayOp, LocalIdx};
use crate::errors::{RaskError, Result};

/// For one axis: the input blocks each output chunk overlaps, and the local range within
/// their concatenation.
fn axis_plan(old: &[usize], new: &[usize]) -> Vec<(Vec<usize>, LocalIdx)> {
    let ob = bounds(old);
    let nb = bounds(new);
    let mut plan = Vec::with_capacity(new.len());
    for j in 0..new.len() {
        let (s, e) = (nb[j], nb[j + 1]);
        // First input block containing s (an empty output takes block 0's start).
        let first = (0..old.len())
            .find(|&i| ob[i + 1] > s)
            .unwrap_or(old.len().saturating_sub(1));
        let mut blocks = vec![first];
        let mut i = first + 1;
        while i < old.len() && ob[i] < e {
            blocks.push(i);
            i += 1;
        }
        plan.push((
            blocks,
            LocalIdx::Range {
                start: s - ob[first].min(s),
                step: 1,
                count: e - s,
            },
        ));
    }
    plan
}

pub fn rechunk(a: &LazyArray, chunks: Vec<Vec<usize>>) -> Result<LazyArray> {
    if chunks.len() != a.ndim() {
        return Err(RaskError::value(format!(
            "rechunk: chunks for {} axes given for an array of shape {}",
            chunks.len(),
            fmt_tuple(&a.shape)
        )));
    }
    for (ax, (c, &d)) in chunks.iter().zip(&a.shape).enumerate() {
        let s: usize = c.iter().sum();
        if s != d || c.is_empty() {
            return Err(RaskError::shape(format!(
                "rechunk: chunks {} sum to {} along axis {} but the shape is {}",
                fmt_tuple(c),
                s,
                ax,
                fmt_tuple(&a.shape)
            )));
        }
    }
    if chunks == a.chunks {
        return Ok(a.clone());
    }
    let plans: Vec<Vec<(Vec<usize>, LocalIdx)>> = a
        .chunks
        .iter()
        .zip(&chunks)
        .map(|(o, n)| axis_plan(o, n))
        .collect();
    let nb: Vec<usize> = chunks.iter().map(|c| c.len()).collect();
    let desc = format!("{}|{}", a.name, describe_chunks(&chunks));
    let src = a.clone();
    Ok(LazyArray::build(
        "rechunk-merge",
        &desc,
        a.shape.clone(),
        chunks,
        a.dtype,
        |name| {
            grid_indices(&nb)
                .into_iter()
                .map(|idx| {
                    let per_axis: Vec<&(Vec<usize>, LocalIdx)> =
                        idx.iter().zip(&plans).map(|(&j, p)| &p[j]).collect();
                    let grid: Vec<usize> = per_axis.iter().map(|p| p.0.len()).collect();
                    let deps = grid_indices(&grid)
                        .into_iter()
                        .map(|g| {
                            let in_idx: Vec<usize> =
                                g.iter().zip(&per_axis).map(|(&k, p)| p.0[k]).collect();
                            src.key(&in_idx)
                        })
                        .collect();
                    let items = per_axis.iter().map(|p| p.1.clone()).collect();
                    let op = ArrayOp::Gather {
                        grid,
                        items,
                        label: "rechunk-merge".into(),
                    };
                    (key_of(name, &idx), task(op, deps))
                })
                .collect()
        },
        vec![a.layer.clone()],
    ))
}

#[cfg(test)]
mod tests {
    use super::super::creation::arange;
    use super::super::testutil::{eval, f64s};
    use super::*;
    use crate::common::ndarr::DType;
    use crate::value::value::Value;

    #[test]
    fn plan_overlaps() {
        let p = axis_plan(&[5, 5], &[3, 7]);
        assert_eq!(p[0].0, vec![0]);
        assert_eq!(p[1].0, vec![0, 1]);
        assert_eq!(
            p[1].1,
            LocalIdx::Range {
                start: 3,
                step: 1,
                count: 7
            }
        );
    }

    #[test]
    fn rechunk_values_and_deps() {
        let a = arange(0.0, 10.0, 1.0, DType::I64, Some(&Value::Int(5))).unwrap();
        let r = rechunk(&a, vec![vec![3, 3, 4]]).unwrap();
        assert_eq!(r.layer.tasks.len(), 3);
        assert_eq!(r.layer.tasks[0].1.deps.len(), 1);
        assert_eq!(r.layer.tasks[1].1.deps.len(), 2);
        assert_eq!(
            f64s(&eval(&r).unwrap()),
            (0..10).map(|i| i as f64).collect::<Vec<_>>()
        );
        assert!(rechunk(&a, vec![vec![3, 3]])
            .unwrap_err()
            .message
            .contains("sum to 6"));
        assert_eq!(rechunk(&a, vec![vec![5, 5]]).unwrap().name, a.name);
    }
}
