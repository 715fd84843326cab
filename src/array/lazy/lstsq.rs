//! Algorithms built from TSQR and the contractions: `lstsq` (x = R⁻¹·Qᵀb, as Dask) and
//! `svd_compressed` (Halko–Martinsson–Tropp randomized SVD with power iterations, seeded).

use super::contract::{dot, tensordot};
use super::elementwise::{binary, unary};
use super::factor::{op, solve_triangular};
use super::reduction::reduce;
use super::tsqr::{check_tall_skinny, qr, svd_tall};
use super::{fmt_tuple, key_of, task, LazyArray};
use crate::array::kernels::{IndexItem, ReduceKind, UFunc};
use crate::array::ops::linalg::LinalgOp;
use crate::array::ops::Dist;
use crate::common::ndarr::DType;
use crate::errors::{RaskError, Result};
use crate::graph::key::layer_name;
use crate::graph::task::Layer;
use crate::syntax::ast::BinOp;
use crate::value::value::Value;

/// A one-task array on R's single block.
fn on_r(r: &LazyArray, prefix: &str, o: LinalgOp, shape: Vec<usize>, dtype: DType) -> LazyArray {
    let name = layer_name(prefix, &r.name);
    let idx: Vec<usize> = vec![0; shape.len()];
    let chunks = shape.iter().map(|&s| vec![s]).collect();
    LazyArray {
        layer: Layer::new(
            name.clone(),
            vec![(key_of(&name, &idx), task(op(o), vec![r.key(&[0, 0])]))],
            vec![r.layer.clone()],
        ),
        name,
        shape,
        chunks,
        dtype,
    }
}

/// `da.linalg.lstsq(a, b)`: (x, residuals, rank, s) minimizing ‖a·x − b‖ for a
/// tall-and-skinny a of full column rank.
pub fn lstsq(a: &LazyArray, b: &LazyArray) -> Result<[LazyArray; 4]> {
    let ctx = "da.linalg.lstsq()";
    check_tall_skinny(a, ctx)?;
    if a.shape[0] < a.shape[1] {
        return Err(RaskError::value(format!(
            "{} needs at least as many rows as columns, got shape {}",
            ctx,
            fmt_tuple(&a.shape)
        )));
    }
    if b.ndim() == 0 || b.ndim() > 2 || b.shape[0] != a.shape[0] {
        return Err(RaskError::shape(format!(
            "{}: b must have {} rows to match a of shape {}, got shape {}",
            ctx,
            a.shape[0],
            fmt_tuple(&a.shape),
            fmt_tuple(&b.shape)
        )));
    }
    let (q, r) = qr(a)?;
    let qtb = tensordot(&q, b, &[0], &[0])?;
    let x = solve_triangular(&r, &qtb, false)?;
    let diff = binary(BinOp::Sub, b, &dot(a, &x)?)?;
    let residuals = reduce(
        &unary(UFunc::Square, &diff),
        ReduceKind::Sum,
        &[0],
        b.ndim() == 1,
        None,
    )?;
    let rank = on_r(&r, "lstsq-rank", LinalgOp::RankOf, vec![], DType::I64);
    let s = on_r(
        &r,
        "lstsq-singular",
        LinalgOp::SingularValues,
        vec![r.shape[0]],
        DType::F64,
    );
    Ok([x, residuals, rank, s])
}

fn slice_to(k: usize) -> IndexItem {
    IndexItem::Slice {
        start: None,
        stop: Some(k as i64),
        step: None,
    }
}

fn all() -> IndexItem {
    IndexItem::Slice {
        start: None,
        stop: None,
        step: None,
    }
}

/// `da.linalg.svd_compressed(a, k, n_power_iter=0, n_oversamples=10, seed=…)`: the k
/// leading singular triplets of a, approximately, from a random sketch.
pub fn svd_compressed(
    a: &LazyArray,
    k: usize,
    n_power_iter: usize,
    n_oversamples: usize,
    seed: u64,
) -> Result<(LazyArray, LazyArray, LazyArray)> {
    let ctx = "da.linalg.svd_compressed()";
    if a.ndim() != 2 {
        return Err(RaskError::value(format!(
            "{}: expected a 2-d array, got shape {}",
            ctx,
            fmt_tuple(&a.shape)
        )));
    }
    let (m, n) = (a.shape[0], a.shape[1]);
    if k == 0 || k > m.min(n) {
        return Err(RaskError::value(format!(
            "{}: k={} must be between 1 and min{} = {}",
            ctx,
            k,
            fmt_tuple(&a.shape),
            m.min(n)
        )));
    }
    let l = (k + n_oversamples).min(m.min(n));
    let a = if a.dtype == DType::F64 {
        a.clone()
    } else {
        super::elementwise::astype(a, DType::F64)
    };
    let sizes = |c: &[usize]| Value::tuple(c.iter().map(|&x| Value::Int(x as i64)).collect());
    let chunks = Value::tuple(vec![sizes(&a.chunks[1]), sizes(&[l])]);
    let omega = super::creation::random(
        Dist::Normal {
            loc: 0.0,
            scale: 1.0,
        },
        vec![n, l],
        Some(&chunks),
        seed,
    )?;
    // the range of a, sharpened by power iterations (re-orthonormalized each half step)
    let mut y = dot(&a, &omega)?;
    for _ in 0..n_power_iter {
        let (qy, _) = qr(&y)?;
        let z = tensordot(&a, &qy, &[0], &[0])?;
        let (qz, _) = qr(&z)?;
        y = dot(&a, &qz)?;
    }
    let (qf, _) = qr(&y)?;
    // bᵀ = aᵀ·qf (n × l, tall): bᵀ = V·diag(s)·W, so a ≈ (qf·Wᵀ)·diag(s)·Vᵀ
    let bt = tensordot(&a, &qf, &[0], &[0])?;
    let (v, s, w) = svd_tall(&bt, ctx)?;
    let u = dot(&qf, &super::reshape::transpose(&w, &[1, 0])?)?;
    let vt = super::reshape::transpose(&v, &[1, 0])?;
    let u = super::slicing::getitem(&u, &[all(), slice_to(k)])?;
    let s = super::slicing::getitem(&s, &[slice_to(k)])?;
    let vt = super::slicing::getitem(&vt, &[slice_to(k), all()])?;
    Ok((u, s, vt))
}
