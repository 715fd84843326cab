use super::*;
use crate::array::kernels::format;

fn args(name: &str, pos: Vec<Value>, kw: Vec<(&str, Value)>) -> Args {
    let mut a = Args::new(name, pos);
    a.kw = kw.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    a
}
fn arr(v: &Value) -> Arc<NdArr> {
    match v {
        obj if let Some(a) = obj.get::<std::sync::Arc<crate::common::ndarr::NdArr>>() => a.clone(),
        other => panic!("not an array: {:?}", other),
    }
}
fn show(v: &Value) -> String {
    match v {
        obj if let Some(a) = obj.get::<std::sync::Arc<crate::common::ndarr::NdArr>>() => format(a),
        Value::Float(f) => crate::array::kernels::format::py_float(*f),
        Value::Int(i) => i.to_string(),
        Value::Bool(b) => b.to_string(),
        other => format!("{:?}", other),
    }
}
fn ints(v: &[i64]) -> Value {
    Value::list(v.iter().map(|&i| Value::Int(i)).collect())
}

#[test]
fn creation() {
    let a = call("arange", &args("np.arange", vec![Value::Int(4)], vec![])).unwrap();
    assert_eq!(show(&a), "array([0, 1, 2, 3])");
    let l = call(
        "linspace",
        &args(
            "np.linspace",
            vec![Value::Int(0), Value::Int(1), Value::Int(3)],
            vec![],
        ),
    )
    .unwrap();
    assert_eq!(show(&l), "array([0. , 0.5, 1. ])");
    let e = call("eye", &args("np.eye", vec![Value::Int(2)], vec![])).unwrap();
    assert_eq!(show(&e), "array([[1., 0.],\n       [0., 1.]])");
    let z = call(
        "zeros",
        &args(
            "np.zeros",
            vec![Value::tuple(vec![Value::Int(2)])],
            vec![("dtype", module_attr("int32").unwrap())],
        ),
    )
    .unwrap();
    assert_eq!(show(&z), "array([0, 0], dtype=int32)");
    let f = call(
        "arange",
        &args(
            "np.arange",
            vec![Value::Float(0.0), Value::Int(1), Value::Float(0.25)],
            vec![],
        ),
    )
    .unwrap();
    assert_eq!(show(&f), "array([0.  , 0.25, 0.5 , 0.75])");
    let bad = call(
        "zeros",
        &args(
            "np.zeros",
            vec![Value::Int(2)],
            vec![("dtype", Value::str("complex"))],
        ),
    )
    .unwrap_err();
    assert!(
        bad.message.contains("data type 'complex' not understood"),
        "{}",
        bad.message
    );
    let unk = call("arang", &args("np.arang", vec![], vec![])).unwrap_err();
    assert_eq!(unk.hint.as_deref(), Some("did you mean 'np.arange'?"));
}

#[test]
fn random_is_reproducible() {
    let mk = || {
        call(
            "random.normal",
            &args(
                "np.random.normal",
                vec![Value::Int(10), Value::Float(0.1)],
                vec![
                    ("size", Value::tuple(vec![Value::Int(100), Value::Int(3)])),
                    ("seed", Value::Int(4)),
                ],
            ),
        )
        .unwrap()
    };
    let (a, b) = (arr(&mk()), arr(&mk()));
    assert_eq!(a.shape(), &[100, 3]);
    assert_eq!(format(&a), format(&b));
    let m = method(&a, "mean", &Args::new("mean", vec![])).unwrap();
    match m {
        Value::Float(f) => assert!((f - 10.0).abs() < 0.05),
        other => panic!("{:?}", other),
    }
    let s = call("random.random", &args("np.random.random", vec![], vec![])).unwrap();
    assert!(matches!(s, Value::Float(f) if (0.0..1.0).contains(&f)));
}

#[test]
fn methods_and_attrs() {
    let x = arr(&call("arange", &args("np.arange", vec![Value::Int(6)], vec![])).unwrap());
    let x = arr(&method(
        &x,
        "reshape",
        &Args::new("reshape", vec![Value::Int(2), Value::Int(-1)]),
    )
    .unwrap());
    assert_eq!(x.shape(), &[2, 3]);
    let s0 = method(
        &x,
        "sum",
        &args("sum", vec![], vec![("axis", Value::Int(0))]),
    )
    .unwrap();
    assert_eq!(show(&s0), "array([3, 5, 7])");
    let s = method(&x, "sum", &Args::new("sum", vec![])).unwrap();
    assert_eq!(show(&s), "15");
    let k = method(
        &x,
        "mean",
        &args(
            "mean",
            vec![Value::Int(-1)],
            vec![("keepdims", Value::Bool(true))],
        ),
    )
    .unwrap();
    assert_eq!(show(&k), "array([[1.],\n       [4.]])");
    let v = method(
        &x,
        "std",
        &args("std", vec![], vec![("ddof", Value::Int(1))]),
    )
    .unwrap();
    assert_eq!(show(&v), "1.8708286933869707");
    assert_eq!(
        show(&method(&x, "argmax", &Args::new("argmax", vec![])).unwrap()),
        "5"
    );
    assert_eq!(show(&attr(&x, "shape").unwrap()), "Tuple([Int(2), Int(3)])");
    assert_eq!(
        show(&attr(&x, "T").unwrap()),
        "array([[0, 3],\n       [1, 4],\n       [2, 5]])"
    );
    let e = method(&x, "summ", &Args::new("summ", vec![])).unwrap_err();
    assert_eq!(e.hint.as_deref(), Some("did you mean 'sum'?"));
    let t = method(
        &x,
        "astype",
        &Args::new("astype", vec![Value::str("float32")]),
    )
    .unwrap();
    assert_eq!(
        show(&t),
        "array([[0., 1., 2.],\n       [3., 4., 5.]], dtype=float32)"
    );
    let r = call(
        "round",
        &args(
            "np.round",
            vec![
                Value::list(vec![
                    Value::Float(0.5),
                    Value::Float(1.5),
                    Value::Float(2.675),
                ]),
                Value::Int(2),
            ],
            vec![],
        ),
    )
    .unwrap();
    assert_eq!(show(&r), "array([0.5 , 1.5 , 2.68])");
}

#[test]
fn operators_with_values() {
    let x = call("array", &args("np.array", vec![ints(&[1, 2, 3])], vec![])).unwrap();
    let y = binary(BinOp::Mul, &x, &Value::Float(2.5)).unwrap();
    assert_eq!(show(&y), "array([2.5, 5. , 7.5])");
    let z = binary(BinOp::Sub, &Value::Int(10), &x).unwrap();
    assert_eq!(show(&z), "array([9, 8, 7])");
    let w = binary(BinOp::Add, &x, &ints(&[10, 20, 30])).unwrap();
    assert_eq!(show(&w), "array([11, 22, 33])");
    let d = binary(BinOp::MatMul, &x, &x).unwrap();
    assert_eq!(show(&d), "14");
    let c = compare_values(CmpOp::Ge, &x, &Value::Int(2)).unwrap();
    assert_eq!(show(&c), "array([False,  True,  True])");
    let m = getitem(&arr(&x), &[index_item(&c).unwrap()]).unwrap();
    assert_eq!(show(&m), "array([2, 3])");
    let e = unary_value(UFunc::Exp, &Value::Int(0)).unwrap();
    assert_eq!(show(&e), "1.0");
    let g = getitem(&arr(&x), &[IndexItem::Int(5)]).unwrap_err();
    assert_eq!(g.message, "index 5 is out of bounds for axis 0 with size 3");
    assert!(matches!(
        getitem(&arr(&x), &[IndexItem::Int(-1)]).unwrap(),
        Value::Int(3)
    ));
}

#[test]
fn comparisons_of_arrays() {
    let a = call(
        "array",
        &args(
            "np.array",
            vec![Value::list(vec![Value::Float(1.0), Value::Float(2.0)])],
            vec![],
        ),
    )
    .unwrap();
    let b = binary(BinOp::Add, &a, &Value::Float(1e-9)).unwrap();
    let c = call(
        "allclose",
        &args("np.allclose", vec![a.clone(), b.clone()], vec![]),
    )
    .unwrap();
    assert!(matches!(c, Value::Bool(true)));
    let eq = call(
        "array_equal",
        &args("np.array_equal", vec![a.clone(), b], vec![]),
    )
    .unwrap();
    assert!(matches!(eq, Value::Bool(false)));
    let mx = call(
        "maximum",
        &args("np.maximum", vec![a.clone(), Value::Float(1.5)], vec![]),
    )
    .unwrap();
    assert_eq!(show(&mx), "array([1.5, 2. ])");
    let cat = call(
        "concatenate",
        &args(
            "np.concatenate",
            vec![Value::list(vec![a.clone(), a.clone()])],
            vec![],
        ),
    )
    .unwrap();
    assert_eq!(show(&cat), "array([1., 2., 1., 2.])");
    let st = call(
        "stack",
        &args(
            "np.stack",
            vec![Value::list(vec![a.clone(), a])],
            vec![("axis", Value::Int(1))],
        ),
    )
    .unwrap();
    assert_eq!(arr(&st).shape(), &[2, 2]);
}

#[test]
fn docs_cover_functions() {
    for f in FUNCTIONS {
        if [
            "asarray",
            "ones_like",
            "zeros_like",
            "full_like",
            "identity",
            "bool_",
            "ndim",
            "size",
        ]
        .contains(f)
        {
            continue;
        }
        let n = format!("np.{}", f);
        assert!(DOCS.iter().any(|d| d.name == n), "missing doc for {}", n);
    }
    for m in METHODS {
        let n = format!("ndarray.{}", m);
        assert!(DOCS.iter().any(|d| d.name == n), "missing doc for {}", n);
    }
}

#[test]
fn rand_takes_dimensions() {
    let r = call(
        "random.rand",
        &args("np.random.rand", vec![Value::Int(2), Value::Int(3)], vec![]),
    )
    .unwrap();
    assert_eq!(arr(&r).shape(), &[2, 3]);
    let r = call(
        "random.randn",
        &args(
            "np.random.randn",
            vec![Value::Int(4)],
            vec![("seed", Value::Int(1))],
        ),
    )
    .unwrap();
    assert_eq!(arr(&r).shape(), &[4]);
    let t = call(
        "transpose",
        &args(
            "np.transpose",
            vec![call(
                "ones",
                &args(
                    "np.ones",
                    vec![Value::tuple(vec![Value::Int(2), Value::Int(3)])],
                    vec![],
                ),
            )
            .unwrap()],
            vec![],
        ),
    )
    .unwrap();
    assert_eq!(arr(&t).shape(), &[3, 2]);
    let h = call(
        "hstack",
        &args(
            "np.hstack",
            vec![Value::list(vec![ints(&[1]), ints(&[2, 3])])],
            vec![],
        ),
    )
    .unwrap();
    assert_eq!(show(&h), "array([1, 2, 3])");
    let v = call(
        "vstack",
        &args(
            "np.vstack",
            vec![Value::list(vec![ints(&[1, 2]), ints(&[3, 4])])],
            vec![],
        ),
    )
    .unwrap();
    assert_eq!(arr(&v).shape(), &[2, 2]);
    let w = call(
        "where",
        &args(
            "np.where",
            vec![
                Value::list(vec![Value::Bool(true), Value::Bool(false)]),
                Value::Int(1),
                Value::Float(0.5),
            ],
            vec![],
        ),
    )
    .unwrap();
    assert_eq!(show(&w), "array([1. , 0.5])");
    let td = call(
        "tensordot",
        &args(
            "np.tensordot",
            vec![ints(&[1, 2]), ints(&[3, 4])],
            vec![("axes", Value::Int(1))],
        ),
    )
    .unwrap();
    assert_eq!(show(&td), "11");
}

#[test]
fn reshape_errors_and_dtypes() {
    let x = arr(&call("arange", &args("np.arange", vec![Value::Int(6)], vec![])).unwrap());
    let e = method(&x, "reshape", &Args::new("reshape", vec![Value::Int(4)])).unwrap_err();
    assert_eq!(e.message, "cannot reshape array of size 6 into shape (4,)");
    let e = method(
        &x,
        "reshape",
        &Args::new("reshape", vec![Value::Int(-1), Value::Int(4)]),
    )
    .unwrap_err();
    assert_eq!(
        e.message,
        "cannot reshape array of size 6 into shape (-1, 4)"
    );
    let f = Value::Func(Arc::new(crate::value::value::Function::Builtin {
        name: "float".into(),
    }));
    let y = method(&x, "astype", &Args::new("astype", vec![f])).unwrap();
    assert_eq!(arr(&y).dtype(), DType::F64);
    let s = method(
        &x,
        "sum",
        &args("sum", vec![Value::tuple(vec![Value::Int(0)])], vec![]),
    )
    .unwrap();
    assert!(matches!(s, Value::Int(15)));
    let bad = method(&x, "sum", &args("sum", vec![Value::Int(1)], vec![])).unwrap_err();
    assert_eq!(
        bad.message,
        "axis 1 is out of bounds for array of dimension 1"
    );
    assert!(truth(&x).is_err());
}

#[test]
fn concatenate_axis_none_flattens() {
    let m = call(
        "ones",
        &args(
            "np.ones",
            vec![Value::tuple(vec![Value::Int(2), Value::Int(2)])],
            vec![],
        ),
    )
    .unwrap();
    let r = call(
        "concatenate",
        &args(
            "np.concatenate",
            vec![Value::list(vec![m.clone(), m])],
            vec![("axis", Value::None)],
        ),
    )
    .unwrap();
    assert_eq!(arr(&r).shape(), &[8]);
}
