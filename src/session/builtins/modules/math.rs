//! `math`: Python's functions on floats and integers, with its errors ("math domain
//! error", "math range error") and its integer results (`floor`, `factorial`, `comb`).

use super::Member::{self, *};
use crate::errors::{RaskError, Result};
use crate::session::eval::iter_values;
use crate::session::runtime::Frame;
use crate::value::args::Args;
use crate::value::bigint;
use crate::value::value::Value;
use num_bigint::BigInt;

pub const MEMBERS: &[(&str, Member)] = &[
    ("pi", Const(|| Value::Float(std::f64::consts::PI))),
    ("e", Const(|| Value::Float(std::f64::consts::E))),
    ("tau", Const(|| Value::Float(std::f64::consts::TAU))),
    ("inf", Const(|| Value::Float(f64::INFINITY))),
    ("nan", Const(|| Value::Float(f64::NAN))),
    ("sqrt", Func),
    ("exp", Func),
    ("expm1", Func),
    ("log", Func),
    ("log2", Func),
    ("log10", Func),
    ("log1p", Func),
    ("pow", Func),
    ("floor", Func),
    ("ceil", Func),
    ("trunc", Func),
    ("fabs", Func),
    ("fmod", Func),
    ("modf", Func),
    ("copysign", Func),
    ("fsum", Func),
    ("prod", Func),
    ("gcd", Func),
    ("lcm", Func),
    ("factorial", Func),
    ("comb", Func),
    ("perm", Func),
    ("isqrt", Func),
    ("hypot", Func),
    ("dist", Func),
    ("sin", Func),
    ("cos", Func),
    ("tan", Func),
    ("asin", Func),
    ("acos", Func),
    ("atan", Func),
    ("atan2", Func),
    ("sinh", Func),
    ("cosh", Func),
    ("tanh", Func),
    ("degrees", Func),
    ("radians", Func),
    ("isnan", Func),
    ("isinf", Func),
    ("isfinite", Func),
    ("isclose", Func),
];

fn domain() -> RaskError {
    RaskError::value("math domain error")
}

fn range() -> RaskError {
    RaskError::overflow("math range error")
}

/// A real argument as a float (ints, bools and big ints convert).
fn real(args: &Args, i: usize, name: &str) -> Result<f64> {
    let v = args.req(i, name)?;
    to_real(v)
        .ok_or_else(|| RaskError::type_(format!("must be real number, not {}", v.type_name())))?
}

fn to_real(v: &Value) -> Option<Result<f64>> {
    match v {
        Value::Int(i) => Some(Ok(*i as f64)),
        Value::Bool(b) => Some(Ok(f64::from(u8::from(*b)))),
        Value::Float(f) => Some(Ok(*f)),
        Value::BigInt(b) => Some(bigint::to_f64(b)),
        _ => None,
    }
}

/// An integer argument, as Python's `__index__` reads it.
fn integer(v: &Value) -> Result<BigInt> {
    match v {
        Value::Int(i) => Ok(BigInt::from(*i)),
        Value::Bool(b) => Ok(BigInt::from(u8::from(*b))),
        Value::BigInt(b) => Ok((**b).clone()),
        other => Err(RaskError::type_(format!(
            "'{}' object cannot be interpreted as an integer",
            other.type_name()
        ))),
    }
}

/// A float result: NaN from finite input is a domain error, infinity a range error.
fn checked(x: f64, inputs: &[f64], r: f64) -> Result<Value> {
    let finite_in = inputs.iter().all(|v| v.is_finite()) && x.is_finite();
    if r.is_nan() && finite_in {
        return Err(domain());
    }
    if r.is_infinite() && finite_in {
        return Err(range());
    }
    Ok(Value::Float(r))
}

fn unary(args: &Args, f: fn(f64) -> f64, ok: fn(f64) -> bool) -> Result<Value> {
    args.check(&["x"])?;
    let x = real(args, 0, "x")?;
    if !ok(x) {
        return Err(domain());
    }
    checked(x, &[], f(x))
}

fn to_int_value(f: f64) -> Result<Value> {
    bigint::from_f64(f)
}

pub fn call(fr: &mut Frame, name: &str, args: &Args) -> Result<Value> {
    let any = |_: f64| true;
    match name {
        "sqrt" => unary(args, f64::sqrt, |x| x >= 0.0 || x.is_nan()),
        "exp" => unary(args, f64::exp, any),
        "expm1" => unary(args, f64::exp_m1, any),
        "log2" => unary(args, f64::log2, |x| x > 0.0 || x.is_nan()),
        "log10" => unary(args, f64::log10, |x| x > 0.0 || x.is_nan()),
        "log1p" => unary(args, f64::ln_1p, |x| x > -1.0 || x.is_nan()),
        "sin" => unary(args, f64::sin, |x| !x.is_infinite()),
        "cos" => unary(args, f64::cos, |x| !x.is_infinite()),
        "tan" => unary(args, f64::tan, |x| !x.is_infinite()),
        "asin" => unary(args, f64::asin, |x| (-1.0..=1.0).contains(&x) || x.is_nan()),
        "acos" => unary(args, f64::acos, |x| (-1.0..=1.0).contains(&x) || x.is_nan()),
        "atan" => unary(args, f64::atan, any),
        "sinh" => unary(args, f64::sinh, any),
        "cosh" => unary(args, f64::cosh, any),
        "tanh" => unary(args, f64::tanh, any),
        "degrees" => unary(args, f64::to_degrees, any),
        "radians" => unary(args, f64::to_radians, any),
        "fabs" => unary(args, f64::abs, any),
        "log" => {
            let x = log_of(args.req(0, "x")?)?;
            match args.get(1, "base") {
                None => Ok(Value::Float(x)),
                Some(b) => {
                    let b = log_of(b)?;
                    if b == 0.0 {
                        return Err(RaskError::new(
                            crate::errors::ErrorKind::ZeroDivision,
                            "float division by zero",
                        ));
                    }
                    Ok(Value::Float(x / b))
                }
            }
        }
        "pow" => {
            let (x, y) = (real(args, 0, "x")?, real(args, 1, "y")?);
            if x == 0.0 && y < 0.0 {
                return Err(domain());
            }
            if x < 0.0 && x.is_finite() && y.is_finite() && y.fract() != 0.0 {
                return Err(domain());
            }
            checked(x, &[y], x.powf(y))
        }
        "atan2" => Ok(Value::Float(real(args, 0, "y")?.atan2(real(args, 1, "x")?))),
        "copysign" => Ok(Value::Float(
            real(args, 0, "x")?.copysign(real(args, 1, "y")?),
        )),
        "fmod" => {
            let (x, y) = (real(args, 0, "x")?, real(args, 1, "y")?);
            if y == 0.0 && !x.is_nan() || x.is_infinite() && !y.is_nan() {
                return Err(domain());
            }
            Ok(Value::Float(x % y))
        }
        "modf" => {
            let x = real(args, 0, "x")?;
            let (i, f) = if x.is_infinite() {
                (x, 0.0f64.copysign(x))
            } else {
                (x.trunc(), x - x.trunc())
            };
            Ok(Value::tuple(vec![Value::Float(f), Value::Float(i)]))
        }
        "floor" | "ceil" | "trunc" => {
            let v = args.req(0, "x")?;
            if let Value::Int(_) | Value::BigInt(_) = v {
                return Ok(v.clone());
            }
            if let Value::Bool(b) = v {
                return Ok(Value::Int(i64::from(*b)));
            }
            let x = real(args, 0, "x")?;
            to_int_value(match name {
                "floor" => x.floor(),
                "ceil" => x.ceil(),
                _ => x.trunc(),
            })
        }
        "isnan" => Ok(Value::Bool(real(args, 0, "x")?.is_nan())),
        "isinf" => Ok(Value::Bool(real(args, 0, "x")?.is_infinite())),
        "isfinite" => Ok(Value::Bool(real(args, 0, "x")?.is_finite())),
        "isclose" => {
            args.check(&["a", "b", "rel_tol", "abs_tol"])?;
            let (a, b) = (real(args, 0, "a")?, real(args, 1, "b")?);
            let rel = args.float_or(usize::MAX, "rel_tol", 1e-9)?;
            let abs = args.float_or(usize::MAX, "abs_tol", 0.0)?;
            if rel < 0.0 || abs < 0.0 {
                return Err(RaskError::value("tolerances must be non-negative"));
            }
            if a == b {
                return Ok(Value::Bool(true));
            }
            if a.is_infinite() || b.is_infinite() {
                return Ok(Value::Bool(false));
            }
            let d = (b - a).abs();
            Ok(Value::Bool(
                d <= (rel * b).abs() || d <= (rel * a).abs() || d <= abs,
            ))
        }
        "fsum" => {
            let xs = iter_values(fr, args.req(0, "seq")?)?;
            let fs = xs
                .iter()
                .map(|v| {
                    to_real(v).unwrap_or_else(|| {
                        Err(RaskError::type_(format!(
                            "must be real number, not {}",
                            v.type_name()
                        )))
                    })
                })
                .collect::<Result<Vec<f64>>>()?;
            fsum(&fs).map(Value::Float)
        }
        "prod" => {
            let xs = iter_values(fr, args.req(0, "iterable")?)?;
            let mut acc = args.kw("start").cloned().unwrap_or(Value::Int(1));
            for x in xs {
                acc = crate::value::pyops::binary(crate::syntax::ast::BinOp::Mul, &acc, &x)?;
            }
            Ok(acc)
        }
        "hypot" => {
            let fs = args
                .pos
                .iter()
                .map(|v| {
                    to_real(v).unwrap_or_else(|| {
                        Err(RaskError::type_(format!(
                            "must be real number, not {}",
                            v.type_name()
                        )))
                    })
                })
                .collect::<Result<Vec<f64>>>()?;
            Ok(Value::Float(hypot(&fs)))
        }
        "dist" => {
            let p = iter_values(fr, args.req(0, "p")?)?;
            let q = iter_values(fr, args.req(1, "q")?)?;
            if p.len() != q.len() {
                return Err(RaskError::value(
                    "both points must have the same number of dimensions",
                ));
            }
            let mut d = Vec::with_capacity(p.len());
            for (a, b) in p.iter().zip(&q) {
                let (Some(a), Some(b)) = (to_real(a), to_real(b)) else {
                    return Err(RaskError::type_("must be real number"));
                };
                d.push(a? - b?);
            }
            Ok(Value::Float(hypot(&d)))
        }
        "gcd" | "lcm" => {
            let ns = args.pos.iter().map(integer).collect::<Result<Vec<_>>>()?;
            let mut acc = if name == "gcd" {
                BigInt::from(0)
            } else {
                BigInt::from(1)
            };
            for n in ns {
                acc = if name == "gcd" {
                    num_integer::Integer::gcd(&acc, &n)
                } else {
                    num_integer::Integer::lcm(&acc, &n)
                };
            }
            Ok(bigint::int(acc))
        }
        "factorial" => {
            let n = integer(args.req(0, "n")?)?;
            let n = small(&n, "factorial")?;
            if n < 0 {
                return Err(RaskError::value(
                    "factorial() not defined for negative values",
                ));
            }
            Ok(bigint::int(falling(n, n)))
        }
        "comb" | "perm" => {
            let n = small(&integer(args.req(0, "n")?)?, name)?;
            let k = match args.get(1, "k") {
                Some(v) => small(&integer(v)?, name)?,
                None if name == "perm" => n,
                None => {
                    return Err(RaskError::type_(
                        "comb() missing required argument 'k' (pos 2)",
                    ))
                }
            };
            if n < 0 {
                return Err(RaskError::value("n must be a non-negative integer"));
            }
            if k < 0 {
                return Err(RaskError::value("k must be a non-negative integer"));
            }
            if k > n {
                return Ok(Value::Int(0));
            }
            let k = if name == "comb" { k.min(n - k) } else { k };
            let p = falling(n, k);
            Ok(bigint::int(if name == "comb" {
                p / falling(k, k)
            } else {
                p
            }))
        }
        "isqrt" => {
            let n = integer(args.req(0, "n")?)?;
            if n.sign() == num_bigint::Sign::Minus {
                return Err(RaskError::value("isqrt() argument must be nonnegative"));
            }
            Ok(bigint::int(n.sqrt()))
        }
        other => Err(RaskError::name(format!(
            "module 'math' has no attribute '{}'",
            other
        ))),
    }
}

/// An integer argument small enough to count with.
fn small(n: &BigInt, what: &str) -> Result<i64> {
    i64::try_from(n)
        .ok()
        .filter(|v| *v <= 1_000_000)
        .ok_or_else(|| RaskError::overflow(format!("{}() argument is too large for rask", what)))
}

/// n * (n-1) * ... (k factors).
fn falling(n: i64, k: i64) -> BigInt {
    let mut acc = BigInt::from(1);
    for i in 0..k {
        acc *= n - i;
    }
    acc
}

fn log_of(v: &Value) -> Result<f64> {
    // big ints have logs past float range, as in Python
    if let Value::BigInt(b) = v {
        if b.sign() != num_bigint::Sign::Plus {
            return Err(domain());
        }
        let bits = b.bits();
        let shift = bits.saturating_sub(64);
        let top: BigInt = &**b >> shift;
        let top = bigint::to_f64(&top)?;
        return Ok(top.ln() + shift as f64 * std::f64::consts::LN_2);
    }
    let x = to_real(v).unwrap_or_else(|| {
        Err(RaskError::type_(format!(
            "must be real number, not {}",
            v.type_name()
        )))
    })?;
    if x <= 0.0 {
        return Err(domain());
    }
    Ok(x.ln())
}

fn hypot(xs: &[f64]) -> f64 {
    if xs.iter().any(|x| x.is_infinite()) {
        return f64::INFINITY;
    }
    let max = xs.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    if max == 0.0 || max.is_nan() {
        return if xs.iter().any(|x| x.is_nan()) {
            f64::NAN
        } else {
            0.0
        };
    }
    let s: f64 = xs.iter().map(|x| (x / max) * (x / max)).sum();
    max * s.sqrt()
}

/// Python's `math.fsum`: Shewchuk's exact partial sums, rounded once at the end.
pub fn fsum(xs: &[f64]) -> Result<f64> {
    let mut partials: Vec<f64> = Vec::new();
    let mut special = 0.0f64;
    let mut inf_sum = 0.0f64;
    for &x0 in xs {
        if !x0.is_finite() {
            if x0.is_infinite() {
                inf_sum += x0;
            }
            special += x0;
            continue;
        }
        let mut x = x0;
        let mut i = 0;
        for j in 0..partials.len() {
            let mut y = partials[j];
            if x.abs() < y.abs() {
                std::mem::swap(&mut x, &mut y);
            }
            let hi = x + y;
            let lo = y - (hi - x);
            if lo != 0.0 {
                partials[i] = lo;
                i += 1;
            }
            x = hi;
        }
        if !x.is_finite() {
            return Err(RaskError::overflow("intermediate overflow in fsum"));
        }
        partials.truncate(i);
        partials.push(x);
    }
    if special != 0.0 || special.is_nan() {
        if inf_sum.is_nan() {
            return Err(RaskError::value("-inf + inf in fsum"));
        }
        return Ok(special);
    }
    let mut hi = 0.0;
    let mut n = partials.len();
    if n > 0 {
        n -= 1;
        hi = partials[n];
        let mut lo = 0.0;
        while n > 0 {
            let x = hi;
            n -= 1;
            let y = partials[n];
            hi = x + y;
            let yr = hi - x;
            lo = y - yr;
            if lo != 0.0 {
                break;
            }
        }
        if n > 0 && ((lo < 0.0 && partials[n - 1] < 0.0) || (lo > 0.0 && partials[n - 1] > 0.0)) {
            let y = lo * 2.0;
            let x = hi + y;
            let yr = x - hi;
            if y == yr {
                hi = x;
            }
        }
    }
    Ok(hi)
}

#[cfg(test)]
mod tests {
    #[test]
    fn fsum_is_exact() {
        assert_eq!(super::fsum(&[0.1; 10]).unwrap(), 1.0);
        assert_eq!(
            super::fsum(&[1e100, 1.0, -1e100, 1e-100, 1e50, -1.0, -1e50]).unwrap(),
            1e-100
        );
    }
}
