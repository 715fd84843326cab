//! End-to-end numeric checks: build through the `da` API, compute with the reference
//! scheduler, compare with direct computations on the assembled input.

use super::testutil::{eval, f64s};
use super::LazyArray;
use crate::array::da_api::{binary, call, compare, method};
use crate::array::kernels;
use crate::common::ndarr::DType;
use crate::syntax::ast::{BinOp, CmpOp};
use crate::value::args::Args;
use crate::value::value::Value;
use std::sync::Arc;

/// These tests need the arithmetic kernels; on a branch without them they are skipped.
fn args(f: &str, pos: Vec<Value>, kw: Vec<(&str, Value)>) -> Args {
    let mut a = Args::new(f, pos);
    a.kw = kw.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    a
}
fn lz(v: Value) -> Arc<LazyArray> {
    match v {
        ref __v if let Some(a) = __v.get::<Arc<LazyArray>>() => a.clone(),
        other => panic!("not lazy: {:?}", other),
    }
}
fn ints(v: &[i64]) -> Value {
    Value::tuple(v.iter().map(|&i| Value::Int(i)).collect())
}
fn rand(shape: &[i64], chunks: &[i64], seed: i64) -> Value {
    call(
        "random.random",
        &args(
            "da.random.random",
            vec![ints(shape)],
            vec![("chunks", ints(chunks)), ("seed", Value::Int(seed))],
        ),
    )
    .unwrap()
}
fn num(v: &Value) -> Vec<f64> {
    f64s(&eval(&lz(v.clone())).unwrap())
}
fn close(a: &[f64], b: &[f64], tol: f64) {
    assert_eq!(a.len(), b.len(), "lengths {:?} vs {:?}", a, b);
    for (x, y) in a.iter().zip(b) {
        assert!((x - y).abs() <= tol * (1.0 + y.abs()), "{} vs {}", x, y);
    }
}
fn m(a: &Arc<LazyArray>, name: &str, kw: Vec<(&str, Value)>) -> Value {
    method(a, name, &args(&format!("Array.{}", name), vec![], kw)).unwrap()
}

#[test]
fn arange_power_sum_mean_std() {
    let x = call(
        "arange",
        &args(
            "da.arange",
            vec![Value::Int(25)],
            vec![("chunks", Value::Int(5))],
        ),
    )
    .unwrap();
    let y = binary(BinOp::Pow, &x, &Value::Int(2)).unwrap();
    let ya = lz(y.clone());
    assert_eq!(
        ya.summary(),
        "Array<shape=(25,), dtype=int64, chunks=(5,), tasks=10>"
    );
    assert_eq!(num(&m(&ya, "sum", vec![])), vec![4900.0]);
    let sq: Vec<f64> = (0..25).map(|i| (i * i) as f64).collect();
    let mean = sq.iter().sum::<f64>() / 25.0;
    let var = sq.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / 25.0;
    close(&num(&m(&ya, "mean", vec![])), &[mean], 1e-14);
    close(&num(&m(&ya, "std", vec![])), &[var.sqrt()], 1e-13);
    close(
        &num(&m(&ya, "var", vec![("ddof", Value::Int(1))])),
        &[var * 25.0 / 24.0],
        1e-13,
    );
    assert_eq!(num(&m(&ya, "max", vec![])), vec![576.0]);
    assert_eq!(num(&m(&ya, "argmax", vec![])), vec![24.0]);
    assert_eq!(num(&m(&ya, "min", vec![])), vec![0.0]);
    let rev = crate::array::da_api::getitem(
        &ya,
        &[kernels::IndexItem::Slice {
            start: None,
            stop: None,
            step: Some(-5),
        }],
    )
    .unwrap();
    assert_eq!(num(&rev), vec![576., 361., 196., 81., 16.]);
}

#[test]
fn reductions_over_axes_match_direct() {
    let x = rand(&[13, 9, 7], &[4, 5, 3], 11);
    let xa = lz(x.clone());
    let full = num(&x);
    let at = |i: usize, j: usize, k: usize| full[(i * 9 + j) * 7 + k];
    // sum over (0, 2), keepdims
    let s = m(
        &xa,
        "sum",
        vec![("axis", ints(&[0, -1])), ("keepdims", Value::Bool(true))],
    );
    assert_eq!(lz(s.clone()).shape, vec![1, 9, 1]);
    let want: Vec<f64> = (0..9)
        .map(|j| {
            (0..13)
                .flat_map(|i| (0..7).map(move |k| (i, k)))
                .map(|(i, k)| at(i, j, k))
                .sum()
        })
        .collect();
    close(&num(&s), &want, 1e-12);
    // max and argmin along axis 1
    let mx = num(&m(&xa, "max", vec![("axis", Value::Int(1))]));
    let am = num(&m(&xa, "argmin", vec![("axis", Value::Int(1))]));
    for i in 0..13 {
        for k in 0..7 {
            let col: Vec<f64> = (0..9).map(|j| at(i, j, k)).collect();
            let best = col.iter().cloned().fold(f64::MIN, f64::max);
            assert_eq!(mx[i * 7 + k], best);
            let amin = (0..9).fold(0, |b, j| if col[j] < col[b] { j } else { b });
            assert_eq!(am[i * 7 + k], amin as f64);
        }
    }
    // prod, any, all on a small integer array
    let a = call(
        "from_array",
        &args(
            "da.from_array",
            vec![Value::list((1..=6).map(Value::Int).collect())],
            vec![("chunks", Value::Int(4))],
        ),
    )
    .unwrap();
    let aa = lz(a.clone());
    assert_eq!(num(&m(&aa, "prod", vec![])), vec![720.0]);
    let gt = lz(compare(CmpOp::Gt, &a, &Value::Int(5)).unwrap());
    assert_eq!(num(&m(&gt, "any", vec![])), vec![1.0]);
    assert_eq!(num(&m(&gt, "all", vec![])), vec![0.0]);
    assert_eq!(num(&m(&gt, "sum", vec![])), vec![1.0]);
}

#[test]
fn elementwise_broadcast_unify_and_weak_scalars() {
    let a = rand(&[10, 6], &[5, 3], 1);
    let b = rand(&[6], &[4], 2);
    let (va, vb) = (num(&a), num(&b));
    let c = binary(BinOp::Sub, &a, &b).unwrap();
    let want: Vec<f64> = (0..60).map(|i| va[i] - vb[i % 6]).collect();
    close(&num(&c), &want, 0.0);
    // lazy op list, scalar on the left
    let row = Value::list((0..6).map(Value::Int).collect());
    let d = binary(
        BinOp::Mul,
        &Value::Float(2.0),
        &binary(BinOp::Add, &a, &row).unwrap(),
    )
    .unwrap();
    let want: Vec<f64> = (0..60).map(|i| 2.0 * (va[i] + (i % 6) as f64)).collect();
    close(&num(&d), &want, 1e-15);
    // float32 * 2.5 stays float32; int / int is float64
    let f = lz(a.clone());
    let f32a = lz(m(&f, "astype", vec![("dtype", Value::str("float32"))]));
    let g = lz(binary(BinOp::Mul, &Value::obj(f32a), &Value::Float(2.5)).unwrap());
    assert_eq!(g.dtype, DType::F32);
    let i = call("arange", &args("da.arange", vec![Value::Int(4)], vec![])).unwrap();
    let q = lz(binary(BinOp::Div, &i, &Value::Int(2)).unwrap());
    assert_eq!(q.dtype, DType::F64);
    assert_eq!(num(&Value::obj(q)), vec![0.0, 0.5, 1.0, 1.5]);
    // ufunc
    let e = crate::array::da_api::call("exp", &args("da.exp", vec![b.clone()], vec![])).unwrap();
    close(
        &num(&e),
        &vb.iter().map(|v| v.exp()).collect::<Vec<_>>(),
        1e-15,
    );
}

#[test]
fn transpose_dot_tensordot_match_naive() {
    let a = rand(&[12, 8], &[5, 3], 3);
    let b = rand(&[8, 7], &[4, 7], 4);
    let (va, vb) = (num(&a), num(&b));
    let c = binary(BinOp::MatMul, &a, &b).unwrap();
    let mut want = vec![0.0; 12 * 7];
    for i in 0..12 {
        for j in 0..7 {
            want[i * 7 + j] = (0..8).map(|k| va[i * 8 + k] * vb[k * 7 + j]).sum();
        }
    }
    close(&num(&c), &want, 1e-12);
    let at = crate::array::da_api::attr(&lz(a.clone()), "T").unwrap();
    let t = num(&at);
    for i in 0..12 {
        for j in 0..8 {
            assert_eq!(t[j * 12 + i], va[i * 8 + j]);
        }
    }
    // tensordot over axis 0 of both: a.T @ a
    let td = call(
        "tensordot",
        &args(
            "da.tensordot",
            vec![a.clone(), a.clone()],
            vec![("axes", Value::tuple(vec![ints(&[0]), ints(&[0])]))],
        ),
    )
    .unwrap();
    let mut want = vec![0.0; 64];
    for i in 0..8 {
        for j in 0..8 {
            want[i * 8 + j] = (0..12).map(|k| va[k * 8 + i] * va[k * 8 + j]).sum();
        }
    }
    close(&num(&td), &want, 1e-12);
    let nrm = call(
        "linalg.norm",
        &args("da.linalg.norm", vec![a.clone()], vec![]),
    )
    .unwrap();
    let fro = va.iter().map(|v| v * v).sum::<f64>().sqrt();
    close(&num(&nrm), &[fro], 1e-13);
}

#[test]
fn join_reshape_rechunk_values() {
    let i = call(
        "arange",
        &args(
            "da.arange",
            vec![Value::Int(6)],
            vec![("chunks", Value::Int(4))],
        ),
    )
    .unwrap();
    let f = call(
        "ones",
        &args(
            "da.ones",
            vec![Value::Int(3)],
            vec![("chunks", Value::Int(2))],
        ),
    )
    .unwrap();
    let c = call(
        "concatenate",
        &args(
            "da.concatenate",
            vec![Value::list(vec![i.clone(), f])],
            vec![],
        ),
    )
    .unwrap();
    assert_eq!(lz(c.clone()).dtype, DType::F64);
    assert_eq!(num(&c), vec![0., 1., 2., 3., 4., 5., 1., 1., 1.]);
    let ia = lz(i.clone());
    let r = method(
        &ia,
        "reshape",
        &args("Array.reshape", vec![Value::Int(2), Value::Int(3)], vec![]),
    )
    .unwrap();
    let rs = lz(m(&lz(r.clone()), "sum", vec![("axis", Value::Int(1))]));
    assert_eq!(num(&Value::obj(rs)), vec![3., 12.]);
    let rc = m(&ia, "rechunk", vec![("chunks", Value::Int(1))]);
    assert_eq!(lz(rc.clone()).npartitions(), 6);
    assert_eq!(num(&rc), vec![0., 1., 2., 3., 4., 5.]);
    let s = call(
        "stack",
        &args(
            "da.stack",
            vec![Value::list(vec![i.clone(), i])],
            vec![("axis", Value::Int(1))],
        ),
    )
    .unwrap();
    assert_eq!(
        num(&s),
        vec![0., 0., 1., 1., 2., 2., 3., 3., 4., 4., 5., 5.]
    );
    let e = call(
        "eye",
        &args(
            "da.eye",
            vec![Value::Int(3)],
            vec![("chunks", Value::Int(2))],
        ),
    )
    .unwrap();
    let ea = lz(e);
    let tr = m(&ea, "sum", vec![]);
    assert_eq!(num(&tr), vec![3.0]);
}
