//! Blocked factorizations over square chunks: Cholesky (left-looking, one task per block
//! of L) and triangular solves (block substitution), as in Dask's `cholesky` and
//! `solve_triangular`.

use super::rechunk::rechunk;
use super::{fmt_tuple, key_of, task, LazyArray};
use crate::array::kernels::Scalar;
use crate::array::ops::linalg::LinalgOp;
use crate::array::ops::ArrayOp;
use crate::common::ndarr::DType;
use crate::errors::{RaskError, Result};
use crate::graph::key::layer_name;
use crate::graph::task::Layer;

pub(crate) fn op(o: LinalgOp) -> ArrayOp {
    ArrayOp::Linalg(o)
}

/// `(c, c)` for the hint: the first chunk size, or the side when unchunked.
fn square_hint(a: &LazyArray) -> String {
    let c = a.chunks[0].first().copied().unwrap_or(1);
    format!(
        "rechunk with equal chunks on both axes, e.g. a.rechunk(({}, {}))",
        c, c
    )
}

/// A 2-d square array whose row and column chunks agree (square diagonal blocks).
pub fn check_square(a: &LazyArray, ctx: &str) -> Result<()> {
    if a.ndim() != 2 || a.shape[0] != a.shape[1] {
        return Err(RaskError::value(format!(
            "{}: the matrix must be square, got shape {}",
            ctx,
            fmt_tuple(&a.shape)
        ))
        .with_hint("for a least-squares solution with a tall matrix use da.linalg.lstsq(a, b)"));
    }
    if a.chunks[0] != a.chunks[1] {
        return Err(RaskError::value(format!(
            "{} needs square blocks on the diagonal: row chunks {} and column chunks {} differ",
            ctx,
            fmt_tuple(&a.chunks[0]),
            fmt_tuple(&a.chunks[1])
        ))
        .with_hint(square_hint(a)));
    }
    Ok(())
}

/// First global row of each block.
pub fn offsets(chunks: &[usize]) -> Vec<usize> {
    let mut o = Vec::with_capacity(chunks.len());
    let mut at = 0;
    for &c in chunks {
        o.push(at);
        at += c;
    }
    o
}

/// `da.linalg.cholesky(a, lower=False)`: L with a = L·Lᵀ, or U = Lᵀ with a = Uᵀ·U.
pub fn cholesky(a: &LazyArray, lower: bool) -> Result<LazyArray> {
    check_square(a, "da.linalg.cholesky()")?;
    let nb = a.chunks[0].len();
    let offs = offsets(&a.chunks[0]);
    let name = layer_name("cholesky", &format!("{}|{:?}", a.name, a.chunks));
    let l = |i: usize, j: usize| key_of(&name, &[i, j]);
    let mut tasks = Vec::new();
    for i in 0..nb {
        for j in 0..nb {
            let t = if i < j {
                task(
                    ArrayOp::Full {
                        shape: vec![a.chunks[0][i], a.chunks[0][j]],
                        value: Scalar::Float(0.0),
                        dtype: DType::F64,
                        label: "zeros".into(),
                    },
                    vec![],
                )
            } else if i == j {
                let mut deps = vec![a.key(&[i, i])];
                deps.extend((0..i).map(|k| l(i, k)));
                task(op(LinalgOp::CholDiag { at: offs[i] }), deps)
            } else {
                let mut deps = vec![a.key(&[i, j]), l(j, j)];
                for k in 0..j {
                    deps.push(l(i, k));
                    deps.push(l(j, k));
                }
                task(op(LinalgOp::CholOff { at: offs[j] }), deps)
            };
            tasks.push((l(i, j), t));
        }
    }
    let low = LazyArray {
        layer: Layer::new(name.clone(), tasks, vec![a.layer.clone()]),
        name,
        shape: a.shape.clone(),
        chunks: a.chunks.clone(),
        dtype: DType::F64,
    };
    if lower {
        Ok(low)
    } else {
        super::reshape::transpose(&low, &[1, 0])
    }
}

/// `b` with its rows cut like `a`'s (a no-op when they already are).
pub fn rows_like(b: &LazyArray, a: &LazyArray, ctx: &str) -> Result<LazyArray> {
    if b.ndim() == 0 || b.ndim() > 2 || b.shape[0] != a.shape[0] {
        return Err(RaskError::shape(format!(
            "{}: b must have {} rows to match a of shape {}, got shape {}",
            ctx,
            a.shape[0],
            fmt_tuple(&a.shape),
            fmt_tuple(&b.shape)
        )));
    }
    if b.chunks[0] == a.chunks[0] {
        return Ok(b.clone());
    }
    let mut ch = b.chunks.clone();
    ch[0] = a.chunks[0].clone();
    rechunk(b, ch)
}

/// `da.linalg.solve_triangular(a, b, lower=False)`: x with a·x = b, by block substitution.
pub fn solve_triangular(a: &LazyArray, b: &LazyArray, lower: bool) -> Result<LazyArray> {
    let ctx = "da.linalg.solve_triangular()";
    check_square(a, ctx)?;
    let b = rows_like(b, a, ctx)?;
    let nb = a.chunks[0].len();
    let offs = offsets(&a.chunks[0]);
    let ncol = if b.ndim() == 2 { b.chunks[1].len() } else { 1 };
    let vector = b.ndim() == 1;
    let name = layer_name(
        "solve-triangular",
        &format!("{}|{}|{}", a.name, b.name, lower),
    );
    let idx = |i: usize, c: usize| if vector { vec![i] } else { vec![i, c] };
    let mut tasks = Vec::new();
    for c in 0..ncol {
        for (i, &off) in offs.iter().enumerate() {
            let mut deps = vec![a.key(&[i, i]), b.key(&idx(i, c))];
            let others: Vec<usize> = if lower {
                (0..i).collect()
            } else {
                (i + 1..nb).collect()
            };
            for j in others {
                deps.push(a.key(&[i, j]));
                deps.push(key_of(&name, &idx(j, c)));
            }
            tasks.push((
                key_of(&name, &idx(i, c)),
                task(op(LinalgOp::TriBlock { lower, at: off }), deps),
            ));
        }
    }
    Ok(LazyArray {
        layer: Layer::new(name.clone(), tasks, vec![a.layer.clone(), b.layer.clone()]),
        name,
        shape: b.shape.clone(),
        chunks: b.chunks.clone(),
        dtype: DType::F64,
    })
}
