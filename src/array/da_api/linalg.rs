//! `da.linalg.norm`: vector and matrix norms built from lazy elementwise work and tree
//! reductions (the norms that need a decomposition, ord=2/-2/'nuc' on matrices, are
//! computed from the singular values and belong with da.linalg.svd).

use super::parse::{at, repr_value};
use crate::array::kernels::{ReduceKind, Scalar, UFunc};
use crate::array::lazy::elementwise::{astype, binary_scalar, compare_scalar, unary};
use crate::array::lazy::reduction::reduce;
use crate::array::lazy::{norm_axis, LazyArray};
use crate::common::ndarr::DType;
use crate::errors::{RaskError, Result};
use crate::syntax::ast::{BinOp, CmpOp};
use crate::value::args::Args;
use crate::value::value::Value;
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Ord {
    Default,
    Fro,
    Nuc,
    P(f64),
}

fn ord_arg(args: &Args) -> Result<Ord> {
    Ok(match args.get(1, "ord") {
        None | Some(Value::None) => Ord::Default,
        Some(Value::Str(s)) if &**s == "fro" => Ord::Fro,
        Some(Value::Str(s)) if &**s == "nuc" => Ord::Nuc,
        Some(Value::Int(i)) => Ord::P(*i as f64),
        Some(Value::Float(f)) => Ord::P(*f),
        Some(other) => {
            return Err(args.type_err(1, "ord", "None, a number, inf, 'fro' or 'nuc'", other))
        }
    })
}

fn float(a: &LazyArray) -> LazyArray {
    if a.dtype.is_float() {
        a.clone()
    } else {
        astype(a, DType::F64)
    }
}

fn red(a: &LazyArray, k: ReduceKind, axes: &[usize], keepdims: bool) -> Result<LazyArray> {
    reduce(a, k, axes, keepdims, None)
}

fn vector_norm(x: &LazyArray, ord: f64, axes: &[usize], keepdims: bool) -> Result<LazyArray> {
    let absx = unary(UFunc::Abs, &float(x));
    if ord == f64::INFINITY {
        red(&absx, ReduceKind::Max, axes, keepdims)
    } else if ord == f64::NEG_INFINITY {
        red(&absx, ReduceKind::Min, axes, keepdims)
    } else if ord == 0.0 {
        let nz = compare_scalar(CmpOp::Ne, x, Scalar::Int(0), false)?;
        Ok(astype(
            &red(&nz, ReduceKind::Sum, axes, keepdims)?,
            DType::F64,
        ))
    } else if ord == 1.0 {
        red(&absx, ReduceKind::Sum, axes, keepdims)
    } else if ord == 2.0 {
        let sq = unary(UFunc::Square, &absx);
        Ok(unary(
            UFunc::Sqrt,
            &red(&sq, ReduceKind::Sum, axes, keepdims)?,
        ))
    } else {
        let p = binary_scalar(BinOp::Pow, &absx, Scalar::Float(ord), false)?;
        let s = red(&p, ReduceKind::Sum, axes, keepdims)?;
        binary_scalar(BinOp::Pow, &s, Scalar::Float(1.0 / ord), false)
    }
}

/// Matrix norms over (row axis, column axis).
fn matrix_norm(x: &LazyArray, ord: Ord, r: usize, c: usize, keepdims: bool) -> Result<LazyArray> {
    let absx = unary(UFunc::Abs, &float(x));
    // Reducing the first axis renumbers the second when it comes after.
    let after = |first: usize, second: usize| if second > first { second - 1 } else { second };
    let sum_then = |sum_ax: usize, other: usize, k: ReduceKind| -> Result<LazyArray> {
        let s = red(&absx, ReduceKind::Sum, &[sum_ax], keepdims)?;
        let o = if keepdims {
            other
        } else {
            after(sum_ax, other)
        };
        red(&s, k, &[o], keepdims)
    };
    match ord {
        Ord::Default | Ord::Fro => {
            let mut axes = vec![r, c];
            axes.sort_unstable();
            let sq = unary(UFunc::Square, &absx);
            Ok(unary(UFunc::Sqrt, &red(&sq, ReduceKind::Sum, &axes, keepdims)?))
        }
        Ord::P(1.0) => sum_then(r, c, ReduceKind::Max),
        Ord::P(-1.0) => sum_then(r, c, ReduceKind::Min),
        Ord::P(p) if p == f64::INFINITY => sum_then(c, r, ReduceKind::Max),
        Ord::P(p) if p == f64::NEG_INFINITY => sum_then(c, r, ReduceKind::Min),
        Ord::P(p) if p == 2.0 || p == -2.0 => Err(RaskError::value(format!(
            "da.linalg.norm(): ord={} of a matrix is a singular value: use da.linalg.svd(x)[1].max() (or .min())",
            p
        ))),
        Ord::Nuc => Err(RaskError::value(
            "da.linalg.norm(): the nuclear norm is the sum of singular values: use da.linalg.svd(x)[1].sum()",
        )),
        Ord::P(p) => Err(RaskError::value(format!(
            "da.linalg.norm(): invalid norm order {} for matrices (use None, 'fro', 1, -1, inf, -inf)",
            p
        ))),
    }
}

/// `da.linalg.norm(x, ord=None, axis=None, keepdims=False)`.
pub fn norm(x: &Arc<LazyArray>, args: &Args) -> Result<LazyArray> {
    args.check(&["x", "ord", "axis", "keepdims"])?;
    let ord = ord_arg(args)?;
    let keepdims = args.bool_or(3, "keepdims", false)?;
    let ctx = "da.linalg.norm()";
    let axes: Vec<usize> = match args.get(2, "axis") {
        None | Some(Value::None) => (0..x.ndim()).collect(),
        Some(Value::Int(i)) => vec![norm_axis(*i, x.ndim(), ctx).map_err(at(args, 2, "axis"))?],
        Some(__s) if let Some(v) = __s.seq() => v
            .iter()
            .map(|a| match a {
                Value::Int(i) => norm_axis(*i, x.ndim(), ctx).map_err(at(args, 2, "axis")),
                other => Err(args.type_err(2, "axis", "an int or a pair of ints", other)),
            })
            .collect::<Result<_>>()?,
        Some(other) => {
            return Err(args.type_err(2, "axis", "None, an int or a pair of ints", other))
        }
    };
    let axis_given = !matches!(args.get(2, "axis"), None | Some(Value::None));
    match (axes.len(), ord) {
        // No axis and no ord: the 2-norm of the flattened array, whatever its ndim.
        (_, Ord::Default) if !axis_given => {
            let sq = unary(UFunc::Square, &unary(UFunc::Abs, &float(x)));
            Ok(unary(
                UFunc::Sqrt,
                &red(&sq, ReduceKind::Sum, &axes, keepdims)?,
            ))
        }
        (1, Ord::Default) => vector_norm(x, 2.0, &axes, keepdims),
        (1, Ord::P(p)) => vector_norm(x, p, &axes, keepdims),
        (1, other) => Err(args.value_err(
            1,
            "ord",
            format!("invalid norm order {:?} for vectors", other),
        )),
        (2, _) => {
            if axes[0] == axes[1] {
                return Err(args.value_err(2, "axis", "duplicate axes given"));
            }
            let (r, c) = match args.get(2, "axis") {
                Some(__s) if let Some(_) = __s.seq() => (axes[0], axes[1]),
                _ => (0, 1),
            };
            matrix_norm(x, ord, r, c, keepdims)
        }
        (n, _) => Err(args.value_err(
            2,
            "axis",
            format!(
                "improper number of dimensions to norm: {} (array of shape {}, axis {})",
                n,
                crate::array::lazy::fmt_tuple(&x.shape),
                args.get(2, "axis").map(repr_value).unwrap_or_default()
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::array::lazy::creation::full;

    #[test]
    fn norm_graphs() {
        let x = Arc::new(
            full(
                "ones",
                vec![4, 6],
                Scalar::Int(1),
                DType::F64,
                Some(&Value::Int(2)),
            )
            .unwrap(),
        );
        let a = Args::new("da.linalg.norm", vec![Value::obj(x.clone())]);
        let n = norm(&x, &a).unwrap();
        assert_eq!(n.shape, Vec::<usize>::new());
        assert!(n.name.starts_with("sqrt-"));
        let mut a1 = Args::new("da.linalg.norm", vec![Value::obj(x.clone())]);
        a1.kw = vec![
            ("ord".into(), Value::Float(f64::INFINITY)),
            ("axis".into(), Value::Int(1)),
        ];
        let n1 = norm(&x, &a1).unwrap();
        assert_eq!(n1.shape, vec![4]);
        let mut a2 = Args::new("da.linalg.norm", vec![Value::obj(x.clone())]);
        a2.kw = vec![("ord".into(), Value::Int(1))];
        assert_eq!(norm(&x, &a2).unwrap().shape, Vec::<usize>::new());
        a2.kw = vec![("ord".into(), Value::Int(2))];
        assert!(norm(&x, &a2).unwrap_err().message.contains("svd"));
    }
}
