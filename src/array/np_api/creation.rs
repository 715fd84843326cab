//! Array creation in the `np` namespace: `array`, `arange`, `ones`, `zeros`, `full`,
//! `eye`, `linspace`, and `np.random.*` (seeded with `seed=` or `np.random.seed`).

use super::params::{array_arg, dtype_opt, shape_arg, size_opt};
use crate::array::convert::{from_value_as, into_value};
use crate::array::kernels::astype;
use crate::array::lazy::LazyArray;
use crate::array::random::Rng;
use crate::common::ndarr::{DType, NdArr};
use crate::errors::{RaskError, Result};
use crate::value::args::Args;
use crate::value::value::Value;
use ndarray::{ArrayD, IxDyn};
use std::sync::Mutex;

/// The stream `np.random.seed(s)` resets; unseeded calls draw from it.
static GLOBAL_RNG: Mutex<Option<Rng>> = Mutex::new(None);

fn with_rng<R>(seed: Option<i64>, f: impl FnOnce(&mut Rng) -> R) -> R {
    if let Some(s) = seed {
        return f(&mut Rng::seeded(s as u64));
    }
    let mut g = GLOBAL_RNG.lock().unwrap_or_else(|p| p.into_inner());
    let rng = g.get_or_insert_with(|| Rng::seeded(Rng::entropy_seed()));
    f(rng)
}

/// Refuse shapes whose element count overflows or cannot be allocated (NumPy raises
/// instead of aborting the process).
pub fn check_size(shape: &[usize]) -> Result<usize> {
    const MAX_ELEMS: usize = 1 << 34;
    let n = shape.iter().try_fold(1usize, |a, &d| a.checked_mul(d));
    match n {
        Some(n) if n <= MAX_ELEMS => Ok(n),
        _ => Err(RaskError::value(format!(
            "array is too big: shape {} has more than 2**34 elements",
            crate::array::kernels::broadcast::shape_str(shape)
        ))),
    }
}

fn filled(shape: &[usize], v: f64, d: DType) -> Result<NdArr> {
    check_size(shape)?;
    let sh = IxDyn(shape);
    Ok(match d {
        DType::Bool => NdArr::Bool(ArrayD::from_elem(sh, v != 0.0)),
        DType::I32 => NdArr::I32(ArrayD::from_elem(sh, v as i32)),
        DType::I64 => NdArr::I64(ArrayD::from_elem(sh, v as i64)),
        DType::F32 => NdArr::F32(ArrayD::from_elem(sh, v as f32)),
        DType::F64 => NdArr::F64(ArrayD::from_elem(sh, v)),
    })
}

fn is_int(v: Option<&Value>) -> bool {
    matches!(
        v,
        None | Some(Value::None) | Some(Value::Int(_)) | Some(Value::Bool(_))
    )
}

pub fn array(args: &Args) -> Result<Value> {
    args.check(&["object", "dtype", "copy"])?;
    let v = args.req(0, "object")?;
    if v.is::<std::sync::Arc<LazyArray>>() {
        return Err(RaskError::type_(
            "np.array of a lazy da.Array must be handled by the evaluator (it computes first)",
        ));
    }
    let d = dtype_opt(args, 1, "dtype")?;
    Ok(Value::obj(std::sync::Arc::new(from_value_as(v, d)?)))
}

pub fn arange(args: &Args) -> Result<Value> {
    args.check(&["start", "stop", "step", "dtype"])?;
    let (start_v, stop_v) = match args.get(1, "stop") {
        None | Some(Value::None) => (None, args.get(0, "start")),
        Some(s) => (args.get(0, "start"), Some(s)),
    };
    let stop_v =
        stop_v.ok_or_else(|| RaskError::type_("np.arange() missing required argument 'stop'"))?;
    let ints = is_int(start_v) && is_int(Some(stop_v)) && is_int(args.get(2, "step"));
    let d = dtype_opt(args, 3, "dtype")?;
    let start = match start_v {
        Some(Value::None) | None => 0.0,
        Some(_) => args.float_opt(0, "start")?.unwrap_or(0.0),
    };
    let stop = match start_v {
        Some(_) => args.float_opt(1, "stop")?.unwrap_or(0.0),
        None => args.float_opt(0, "start")?.unwrap_or(0.0),
    };
    let step = args.float_or(2, "step", 1.0)?;
    if step == 0.0 {
        return Err(args.value_err(2, "step", "step must not be zero"));
    }
    let n_f = ((stop - start) / step).ceil().max(0.0);
    if !n_f.is_finite() || n_f > (1u64 << 34) as f64 {
        return Err(RaskError::value(format!(
            "np.arange: too many elements ({})",
            n_f
        )));
    }
    let n = n_f as usize;
    let a = if ints {
        let (s0, st) = (start as i64, step as i64);
        NdArr::I64(ArrayD::from_shape_fn(IxDyn(&[n]), |ix| {
            s0 + st * ix[0] as i64
        }))
    } else {
        NdArr::F64(ArrayD::from_shape_fn(IxDyn(&[n]), |ix| {
            start + step * ix[0] as f64
        }))
    };
    Ok(Value::obj(std::sync::Arc::new(match d {
        Some(d) => astype(&a, d),
        None => a,
    })))
}

/// `np.ones`, `np.zeros`, `np.empty` (zeros), `np.full`.
pub fn fill(name: &str, args: &Args) -> Result<Value> {
    let (v, d) = if name == "full" {
        args.check(&["shape", "fill_value", "dtype"])?;
        let fv = args.req(1, "fill_value")?;
        let inferred = match fv {
            Value::Bool(_) => DType::Bool,
            Value::Int(_) => DType::I64,
            _ => DType::F64,
        };
        (
            args.float_opt(1, "fill_value")?.unwrap_or(0.0),
            dtype_opt(args, 2, "dtype")?.unwrap_or(inferred),
        )
    } else {
        args.check(&["shape", "dtype"])?;
        let v = if name == "ones" { 1.0 } else { 0.0 };
        (v, dtype_opt(args, 1, "dtype")?.unwrap_or(DType::F64))
    };
    let shape = shape_arg(args, 0, "shape")?;
    Ok(Value::obj(std::sync::Arc::new(filled(&shape, v, d)?)))
}

/// `np.ones_like(a)`, `np.zeros_like(a)`, `np.full_like(a, v)`.
pub fn fill_like(name: &str, args: &Args) -> Result<Value> {
    let a = array_arg(args, 0, "a")?;
    let (v, di) = if name == "full_like" {
        args.check(&["a", "fill_value", "dtype"])?;
        (args.float_opt(1, "fill_value")?.unwrap_or(0.0), 2)
    } else {
        args.check(&["a", "dtype"])?;
        (if name == "ones_like" { 1.0 } else { 0.0 }, 1)
    };
    let d = dtype_opt(args, di, "dtype")?.unwrap_or(a.dtype());
    Ok(Value::obj(std::sync::Arc::new(filled(a.shape(), v, d)?)))
}

pub fn eye(args: &Args) -> Result<Value> {
    args.check(&["N", "M", "k", "dtype"])?;
    let n = args.int(0, "N")?;
    let m = args.int_opt(1, "M")?.unwrap_or(n);
    if n < 0 || m < 0 {
        return Err(args.value_err(0, "N", "negative dimensions are not allowed"));
    }
    let k = args.int_or(2, "k", 0)?;
    let d = dtype_opt(args, 3, "dtype")?.unwrap_or(DType::F64);
    check_size(&[n as usize, m as usize])?;
    let a = NdArr::F64(ArrayD::from_shape_fn(
        IxDyn(&[n as usize, m as usize]),
        |ix| {
            if ix[1] as i64 - ix[0] as i64 == k {
                1.0
            } else {
                0.0
            }
        },
    ));
    Ok(Value::obj(std::sync::Arc::new(astype(&a, d))))
}

pub fn linspace(args: &Args) -> Result<Value> {
    args.check(&["start", "stop", "num", "endpoint", "retstep", "dtype"])?;
    let start = args
        .float_opt(0, "start")?
        .ok_or_else(|| RaskError::type_("np.linspace() missing required argument 'start'"))?;
    let stop = args
        .float_opt(1, "stop")?
        .ok_or_else(|| RaskError::type_("np.linspace() missing required argument 'stop'"))?;
    let num = args.int_or(2, "num", 50)?;
    if num < 0 {
        return Err(args.value_err(
            2,
            "num",
            format!("Number of samples, {}, must be non-negative.", num),
        ));
    }
    let num = num as usize;
    check_size(&[num])?;
    let endpoint = args.bool_or(3, "endpoint", true)?;
    let retstep = args.bool_or(4, "retstep", false)?;
    let d = dtype_opt(args, 5, "dtype")?;
    let div = if endpoint { num.saturating_sub(1) } else { num };
    let step = if div > 0 {
        (stop - start) / div as f64
    } else {
        f64::NAN
    };
    let mut v: Vec<f64> = (0..num)
        .map(|i| {
            if div > 0 {
                i as f64 * step + start
            } else {
                start
            }
        })
        .collect();
    if endpoint && num > 1 {
        v[num - 1] = stop;
    }
    let a = NdArr::F64(
        ArrayD::from_shape_vec(IxDyn(&[num]), v).map_err(|e| RaskError::runtime(e.to_string()))?,
    );
    let a = match d {
        Some(d) => astype(&a, d),
        None => a,
    };
    let arr = Value::obj(std::sync::Arc::new(a));
    Ok(if retstep {
        Value::tuple(vec![arr, Value::Float(step)])
    } else {
        arr
    })
}

fn seed_arg(args: &Args) -> Result<Option<i64>> {
    match args.kw("seed") {
        None | Some(Value::None) => Ok(None),
        Some(Value::Int(s)) => Ok(Some(*s)),
        Some(other) => Err(args.type_err(usize::MAX, "seed", "int", other)),
    }
}

/// Draw `size` values (a Python float when `size` is None).
fn draw(
    size: Option<Vec<usize>>,
    seed: Option<i64>,
    mut f: impl FnMut(&mut Rng) -> f64,
) -> Result<Value> {
    if let Some(s) = &size {
        check_size(s)?;
    }
    Ok(with_rng(seed, |rng| match size {
        None => Value::Float(f(rng)),
        Some(shape) => {
            let n: usize = shape.iter().product();
            let v: Vec<f64> = (0..n).map(|_| f(rng)).collect();
            let a = ArrayD::from_shape_vec(IxDyn(&shape), v)
                .unwrap_or_else(|_| ArrayD::zeros(IxDyn(&[0])));
            Value::obj(std::sync::Arc::new(NdArr::F64(a)))
        }
    }))
}

/// `np.random.<name>(...)`.
pub fn random(name: &str, args: &Args) -> Result<Value> {
    match name {
        "seed" => {
            args.check(&["seed"])?;
            let s = args
                .int_opt(0, "seed")?
                .unwrap_or_else(|| Rng::entropy_seed() as i64);
            *GLOBAL_RNG.lock().unwrap_or_else(|p| p.into_inner()) = Some(Rng::seeded(s as u64));
            Ok(Value::None)
        }
        "normal" => {
            args.check(&["loc", "scale", "size", "seed"])?;
            let loc = args.float_or(0, "loc", 0.0)?;
            let scale = args.float_or(1, "scale", 1.0)?;
            if scale < 0.0 {
                return Err(args.value_err(1, "scale", "scale < 0"));
            }
            draw(size_opt(args, 2, "size")?, seed_arg(args)?, |r| {
                loc + scale * r.normal()
            })
        }
        "standard_normal" | "randn" => {
            let size = if name == "randn" {
                only_kw(args, &["seed"])?;
                if args.pos.is_empty() {
                    None
                } else {
                    Some(
                        (0..args.pos.len())
                            .map(|i| args.int(i, "d").map(|v| v.max(0) as usize))
                            .collect::<Result<Vec<_>>>()?,
                    )
                }
            } else {
                args.check(&["size", "seed"])?;
                size_opt(args, 0, "size")?
            };
            draw(size, seed_arg(args)?, |r| r.normal())
        }
        "random" | "random_sample" | "rand" => {
            let size = if name == "rand" {
                only_kw(args, &["seed"])?;
                if args.pos.is_empty() {
                    None
                } else {
                    Some(
                        (0..args.pos.len())
                            .map(|i| args.int(i, "d").map(|v| v.max(0) as usize))
                            .collect::<Result<Vec<_>>>()?,
                    )
                }
            } else {
                args.check(&["size", "seed"])?;
                size_opt(args, 0, "size")?
            };
            draw(size, seed_arg(args)?, |r| r.uniform())
        }
        "uniform" => {
            args.check(&["low", "high", "size", "seed"])?;
            let low = args.float_or(0, "low", 0.0)?;
            let high = args.float_or(1, "high", 1.0)?;
            draw(size_opt(args, 2, "size")?, seed_arg(args)?, |r| {
                low + (high - low) * r.uniform()
            })
        }
        "exponential" => {
            args.check(&["scale", "size", "seed"])?;
            let scale = args.float_or(0, "scale", 1.0)?;
            if scale < 0.0 {
                return Err(args.value_err(0, "scale", "scale < 0"));
            }
            draw(size_opt(args, 1, "size")?, seed_arg(args)?, |r| {
                scale * r.exponential()
            })
        }
        "randint" => {
            args.check(&["low", "high", "size", "dtype", "seed"])?;
            let a = args.int(0, "low")?;
            let (low, high) = match args.int_opt(1, "high")? {
                Some(h) => (a, h),
                None => (0, a),
            };
            if high <= low {
                return Err(args.value_err(
                    1,
                    "high",
                    format!("low >= high ({} >= {})", low, high),
                ));
            }
            let size = size_opt(args, 2, "size")?;
            if let Some(s) = &size {
                check_size(s)?;
            }
            let seed = seed_arg(args)?;
            let v = with_rng(seed, |rng| match size {
                None => Value::Int(rng.integer(low, high)),
                Some(shape) => {
                    let n: usize = shape.iter().product();
                    let v: Vec<i64> = (0..n).map(|_| rng.integer(low, high)).collect();
                    let a = ArrayD::from_shape_vec(IxDyn(&shape), v)
                        .unwrap_or_else(|_| ArrayD::zeros(IxDyn(&[0])));
                    Value::obj(std::sync::Arc::new(NdArr::I64(a)))
                }
            });
            match (dtype_opt(args, 3, "dtype")?, &v) {
                (Some(d), v) if let Some(a) = v.get::<std::sync::Arc<NdArr>>() => {
                    Ok(into_value(astype(a, d)))
                }
                _ => Ok(v),
            }
        }
        _ => Err(unknown("random.", name, RANDOM_FUNCS)),
    }
}

/// Refuse keywords not in `known` (any number of positionals: `rand(2, 3)`).
fn only_kw(args: &Args, known: &[&str]) -> Result<()> {
    let mut a = args.clone();
    a.pos.clear();
    a.check(known)
}

pub const RANDOM_FUNCS: &[&str] = &[
    "seed",
    "normal",
    "standard_normal",
    "randn",
    "random",
    "random_sample",
    "rand",
    "uniform",
    "exponential",
    "randint",
];

pub fn unknown(prefix: &str, name: &str, known: &[&str]) -> RaskError {
    let mut e = RaskError::name(format!("module 'np' has no attribute '{}{}'", prefix, name));
    if let Some(c) = crate::errors::closest(name, known.iter().copied()) {
        e = e.with_hint(format!("did you mean 'np.{}{}'?", prefix, c));
    }
    e
}
