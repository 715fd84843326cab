//! Python semantics for operators on plain values (numbers, strings, lists, tuples):
//! the evaluator sends arrays to their own namespaces and everything else here.

use super::value::{SetItems, Value};
use crate::errors::{ErrorKind, RaskError, Result};
use crate::syntax::ast::{BinOp, CmpOp};
use std::cmp::Ordering;
use std::sync::Arc;

fn unsupported(op: &str, a: &Value, b: &Value) -> RaskError {
    RaskError::type_(format!(
        "unsupported operand type(s) for {}: '{}' and '{}'",
        op,
        a.type_name(),
        b.type_name()
    ))
}

pub fn binop_symbol(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "+",
        BinOp::Sub => "-",
        BinOp::Mul => "*",
        BinOp::Div => "/",
        BinOp::FloorDiv => "//",
        BinOp::Mod => "%",
        BinOp::Pow => "**",
        BinOp::MatMul => "@",
        BinOp::BitAnd => "&",
        BinOp::BitOr => "|",
        BinOp::BitXor => "^",
        BinOp::LShift => "<<",
        BinOp::RShift => ">>",
    }
}

/// A number as f64 if the value is numeric (bool, int, float).
pub fn as_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Bool(b) => Some(*b as i64 as f64),
        Value::Int(i) => Some(*i as f64),
        Value::BigInt(b) => num_traits::ToPrimitive::to_f64(&**b),
        Value::Float(f) => Some(*f),
        _ => None,
    }
}

pub fn as_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Bool(b) => Some(*b as i64),
        Value::Int(i) => Some(*i),
        _ => None,
    }
}

fn zero_div(what: &str) -> RaskError {
    RaskError::new(ErrorKind::ZeroDivision, what.to_string())
}

/// `x << y` and `x >> y` on 64-bit ints; a left shift past 64 bits is a big int.
fn shift(op: BinOp, x: i64, y: i64) -> Result<Value> {
    if y < 0 {
        return Err(RaskError::value("negative shift count"));
    }
    if op == BinOp::RShift {
        // an arithmetic shift: past 63 places only the sign is left
        return Ok(Value::Int(x >> y.min(63)));
    }
    if x == 0 {
        return Ok(Value::Int(0));
    }
    // exact while the result's bits fit: the sign bit and the value's own
    let used = 64
        - if x < 0 {
            x.leading_ones()
        } else {
            x.leading_zeros()
        };
    if (used as i64) + y < 64 {
        return Ok(Value::Int(x << y));
    }
    super::bigint::binary(op, &x.into(), &y.into())?
        .ok_or_else(|| RaskError::runtime("integer shift"))
}

/// Python's floor modulo for floats.
pub fn py_fmod(a: f64, b: f64) -> f64 {
    let r = a % b;
    if r == 0.0 {
        // Python gives the zero the divisor's sign: 4.0 % -1.0 == -0.0
        0.0f64.copysign(b)
    } else if (r < 0.0) != (b < 0.0) {
        r + b
    } else {
        r
    }
}

pub fn binary(op: BinOp, a: &Value, b: &Value) -> Result<Value> {
    // past 64 bits, integers stay exact as big ints
    if matches!(a, Value::BigInt(_)) || matches!(b, Value::BigInt(_)) {
        if let (Some(x), Some(y)) = (super::bigint::as_big(a), super::bigint::as_big(b)) {
            if let Some(v) = super::bigint::binary(op, &x, &y)? {
                return Ok(v);
            }
        }
        if let (Value::BigInt(x), Value::Float(_)) | (Value::Float(_), Value::BigInt(x)) = (a, b) {
            // int with float: the int as a float, OverflowError if it has none
            super::bigint::to_f64(x)?;
        }
    }
    // int (and bool) arithmetic stays exact
    if let (Some(x), Some(y)) = (as_i64(a), as_i64(b)) {
        let both_bool = matches!((a, b), (Value::Bool(_), Value::Bool(_)));
        let big = |op| -> Result<Value> {
            let r = super::bigint::binary(op, &x.into(), &y.into())?;
            r.ok_or_else(|| unsupported(binop_symbol(op), a, b))
        };
        return Ok(match op {
            BinOp::Add => x
                .checked_add(y)
                .map_or_else(|| big(op), |v| Ok(Value::Int(v)))?,
            BinOp::Sub => x
                .checked_sub(y)
                .map_or_else(|| big(op), |v| Ok(Value::Int(v)))?,
            BinOp::Mul => x
                .checked_mul(y)
                .map_or_else(|| big(op), |v| Ok(Value::Int(v)))?,
            BinOp::Div => {
                if y == 0 {
                    return Err(zero_div("division by zero"));
                }
                Value::Float(x as f64 / y as f64)
            }
            BinOp::FloorDiv => {
                if y == 0 {
                    return Err(zero_div("integer division or modulo by zero"));
                }
                // i64::MIN // -1 is the one quotient past i64
                match x.checked_div_euclid(y) {
                    Some(q) => Value::Int(q - i64::from(x.rem_euclid(y) != 0 && y < 0)),
                    None => big(op)?,
                }
            }
            BinOp::Mod => {
                if y == 0 {
                    return Err(zero_div("integer modulo by zero"));
                }
                // i64::MIN % -1 is 0 (the Rust operator overflows computing it)
                let r = x.checked_rem(y).unwrap_or(0);
                Value::Int(if r != 0 && ((r < 0) != (y < 0)) {
                    r + y
                } else {
                    r
                })
            }
            BinOp::Pow => {
                if y < 0 {
                    Value::Float((x as f64).powf(y as f64))
                } else {
                    match u32::try_from(y).ok().and_then(|e| x.checked_pow(e)) {
                        Some(v) => Value::Int(v),
                        None => big(op)?,
                    }
                }
            }
            BinOp::BitAnd if both_bool => Value::Bool(x & y != 0),
            BinOp::BitOr if both_bool => Value::Bool(x | y != 0),
            BinOp::BitXor if both_bool => Value::Bool(x ^ y != 0),
            BinOp::BitAnd => Value::Int(x & y),
            BinOp::BitOr => Value::Int(x | y),
            BinOp::BitXor => Value::Int(x ^ y),
            BinOp::LShift | BinOp::RShift => shift(op, x, y)?,
            BinOp::MatMul => return Err(unsupported("@", a, b)),
        });
    }
    if let (Some(x), Some(y)) = (as_f64(a), as_f64(b)) {
        return Ok(Value::Float(match op {
            BinOp::Add => x + y,
            BinOp::Sub => x - y,
            BinOp::Mul => x * y,
            BinOp::Div => {
                if y == 0.0 {
                    return Err(zero_div("float division by zero"));
                }
                x / y
            }
            BinOp::FloorDiv => {
                if y == 0.0 {
                    return Err(zero_div("float floor division by zero"));
                }
                (x / y).floor()
            }
            BinOp::Mod => {
                if y == 0.0 {
                    return Err(zero_div("float modulo"));
                }
                py_fmod(x, y)
            }
            BinOp::Pow => x.powf(y),
            _ => return Err(unsupported(binop_symbol(op), a, b)),
        }));
    }
    match (op, a, b) {
        (BinOp::Add, Value::Str(x), Value::Str(y)) => {
            let mut s = String::with_capacity(x.len() + y.len());
            s.push_str(x);
            s.push_str(y);
            Ok(Value::Str(Arc::from(s)))
        }
        (BinOp::Add, Value::List(x), Value::List(y)) => {
            let mut v = x.snapshot();
            v.extend(y.read().iter().cloned());
            Ok(Value::list(v))
        }
        (
            BinOp::BitOr | BinOp::BitAnd | BinOp::Sub | BinOp::BitXor,
            Value::Set(x),
            Value::Set(y),
        ) => Ok(Value::Set(super::shared::Shared::new(set_op(
            op,
            &x.snapshot(),
            &y.snapshot(),
        )))),
        (BinOp::Add, Value::Tuple(x), Value::Tuple(y)) => {
            Ok(Value::tuple(x.iter().chain(y.iter()).cloned().collect()))
        }
        (BinOp::Mul, Value::Str(s), n) | (BinOp::Mul, n, Value::Str(s)) if as_i64(n).is_some() => {
            let k = as_i64(n).unwrap_or(0).max(0) as usize;
            if s.is_empty() || k == 0 {
                return Ok(Value::str(""));
            }
            super::limits::check_alloc(s.len() as u128, k as u128, "the repeated string")?;
            Ok(Value::Str(Arc::from(s.repeat(k))))
        }
        (BinOp::Mul, l @ (Value::List(_) | Value::Tuple(_)), n)
        | (BinOp::Mul, n, l @ (Value::List(_) | Value::Tuple(_)))
            if as_i64(n).is_some() =>
        {
            let Some(l) = l.seq() else {
                return Err(unsupported(binop_symbol(op), a, b));
            };
            // an empty sequence repeated any number of times is empty (and costs nothing)
            let k = if l.is_empty() {
                0
            } else {
                as_i64(n).unwrap_or(0).max(0) as usize
            };
            let size = std::mem::size_of::<Value>() as u128;
            super::limits::check_alloc(l.len() as u128 * k as u128, size, "the repeated sequence")?;
            let mut v = Vec::with_capacity(l.len() * k);
            for _ in 0..k {
                v.extend(l.iter().cloned());
            }
            Ok(
                if matches!((a, b), (Value::Tuple(_), _) | (_, Value::Tuple(_))) {
                    Value::tuple(v)
                } else {
                    Value::list(v)
                },
            )
        }
        (BinOp::Mod, Value::Str(fmt), arg) => percent_format(fmt, arg),
        _ => Err(unsupported(binop_symbol(op), a, b)),
    }
}

/// `"%d items" % n` and `"%s=%.2f" % (k, v)`: the common printf-style cases.
fn percent_format(fmt: &str, arg: &Value) -> Result<Value> {
    let args: Vec<Value> = match arg {
        Value::Tuple(t) => t.to_vec(),
        v => vec![v.clone()],
    };
    let mut out = String::new();
    let mut it = args.iter();
    let chars: Vec<char> = fmt.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c != '%' {
            out.push(c);
            i += 1;
            continue;
        }
        i += 1;
        let mut spec = String::new();
        while i < chars.len() && !chars[i].is_ascii_alphabetic() && chars[i] != '%' {
            spec.push(chars[i]);
            i += 1;
        }
        let Some(&conv) = chars.get(i) else {
            return Err(RaskError::value("incomplete format"));
        };
        i += 1;
        if conv == '%' {
            out.push('%');
            continue;
        }
        let v = it
            .next()
            .ok_or_else(|| RaskError::type_("not enough arguments for format string"))?;
        let prec: Option<usize> = spec.split('.').nth(1).and_then(|p| p.parse().ok());
        let width: usize = spec
            .split('.')
            .next()
            .and_then(|w| w.trim_start_matches(['-', '0']).parse().ok())
            .unwrap_or(0);
        let body = match conv {
            'd' | 'i' => match as_f64(v) {
                Some(f) => format!("{}", f.trunc() as i64),
                None => return Err(RaskError::type_("%d format: a number is required")),
            },
            'f' | 'F' => match as_f64(v) {
                Some(f) => format!("{:.*}", prec.unwrap_or(6), f),
                None => return Err(RaskError::type_("%f format: a number is required")),
            },
            'e' => match as_f64(v) {
                Some(f) => crate::value::format_spec::sci(f, prec.unwrap_or(6)),
                None => return Err(RaskError::type_("%e format: a number is required")),
            },
            'x' | 'X' | 'o' | 'c' => match v {
                Value::Int(_) | Value::Bool(_) => {
                    crate::value::format_spec::apply(v, &conv.to_string())?
                }
                other => {
                    return Err(RaskError::type_(format!(
                        "%{} format: an integer is required, not {}",
                        conv,
                        other.type_name()
                    )))
                }
            },
            'g' => match as_f64(v) {
                Some(_) => {
                    crate::value::format_spec::apply(v, &format!(".{}g", prec.unwrap_or(6)))?
                }
                None => return Err(RaskError::type_("%g format: a number is required")),
            },
            'r' => super::display::repr(v),
            _ => super::display::to_str(v),
        };
        if spec.starts_with('-') {
            out.push_str(&format!("{:<width$}", body, width = width));
        } else if spec.starts_with('0') && width > 0 {
            out.push_str(&format!("{:0>width$}", body, width = width));
        } else {
            out.push_str(&format!("{:>width$}", body, width = width));
        }
    }
    Ok(Value::str(&out))
}

/// Python `==` between plain values (1 == 1.0 == True).
pub fn eq(a: &Value, b: &Value) -> bool {
    if matches!(a, Value::BigInt(_)) || matches!(b, Value::BigInt(_)) {
        return cmp_numbers(a, b) == Some(Ordering::Equal);
    }
    if let (Some(x), Some(y)) = (as_f64(a), as_f64(b)) {
        if let (Some(i), Some(j)) = (as_i64(a), as_i64(b)) {
            return i == j;
        }
        return x == y;
    }
    for (x, y) in [(a, b), (b, a)] {
        if let Value::Obj(o) = x {
            if let Some(r) = o.eq_value(y) {
                return r;
            }
        }
    }
    match (a, b) {
        (Value::None, Value::None) => true,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::List(x), Value::List(y)) => {
            if x.ptr_eq(y) {
                return true;
            }
            let (x, y) = (x.read(), y.read());
            seq_eq(&x, &y)
        }
        (Value::Tuple(x), Value::Tuple(y)) => seq_eq(x, y),
        (Value::Set(x), Value::Set(y)) => {
            if x.ptr_eq(y) {
                return true;
            }
            let (x, y) = (x.read(), y.read());
            x.0.len() == y.0.len() && x.values().all(|v| y.contains(v))
        }
        (Value::Dict(x), Value::Dict(y)) => {
            if x.ptr_eq(y) {
                return true;
            }
            let (x, y) = (x.read(), y.read());
            x.len() == y.len()
                && x.iter().all(|(k, v)| {
                    y.iter()
                        .find(|(k2, _)| eq(k, k2))
                        .map(|(_, v2)| eq(v, v2))
                        .unwrap_or(false)
                })
        }
        (Value::Range(a1, b1, c1), Value::Range(a2, b2, c2)) => (a1, b1, c1) == (a2, b2, c2),
        (Value::Module(x), Value::Module(y)) => x == y,
        _ => false,
    }
}

/// Python ordering for `<` and `sorted`: numbers, strings, and sequences element-wise.
/// Numbers compared by value, exactly when either is a big int; None when either is not a
/// number (or is NaN).
fn cmp_numbers(a: &Value, b: &Value) -> Option<Ordering> {
    use super::bigint::{as_big, cmp_float};
    match (a, b) {
        (Value::Float(x), Value::Float(y)) => x.partial_cmp(y),
        (Value::Float(f), other) => as_big(other)
            .and_then(|i| cmp_float(&i, *f))
            .map(Ordering::reverse),
        (other, Value::Float(f)) => as_big(other).and_then(|i| cmp_float(&i, *f)),
        _ => Some(as_big(a)?.cmp(&as_big(b)?)),
    }
}

pub fn cmp(a: &Value, b: &Value) -> Result<Ordering> {
    if matches!(a, Value::BigInt(_)) || matches!(b, Value::BigInt(_)) {
        if let Some(o) = cmp_numbers(a, b) {
            return Ok(o);
        }
    }
    if let (Some(i), Some(j)) = (as_i64(a), as_i64(b)) {
        return Ok(i.cmp(&j));
    }
    if let (Some(x), Some(y)) = (as_f64(a), as_f64(b)) {
        return Ok(x.partial_cmp(&y).unwrap_or(Ordering::Equal));
    }
    if let Value::Obj(o) = a {
        if let Some(r) = o.cmp_value(b) {
            return r;
        }
    }
    if let Value::Obj(o) = b {
        if let Some(r) = o.cmp_value(a) {
            return r.map(Ordering::reverse);
        }
    }
    match (a, b) {
        (Value::Str(x), Value::Str(y)) => Ok(x.cmp(y)),
        (Value::List(_), Value::List(_)) | (Value::Tuple(_), Value::Tuple(_)) => {
            let (Some(x), Some(y)) = (a.seq(), b.seq()) else {
                return Err(RaskError::runtime("internal: not a sequence"));
            };
            for (p, q) in x.iter().zip(y.iter()) {
                let o = cmp(p, q)?;
                if o != Ordering::Equal {
                    return Ok(o);
                }
            }
            Ok(x.len().cmp(&y.len()))
        }
        _ => Err(RaskError::type_(format!(
            "'<' not supported between instances of '{}' and '{}'",
            a.type_name(),
            b.type_name()
        ))),
    }
}

/// `a in b` for containers.
pub fn contains(container: &Value, item: &Value) -> Result<bool> {
    match container {
        Value::List(_) | Value::Tuple(_) => Ok(container
            .seq()
            .is_some_and(|v| v.iter().any(|x| eq(x, item)))),
        Value::Dict(d) => Ok(d.read().iter().any(|(k, _)| eq(k, item))),
        Value::Set(s) => {
            super::mutate::hashable(item)?;
            Ok(s.read().contains(item))
        }
        Value::Str(s) => match item {
            Value::Str(sub) => Ok(s.contains(&**sub)),
            _ => Err(RaskError::type_(format!(
                "'in <string>' requires string as left operand, not {}",
                item.type_name()
            ))),
        },
        Value::Range(start, stop, step) => match as_i64(item) {
            Some(i) => {
                let inside = if *step > 0 {
                    i >= *start && i < *stop
                } else {
                    i <= *start && i > *stop
                };
                Ok(inside && (i - start) % step == 0)
            }
            None => Ok(false),
        },
        _ => Err(RaskError::type_(format!(
            "argument of type '{}' is not iterable",
            container.type_name()
        ))),
    }
}

pub fn compare(op: CmpOp, a: &Value, b: &Value) -> Result<bool> {
    Ok(match op {
        CmpOp::Eq => eq(a, b),
        CmpOp::Ne => !eq(a, b),
        _ if matches!((a, b), (Value::Set(_), Value::Set(_))) => return set_compare(op, a, b),
        CmpOp::Lt => cmp(a, b)? == Ordering::Less,
        CmpOp::Le => cmp(a, b)? != Ordering::Greater,
        CmpOp::Gt => cmp(a, b)? == Ordering::Greater,
        CmpOp::Ge => cmp(a, b)? != Ordering::Less,
        CmpOp::In => contains(b, a)?,
        CmpOp::NotIn => !contains(b, a)?,
        CmpOp::Is => match (a, b) {
            (Value::None, Value::None) => true,
            (Value::List(x), Value::List(y)) => x.ptr_eq(y),
            (Value::Dict(x), Value::Dict(y)) => x.ptr_eq(y),
            (Value::Set(x), Value::Set(y)) => x.ptr_eq(y),
            (Value::List(_) | Value::Dict(_) | Value::Set(_), _)
            | (_, Value::List(_) | Value::Dict(_) | Value::Set(_)) => false,
            (Value::Bool(x), Value::Bool(y)) => x == y,
            (Value::None, _) | (_, Value::None) => false,
            _ => eq(a, b),
        },
        CmpOp::IsNot => !compare(CmpOp::Is, a, b)?,
    })
}

/// KeyError for a record field, showing the fields that exist and the record, cut short.
pub fn missing_field(d: &[(Value, Value)], name: &str) -> RaskError {
    let fields: Vec<String> = d
        .iter()
        .map(|(k, _)| crate::value::display::to_str(k))
        .collect();
    let mut rec = crate::value::display::repr(&Value::dict(d.to_vec()));
    if rec.chars().count() > 120 {
        rec = rec.chars().take(117).collect::<String>() + "...";
    }
    let mut e = RaskError::key(format!("'{}' (record: {})", name, rec));
    if let Some(c) = crate::errors::closest(name, fields.iter().map(|s| s.as_str())) {
        e = e.with_hint(format!(
            "did you mean '{}'? fields: {}",
            c,
            fields.join(", ")
        ));
    } else {
        e = e.with_hint(format!("fields: {}", fields.join(", ")));
    }
    e
}

/// `v[k]` for plain containers.
pub fn getitem(v: &Value, k: &Value) -> Result<Value> {
    match (v, k) {
        (Value::List(_) | Value::Tuple(_), Value::Int(i)) => {
            let Some(items) = v.seq() else {
                return Err(RaskError::runtime("internal: not a sequence"));
            };
            let n = items.len() as i64;
            let j = if *i < 0 { i + n } else { *i };
            if j < 0 || j >= n {
                return Err(
                    RaskError::index(format!("{} index out of range", v.type_name())).with_hint(
                        format!("index {} of a {} of length {}", i, v.type_name(), n),
                    ),
                );
            }
            Ok(items[j as usize].clone())
        }
        (Value::Str(s), Value::Int(i)) => {
            let chars: Vec<char> = s.chars().collect();
            let n = chars.len() as i64;
            let j = if *i < 0 { i + n } else { *i };
            if j < 0 || j >= n {
                return Err(RaskError::index("string index out of range")
                    .with_hint(format!("index {} of a string of length {}", i, n)));
            }
            Ok(Value::str(&chars[j as usize].to_string()))
        }
        (Value::Range(a, b, s), Value::Int(i)) => {
            let n = super::value::range_len(*a, *b, *s)? as i64;
            let j = if *i < 0 { i + n } else { *i };
            if j < 0 || j >= n {
                return Err(RaskError::index("range object index out of range"));
            }
            Ok(Value::Int(a + j * s))
        }
        (Value::Dict(d), key) => d
            .read()
            .iter()
            .find(|(k2, _)| crate::value::pyops::eq(k2, key))
            .map(|(_, v)| v.clone())
            .ok_or_else(|| {
                let e = match key {
                    Value::Str(s) => missing_field(&d.read(), s),
                    other => RaskError::key(crate::value::display::repr(other)),
                };
                // `e.args` is the key itself (a tuple key stays a tuple)
                super::exception::with_args(e, vec![key.clone()])
            }),
        (Value::List(_) | Value::Tuple(_) | Value::Str(_), other) => {
            Err(RaskError::type_(format!(
                "{} indices must be integers or slices, not {}",
                v.type_name(),
                other.type_name()
            )))
        }
        _ => Err(RaskError::type_(format!(
            "'{}' object is not subscriptable",
            v.type_name()
        ))),
    }
}

/// `len(obj)`: containers, and objects that have a length.
pub fn len_of(v: &Value) -> Result<usize> {
    match v {
        Value::Str(s) => Ok(s.chars().count()),
        Value::List(x) => Ok(x.read().len()),
        Value::Tuple(x) => Ok(x.len()),
        Value::Dict(d) => Ok(d.read().len()),
        Value::Set(s) => Ok(s.read().0.len()),
        Value::Range(a, b, s) => super::value::range_len(*a, *b, *s),
        Value::Obj(o) => o.len().unwrap_or_else(|| {
            Err(RaskError::type_(format!(
                "object of type '{}' has no len()",
                o.type_name()
            )))
        }),
        other => Err(RaskError::type_(format!(
            "object of type '{}' has no len()",
            other.type_name()
        ))),
    }
}

fn seq_eq(x: &[Value], y: &[Value]) -> bool {
    // an item that is the very same list as its counterpart is equal without a walk (as
    // CPython's identity shortcut), so a list holding itself compares without recursing
    x.len() == y.len()
        && x.iter().zip(y.iter()).all(|(p, q)| match (p, q) {
            (Value::List(a), Value::List(b)) if a.ptr_eq(b) => true,
            (Value::Dict(a), Value::Dict(b)) if a.ptr_eq(b) => true,
            _ => eq(p, q),
        })
}

/// `a | b`, `a & b`, `a - b`, `a ^ b` on sets (and the set methods that do the same).
pub fn set_op(op: BinOp, x: &SetItems, y: &SetItems) -> SetItems {
    let items: Vec<Value> = match op {
        BinOp::BitOr => x
            .values()
            .chain(y.values().filter(|v| !x.contains(v)))
            .cloned()
            .collect(),
        BinOp::BitAnd => x.values().filter(|v| y.contains(v)).cloned().collect(),
        BinOp::Sub => x.values().filter(|v| !y.contains(v)).cloned().collect(),
        _ => x
            .values()
            .filter(|v| !y.contains(v))
            .chain(y.values().filter(|v| !x.contains(v)))
            .cloned()
            .collect(),
    };
    SetItems(items.into_iter().map(super::hashkey::HKey).collect())
}

/// Set comparisons are subset tests: `a <= b` is "a is a subset of b".
fn set_compare(op: CmpOp, a: &Value, b: &Value) -> Result<bool> {
    let (Value::Set(x), Value::Set(y)) = (a, b) else {
        return Err(RaskError::runtime("internal: not sets"));
    };
    let (xs, ys) = (x.snapshot(), y.snapshot());
    let sub = |p: &SetItems, q: &SetItems| p.values().all(|v| q.contains(v));
    Ok(match op {
        CmpOp::Eq => eq(a, b),
        CmpOp::Ne => !eq(a, b),
        CmpOp::Le => sub(&xs, &ys),
        CmpOp::Lt => sub(&xs, &ys) && xs.0.len() < ys.0.len(),
        CmpOp::Ge => sub(&ys, &xs),
        CmpOp::Gt => sub(&ys, &xs) && ys.0.len() < xs.0.len(),
        CmpOp::In => contains(b, a)?,
        CmpOp::NotIn => !contains(b, a)?,
        CmpOp::Is => x.ptr_eq(y),
        CmpOp::IsNot => !x.ptr_eq(y),
    })
}
