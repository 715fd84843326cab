//! The fused chain against the same steps run one by one: every dtype, operator, ufunc,
//! comparison and cast, scalars on either side, 0-d, one-element and full arrays as the
//! other operand, NaN, infinities, -0.0 and integer overflow, with and without each
//! whole-chunk reduction. Results must agree bit for bit, errors word for word.

use super::*;
use crate::array::kernels::UFunc;
use crate::syntax::ast::CmpOp;

fn key(name: &str) -> Key {
    Key::new(&Arc::from(name), vec![0])
}

fn step(name: &str, op: ArrayOp, inputs: Vec<StepInput>) -> FusedStep {
    FusedStep {
        key: key(name),
        op: crate::graph::task::Op::new(op),
        inputs,
    }
}

/// The steps run one after another, each into a fresh result (what `Fused::run` did).
fn unfused(steps: &[FusedStep], inputs: &[Arc<Chunk>]) -> Result<Chunk> {
    let mut res: Vec<Option<Arc<Chunk>>> = vec![None; steps.len()];
    for (i, s) in steps.iter().enumerate() {
        let args: Vec<Arc<Chunk>> = s
            .inputs
            .iter()
            .map(|inp| match *inp {
                StepInput::External(j) => inputs[j].clone(),
                StepInput::Step(j) => res[j].clone().unwrap(),
            })
            .collect();
        let out = s.op.run(&args).map_err(|e| annotate_error(e, &s.key))?;
        res[i] = Some(Arc::new(out));
    }
    Ok((*res.pop().unwrap().unwrap()).clone())
}

/// Element bits: floats by their bits (-0.0 kept apart from 0.0), ints as they are.
fn bits(a: &NdArr) -> Vec<u64> {
    match a {
        NdArr::Bool(x) => x.iter().map(|&v| v as u64).collect(),
        NdArr::I32(x) => x.iter().map(|&v| v as u64).collect(),
        NdArr::I64(x) => x.iter().map(|&v| v as u64).collect(),
        // one NaN for all: LLVM does not keep a NaN's sign or payload through arithmetic,
        // and NumPy prints every NaN as `nan`
        NdArr::F32(x) => x
            .iter()
            .map(|v| if v.is_nan() { 1 } else { v.to_bits() as u64 })
            .collect(),
        NdArr::F64(x) => x
            .iter()
            .map(|v| if v.is_nan() { 1 } else { v.to_bits() })
            .collect(),
    }
}

fn same(a: &Chunk, b: &Chunk) -> std::result::Result<(), String> {
    match (a, b) {
        (Chunk::Tuple(x), Chunk::Tuple(y)) if x.len() == y.len() => {
            x.iter().zip(y).try_for_each(|(p, q)| same(p, q))
        }
        _ => match (chunk_nd(a), chunk_nd(b)) {
            (Some(x), Some(y)) => {
                if x.dtype() != y.dtype() || x.shape() != y.shape() {
                    return Err(format!(
                        "{:?}{:?} vs {:?}{:?}",
                        x.dtype(),
                        x.shape(),
                        y.dtype(),
                        y.shape()
                    ));
                }
                let (p, q) = (bits(x), bits(y));
                match p.iter().zip(&q).position(|(u, v)| u != v) {
                    Some(i) => Err(format!("element {}: {:x} vs {:x}", i, p[i], q[i])),
                    None => Ok(()),
                }
            }
            _ => Err("not both arrays".into()),
        },
    }
}

/// Fused (when the hook takes the chain) against unfused; true when the hook took it.
fn check(steps: &[FusedStep], inputs: &[Arc<Chunk>], what: &str) -> bool {
    let want = unfused(steps, inputs);
    let (got, fused) = match run_fused(steps, inputs) {
        Some(r) => (r, true),
        None => (unfused(steps, inputs), false),
    };
    match (got, want) {
        (Ok(g), Ok(w)) => {
            if let Err(e) = same(&g, &w) {
                panic!("{}: {}", what, e);
            }
        }
        (Err(g), Err(w)) => {
            assert_eq!(
                (g.message, g.hint),
                (w.message, w.hint),
                "{}: different errors",
                what
            );
        }
        (g, w) => panic!(
            "{}: fused {:?} but unfused {:?}",
            what,
            g.err().map(|e| e.message),
            w.err().map(|e| e.message)
        ),
    }
    fused
}

/// `n` elements of `d` in `shape`: ordinary values with NaN, ±inf, ±0.0, extremes and
/// overflowing integers mixed in.
fn data(d: DType, shape: &[usize]) -> NdArr {
    let n: usize = shape.iter().product();
    let f = |k: usize| -> f64 {
        match k % 101 {
            7 => f64::NAN,
            13 => f64::INFINITY,
            29 => f64::NEG_INFINITY,
            31 => -0.0,
            37 => 0.0,
            41 => 1e300,
            43 => -1e-300,
            _ => ((k * 7919) % 2003) as f64 / 37.0 - 27.0,
        }
    };
    let i = |k: usize| -> i64 {
        match k % 97 {
            5 => i64::MAX,
            6 => i64::MIN,
            7 => -1,
            8 => 0,
            9 => i32::MAX as i64,
            10 => i32::MIN as i64,
            _ => ((k * 7919) % 2003) as i64 - 1000,
        }
    };
    let sh = IxDyn(shape);
    match d {
        DType::Bool => NdArr::Bool(
            ArrayD::from_shape_vec(sh, (0..n).map(|k| (k * 7 + n).is_multiple_of(3)).collect())
                .unwrap(),
        ),
        DType::I32 => {
            NdArr::I32(ArrayD::from_shape_vec(sh, (0..n).map(|k| i(k) as i32).collect()).unwrap())
        }
        DType::I64 => NdArr::I64(ArrayD::from_shape_vec(sh, (0..n).map(i).collect()).unwrap()),
        DType::F32 => {
            NdArr::F32(ArrayD::from_shape_vec(sh, (0..n).map(|k| f(k) as f32).collect()).unwrap())
        }
        DType::F64 => NdArr::F64(ArrayD::from_shape_vec(sh, (0..n).map(f).collect()).unwrap()),
    }
}

const DTYPES: [DType; 5] = [DType::Bool, DType::I32, DType::I64, DType::F32, DType::F64];
const SHAPES: [&[usize]; 4] = [&[20011], &[3, 6007], &[5], &[]];

fn binops() -> Vec<BinOp> {
    use BinOp::*;
    vec![
        Add, Sub, Mul, Div, FloorDiv, Mod, Pow, BitAnd, BitOr, BitXor, LShift, RShift,
    ]
}

const SCALARS: [Scalar; 7] = [
    Scalar::Int(3),
    Scalar::Int(-2),
    Scalar::Int(2),
    Scalar::Float(2.0),
    Scalar::Float(0.5),
    Scalar::Float(-1.5),
    Scalar::Bool(true),
];

/// One-operand steps: operators with scalars, comparisons, ufuncs, casts.
fn unary_ops() -> Vec<ArrayOp> {
    let mut ops = Vec::new();
    for op in binops() {
        for s in SCALARS {
            for scalar_left in [false, true] {
                ops.push(ArrayOp::BinaryScalar {
                    op,
                    scalar: s,
                    scalar_left,
                });
            }
        }
    }
    for op in [CmpOp::Lt, CmpOp::Eq, CmpOp::Ge, CmpOp::Ne] {
        for s in [Scalar::Int(3), Scalar::Float(-0.5), Scalar::Bool(false)] {
            ops.push(ArrayOp::CompareScalar {
                op,
                scalar: s,
                scalar_left: op == CmpOp::Lt,
            });
        }
    }
    for (_, f) in super::super::UFUNCS {
        ops.push(ArrayOp::Unary { f: *f });
    }
    for dtype in DTYPES {
        ops.push(ArrayOp::AsType { dtype });
    }
    ops
}

fn reduces() -> Vec<Option<ReduceKind>> {
    vec![
        None,
        Some(ReduceKind::Sum),
        Some(ReduceKind::Mean),
        Some(ReduceKind::Var { ddof: 0 }),
        Some(ReduceKind::Std { ddof: 1 }),
        Some(ReduceKind::Min),
        Some(ReduceKind::Max),
        Some(ReduceKind::Prod),
    ]
}

/// `source -> ops... -> reduce?`, the source an in-memory chunk the chain owns.
fn chain(src: &NdArr, ops: &[ArrayOp], reduce: Option<ReduceKind>) -> Vec<FusedStep> {
    let mut steps = vec![step(
        "src",
        ArrayOp::FromArray { data: src.clone() },
        vec![],
    )];
    for (i, op) in ops.iter().enumerate() {
        steps.push(step(
            &format!("op{}", i),
            op.clone(),
            vec![StepInput::Step(i)],
        ));
    }
    if let Some(kind) = reduce {
        let n = steps.len();
        steps.push(step(
            "partial",
            ArrayOp::ReducePartial {
                kind,
                axes: (0..src.ndim()).collect(),
            },
            vec![StepInput::Step(n - 1)],
        ));
    }
    steps
}

#[test]
fn every_one_operand_step_on_every_dtype() {
    let ops = unary_ops();
    let mut fused = 0;
    for d in DTYPES {
        for shape in SHAPES {
            let src = data(d, shape);
            for (k, op) in ops.iter().enumerate() {
                // every reduction on the long 1-D chunk, one in turn on the others
                let rs = reduces();
                let pick: Vec<Option<ReduceKind>> = if shape.len() == 1 && shape[0] > 5 {
                    rs
                } else {
                    vec![rs[k % rs.len()]]
                };
                for r in pick {
                    let what = format!("{:?}{:?} {:?} then {:?}", d, shape, op, r);
                    fused += check(&chain(&src, std::slice::from_ref(op), r), &[], &what) as usize;
                }
            }
        }
    }
    assert!(fused > 1000, "only {} chains fused", fused);
}

#[test]
fn two_step_chains_mix_dtypes() {
    let firsts = [
        ArrayOp::BinaryScalar {
            op: BinOp::Pow,
            scalar: Scalar::Int(2),
            scalar_left: false,
        },
        ArrayOp::BinaryScalar {
            op: BinOp::Mul,
            scalar: Scalar::Float(2.5),
            scalar_left: false,
        },
        ArrayOp::BinaryScalar {
            op: BinOp::Div,
            scalar: Scalar::Int(7),
            scalar_left: true,
        },
        ArrayOp::Unary { f: UFunc::Sqrt },
        ArrayOp::AsType { dtype: DType::I32 },
        ArrayOp::CompareScalar {
            op: CmpOp::Gt,
            scalar: Scalar::Int(0),
            scalar_left: false,
        },
    ];
    let seconds = [
        ArrayOp::BinaryScalar {
            op: BinOp::Add,
            scalar: Scalar::Int(1),
            scalar_left: false,
        },
        ArrayOp::BinaryScalar {
            op: BinOp::Sub,
            scalar: Scalar::Float(0.25),
            scalar_left: true,
        },
        ArrayOp::Unary { f: UFunc::Neg },
        ArrayOp::Unary { f: UFunc::Isnan },
        ArrayOp::AsType { dtype: DType::F32 },
        ArrayOp::BinaryScalar {
            op: BinOp::Mod,
            scalar: Scalar::Int(3),
            scalar_left: false,
        },
    ];
    for d in DTYPES {
        let src = data(d, &[20011]);
        for a in &firsts {
            for b in &seconds {
                for r in reduces() {
                    let what = format!("{:?} {:?} then {:?} then {:?}", d, a, b, r);
                    check(&chain(&src, &[a.clone(), b.clone()], r), &[], &what);
                }
            }
        }
    }
}

/// `x op y` with `y` an external array: of the chunk's shape, 0-d, one element in more
/// axes than 0; `x` on either side; `x * x`; a chain starting from two external inputs.
#[test]
fn array_operands_of_every_dtype() {
    let shape = [3usize, 6007];
    for d in DTYPES {
        let src = data(d, &shape);
        for od in DTYPES {
            let others = [
                data(od, &shape),
                data(od, &[]),
                data(od, &[1, 1]),
                data(od, &[1]),
            ];
            for other in &others {
                let ext = vec![Arc::new(nd_chunk(other.clone()))];
                for op in binops() {
                    for left in [true, false] {
                        for r in [None, Some(ReduceKind::Sum), Some(ReduceKind::Max)] {
                            let mut steps = chain(&src, &[], None);
                            let ins = if left {
                                vec![StepInput::Step(0), StepInput::External(0)]
                            } else {
                                vec![StepInput::External(0), StepInput::Step(0)]
                            };
                            steps.push(step("bin", ArrayOp::Binary { op }, ins));
                            steps.push(step(
                                "neg",
                                ArrayOp::CompareScalar {
                                    op: CmpOp::Ne,
                                    scalar: Scalar::Int(1),
                                    scalar_left: false,
                                },
                                vec![StepInput::Step(1)],
                            ));
                            if let Some(kind) = r {
                                steps.push(step(
                                    "partial",
                                    ArrayOp::ReducePartial {
                                        kind,
                                        axes: vec![0, 1],
                                    },
                                    vec![StepInput::Step(2)],
                                ));
                            }
                            let what = format!(
                                "{:?} {:?} {:?}{:?} left={} {:?}",
                                d,
                                op,
                                od,
                                other.shape(),
                                left,
                                r
                            );
                            check(&steps, &ext, &what);
                        }
                    }
                }
            }
        }
        // x * x and x < x
        for op in [
            ArrayOp::Binary { op: BinOp::Mul },
            ArrayOp::Compare { op: CmpOp::Lt },
        ] {
            let mut steps = chain(&src, &[], None);
            steps.push(step(
                "sq",
                op.clone(),
                vec![StepInput::Step(0), StepInput::Step(0)],
            ));
            steps.push(step(
                "partial",
                ArrayOp::ReducePartial {
                    kind: ReduceKind::Sum,
                    axes: vec![0, 1],
                },
                vec![StepInput::Step(1)],
            ));
            assert!(check(&steps, &[], &format!("{:?} {:?} self", d, op)));
        }
        // both operands external: the chain reads them and makes a fresh result
        let ext = vec![
            Arc::new(nd_chunk(src.clone())),
            Arc::new(nd_chunk(data(DType::F32, &shape))),
        ];
        let steps = vec![
            step(
                "mul",
                ArrayOp::Binary { op: BinOp::Mul },
                vec![StepInput::External(0), StepInput::External(1)],
            ),
            step(
                "add",
                ArrayOp::BinaryScalar {
                    op: BinOp::Add,
                    scalar: Scalar::Int(1),
                    scalar_left: false,
                },
                vec![StepInput::Step(0)],
            ),
        ];
        assert!(check(&steps, &ext, &format!("{:?} external", d)));
    }
}

/// A step after the chain that is not elementwise (a transpose) runs as before, on the
/// chain's result; a shape-changing broadcast is left unfused.
#[test]
fn chain_boundaries() {
    let src = data(DType::F64, &[4, 5]);
    let mut steps = chain(
        &src,
        &[ArrayOp::BinaryScalar {
            op: BinOp::Add,
            scalar: Scalar::Int(1),
            scalar_left: false,
        }],
        None,
    );
    steps.push(step(
        "t",
        ArrayOp::Transpose { axes: vec![1, 0] },
        vec![StepInput::Step(1)],
    ));
    assert!(check(&steps, &[], "then transpose"));
    // (4, 5) + (3, 4, 5) broadcasts the chain: run step by step, same answer
    let big = vec![Arc::new(nd_chunk(data(DType::F64, &[3, 4, 5])))];
    let mut steps = chain(&src, &[], None);
    steps.push(step(
        "bin",
        ArrayOp::Binary { op: BinOp::Add },
        vec![StepInput::Step(0), StepInput::External(0)],
    ));
    check(&steps, &big, "broadcast");
}

/// The chain writes into the chunk it owns when the dtype stays; a new dtype gets one
/// fresh buffer.
#[test]
fn owned_chunk_is_reused() {
    let a = data(DType::F32, &[20011]);
    let NdArr::F32(x) = &a else { unreachable!() };
    let ptr = x.as_ptr();
    let ops = [
        ArrayOp::BinaryScalar {
            op: BinOp::Pow,
            scalar: Scalar::Int(2),
            scalar_left: false,
        },
        ArrayOp::BinaryScalar {
            op: BinOp::Add,
            scalar: Scalar::Int(1),
            scalar_left: false,
        },
    ];
    let keys = [key("a"), key("b")];
    let links: Vec<Link> = ops
        .iter()
        .zip(&keys)
        .map(|(op, key)| Link {
            op,
            key,
            other: None,
        })
        .collect();
    let want = {
        let p = ops[0].run_elementwise(&a, None).unwrap();
        ops[1].run_elementwise(&p, None).unwrap()
    };
    let out = map_chain(Main::Owned(a), &links, DType::F32, &[20011]).unwrap();
    let NdArr::F32(y) = &out else { panic!("dtype") };
    assert_eq!(y.as_ptr(), ptr);
    assert_eq!(bits(&out), bits(&want));
}
