//! Datetime, date and decimal columns as pandas shows them: their dtype names, their
//! cells as text, their elements as values (`Stamp`), columns built back from elements,
//! text literals read as timestamps for comparisons, and the TypeError for what rask does
//! not compute on them.

use super::pl_err;
use crate::errors::{RaskError, Result};
use crate::frame::stamp::{date_text, time_text, unit_ns, wall, zone_offset, Stamp};
use crate::value::value::Value;
use polars::prelude::*;

/// A column of timestamps, dates or decimals (or durations, which rask only carries).
pub fn is_temporal(dt: &DataType) -> bool {
    matches!(
        dt,
        DataType::Datetime(..) | DataType::Date | DataType::Decimal(..) | DataType::Duration(_)
    )
}

fn unit_name(u: &TimeUnit) -> &'static str {
    match u {
        TimeUnit::Nanoseconds => "ns",
        TimeUnit::Microseconds => "us",
        TimeUnit::Milliseconds => "ms",
    }
}

/// pandas' dtype name: `datetime64[ns]`, `datetime64[us, UTC]`; dates and decimals are
/// `object` columns in pandas (of `datetime.date` and `Decimal`).
pub fn pandas_dtype(dt: &DataType) -> Option<String> {
    Some(match dt {
        DataType::Datetime(u, None) => format!("datetime64[{}]", unit_name(u)),
        DataType::Datetime(u, Some(z)) => format!("datetime64[{}, {}]", unit_name(u), z),
        DataType::Duration(u) => format!("timedelta64[{}]", unit_name(u)),
        DataType::Date | DataType::Decimal(..) => "object".into(),
        _ => return None,
    })
}

/// What messages call the dtype: pandas' name, and what the object column holds.
pub fn described(dt: &DataType) -> String {
    match dt {
        DataType::Date => "object (datetime.date)".into(),
        DataType::Decimal(..) => "object (decimal.Decimal)".into(),
        other => pandas_dtype(other).unwrap_or_else(|| other.to_string()),
    }
}

/// The TypeError for an operation rask does not do on such a column.
pub fn refuse(what: &str, name: &str, dt: &DataType) -> RaskError {
    RaskError::type_(format!(
        "{} is not supported on column '{}' of dtype {}",
        what,
        name,
        described(dt)
    ))
}

/// One cell as a value; `None` when the cell is not of these types.
pub fn element(a: &AnyValue) -> Option<Value> {
    Some(Value::obj(match a {
        AnyValue::Datetime(v, u, z) => Stamp::Time {
            v: *v,
            unit_ns: unit_ns(*u),
            tz: z.map(|z| z.to_string()),
        },
        AnyValue::DatetimeOwned(v, u, z) => Stamp::Time {
            v: *v,
            unit_ns: unit_ns(*u),
            tz: z.as_ref().map(|z| z.to_string()),
        },
        AnyValue::Date(d) => Stamp::Date(*d),
        AnyValue::Decimal(v, p, s) => Stamp::Decimal {
            v: *v,
            precision: *p,
            scale: *s,
        },
        _ => return None,
    }))
}

/// The missing element of a datetime column (pandas' `NaT`); dates and decimals, pandas'
/// objects, miss as `None`.
pub fn nat() -> Value {
    Value::obj(Stamp::NaT)
}

/// pandas prints datetime cells without the leading space other columns get.
pub fn unpadded(dt: &DataType) -> bool {
    matches!(dt, DataType::Datetime(..) | DataType::Duration(_))
}

fn physical_i64(s: &Series) -> Result<Vec<Option<i64>>> {
    let p = s.to_physical_repr();
    let p = p.cast(&DataType::Int64).map_err(pl_err("format"))?;
    Ok(p.i64().map_err(pl_err("format"))?.iter().collect())
}

/// The cells `rows` of a datetime, date or decimal column as pandas prints them; `None`
/// for other columns.
pub fn cells(s: &Series, rows: &[usize]) -> Result<Option<Vec<String>>> {
    Ok(Some(match s.dtype() {
        DataType::Datetime(u, None) => {
            let all = physical_i64(s)?;
            let un = unit_ns(*u);
            // pandas: dates alone when every time is midnight, else one precision for all
            let walls: Vec<Option<(i64, i64)>> =
                all.iter().map(|v| v.map(|v| wall(v, un, None))).collect();
            let ns = walls.iter().flatten().map(|(_, ns)| *ns);
            let digits = if ns.clone().all(|n| n == 0) {
                None
            } else if ns.clone().any(|n| n % 1_000 != 0) {
                Some(9)
            } else if ns.clone().any(|n| n % 1_000_000 != 0) {
                Some(6)
            } else if ns.clone().any(|n| n % 1_000_000_000 != 0) {
                Some(3)
            } else {
                Some(0)
            };
            rows.iter()
                .map(|&i| match walls.get(i).copied().flatten() {
                    None => "NaT".to_string(),
                    Some((d, n)) => match digits {
                        None => date_text(d),
                        Some(k) => format!("{} {}", date_text(d), time_text(n, k)),
                    },
                })
                .collect()
        }
        DataType::Datetime(..) | DataType::Date | DataType::Decimal(..) => {
            let dt = s.dtype().clone();
            rows.iter()
                .map(|&i| {
                    let a = s.get(i).map_err(pl_err("format"))?;
                    Ok(match element(&a) {
                        Some(v) => crate::value::display::to_str(&v),
                        None if matches!(dt, DataType::Datetime(..)) => "NaT".into(),
                        None => "None".into(),
                    })
                })
                .collect::<Result<_>>()?
        }
        DataType::Duration(_) => rows
            .iter()
            .map(|&i| {
                let a = s.get(i).map_err(pl_err("format"))?;
                Ok(match a {
                    AnyValue::Null => "NaT".to_string(),
                    other => other.str_value().to_string(),
                })
            })
            .collect::<Result<_>>()?,
        _ => return Ok(None),
    }))
}

/// A column from elements (stamps of one kind, `None`/`NaT` as nulls); `None` when the
/// values hold no stamp.
pub fn column_of(name: &str, vals: &[Value]) -> Result<Option<Series>> {
    let stamps: Vec<Option<&Stamp>> = vals.iter().map(|v| v.get::<Stamp>()).collect();
    let Some(first) = stamps
        .iter()
        .flatten()
        .find(|s| !matches!(s, Stamp::NaT))
        .copied()
    else {
        return Ok(if stamps.iter().any(|s| s.is_some()) {
            // NaT alone: a column of missing timestamps
            Some(
                Int64Chunked::full_null(name.into(), vals.len())
                    .into_datetime(TimeUnit::Nanoseconds, None)
                    .into_series(),
            )
        } else {
            None
        });
    };
    let Some(dt) = first.dtype() else {
        return Ok(None);
    };
    // mixed with other values (`return Ok(None)` below): pandas' object column, which
    // rask holds as the values' text
    let name = PlSmallStr::from(name);
    let mut out: Series = match &dt {
        DataType::Datetime(..) => {
            let mut out = Vec::with_capacity(vals.len());
            for (x, s) in vals.iter().zip(&stamps) {
                out.push(match (x, s) {
                    (_, Some(t @ Stamp::Time { v, .. })) if t.dtype().as_ref() == Some(&dt) => {
                        Some(*v)
                    }
                    (Value::None, _) | (_, Some(Stamp::NaT)) => None,
                    _ => return Ok(None),
                });
            }
            Series::new(name, out)
        }
        DataType::Date => {
            let mut v = Vec::with_capacity(vals.len());
            for (x, s) in vals.iter().zip(&stamps) {
                v.push(match (x, s) {
                    (_, Some(Stamp::Date(d))) => Some(*d),
                    (Value::None, _) => None,
                    _ => return Ok(None),
                });
            }
            Series::new(name, v)
        }
        _ => {
            // decimals: one scale (the largest), each value brought to it
            let scale = stamps
                .iter()
                .flatten()
                .filter_map(|s| match s {
                    Stamp::Decimal { scale, .. } => Some(*scale),
                    _ => None,
                })
                .max()
                .unwrap_or(0);
            let mut v: Vec<Option<i128>> = Vec::with_capacity(vals.len());
            for (x, s) in vals.iter().zip(&stamps) {
                v.push(match (x, s) {
                    (_, Some(Stamp::Decimal { v, scale: sc, .. })) => {
                        match 10i128
                            .checked_pow((scale - sc) as u32)
                            .and_then(|p| v.checked_mul(p))
                        {
                            Some(x) => Some(x),
                            None => return Ok(None),
                        }
                    }
                    (Value::None, _) => None,
                    _ => return Ok(None),
                });
            }
            let ca: Int128Chunked = v.into_iter().collect();
            return Ok(Some(
                ca.with_name(name)
                    .into_decimal(38, scale)
                    .map_err(pl_err("decimal column"))?
                    .into_series(),
            ));
        }
    };
    out = out.cast(&dt).map_err(pl_err("column"))?;
    Ok(Some(out))
}

/// A scalar operand against a column of dtype `dt`, as a one-element column of that
/// dtype: a stamp, or text pandas reads as a timestamp (`df.t >= '2020-01-02'`). `None`
/// when the column is not a datetime, date or decimal column.
pub fn operand_like(v: &Value, dt: &DataType, name: &str) -> Result<Option<Series>> {
    if !is_temporal(dt) {
        return Ok(None);
    }
    if v.get::<Stamp>().is_some() {
        let s = column_of(name, std::slice::from_ref(v))?;
        return match s {
            Some(s) if s.dtype() == dt || matches!(s.dtype(), DataType::Decimal(..)) => Ok(Some(s)),
            Some(s) if matches!(dt, DataType::Datetime(..)) => match (s.dtype(), dt) {
                (DataType::Datetime(_, a), DataType::Datetime(_, b))
                    if a.is_some() == b.is_some() =>
                {
                    Ok(Some(s.cast(dt).map_err(pl_err("compare"))?))
                }
                _ => Err(incomparable(v, dt)),
            },
            _ => Err(incomparable(v, dt)),
        };
    }
    match (v, dt) {
        (Value::Str(t), DataType::Datetime(u, z)) => {
            let (ns, off) = crate::frame::stamp::parse_time(t).ok_or_else(|| {
                RaskError::value(format!("could not read '{}' as a Timestamp", t))
            })?;
            // naive text against a zoned column is its wall time in that zone (pandas
            // localizes it); an explicit offset is an instant
            let utc = match (off, z) {
                (Some(o), _) => ns - o as i128 * 1_000_000_000,
                (None, Some(z)) => ns - zone_offset(z).unwrap_or(0) as i128 * 1_000_000_000,
                (None, None) => ns,
            };
            let per = unit_ns(*u) as i128;
            let v = i64::try_from(utc.div_euclid(per))
                .map_err(|_| RaskError::value(format!("'{}' is out of range", t)))?;
            let s = Int64Chunked::from_vec(name.into(), vec![v])
                .into_datetime(*u, z.clone())
                .into_series();
            Ok(Some(s))
        }
        (Value::None, _) => Ok(Some(Series::full_null(name.into(), 1, dt))),
        (Value::Int(_) | Value::Float(_), DataType::Decimal(..)) => Ok(Some(
            super::convert::series_from_values(name, std::slice::from_ref(v))?,
        )),
        _ => Err(incomparable(v, dt)),
    }
}

fn incomparable(v: &Value, dt: &DataType) -> RaskError {
    RaskError::type_(format!(
        "cannot compare a column of dtype {} with {} {}",
        described(dt),
        v.type_name(),
        crate::value::display::repr(v)
    ))
}

/// The pandas metadata of such a column: pandas_type, numpy_type, metadata.
pub fn pandas_meta(dt: &DataType) -> Option<(&'static str, String, serde_json::Value)> {
    Some(match dt {
        DataType::Datetime(_, None) => ("datetime", pandas_dtype(dt)?, serde_json::Value::Null),
        DataType::Datetime(_, Some(z)) => (
            "datetimetz",
            pandas_dtype(dt)?,
            serde_json::json!({"timezone": z.as_str()}),
        ),
        DataType::Date => ("date", "object".into(), serde_json::Value::Null),
        DataType::Decimal(p, s) => (
            "decimal",
            "object".into(),
            serde_json::json!({"precision": p, "scale": s}),
        ),
        DataType::Duration(_) => ("timedelta", pandas_dtype(dt)?, serde_json::Value::Null),
        _ => return None,
    })
}

/// Two columns a comparison can take: decimals against numbers as floats, timestamps in
/// one unit; a TypeError naming the dtypes when they do not compare (pandas' rule).
pub fn comparable(a: &Series, b: &Series) -> Result<(Series, Series)> {
    let (da, db) = (a.dtype(), b.dtype());
    if !is_temporal(da) && !is_temporal(db) {
        return Ok((a.clone(), b.clone()));
    }
    let err = || {
        RaskError::type_(format!(
            "cannot compare dtype {} with dtype {}",
            described(da),
            described(db)
        ))
    };
    let f = |s: &Series| s.cast(&DataType::Float64).map_err(pl_err("compare"));
    match (da, db) {
        (DataType::Null, _) => Ok((a.cast(db).map_err(pl_err("compare"))?, b.clone())),
        (_, DataType::Null) => Ok((a.clone(), b.cast(da).map_err(pl_err("compare"))?)),
        (DataType::Decimal(..), o) | (o, DataType::Decimal(..))
            if o.is_primitive_numeric() || matches!(o, DataType::Decimal(..)) =>
        {
            Ok((f(a)?, f(b)?))
        }
        // instants compared as integers in one unit (polars here compares zoned columns
        // only as their integers)
        (DataType::Datetime(ua, za), DataType::Datetime(ub, zb))
            if za.is_some() == zb.is_some() =>
        {
            Ok((in_unit(a, *ua, *ua)?, in_unit(b, *ub, *ua)?))
        }
        (DataType::Date, DataType::Date) => Ok((
            a.to_physical_repr().into_owned(),
            b.to_physical_repr().into_owned(),
        )),
        (DataType::Duration(x), DataType::Duration(y)) if x == y => Ok((a.clone(), b.clone())),
        _ => Err(err()),
    }
}

/// A datetime column's integers in unit `to` (it is in `from`), as an Int64 column.
pub fn in_unit(s: &Series, from: TimeUnit, to: TimeUnit) -> Result<Series> {
    let (f, t) = (unit_ns(from), unit_ns(to));
    let v: Int64Chunked = physical_i64(s)?
        .into_iter()
        .map(|x| {
            x.map(|x| {
                if f >= t {
                    x.saturating_mul(f / t)
                } else {
                    x.div_euclid(t / f)
                }
            })
        })
        .collect();
    Ok(v.with_name(s.name().clone()).into_series())
}

/// Each cell's order key (the column's integer representation), for minima and maxima.
fn keys(s: &Series) -> Result<Vec<Option<i128>>> {
    Ok(match s.dtype() {
        DataType::Decimal(..) => s
            .decimal()
            .map_err(pl_err("reduce"))?
            .physical()
            .iter()
            .collect(),
        _ => physical_i64(s)?
            .into_iter()
            .map(|v| v.map(i128::from))
            .collect(),
    })
}

/// Position of the first minimum or maximum (nulls skipped).
pub fn arg_extreme(s: &Series, max: bool) -> Result<Option<usize>> {
    let mut best: Option<(usize, i128)> = None;
    for (i, k) in keys(s)?.into_iter().enumerate() {
        let Some(k) = k else { continue };
        let better = match best {
            None => true,
            Some((_, b)) => (max && k > b) || (!max && k < b),
        };
        if better {
            best = Some((i, k));
        }
    }
    Ok(best.map(|(i, _)| i))
}

/// `s.min()`, `s.max()`, `s.count()` of such a column; other reductions are TypeErrors.
pub fn reduce(s: &Series, how: &str) -> Result<Value> {
    match how {
        "count" => Ok(Value::Int((s.len() - s.null_count()) as i64)),
        "min" | "max" => match arg_extreme(s, how == "max")? {
            Some(i) => super::convert::cell(s, i),
            None if matches!(s.dtype(), DataType::Datetime(..)) => Ok(nat()),
            None => Ok(Value::Float(f64::NAN)),
        },
        other => Err(refuse(&format!("{}()", other), s.name(), s.dtype())),
    }
}

/// Whether a group-by or reduction `how` can take a column of dtype `dt`: any of these
/// for other columns; counting, extremes, first and last for these.
pub fn check_column(name: &str, dt: &DataType, how: &str) -> Result<()> {
    let takes = matches!(
        how,
        "count" | "size" | "min" | "max" | "first" | "last" | "nunique"
    );
    if is_temporal(dt) && !takes {
        return Err(refuse(&format!("{}()", how), name, dt));
    }
    Ok(())
}

/// `check_column` for the columns `cols` of a frame.
pub fn check_agg(df: &DataFrame, cols: &[String], how: &str) -> Result<()> {
    for c in cols {
        if let Ok(col) = df.column(c) {
            check_column(c, col.dtype(), how)?;
        }
    }
    Ok(())
}

/// Timestamps a file marks only as UTC-adjusted (DuckDB's `TIMESTAMPTZ`, which polars
/// reads as zone `+00:00`) in zone `UTC`, as pyarrow and pandas read them.
pub fn utc_zones(df: &mut DataFrame) -> Result<()> {
    let names: Vec<(PlSmallStr, TimeUnit)> = df
        .columns()
        .iter()
        .filter_map(|c| match c.dtype() {
            DataType::Datetime(u, Some(z)) if z.as_str() != "UTC" && zone_offset(z) == Some(0) => {
                Some((c.name().clone(), *u))
            }
            _ => None,
        })
        .collect();
    for (n, u) in names {
        let c = df.column(n.as_str()).map_err(pl_err("read"))?;
        let phys = c.as_materialized_series().to_physical_repr();
        let s = phys
            .i64()
            .map_err(pl_err("read"))?
            .clone()
            .into_datetime(u, Some(TimeZone::UTC))
            .into_series()
            .with_name(n.clone());
        df.with_column(s.into_column()).map_err(pl_err("read"))?;
    }
    Ok(())
}
