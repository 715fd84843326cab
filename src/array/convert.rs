//! Converting between rask values and eager arrays: nested lists/tuples to `NdArr`
//! (NumPy's `np.array` inference: bool < int64 < float64), and back (`to_value`, `tolist`).

use super::kernels::broadcast::shape_str;
use super::kernels::elem::cast;
use super::kernels::promote::promote;
use crate::common::ndarr::{DType, NdArr};
use crate::errors::{RaskError, Result};
use crate::value::value::Value;
use ndarray::{ArrayD, IxDyn};
use std::sync::Arc;

/// Leaves gathered from a nested value, as f64/i64/bool plus the widest kind seen.
struct Gather {
    shape: Vec<usize>,
    shape_known: usize,
    dtype: Option<DType>,
    bools: Vec<bool>,
    ints: Vec<i64>,
    floats: Vec<f64>,
}

impl Gather {
    fn push_scalar(&mut self, b: bool, i: i64, f: f64, d: DType) {
        self.dtype = Some(match self.dtype {
            None => d,
            Some(x) => promote(x, d),
        });
        self.bools.push(b);
        self.ints.push(i);
        self.floats.push(f);
    }
}

fn ragged(depth: usize, shape: &[usize]) -> RaskError {
    RaskError::value(format!(
        "setting an array element with a sequence. The requested array has an inhomogeneous shape after {} dimensions. The detected shape was {} + inhomogeneous part.",
        depth,
        shape_str(&shape[..depth])
    ))
}

fn walk(v: &Value, depth: usize, g: &mut Gather) -> Result<()> {
    match v {
        __s if let Some(x) = __s.seq() => return walk_seq(&x, depth, g),
        Value::Range(a, b, s) => return walk_seq(&range_values(*a, *b, *s), depth, g),
        _ => {}
    }
    if let Some(a) = v.get::<Arc<NdArr>>() {
        // an array inside a list contributes its own axes
        let sh = a.shape();
        for (k, &d) in sh.iter().enumerate() {
            let at = depth + k;
            if at < g.shape_known {
                if g.shape[at] != d {
                    return Err(ragged(at, &g.shape));
                }
            } else if at == g.shape_known && g.bools.is_empty() {
                g.shape.push(d);
                g.shape_known += 1;
            } else {
                return Err(ragged(at.min(g.shape_known), &g.shape));
            }
        }
        if depth + sh.len() != g.shape_known {
            return Err(ragged(depth + sh.len(), &g.shape));
        }
        let d = a.dtype();
        crate::with_arr!(a.as_ref(), x => {
            for e in x.iter() {
                let e = *e;
                use super::kernels::elem::Elem;
                g.push_scalar(e.is_nonzero(), e.as_i64(), e.to_f64(), d);
            }
        });
        return Ok(());
    }
    if depth != g.shape_known {
        return Err(ragged(depth, &g.shape));
    }
    // scalars fix the depth: later sequences at this depth are ragged
    match v {
        Value::Bool(b) => g.push_scalar(*b, *b as i64, *b as u8 as f64, DType::Bool),
        Value::Int(i) => g.push_scalar(*i != 0, *i, *i as f64, DType::I64),
        Value::Float(f) => g.push_scalar(*f != 0.0, *f as i64, *f, DType::F64),
        other => {
            return Err(RaskError::type_(format!(
                "np.array() cannot hold a {}: only bool, int and float elements (and nested lists of them)",
                other.type_name()
            )))
        }
    }
    Ok(())
}

fn walk_seq(items: &[Value], depth: usize, g: &mut Gather) -> Result<()> {
    let n = items.len();
    if depth < g.shape_known {
        if g.shape[depth] != n {
            return Err(ragged(depth, &g.shape));
        }
    } else if depth == g.shape_known && g.bools.is_empty() {
        g.shape.push(n);
        g.shape_known += 1;
    } else {
        // a sequence where a scalar was seen before
        return Err(ragged(depth.min(g.shape_known), &g.shape));
    }
    for it in items {
        walk(it, depth + 1, g)?;
    }
    Ok(())
}

fn range_values(a: i64, b: i64, s: i64) -> Vec<Value> {
    let mut out = Vec::new();
    if s == 0 {
        return out;
    }
    let mut x = a;
    while (s > 0 && x < b) || (s < 0 && x > b) {
        out.push(Value::Int(x));
        x += s;
    }
    out
}

/// `np.array(v)`: nested lists/tuples of bool/int/float (or arrays), scalars as 0-d.
pub fn from_value(v: &Value) -> Result<NdArr> {
    if let Some(a) = v.get::<Arc<NdArr>>() {
        return Ok(a.as_ref().clone());
    }
    let mut g = Gather {
        shape: vec![],
        shape_known: 0,
        dtype: None,
        bools: vec![],
        ints: vec![],
        floats: vec![],
    };
    walk(v, 0, &mut g)?;
    let shape = IxDyn(&g.shape);
    let bad = |e: ndarray::ShapeError| RaskError::value(format!("np.array: {}", e));
    // an empty list gives float64, like NumPy
    Ok(match g.dtype.unwrap_or(DType::F64) {
        DType::Bool => NdArr::Bool(ArrayD::from_shape_vec(shape, g.bools).map_err(bad)?),
        DType::I32 => NdArr::I32(
            ArrayD::from_shape_vec(shape, g.ints.iter().map(|&x| x as i32).collect())
                .map_err(bad)?,
        ),
        DType::I64 => NdArr::I64(ArrayD::from_shape_vec(shape, g.ints).map_err(bad)?),
        DType::F32 => NdArr::F32(
            ArrayD::from_shape_vec(shape, g.floats.iter().map(|&x| x as f32).collect())
                .map_err(bad)?,
        ),
        DType::F64 => NdArr::F64(ArrayD::from_shape_vec(shape, g.floats).map_err(bad)?),
    })
}

/// `np.array(v, dtype=d)`.
pub fn from_value_as(v: &Value, d: Option<DType>) -> Result<NdArr> {
    let a = from_value(v)?;
    Ok(match d {
        Some(d) if d != a.dtype() => cast(&a, d),
        _ => a,
    })
}

/// A float32 scalar as the Python float with the same shortest digits (2.3f32 -> 2.3), so
/// results of float32 arrays print as NumPy shows them.
pub fn f32_to_py(f: f32) -> f64 {
    if !f.is_finite() {
        return f as f64;
    }
    format!("{}", f).parse::<f64>().unwrap_or(f as f64)
}

/// The first element of an array as a scalar value.
pub fn scalar_value(a: &NdArr) -> Value {
    match a {
        NdArr::Bool(x) => Value::Bool(x.iter().next().copied().unwrap_or(false)),
        NdArr::I32(x) => Value::Int(x.iter().next().copied().unwrap_or(0) as i64),
        NdArr::I64(x) => Value::Int(x.iter().next().copied().unwrap_or(0)),
        NdArr::F32(x) => Value::Float(f32_to_py(x.iter().next().copied().unwrap_or(0.0))),
        NdArr::F64(x) => Value::Float(x.iter().next().copied().unwrap_or(0.0)),
    }
}

/// 0-d arrays become Python scalars; others stay arrays (copied into a new `Arc`).
pub fn to_value(a: &NdArr) -> Value {
    if a.ndim() == 0 {
        scalar_value(a)
    } else {
        Value::obj(Arc::new(a.clone()))
    }
}

/// `to_value` for an array the caller owns (no copy).
pub fn into_value(a: NdArr) -> Value {
    if a.ndim() == 0 {
        scalar_value(&a)
    } else {
        Value::obj(Arc::new(a))
    }
}

/// `a.tolist()`: nested lists of Python scalars (a 0-d array gives its scalar).
pub fn tolist(a: &NdArr) -> Value {
    fn rec<T: Copy>(v: ndarray::ArrayViewD<'_, T>, f: &dyn Fn(T) -> Value) -> Value {
        if v.ndim() == 0 {
            return v.iter().next().map(|x| f(*x)).unwrap_or(Value::None);
        }
        let n = v.shape()[0];
        Value::list(
            (0..n)
                .map(|i| rec(v.index_axis(ndarray::Axis(0), i), f))
                .collect(),
        )
    }
    match a {
        NdArr::Bool(x) => rec(x.view(), &Value::Bool),
        NdArr::I32(x) => rec(x.view(), &|v: i32| Value::Int(v as i64)),
        NdArr::I64(x) => rec(x.view(), &Value::Int),
        NdArr::F32(x) => rec(x.view(), &|v: f32| Value::Float(f32_to_py(v))),
        NdArr::F64(x) => rec(x.view(), &Value::Float),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ints(v: &[i64]) -> Value {
        Value::list(v.iter().map(|&i| Value::Int(i)).collect())
    }

    #[test]
    fn nested_lists() {
        let v = Value::list(vec![ints(&[1, 2]), ints(&[3, 4]), ints(&[5, 6])]);
        let a = from_value(&v).unwrap();
        assert_eq!(a.shape(), &[3, 2]);
        assert_eq!(a.dtype(), DType::I64);
        let f = Value::list(vec![Value::Int(1), Value::Float(2.5), Value::Bool(true)]);
        assert_eq!(from_value(&f).unwrap().dtype(), DType::F64);
        let b = Value::tuple(vec![Value::Bool(true), Value::Bool(false)]);
        assert_eq!(from_value(&b).unwrap().dtype(), DType::Bool);
        let s = from_value(&Value::Float(2.0)).unwrap();
        assert_eq!(s.ndim(), 0);
        match tolist(&a) {
            Value::List(rows) => assert_eq!(rows.read().len(), 3),
            _ => panic!(),
        }
        let e = from_value(&Value::list(vec![])).unwrap();
        assert_eq!((e.shape(), e.dtype()), (&[0usize][..], DType::F64));
    }

    #[test]
    fn ragged_is_value_error() {
        let v = Value::list(vec![ints(&[1, 2]), ints(&[3])]);
        let e = from_value(&v).unwrap_err();
        assert!(e.message.contains("after 1 dimensions"), "{}", e.message);
        assert!(e.message.contains("(2,)"), "{}", e.message);
        let w = Value::list(vec![Value::Int(1), ints(&[3])]);
        assert!(from_value(&w).is_err());
        assert!(from_value(&Value::list(vec![Value::str("a")])).is_err());
    }

    #[test]
    fn scalars_back() {
        let a = NdArr::F32(ArrayD::from_elem(IxDyn(&[]), 2.3f32));
        match into_value(a) {
            Value::Float(f) => assert_eq!(f, 2.3),
            _ => panic!(),
        }
    }
}
