//! `da.linalg.qr/svd/svd_compressed/cholesky/solve/solve_triangular/inv/lstsq`: argument
//! parsing; the graphs are built in `array::lazy::{tsqr, factor, lu, lstsq}`.

use super::arr;
use super::parse::to_lazy;
use crate::array::lazy::{factor, lstsq, lu, reshape, tsqr, LazyArray};
use crate::array::random::Rng;
use crate::errors::{RaskError, Result};
use crate::value::args::Args;
use crate::value::value::Value;

/// The functions this module handles, without the `linalg.` prefix.
pub const NAMES: &[&str] = &[
    "qr",
    "svd",
    "svd_compressed",
    "cholesky",
    "solve",
    "solve_triangular",
    "inv",
    "lstsq",
];

fn lazy(args: &Args, i: usize, name: &str) -> Result<LazyArray> {
    to_lazy(args.req(i, name)?, None, &args.fname).map(|a| (*a).clone())
}

fn tuple(parts: Vec<LazyArray>) -> Value {
    Value::tuple(parts.into_iter().map(arr).collect())
}

fn nonneg(args: &Args, i: usize, name: &str, default: i64) -> Result<usize> {
    let v = args.int_or(i, name, default)?;
    if v < 0 {
        return Err(args.value_err(i, name, format!("must be non-negative, got {}", v)));
    }
    Ok(v as usize)
}

/// SVD of an array chunked along one axis only (a short-and-fat one through its
/// transpose).
fn svd(a: &LazyArray) -> Result<Value> {
    let ctx = "da.linalg.svd()";
    if a.ndim() == 2 && a.chunks[1].len() != 1 && a.chunks[0].len() == 1 {
        let t = reshape::transpose(a, &[1, 0])?;
        let (u, s, vt) = tsqr::svd_tall(&t, ctx)?;
        return Ok(tuple(vec![
            reshape::transpose(&vt, &[1, 0])?,
            s,
            reshape::transpose(&u, &[1, 0])?,
        ]));
    }
    let (u, s, vt) = tsqr::svd_tall(a, ctx).map_err(|e| {
        if e.hint.is_some() && a.ndim() == 2 {
            e.with_hint(
                "svd needs chunks along one axis only: a.rechunk({1: -1}) (tall) or a.rechunk({0: -1}) (wide); for a large matrix chunked both ways use da.linalg.svd_compressed(a, k)",
            )
        } else {
            e
        }
    })?;
    Ok(tuple(vec![u, s, vt]))
}

/// `da.linalg.<name>(…)`.
pub fn call(name: &str, args: &Args) -> Result<Value> {
    match name {
        "qr" => {
            args.check(&["a"])?;
            let (q, r) = tsqr::qr(&lazy(args, 0, "a")?)?;
            Ok(tuple(vec![q, r]))
        }
        "svd" => {
            args.check(&["a"])?;
            svd(&lazy(args, 0, "a")?)
        }
        "svd_compressed" => {
            args.check(&["a", "k", "n_power_iter", "n_oversamples", "seed"])?;
            let a = lazy(args, 0, "a")?;
            let k = args.int(1, "k")?;
            if k < 1 {
                return Err(args.value_err(1, "k", format!("must be at least 1, got {}", k)));
            }
            let q = nonneg(args, 2, "n_power_iter", 0)?;
            let p = nonneg(args, 3, "n_oversamples", 10)?;
            let seed = match args.int_opt(4, "seed")? {
                Some(s) => s as u64,
                None => Rng::entropy_seed(),
            };
            let (u, s, vt) = lstsq::svd_compressed(&a, k as usize, q, p, seed)?;
            Ok(tuple(vec![u, s, vt]))
        }
        "cholesky" => {
            args.check(&["a", "lower"])?;
            let lower = args.bool_or(1, "lower", false)?;
            factor::cholesky(&lazy(args, 0, "a")?, lower).map(arr)
        }
        "solve" => {
            args.check(&["a", "b", "assume_a"])?;
            let a = lazy(args, 0, "a")?;
            let b = lazy(args, 1, "b")?;
            match args.str_opt(2, "assume_a")?.as_deref() {
                None | Some("gen") => lu::solve(&a, &b).map(arr),
                // a = Uᵀ·U: solve Uᵀ·y = b, then U·x = y
                Some("pos") => {
                    let u = factor::cholesky(&a, false)?;
                    let ut = reshape::transpose(&u, &[1, 0])?;
                    let y = factor::solve_triangular(&ut, &b, true)?;
                    factor::solve_triangular(&u, &y, false).map(arr)
                }
                Some(other) => Err(args.value_err(
                    2,
                    "assume_a",
                    format!("expected 'gen' or 'pos', got '{}'", other),
                )),
            }
        }
        "solve_triangular" => {
            args.check(&["a", "b", "lower"])?;
            let lower = args.bool_or(2, "lower", false)?;
            factor::solve_triangular(&lazy(args, 0, "a")?, &lazy(args, 1, "b")?, lower).map(arr)
        }
        "inv" => {
            args.check(&["a"])?;
            lu::inv(&lazy(args, 0, "a")?).map(arr)
        }
        "lstsq" => {
            args.check(&["a", "b"])?;
            let [x, res, rank, s] = lstsq::lstsq(&lazy(args, 0, "a")?, &lazy(args, 1, "b")?)?;
            Ok(tuple(vec![x, res, rank, s]))
        }
        _ => Err(RaskError::name(format!(
            "module 'da.linalg' has no function '{}'",
            name
        ))),
    }
}
