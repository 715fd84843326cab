//! Between polars cells and rask values: one cell, a whole series, a list of values.

use super::pl_err;
use crate::errors::{RaskError, Result};
use crate::value::value::Value;
use polars::prelude::*;

/// One polars cell as a value (`None` for a null).
pub fn any_to_value(a: &AnyValue) -> Value {
    match a {
        AnyValue::Null => Value::None,
        AnyValue::Boolean(b) => Value::Bool(*b),
        AnyValue::String(s) => Value::str(s),
        AnyValue::StringOwned(s) => Value::str(s),
        AnyValue::Int8(i) => Value::Int(*i as i64),
        AnyValue::Int16(i) => Value::Int(*i as i64),
        AnyValue::Int32(i) => Value::Int(*i as i64),
        AnyValue::Int64(i) => Value::Int(*i),
        AnyValue::UInt8(i) => Value::Int(*i as i64),
        AnyValue::UInt16(i) => Value::Int(*i as i64),
        AnyValue::UInt32(i) => Value::Int(*i as i64),
        AnyValue::UInt64(i) => Value::Int(*i as i64),
        AnyValue::Float32(f) => Value::Float(*f as f64),
        AnyValue::Float64(f) => Value::Float(*f),
        other => super::temporal::element(other).unwrap_or_else(|| Value::str(&other.str_value())),
    }
}

/// A missing cell as pandas sees one: None, NaN or NaT.
pub fn is_missing(v: &Value) -> bool {
    match v {
        Value::None => true,
        Value::Float(f) => f.is_nan(),
        o => matches!(
            o.get::<crate::frame::stamp::Stamp>(),
            Some(crate::frame::stamp::Stamp::NaT)
        ),
    }
}

/// The i-th cell of a series; a float null reads as NaN, as in pandas.
pub fn cell(s: &Series, i: usize) -> Result<Value> {
    let a = s.get(i).map_err(pl_err("index"))?;
    Ok(match (&a, s.dtype()) {
        (AnyValue::Null, DataType::Float64 | DataType::Float32) => Value::Float(f64::NAN),
        (AnyValue::Null, DataType::Datetime(..)) => super::temporal::nat(),
        (AnyValue::Categorical(..) | AnyValue::CategoricalOwned(..), _) => {
            Value::str(&a.str_value())
        }
        _ => any_to_value(&a),
    })
}

/// Every cell of a series.
pub fn series_values(s: &Series) -> Result<Vec<Value>> {
    let s = if matches!(s.dtype(), DataType::Categorical(..) | DataType::Enum(..)) {
        s.cast(&DataType::String).map_err(pl_err("convert"))?
    } else {
        s.clone()
    };
    Ok(match s.dtype() {
        DataType::Int64 => s
            .i64()
            .map_err(pl_err("convert"))?
            .iter()
            .map(|x| x.map(Value::Int).unwrap_or(Value::None))
            .collect(),
        DataType::Float64 => s
            .f64()
            .map_err(pl_err("convert"))?
            .iter()
            .map(|x| Value::Float(x.unwrap_or(f64::NAN)))
            .collect(),
        DataType::Boolean => s
            .bool()
            .map_err(pl_err("convert"))?
            .iter()
            .map(|x| x.map(Value::Bool).unwrap_or(Value::None))
            .collect(),
        DataType::String => s
            .str()
            .map_err(pl_err("convert"))?
            .iter()
            .map(|x| x.map(Value::str).unwrap_or(Value::None))
            .collect(),
        _ => (0..s.len()).map(|i| cell(&s, i)).collect::<Result<_>>()?,
    })
}

/// A series from values: ints, floats (ints promote), bools, strings; `None` is null.
pub fn series_from_values(name: &str, vals: &[Value]) -> Result<Series> {
    if let Some(s) = super::temporal::column_of(name, vals)? {
        return Ok(s);
    }
    let name = PlSmallStr::from(name);
    let mut has_f = false;
    let mut has_i = false;
    let mut has_s = false;
    let mut has_b = false;
    for v in vals {
        match v {
            Value::Float(_) => has_f = true,
            Value::Int(_) => has_i = true,
            Value::Bool(_) => has_b = true,
            Value::Str(_) => has_s = true,
            Value::None => {}
            v if v.get::<crate::frame::stamp::Stamp>().is_some() => has_s = true,
            other => {
                return Err(RaskError::type_(format!(
                    "a column cannot hold a {} (use numbers, strings, booleans or None)",
                    other.type_name()
                )))
            }
        }
    }
    Ok(if has_s {
        let v: Vec<Option<String>> = vals
            .iter()
            .map(|v| match v {
                Value::None => None,
                other => Some(crate::value::display::to_str(other)),
            })
            .collect();
        Series::new(name, v)
    } else if has_f {
        let v: Vec<Option<f64>> = vals
            .iter()
            .map(|v| match v {
                Value::Float(f) => Some(*f),
                Value::Int(i) => Some(*i as f64),
                Value::Bool(b) => Some(*b as i64 as f64),
                _ => None,
            })
            .collect();
        Series::new(name, v)
    } else if has_i {
        let v: Vec<Option<i64>> = vals
            .iter()
            .map(|v| match v {
                Value::Int(i) => Some(*i),
                Value::Bool(b) => Some(*b as i64),
                _ => None,
            })
            .collect();
        Series::new(name, v)
    } else if has_b {
        let v: Vec<Option<bool>> = vals
            .iter()
            .map(|v| match v {
                Value::Bool(b) => Some(*b),
                _ => None,
            })
            .collect();
        Series::new(name, v)
    } else {
        Series::new_null(name, vals.len())
    })
}

/// A float view of a numeric series (nulls stay null).
pub fn f64s(s: &Series) -> Result<Float64Chunked> {
    if super::temporal::is_temporal(s.dtype()) {
        return Err(super::temporal::refuse(
            "a numeric operation",
            s.name(),
            s.dtype(),
        ));
    }
    let c = s
        .cast(&DataType::Float64)
        .map_err(|_| RaskError::type_(format!("column '{}' is not numeric", s.name())))?;
    Ok(c.f64().map_err(pl_err("convert"))?.clone())
}

/// A list value of rows-as-dicts (`to_bag`, iteration).
pub fn row_dicts(df: &DataFrame) -> Result<Vec<Value>> {
    let names: Vec<Value> = df
        .get_column_names()
        .iter()
        .map(|n| Value::str(n))
        .collect();
    let cols: Vec<Vec<Value>> = df
        .columns()
        .iter()
        .map(|c| series_values(c.as_materialized_series()))
        .collect::<Result<_>>()?;
    Ok((0..df.height())
        .map(|i| {
            Value::dict(
                names
                    .iter()
                    .zip(&cols)
                    .map(|(n, c)| (n.clone(), c[i].clone()))
                    .collect(),
            )
        })
        .collect())
}
