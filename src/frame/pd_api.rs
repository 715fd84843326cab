//! The `pd` namespace: eager frames (`read_csv`, `DataFrame`, `Series`, `merge`).

use crate::errors::{RaskError, Result};
use crate::frame::eager::convert::series_from_values;
use crate::frame::eager::frame_methods::fwrap;
use crate::frame::eager::series_methods::wrap;
use crate::frame::eager::{pl_err, PFrame, PSeries};
use crate::value::args::Args;
use crate::value::value::Value;
use polars::prelude::*;

pub const FUNCTIONS: &[&str] = &[
    "read_csv",
    "read_parquet",
    "DataFrame",
    "Series",
    "merge",
    "concat",
    "read_json",
];

pub fn sep_arg(args: &Args) -> Result<u8> {
    match args.kw("sep").or(args.kw("delimiter")) {
        None => Ok(b','),
        Some(Value::Str(s)) if s.len() == 1 => Ok(s.as_bytes()[0]),
        Some(Value::Str(s)) if &**s == "\\t" => Ok(b'\t'),
        Some(other) => Err(RaskError::type_(format!(
            "sep must be one character, not {}",
            crate::value::display::repr(other)
        ))),
    }
}

/// `pd.DataFrame({"a": [...], ...})` or from a list of dict records.
pub fn frame_from(v: &Value) -> Result<PFrame> {
    match v {
        Value::Dict(d) => {
            let mut cols = Vec::new();
            let mut h = None;
            for (k, col) in d.read().iter() {
                let name = crate::value::display::to_str(k);
                let vals = match col {
                    __s if let Some(l) = __s.seq() => l.to_vec(),
                    obj if let Some(s) = obj.get::<std::sync::Arc<PSeries>>() => {
                        crate::frame::eager::convert::series_values(&s.s)?
                    }
                    Value::Range(a, b, s) => crate::value::value::range_items(*a, *b, *s)?
                        .into_iter()
                        .map(Value::Int)
                        .collect(),
                    other => vec![other.clone()],
                };
                if let Some(n) = h {
                    if n != vals.len() {
                        return Err(RaskError::value(format!(
                            "column '{}' has {} values, the others {}: all columns must be the same length",
                            name,
                            vals.len(),
                            n
                        )));
                    }
                }
                h = Some(vals.len());
                cols.push(series_from_values(&name, &vals)?.into_column());
            }
            Ok(PFrame::new(
                DataFrame::new(h.unwrap_or(0), cols).map_err(pl_err("DataFrame"))?,
            ))
        }
        Value::List(rows) => {
            let mut names: Vec<Value> = Vec::new();
            for r in rows.read().iter() {
                if let Value::Dict(d) = r {
                    for (k, _) in d.read().iter() {
                        if !names.iter().any(|n| crate::value::pyops::eq(n, k)) {
                            names.push(k.clone());
                        }
                    }
                }
            }
            let cols: Vec<(Value, Value)> = names
                .iter()
                .map(|n| {
                    let vals: Vec<Value> = rows
                        .read()
                        .iter()
                        .map(|r| match r {
                            Value::Dict(d) => d
                                .read()
                                .iter()
                                .find(|(k, _)| crate::value::pyops::eq(k, n))
                                .map(|(_, v)| v.clone())
                                .unwrap_or(Value::None),
                            _ => Value::None,
                        })
                        .collect();
                    (n.clone(), Value::list(vals))
                })
                .collect();
            frame_from(&Value::dict(cols))
        }
        obj if let Some(f) = obj.get::<std::sync::Arc<PFrame>>() => Ok((**f).clone()),
        other => Err(RaskError::type_(format!(
            "pd.DataFrame needs a dict of columns or a list of records, not {}",
            other.type_name()
        ))),
    }
}

pub fn call(name: &str, args: &Args) -> Result<Value> {
    match name {
        "read_csv" => {
            args.check(&["filepath", "sep", "delimiter"])?;
            let path = args.str(0, "filepath")?;
            let sep = sep_arg(args)?;
            Ok(fwrap(crate::frame::csv::read_eager(&path, sep)?))
        }
        "read_json" => Ok(fwrap(crate::frame::json_read::pd_read_json(args)?)),
        "read_parquet" => {
            let p = crate::frame::parquet::plan_args(args)?;
            Ok(fwrap(crate::frame::parquet::read_eager(&p)?))
        }
        "DataFrame" => {
            args.check(&["data"])?;
            Ok(fwrap(frame_from(args.req(0, "data")?)?))
        }
        "Series" => {
            args.check(&["data", "index", "name"])?;
            let name = args.str_opt(2, "name")?.unwrap_or_default();
            let vals = match args.req(0, "data")? {
                __s if let Some(l) = __s.seq() => l.to_vec(),
                other => vec![other.clone()],
            };
            let s = series_from_values(&name, &vals)?;
            let index = match args.get(1, "index") {
                Some(Value::List(ix)) => {
                    if ix.read().len() != vals.len() {
                        return Err(RaskError::value(format!(
                            "index has {} labels for {} values",
                            ix.read().len(),
                            vals.len()
                        )));
                    }
                    Some(series_from_values("", &ix.read())?)
                }
                _ => None,
            };
            Ok(wrap(PSeries { s, index }))
        }
        "merge" => match (args.req(0, "left")?, args.req(1, "right")?) {
            (__t0, __t1)
                if let (Some(l), Some(r)) = (
                    __t0.get::<std::sync::Arc<PFrame>>(),
                    __t1.get::<std::sync::Arc<PFrame>>(),
                ) =>
            {
                let mut a = args.clone();
                a.pos.remove(0);
                Ok(fwrap(crate::frame::eager::frame_methods::merge(l, r, &a)?))
            }
            (l, _) => Err(args.type_err(0, "left", "a pandas DataFrame", l)),
        },
        "concat" => {
            let items = match args.req(0, "objs")? {
                __s if let Some(l) = __s.seq() => l.to_vec(),
                other => return Err(args.type_err(0, "objs", "a list of frames", other)),
            };
            let refs: Vec<&Value> = items.iter().collect();
            crate::frame::lazy::concat_values(&refs, &Value::None)
        }
        other => Err(RaskError::name(format!(
            "module 'pd' has no attribute '{}'",
            other
        ))),
    }
}
