//! Python's integers past 64 bits: `Value::BigInt` holds what does not fit an `i64`
//! (every result is normalised back to `Value::Int` when it fits), so `2 ** 100`,
//! `(-2**63) // -1` and a 30-digit JSON number are exact, as in Python.

use super::value::Value;
use crate::errors::{ErrorKind, RaskError, Result};
use crate::syntax::ast::BinOp;
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{FromPrimitive, Signed, ToPrimitive, Zero};
use std::cmp::Ordering;
use std::sync::Arc;

/// An exact integer: `Int` when it fits in 64 bits, `BigInt` otherwise.
pub fn int(b: BigInt) -> Value {
    match b.to_i64() {
        Some(i) => Value::Int(i),
        None => Value::BigInt(Arc::new(b)),
    }
}

/// Bools, ints and big ints as one exact integer.
pub fn as_big(v: &Value) -> Option<BigInt> {
    match v {
        Value::Bool(b) => Some(BigInt::from(i64::from(*b))),
        Value::Int(i) => Some(BigInt::from(*i)),
        Value::BigInt(b) => Some((**b).clone()),
        _ => None,
    }
}

/// The float nearest an integer; OverflowError where Python raises one.
pub fn to_f64(b: &BigInt) -> Result<f64> {
    match b.to_f64() {
        Some(f) if f.is_finite() => Ok(f),
        _ => Err(RaskError::new(
            ErrorKind::Overflow,
            "int too large to convert to float",
        )),
    }
}

/// The exact integer value of a float (`int(1e30)`); errors for inf and nan as Python.
pub fn from_f64(f: f64) -> Result<Value> {
    if f.is_nan() {
        return Err(RaskError::value("cannot convert float NaN to integer"));
    }
    if f.is_infinite() {
        return Err(RaskError::new(
            ErrorKind::Overflow,
            "cannot convert float infinity to integer",
        ));
    }
    let t = f.trunc();
    if t.abs() < 9.0e18 {
        return Ok(Value::Int(t as i64));
    }
    BigInt::from_f64(t)
        .map(int)
        .ok_or_else(|| RaskError::value("cannot convert the float to an integer"))
}

/// Parse decimal digits (an optional sign, `_` between digits) exactly.
pub fn parse(text: &str) -> Option<Value> {
    let t: String = text.trim().chars().filter(|&c| c != '_').collect();
    t.parse::<BigInt>().ok().map(int)
}

/// Decimal digits a result may have: past this, Python's own int-to-str limit (4300
/// digits) is long exceeded, and the memory check refuses the absurd.
fn check_size(bits: u64) -> Result<()> {
    super::limits::check_alloc(u128::from(bits / 8 + 1), 1, "the integer")
}

/// `a op b` on integers, exact. None: the operator is not an integer operator.
pub fn binary(op: BinOp, a: &BigInt, b: &BigInt) -> Result<Option<Value>> {
    let zero_div = |what: &str| RaskError::new(ErrorKind::ZeroDivision, what.to_string());
    Ok(Some(match op {
        BinOp::Add => int(a + b),
        BinOp::Sub => int(a - b),
        BinOp::Mul => {
            check_size(a.bits() + b.bits())?;
            int(a * b)
        }
        BinOp::FloorDiv => {
            if b.is_zero() {
                return Err(zero_div("integer division or modulo by zero"));
            }
            int(a.div_floor(b))
        }
        BinOp::Mod => {
            if b.is_zero() {
                return Err(zero_div("integer division or modulo by zero"));
            }
            int(a.mod_floor(b))
        }
        BinOp::Div => {
            if b.is_zero() {
                return Err(zero_div("division by zero"));
            }
            Value::Float(true_div(a, b)?)
        }
        BinOp::Pow => {
            if b.is_negative() {
                let (x, y) = (to_f64(a)?, to_f64(b)?);
                if x == 0.0 {
                    return Err(zero_div("0.0 cannot be raised to a negative power"));
                }
                return Ok(Some(Value::Float(x.powf(y))));
            }
            let Some(e) = b.to_u32() else {
                return Err(RaskError::memory(
                    "the power would need more memory than this machine has",
                ));
            };
            check_size(a.bits().saturating_mul(u64::from(e)))?;
            int(a.pow(e))
        }
        BinOp::BitAnd => int(a & b),
        BinOp::BitOr => int(a | b),
        BinOp::BitXor => int(a ^ b),
        BinOp::LShift | BinOp::RShift => return shift(op, a, b).map(Some),
        BinOp::MatMul => return Ok(None),
    }))
}

/// `a << b`, `a >> b` exactly; a negative count is Python's ValueError.
fn shift(op: BinOp, a: &BigInt, b: &BigInt) -> Result<Value> {
    if b.is_negative() {
        return Err(RaskError::value("negative shift count"));
    }
    if op == BinOp::RShift {
        // floor division by 2**b: past a's own bits only the sign is left
        return Ok(match b.to_u64() {
            Some(n) if n < a.bits() => int(a >> n),
            _ => Value::Int(if a.is_negative() { -1 } else { 0 }),
        });
    }
    if a.is_zero() {
        return Ok(Value::Int(0));
    }
    let n = b
        .to_u64()
        .filter(|n| *n <= u64::from(u32::MAX))
        .ok_or_else(|| RaskError::new(ErrorKind::Overflow, "too many digits in integer"))?;
    check_size(a.bits().saturating_add(n))?;
    Ok(int(a << n))
}

/// `a / b` correctly rounded where the quotient is a float, as Python's int division.
fn true_div(a: &BigInt, b: &BigInt) -> Result<f64> {
    if let (Some(x), Some(y)) = (a.to_f64(), b.to_f64()) {
        if x.is_finite() && y.is_finite() && x.abs() < 9.0e15 && y.abs() < 9.0e15 {
            return Ok(x / y);
        }
    }
    // scale so that the integer quotient carries 64 significant bits, then shift back
    let shift = b.bits() as i64 - a.bits() as i64 + 64;
    let (num, den) = if shift >= 0 {
        (a << shift as usize, b.clone())
    } else {
        (a.clone(), b << (-shift) as usize)
    };
    let q = num.div_floor(&den);
    let f = q.to_f64().unwrap_or(f64::INFINITY) * 2f64.powi(-shift as i32);
    if f.is_finite() {
        Ok(f)
    } else {
        Err(RaskError::new(
            ErrorKind::Overflow,
            "integer division result too large for a float",
        ))
    }
}

/// Compare an exact integer with a float exactly (Python compares int and float by value).
pub fn cmp_float(a: &BigInt, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    if f.is_infinite() {
        return Some(if f > 0.0 {
            Ordering::Less
        } else {
            Ordering::Greater
        });
    }
    let t = BigInt::from_f64(f.trunc())?;
    match a.cmp(&t) {
        Ordering::Equal => {
            let frac = f - f.trunc();
            Some(if frac > 0.0 {
                Ordering::Less
            } else if frac < 0.0 {
                Ordering::Greater
            } else {
                Ordering::Equal
            })
        }
        o => Some(o),
    }
}

/// Serialise as decimal text (tasks carry big ints to worker processes).
pub mod serde_big {
    use num_bigint::BigInt;
    use serde::{Deserialize, Deserializer, Serializer};
    use std::sync::Arc;

    pub fn serialize<S: Serializer>(b: &Arc<BigInt>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&b.to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Arc<BigInt>, D::Error> {
        let t = String::deserialize(d)?;
        t.parse::<BigInt>()
            .map(Arc::new)
            .map_err(|e| serde::de::Error::custom(format!("bad integer '{}': {}", t, e)))
    }
}
