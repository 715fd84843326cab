//! Python's builtin functions and the `json` namespace.

use super::super::eval::Out;
use super::super::runtime::Frame;
use crate::array::lazy::LazyArray;
use crate::errors::{RaskError, Result};
use crate::frame::eager::PFrame;
use crate::frame::eager::PSeries;
use crate::frame::lazy::LazyFrame;
use crate::io::hdf5::H5Dataset;
use crate::value::args::Args;
use crate::value::display::{repr, to_str};
use crate::value::interp::Interp;
use crate::value::pyops;
use crate::value::value::Value;
use std::sync::Arc;

/// Builtins that compute or draw lazy values or print help (they reach the host for the
/// session's defaults), then Python's builtin functions (`call_core`).
pub fn call_host_builtin(fr: &mut Frame, name: &str, args: Args) -> Result<Value> {
    match name {
        "help" => {
            let text = crate::session::help::help_for(args.pos.first())?;
            fr.out.push_str(&text);
            Ok(Value::None)
        }
        "compute" => super::lazy::compute_builtin(fr, args),
        "visualize" => super::lazy::visualize_builtin(fr, args),
        "display" => super::modules::ipython::call(fr, "display", args),
        "iter" => {
            args.check(&["object"])?;
            crate::session::iter::iter_of(fr, args.req(0, "object")?)
        }
        "next" => {
            args.check(&["iterator", "default"])?;
            crate::session::iter::next_of(fr, args.req(0, "iterator")?, args.get(1, "default"))
        }
        // zip with a lazy iterator pulls it only as far as the shortest argument
        "zip"
            if args
                .pos
                .iter()
                .any(|a| crate::session::iter::lazy(a).is_some()) =>
        {
            crate::session::iter::zip(fr, &args.pos)
        }
        // len(df) on a lazy frame counts rows now, as Dask's __len__ does
        "len" if args.pos.first().is_some_and(|v| v.is::<Arc<LazyFrame>>()) => {
            let Some(f) = args.pos.first().and_then(|v| v.get::<Arc<LazyFrame>>()) else {
                return Err(RaskError::runtime("len of a frame"));
            };
            let n = crate::frame::lazy::build::tree_reduce(
                f,
                crate::frame::lazy::reduce::Red::Len,
                crate::frame::lazy::FrameKind::Scalar,
                Value::None,
            );
            let v = Value::obj(Arc::new(n));
            Ok(fr.compute(&[v], None)?.remove(0))
        }
        _ => {
            let mut out = std::mem::take(&mut fr.out);
            let r = call_core(fr, name, args, &mut out);
            fr.out = out;
            r
        }
    }
}

/// Python's builtin functions, for any interpreter.
pub fn call_core<I: Interp + ?Sized>(
    it: &mut I,
    name: &str,
    args: Args,
    out: &mut Out,
) -> Result<Value> {
    match name {
        "print" => {
            let sep = args.kw("sep").map(to_str).unwrap_or_else(|| " ".into());
            let end = args.kw("end").map(to_str).unwrap_or_else(|| "\n".into());
            let parts: Vec<String> = args.pos.iter().map(to_str).collect();
            out.push_str(&parts.join(&sep));
            out.push_str(&end);
            Ok(Value::None)
        }
        "len" => {
            let v = args.req(0, "obj")?;
            len_of(v).map(|n| Value::Int(n as i64))
        }
        "range" => {
            let nums: Vec<i64> = (0..args.pos.len())
                .map(|i| args.int(i, ["start", "stop", "step"][i.min(2)]))
                .collect::<Result<_>>()?;
            let (a, b, s) = match nums.as_slice() {
                [b] => (0, *b, 1),
                [a, b] => (*a, *b, 1),
                [a, b, s] => (*a, *b, *s),
                _ => return Err(RaskError::type_("range expected 1 to 3 integer arguments")),
            };
            if s == 0 {
                return Err(RaskError::value("range() arg 3 must not be zero"));
            }
            Ok(Value::Range(a, b, s))
        }
        "list" | "tuple" => {
            let items = match args.pos.first() {
                Some(v) => it.iter_values(v)?,
                None => Vec::new(),
            };
            Ok(if name == "list" {
                Value::list(items)
            } else {
                Value::tuple(items)
            })
        }
        "set" => {
            let items = match args.pos.first() {
                Some(v) => it.iter_values(v)?,
                None => Vec::new(),
            };
            items.iter().try_for_each(crate::value::mutate::hashable)?;
            Ok(Value::set(items))
        }
        "dict" => {
            let mut d: Vec<(Value, Value)> = Vec::new();
            if let Some(v) = args.pos.first() {
                match v {
                    Value::Dict(x) => d = x.snapshot(),
                    other => {
                        for pair in it.iter_values(other)? {
                            let kv = it.iter_values(&pair)?;
                            if kv.len() != 2 {
                                return Err(RaskError::value(
                                    "dict() needs a sequence of (key, value) pairs",
                                ));
                            }
                            super::super::eval::dict_insert(&mut d, kv[0].clone(), kv[1].clone());
                        }
                    }
                }
            }
            for (k, v) in &args.kw {
                super::super::eval::dict_insert(&mut d, Value::str(k), v.clone());
            }
            Ok(Value::dict(d))
        }
        "str" => Ok(Value::str(
            &args.pos.first().map(to_str).unwrap_or_default(),
        )),
        "repr" => Ok(Value::str(&repr(args.req(0, "obj")?))),
        "bool" => match args.pos.first() {
            Some(v) => Ok(Value::Bool(it.truth(v)?)),
            None => Ok(Value::Bool(false)),
        },
        "int" => match (args.pos.first(), args.get(1, "base")) {
            (Some(Value::Str(s)), Some(b)) => int_with_base(s, b),
            (first, _) => to_int(first.unwrap_or(&Value::Int(0))),
        },
        "float" => to_float(args.pos.first().unwrap_or(&Value::Float(0.0))),
        "abs" => {
            let v = args.req(0, "x")?;
            match v {
                Value::Int(i) => Ok(match i.checked_abs() {
                    Some(a) => Value::Int(a),
                    None => crate::value::bigint::int(
                        num_bigint::BigInt::from(*i).magnitude().clone().into(),
                    ),
                }),
                Value::BigInt(b) => Ok(crate::value::bigint::int(b.magnitude().clone().into())),
                Value::Bool(b) => Ok(Value::Int(*b as i64)),
                Value::Float(f) => Ok(Value::Float(f.abs())),
                __v if let Some(a) = __v.get::<Arc<LazyArray>>() => {
                    crate::array::da_api::unary(crate::array::kernels::UFunc::Abs, a)
                }
                __v if let Some(_) = __v.get::<std::sync::Arc<crate::common::ndarr::NdArr>>() => {
                    crate::array::np_api::unary_value(crate::array::kernels::UFunc::Abs, v)
                }
                other => Err(args.type_err(0, "x", "a number or array", other)),
            }
        }
        "round" => {
            let v = args.req(0, "number")?;
            let nd = args.int_opt(1, "ndigits")?;
            match (v, nd) {
                (Value::Int(i), Some(n)) if n < 0 => round_int(*i, n),
                (Value::Int(i), _) => Ok(Value::Int(*i)),
                (Value::BigInt(_), _) => Ok(v.clone()),
                (Value::Bool(b), _) => Ok(Value::Int(i64::from(*b))),
                (Value::Float(f), None) => {
                    if !f.is_finite() {
                        return Err(if f.is_nan() {
                            RaskError::value("cannot convert float NaN to integer")
                        } else {
                            RaskError::overflow("cannot convert float infinity to integer")
                        });
                    }
                    crate::value::bigint::from_f64(round_half_even(*f))
                }
                (Value::Float(f), Some(n)) => Ok(Value::Float(round_float(*f, n))),
                (v, _)
                    if v.is::<std::sync::Arc<crate::common::ndarr::NdArr>>()
                        || v.is::<Arc<LazyArray>>() =>
                {
                    let mut a = Args::new("round", vec![]);
                    if let Some(n) = nd {
                        a.kw.push(("decimals".into(), Value::Int(n)));
                    }
                    it.call_method(v, "round", a, out)
                }
                (other, _) => Err(args.type_err(0, "number", "a number", other)),
            }
        }
        "sum" => {
            let v = args.req(0, "iterable")?;
            if v.is::<Arc<LazyArray>>() || v.is::<std::sync::Arc<crate::common::ndarr::NdArr>>() {
                return it.call_method(v, "sum", Args::new("sum", vec![]), out);
            }
            let mut acc = args.get(1, "start").cloned().unwrap_or(Value::Int(0));
            for x in it.iter_values(v)? {
                acc = it.binary(crate::syntax::ast::BinOp::Add, &acc, &x)?;
            }
            Ok(acc)
        }
        "min" | "max" => min_max(it, name, &args, out),
        "pow" => {
            args.check(&["base", "exp", "mod"])?;
            let base = args.req(0, "base")?;
            let exp = args.req(1, "exp")?;
            match args.get(2, "mod") {
                None | Some(Value::None) => it.binary(crate::syntax::ast::BinOp::Pow, base, exp),
                Some(m) => modular_pow(base, exp, m),
            }
        }
        "any" | "all" => {
            let items = it.iter_values(args.req(0, "iterable")?)?;
            let want = name == "any";
            for x in items {
                if it.truth(&x)? == want {
                    return Ok(Value::Bool(want));
                }
            }
            Ok(Value::Bool(!want))
        }
        "sorted" => {
            let items = it.iter_values(args.req(0, "iterable")?)?;
            let key = args.kw("key").cloned();
            let reverse = args.bool_or(usize::MAX, "reverse", false)?;
            let sorted = sort_values(it, items, key.as_ref(), out)?;
            Ok(Value::list(if reverse {
                sorted.into_iter().rev().collect()
            } else {
                sorted
            }))
        }
        "reversed" => {
            let mut items = it.iter_values(args.req(0, "sequence")?)?;
            items.reverse();
            Ok(Value::list(items))
        }
        "enumerate" => {
            let items = it.iter_values(args.req(0, "iterable")?)?;
            let start = args.int_or(1, "start", 0)?;
            Ok(Value::list(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, x)| Value::tuple(vec![Value::Int(start + i as i64), x]))
                    .collect(),
            ))
        }
        "zip" => {
            let lists: Vec<Vec<Value>> = args
                .pos
                .iter()
                .map(|v| it.iter_values(v))
                .collect::<Result<_>>()?;
            let n = lists.iter().map(|l| l.len()).min().unwrap_or(0);
            Ok(Value::list(
                (0..n)
                    .map(|i| Value::tuple(lists.iter().map(|l| l[i].clone()).collect()))
                    .collect(),
            ))
        }
        "map" if args.pos.len() > 2 => {
            // map(f, xs, ys): f over the items side by side, to the shortest
            let f = args.req(0, "function")?.clone();
            let mut lists = Vec::new();
            for v in &args.pos[1..] {
                lists.push(it.iter_values(v)?);
            }
            let n = lists.iter().map(|l| l.len()).min().unwrap_or(0);
            let mut res = Vec::with_capacity(n);
            for i in 0..n {
                let xs = lists.iter().map(|l| l[i].clone()).collect();
                res.push(it.call1(&f, xs, out)?);
            }
            Ok(Value::list(res))
        }
        "map" => {
            let f = args.req(0, "function")?.clone();
            let items = it.iter_values(args.req(1, "iterable")?)?;
            let mut res = Vec::with_capacity(items.len());
            for x in items {
                res.push(it.call1(&f, vec![x], out)?);
            }
            Ok(Value::list(res))
        }
        "filter" => {
            let f = args.req(0, "function")?.clone();
            let items = it.iter_values(args.req(1, "iterable")?)?;
            let mut res = Vec::new();
            for x in items {
                let keep = match &f {
                    Value::None => it.truth(&x)?,
                    _ => {
                        let r = it.call1(&f, vec![x.clone()], out)?;
                        it.truth(&r)?
                    }
                };
                if keep {
                    res.push(x);
                }
            }
            Ok(Value::list(res))
        }
        "reduce" => {
            let f = args.req(0, "function")?.clone();
            let mut items = it.iter_values(args.req(1, "iterable")?)?.into_iter();
            let mut acc = match args.get(2, "initial") {
                Some(v) => v.clone(),
                None => items.next().ok_or_else(|| {
                    RaskError::type_("reduce() of empty iterable with no initial value")
                })?,
            };
            for x in items {
                acc = it.call1(&f, vec![acc, x], out)?;
            }
            Ok(acc)
        }
        "type" => {
            args.check(&["object"])?;
            Ok(super::pytype::type_of(args.req(0, "object")?))
        }
        "callable" => {
            args.check(&["obj"])?;
            Ok(Value::Bool(is_callable(args.req(0, "obj")?)))
        }
        "isinstance" => {
            let v = args.req(0, "obj")?;
            let t = args.req(1, "classinfo")?;
            // exceptions: by the class hierarchy (`isinstance(e, LookupError)`)
            if let Some(e) = v.get::<Arc<crate::value::exception::ExcValue>>() {
                let classes: Vec<&Value> = match t {
                    Value::Tuple(ts) => ts.iter().collect(),
                    other => vec![other],
                };
                return Ok(Value::Bool(classes.iter().any(|c| {
                    c.get::<crate::value::exception::ExcClass>()
                        .is_some_and(|c| crate::value::exception::is_subclass(&e.class, c.0))
                        || type_label(c) == "object"
                })));
            }
            let names: Vec<String> = match t {
                Value::Tuple(ts) => ts.iter().map(type_label).collect(),
                other => vec![type_label(other)],
            };
            // bool is a subclass of int, as in Python; `np.ndarray` names itself `ndarray`
            let tn = v.type_name();
            let short = tn.rsplit('.').next().unwrap_or(tn);
            let is = |n: &String| {
                n == tn
                    || n == "object"
                    || (n == "int" && matches!(v, Value::Bool(_)))
                    || (n.as_str() == short && n != "set")
            };
            Ok(Value::Bool(names.iter().any(is)))
        }
        other => Err(RaskError::name(format!("unknown builtin '{}'", other))),
    }
}

/// `pow(base, exp, mod)` on integers, as Python computes it (a negative exponent is
/// the inverse modulo `mod`).
fn modular_pow(base: &Value, exp: &Value, m: &Value) -> Result<Value> {
    use crate::value::bigint::{as_big, int};
    use num_bigint::BigInt;
    let (Some(b), Some(e), Some(m)) = (as_big(base), as_big(exp), as_big(m)) else {
        return Err(RaskError::type_(
            "pow() 3rd argument not allowed unless all arguments are integers",
        ));
    };
    let zero = BigInt::from(0);
    if m == zero {
        return Err(RaskError::value("pow() 3rd argument cannot be 0"));
    }
    let mabs = if m < zero { -m.clone() } else { m.clone() };
    let r = if e < zero {
        let inv = b
            .modinv(&mabs)
            .ok_or_else(|| RaskError::value("base is not invertible for the given modulus"))?;
        inv.modpow(&-e, &mabs)
    } else {
        b.modpow(&e, &mabs)
    };
    // Python's result takes the sign of the modulus
    let r = ((r % &m) + &m) % &m;
    Ok(int(r))
}

fn min_max<I: Interp + ?Sized>(
    it: &mut I,
    name: &str,
    args: &Args,
    out: &mut Out,
) -> Result<Value> {
    let items = if args.pos.len() == 1 {
        let v = &args.pos[0];
        if v.is::<Arc<LazyArray>>() || v.is::<std::sync::Arc<crate::common::ndarr::NdArr>>() {
            return it.call_method(v, name, Args::new(name, vec![]), out);
        }
        it.iter_values(v)?
    } else {
        args.pos.clone()
    };
    let key = args.kw("key").cloned();
    if items.is_empty() {
        return match args.kw("default") {
            Some(d) => Ok(d.clone()),
            None => Err(RaskError::value(format!(
                "{}() arg is an empty sequence",
                name
            ))),
        };
    }
    let mut best = items[0].clone();
    let mut best_key = match &key {
        Some(f) => it.call1(f, vec![best.clone()], out)?,
        None => best.clone(),
    };
    for x in items.into_iter().skip(1) {
        let k = match &key {
            Some(f) => it.call1(f, vec![x.clone()], out)?,
            None => x.clone(),
        };
        let ord = pyops::cmp(&k, &best_key)?;
        let better = if name == "min" {
            ord == std::cmp::Ordering::Less
        } else {
            ord == std::cmp::Ordering::Greater
        };
        if better {
            best = x;
            best_key = k;
        }
    }
    Ok(best)
}

/// Stable sort by Python ordering, optionally by a key function.
pub fn sort_values<I: Interp + ?Sized>(
    it: &mut I,
    items: Vec<Value>,
    key: Option<&Value>,
    out: &mut Out,
) -> Result<Vec<Value>> {
    let keyed: Vec<(Value, Value)> = match key {
        Some(f) if !matches!(f, Value::None) => items
            .into_iter()
            .map(|x| Ok((it.call1(f, vec![x.clone()], out)?, x)))
            .collect::<Result<_>>()?,
        _ => items.into_iter().map(|x| (x.clone(), x)).collect(),
    };
    let mut err = None;
    let mut keyed = keyed;
    keyed.sort_by(|a, b| match pyops::cmp(&a.0, &b.0) {
        Ok(o) => o,
        Err(e) => {
            err.get_or_insert(e);
            std::cmp::Ordering::Equal
        }
    });
    if let Some(e) = err {
        return Err(e);
    }
    Ok(keyed.into_iter().map(|(_, x)| x).collect())
}

/// `callable(x)`: functions, methods, callable objects (wrapped as `__call__` methods)
/// and classes.
fn is_callable(v: &Value) -> bool {
    matches!(v, Value::Func(_))
        || v.is::<crate::value::exception::ExcClass>()
        || v.is::<Arc<super::pytype::PyType>>()
}

fn type_label(v: &Value) -> String {
    if let Some(t) = v.get::<Arc<super::pytype::PyType>>() {
        return t.rask.clone();
    }
    match v {
        Value::Func(f) => match &**f {
            crate::value::value::Function::Builtin { name } => name.clone(),
            _ => "function".into(),
        },
        Value::Str(s) => s.to_string(),
        other => other.type_name().to_string(),
    }
}

pub fn len_of(v: &Value) -> Result<usize> {
    match v {
        Value::Str(s) => Ok(s.chars().count()),
        __s if let Some(x) = __s.seq() => Ok(x.len()),
        Value::Dict(d) => Ok(d.read().len()),
        Value::Set(s) => Ok(s.read().0.len()),
        Value::Range(a, b, s) => crate::value::value::range_len(*a, *b, *s),
        __v if let Some(a) = __v.get::<std::sync::Arc<crate::common::ndarr::NdArr>>() => a
            .shape()
            .first()
            .copied()
            .ok_or_else(|| RaskError::type_("len() of unsized object (a 0-d array)")),
        __v if let Some(a) = __v.get::<Arc<LazyArray>>() => a
            .shape
            .first()
            .copied()
            .ok_or_else(|| RaskError::type_("len() of unsized object (a 0-d array)")),
        __v if let Some(d) = __v.get::<Arc<H5Dataset>>() => d
            .shape
            .first()
            .copied()
            .ok_or_else(|| RaskError::type_("len() of a scalar dataset")),
        __v if __v.is::<Arc<PSeries>>() || __v.is::<Arc<PFrame>>() => {
            crate::frame::api::len_of(v).ok_or_else(|| RaskError::type_("len() of a frame"))
        }
        Value::Obj(o) if let Some(n) = o.len() => n,
        other => Err(RaskError::type_(format!(
            "object of type '{}' has no len()",
            other.type_name()
        ))),
    }
}

/// `round(f, n)` as CPython does it: past 323 digits nothing changes, below -308 all goes;
/// otherwise round half-even on the correctly rounded decimal text.
fn round_float(f: f64, n: i64) -> f64 {
    if !f.is_finite() || n > 323 {
        return f;
    }
    if n < -308 {
        return 0.0 * f;
    }
    if n < 0 {
        let p = 10f64.powi(-n as i32);
        let r = round_half_even(f / p) * p;
        return if r.is_finite() { r } else { f };
    }
    // go through the decimal text so 2.675 rounds as Python shows it
    let text = crate::value::format_spec::fixed(f, n as usize);
    let m = 10f64.powi(n as i32);
    text.parse().unwrap_or(round_half_even(f * m) / m)
}

/// `round(i, n)` for n < 0: to a multiple of 10**-n, ties to even.
fn round_int(i: i64, n: i64) -> Result<Value> {
    let Some(p) = u32::try_from(-n).ok().and_then(|e| 10i128.checked_pow(e)) else {
        return Ok(Value::Int(0));
    };
    let x = i128::from(i);
    let (q, r) = (x.div_euclid(p), x.rem_euclid(p));
    let q = match (2 * r).cmp(&p) {
        std::cmp::Ordering::Greater => q + 1,
        std::cmp::Ordering::Equal => q + (q & 1),
        std::cmp::Ordering::Less => q,
    };
    Ok(crate::value::bigint::int(num_bigint::BigInt::from(q * p)))
}

fn round_half_even(x: f64) -> f64 {
    let r = x.round();
    if (x - x.trunc()).abs() == 0.5 {
        2.0 * (x / 2.0).round()
    } else {
        r
    }
}

fn to_int(v: &Value) -> Result<Value> {
    match v {
        Value::Int(i) => Ok(Value::Int(*i)),
        Value::BigInt(_) => Ok(v.clone()),
        Value::Bool(b) => Ok(Value::Int(*b as i64)),
        Value::Float(f) => crate::value::bigint::from_f64(*f),
        Value::Str(s) => crate::value::bigint::parse(s)
            .filter(|_| {
                let t = s.trim();
                let t = t.strip_prefix(['-', '+']).unwrap_or(t);
                !t.is_empty()
                    && !t.starts_with('_')
                    && !t.ends_with('_')
                    && !t.contains("__")
                    && t.chars().all(|c| c.is_ascii_digit() || c == '_')
            })
            .ok_or_else(|| {
                RaskError::value(format!(
                    "invalid literal for int() with base 10: {}",
                    repr(v)
                ))
            }),
        __v if let Some(a) = __v
            .get::<std::sync::Arc<crate::common::ndarr::NdArr>>()
            .filter(|a| a.len() == 1) =>
        {
            to_int(&flat_first(a))
        }
        other => Err(RaskError::type_(format!(
            "int() argument must be a string or a number, not '{}'",
            other.type_name()
        ))),
    }
}

fn to_float(v: &Value) -> Result<Value> {
    match v {
        Value::Int(i) => Ok(Value::Float(*i as f64)),
        Value::BigInt(b) => Ok(Value::Float(crate::value::bigint::to_f64(b)?)),
        Value::Bool(b) => Ok(Value::Float(*b as i64 as f64)),
        Value::Float(f) => Ok(Value::Float(*f)),
        Value::Str(s) => {
            let t = s.trim().to_ascii_lowercase();
            let parsed = match t.as_str() {
                "nan" | "+nan" | "-nan" => Some(f64::NAN),
                "inf" | "+inf" | "infinity" => Some(f64::INFINITY),
                "-inf" | "-infinity" => Some(f64::NEG_INFINITY),
                _ => t.replace('_', "").parse::<f64>().ok(),
            };
            parsed.map(Value::Float).ok_or_else(|| {
                RaskError::value(format!("could not convert string to float: {}", repr(v)))
            })
        }
        __v if let Some(a) = __v
            .get::<std::sync::Arc<crate::common::ndarr::NdArr>>()
            .filter(|a| a.len() == 1) =>
        {
            to_float(&flat_first(a))
        }
        other => Err(RaskError::type_(format!(
            "float() argument must be a string or a number, not '{}'",
            other.type_name()
        ))),
    }
}

fn flat_first(a: &crate::common::ndarr::NdArr) -> Value {
    let mut v = crate::array::convert::tolist(a);
    while let Value::List(items) = &v {
        let first = items.read().first().cloned();
        match first {
            Some(x) => v = x.clone(),
            None => break,
        }
    }
    v
}

/// `int("ff", 16)`, `int("0x1f", 0)`: Python's rules for a base and its prefix.
fn int_with_base(s: &str, base: &Value) -> Result<Value> {
    let b = match base {
        Value::Int(b) if *b == 0 || (2..=36).contains(b) => *b as u32,
        Value::Int(_) => return Err(RaskError::value("int() base must be >= 2 and <= 36, or 0")),
        other => {
            return Err(RaskError::type_(format!(
                "'{}' object cannot be interpreted as an integer",
                other.type_name()
            )))
        }
    };
    let bad = || {
        RaskError::value(format!(
            "invalid literal for int() with base {}: {}",
            b,
            crate::value::display::repr_str(s)
        ))
    };
    let t = s.trim();
    let (neg, t) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let lower = t.to_ascii_lowercase();
    let prefixed = |p: &str, r: u32| (b == r || b == 0) && lower.starts_with(p);
    let (radix, digits) = if prefixed("0x", 16) {
        (16, &t[2..])
    } else if prefixed("0o", 8) {
        (8, &t[2..])
    } else if prefixed("0b", 2) {
        (2, &t[2..])
    } else if b == 0 {
        (10, t)
    } else {
        (b, t)
    };
    let digits = digits.replace('_', "");
    if digits.is_empty() {
        return Err(bad());
    }
    let n = num_bigint::BigInt::parse_bytes(digits.as_bytes(), radix).ok_or_else(bad)?;
    let n = if neg { -n } else { n };
    Ok(crate::value::bigint::int(n))
}
