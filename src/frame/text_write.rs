//! Frames as CSV and JSON text, byte for byte as pandas writes them: CSV with Python's
//! csv module's minimal quoting, floats in repr's shortest digits and NaN as an empty
//! field; JSON through pandas' ujson rules (10 significant decimals, NaN as null, `/`
//! escaped, ASCII only). `to_csv` / `to_json` of eager frames and the partition writes of
//! lazy ones (`lazy/write.rs`) share this code.

use crate::bag::read::Compression;
use crate::errors::{RaskError, Result};
use crate::frame::eager::{pl_err, PFrame};
use crate::value::float_repr::{py_float, py_float32};
use polars::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Orient {
    Records,
    Columns,
    Index,
    Split,
    Values,
}

impl Orient {
    pub fn parse(s: &str) -> Result<Orient> {
        Ok(match s {
            "records" => Orient::Records,
            "columns" => Orient::Columns,
            "index" => Orient::Index,
            "split" => Orient::Split,
            "values" => Orient::Values,
            other => {
                return Err(RaskError::value(format!(
                    "orient '{}' is not supported (use 'records', 'columns', 'index', 'split' or 'values')",
                    other
                )))
            }
        })
    }
}

/// How a frame becomes text.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum TextFormat {
    Csv {
        sep: u8,
        header: bool,
        index: bool,
        /// What a missing value is written as (pandas' `na_rep`, empty by default).
        na_rep: String,
        /// A %-format for floats (`'%.2f'`), as pandas' `float_format`.
        float_format: Option<String>,
        /// The columns written, in this order (`columns=`); all when None.
        columns: Option<Vec<String>>,
        /// The index column's header (`index_label=`); the index's name when None.
        index_label: Option<String>,
    },
    Json {
        orient: Orient,
        lines: bool,
    },
}

/// A partition's text: `first` says whether this is the first piece of its file (the
/// CSV header goes there only).
pub fn to_text(f: &PFrame, fmt: &TextFormat, first: bool) -> Result<String> {
    match fmt {
        TextFormat::Csv { header, .. } => csv_text(f, fmt, *header && first),
        TextFormat::Json { orient, lines } => json_text(f, *orient, *lines),
    }
}

/// Write `text` to `path` with compression.
pub fn write(path: &str, c: Compression, text: &str) -> Result<String> {
    crate::bag::write::write_file(path, c, text.as_bytes())
}

// ---------------------------------------------------------------------------- CSV

/// A field quoted as Python's csv.QUOTE_MINIMAL does for pandas (separator, quote
/// character or line end inside).
fn csv_field(s: &str, sep: u8, out: &mut String) {
    if s.bytes().any(|b| b == sep || b == b'"' || b == b'\n') {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// A float through a %-format such as `'%.2f'`, as pandas' `float_format` applies it.
fn float_text(v: f64, format: &str) -> Result<String> {
    use crate::syntax::ast::BinOp;
    use crate::value::value::Value;
    match crate::value::pyops::binary(BinOp::Mod, &Value::str(format), &Value::Float(v))? {
        Value::Str(s) => Ok(s.to_string()),
        _ => Err(RaskError::type_(
            "float_format must be a %-format such as '%.2f'",
        )),
    }
}

/// Each cell of a column as CSV text (None for a missing value: an empty field), floats
/// through `float_format` when one is given.
fn csv_cells(s: &Series, float_format: Option<&str>) -> Result<Vec<Option<String>>> {
    if let (Some(ff), true) = (float_format, s.dtype().is_float()) {
        let c = s.cast(&DataType::Float64).map_err(pl_err("to_csv"))?;
        return c
            .f64()
            .map_err(pl_err("to_csv"))?
            .iter()
            .map(|x| match x.filter(|v| !v.is_nan()) {
                Some(v) => float_text(v, ff).map(Some),
                None => Ok(None),
            })
            .collect();
    }
    let s = match s.dtype() {
        DataType::Categorical(..) | DataType::Enum(..) => {
            s.cast(&DataType::String).map_err(pl_err("to_csv"))?
        }
        _ => s.clone(),
    };
    Ok(match s.dtype() {
        DataType::Float64 => s
            .f64()
            .map_err(pl_err("to_csv"))?
            .iter()
            .map(|x| x.filter(|v| !v.is_nan()).map(py_float))
            .collect(),
        DataType::Float32 => s
            .f32()
            .map_err(pl_err("to_csv"))?
            .iter()
            .map(|x| x.filter(|v| !v.is_nan()).map(py_float32))
            .collect(),
        DataType::Boolean => s
            .bool()
            .map_err(pl_err("to_csv"))?
            .iter()
            .map(|x| x.map(|b| if b { "True" } else { "False" }.to_string()))
            .collect(),
        DataType::String => s
            .str()
            .map_err(pl_err("to_csv"))?
            .iter()
            .map(|x| x.map(str::to_string))
            .collect(),
        dt if dt.is_integer() => {
            let c = s.cast(&DataType::Int64).map_err(pl_err("to_csv"))?;
            c.i64()
                .map_err(pl_err("to_csv"))?
                .iter()
                .map(|x| x.map(|v| v.to_string()))
                .collect()
        }
        DataType::Null => vec![None; s.len()],
        _ => (0..s.len())
            .map(|i| {
                s.get(i).map(|a| match a {
                    AnyValue::Null => None,
                    a => Some(a.str_value().to_string()),
                })
            })
            .collect::<std::result::Result<_, _>>()
            .map_err(pl_err("to_csv"))?,
    })
}

fn csv_row(fields: &[&str], sep: u8, out: &mut String) {
    if fields.len() == 1 && fields[0].is_empty() {
        // Python's csv writer quotes a row that is one empty field
        out.push_str("\"\"\n");
        return;
    }
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(sep as char);
        }
        csv_field(f, sep, out);
    }
    out.push('\n');
}

fn csv_text(f: &PFrame, fmt: &TextFormat, header: bool) -> Result<String> {
    let TextFormat::Csv {
        sep,
        index,
        na_rep,
        float_format,
        columns,
        index_label,
        ..
    } = fmt
    else {
        return Err(RaskError::runtime("to_csv: not a CSV format"));
    };
    let (sep, ff) = (*sep, float_format.as_deref());
    let mut cols: Vec<Vec<Option<String>>> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    if *index {
        cols.push(csv_cells(&f.index_series(), ff)?);
        names.push(
            index_label
                .clone()
                .or_else(|| f.index_name())
                .unwrap_or_default(),
        );
    }
    let chosen: Vec<String> = match columns {
        Some(cs) => {
            let missing: Vec<&String> = cs
                .iter()
                .filter(|c| f.df.column(c.as_str()).is_err())
                .collect();
            if !missing.is_empty() {
                return Err(RaskError::key(format!(
                    "{:?} not in index",
                    missing.iter().map(|s| s.as_str()).collect::<Vec<_>>()
                )));
            }
            cs.clone()
        }
        None => {
            f.df.get_column_names()
                .iter()
                .map(|n| n.to_string())
                .collect()
        }
    };
    for name in &chosen {
        let c = f.df.column(name.as_str()).map_err(pl_err("to_csv"))?;
        cols.push(csv_cells(c.as_materialized_series(), ff)?);
        names.push(name.clone());
    }
    let mut out = String::new();
    if header {
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        csv_row(&refs, sep, &mut out);
    }
    let mut row: Vec<&str> = Vec::with_capacity(cols.len());
    for i in 0..f.height() {
        row.clear();
        for c in &cols {
            row.push(c[i].as_deref().unwrap_or(na_rep));
        }
        csv_row(&row, sep, &mut out);
    }
    Ok(out)
}

// ---------------------------------------------------------------------------- JSON

/// A float as pandas' ujson writes it with `double_precision=10`: fixed notation with up
/// to ten decimals (trailing zeros dropped, at least one kept), exponent notation beyond
/// 1e16 or below 1e-15; NaN and infinities are null.
pub fn json_float(v: f64) -> String {
    if !v.is_finite() {
        return "null".into();
    }
    const PREC: u32 = 10;
    let neg = v < 0.0;
    let value = v.abs();
    let sign = if neg { "-" } else { "" };
    if value > 1e16 || (value != 0.0 && value < 1e-15) {
        let s = format!("{:.*e}", (PREC - 1) as usize, value);
        let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
        let mant = if mant.contains('.') {
            mant.trim_end_matches('0').trim_end_matches('.')
        } else {
            mant
        };
        let e: i32 = exp.parse().unwrap_or(0);
        return format!(
            "{}{}e{}{:02}",
            sign,
            mant,
            if e < 0 { '-' } else { '+' },
            e.abs()
        );
    }
    let pow10 = 10u64.pow(PREC);
    let mut whole = value as u64;
    let tmp = (value - whole as f64) * pow10 as f64;
    let mut frac = tmp as u64;
    let diff = tmp - frac as f64;
    if diff > 0.5 || (diff == 0.5 && (frac == 0 || frac & 1 == 1)) {
        frac += 1;
        if frac >= pow10 {
            frac = 0;
            whole += 1;
        }
    }
    if frac == 0 {
        return format!("{}{}.0", sign, whole);
    }
    let digits = format!("{:0width$}", frac, width = PREC as usize);
    format!("{}{}.{}", sign, whole, digits.trim_end_matches('0'))
}

/// A JSON string as pandas writes it: ASCII only, `/` escaped.
pub fn json_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' => out.push_str("\\/"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7f => {
                let mut buf = [0u16; 2];
                for u in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{:04x}", u));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Each cell of a column as a JSON value.
fn json_cells(s: &Series) -> Result<Vec<String>> {
    let s = match s.dtype() {
        DataType::Categorical(..) | DataType::Enum(..) => {
            s.cast(&DataType::String).map_err(pl_err("to_json"))?
        }
        _ => s.clone(),
    };
    let null = || "null".to_string();
    Ok(match s.dtype() {
        DataType::Float64 | DataType::Float32 => {
            let c = s.cast(&DataType::Float64).map_err(pl_err("to_json"))?;
            c.f64()
                .map_err(pl_err("to_json"))?
                .iter()
                .map(|x| x.map(json_float).unwrap_or_else(null))
                .collect()
        }
        DataType::Boolean => s
            .bool()
            .map_err(pl_err("to_json"))?
            .iter()
            .map(|x| x.map(|b| b.to_string()).unwrap_or_else(null))
            .collect(),
        DataType::String => s
            .str()
            .map_err(pl_err("to_json"))?
            .iter()
            .map(|x| {
                x.map(|v| {
                    let mut o = String::new();
                    json_str(v, &mut o);
                    o
                })
                .unwrap_or_else(null)
            })
            .collect(),
        dt if dt.is_integer() => {
            let c = s.cast(&DataType::Int64).map_err(pl_err("to_json"))?;
            c.i64()
                .map_err(pl_err("to_json"))?
                .iter()
                .map(|x| x.map(|v| v.to_string()).unwrap_or_else(null))
                .collect()
        }
        _ => csv_cells(&s, None)?
            .into_iter()
            .map(|x| {
                x.map(|v| {
                    let mut o = String::new();
                    json_str(&v, &mut o);
                    o
                })
                .unwrap_or_else(null)
            })
            .collect(),
    })
}

/// Index labels as JSON object keys (`"0"`, `"a"`).
fn json_keys(s: &Series) -> Result<Vec<String>> {
    Ok(csv_cells(s, None)?
        .into_iter()
        .map(|x| {
            let mut o = String::new();
            json_str(x.as_deref().unwrap_or("null"), &mut o);
            o
        })
        .collect())
}

fn json_text(f: &PFrame, orient: Orient, lines: bool) -> Result<String> {
    if lines && orient != Orient::Records {
        return Err(RaskError::value(
            "'lines' keyword only valid when 'orient' is records",
        ));
    }
    let names: Vec<String> =
        f.df.get_column_names()
            .iter()
            .map(|n| {
                let mut o = String::new();
                json_str(n, &mut o);
                o
            })
            .collect();
    let cols: Vec<Vec<String>> =
        f.df.columns()
            .iter()
            .map(|c| json_cells(c.as_materialized_series()))
            .collect::<Result<_>>()?;
    let n = f.height();
    let mut out = String::new();
    let record = |i: usize, out: &mut String| {
        out.push('{');
        for (j, c) in cols.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            out.push_str(&names[j]);
            out.push(':');
            out.push_str(&c[i]);
        }
        out.push('}');
    };
    match orient {
        Orient::Records if lines => {
            for i in 0..n {
                record(i, &mut out);
                out.push('\n');
            }
        }
        Orient::Records => {
            out.push('[');
            for i in 0..n {
                if i > 0 {
                    out.push(',');
                }
                record(i, &mut out);
            }
            out.push(']');
        }
        Orient::Index => {
            let keys = json_keys(&f.index_series())?;
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(k);
                out.push(':');
                record(i, &mut out);
            }
            out.push('}');
        }
        Orient::Columns => {
            let keys = json_keys(&f.index_series())?;
            out.push('{');
            for (j, c) in cols.iter().enumerate() {
                if j > 0 {
                    out.push(',');
                }
                out.push_str(&names[j]);
                out.push_str(":{");
                for i in 0..n {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&keys[i]);
                    out.push(':');
                    out.push_str(&c[i]);
                }
                out.push('}');
            }
            out.push('}');
        }
        Orient::Values | Orient::Split => {
            if orient == Orient::Split {
                out.push_str("{\"columns\":[");
                out.push_str(&names.join(","));
                out.push_str("],\"index\":[");
                out.push_str(&json_cells(&f.index_series())?.join(","));
                out.push_str("],\"data\":");
            }
            out.push('[');
            for i in 0..n {
                if i > 0 {
                    out.push(',');
                }
                out.push('[');
                for (j, c) in cols.iter().enumerate() {
                    if j > 0 {
                        out.push(',');
                    }
                    out.push_str(&c[i]);
                }
                out.push(']');
            }
            out.push(']');
            if orient == Orient::Split {
                out.push('}');
            }
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------- arguments

/// The keywords `to_csv` takes besides the path, eager and lazy alike.
pub const CSV_KEYWORDS: &[&str] = &[
    "sep",
    "header",
    "index",
    "compression",
    "na_rep",
    "float_format",
    "columns",
    "index_label",
];

/// `sep=`, `header=`, `index=`, `na_rep=`, `float_format=`, `columns=`, `index_label=` of
/// `to_csv`.
pub fn csv_format(args: &crate::value::args::Args) -> Result<TextFormat> {
    use crate::value::value::Value;
    let sep = crate::frame::pd_api::sep_arg(args)?;
    let header = args.bool_or(99, "header", true)?;
    let index = args.bool_or(99, "index", true)?;
    let na_rep = args.str_opt(99, "na_rep")?.unwrap_or_default();
    let float_format = match args.kw("float_format") {
        None | Some(Value::None) => None,
        Some(Value::Str(s)) => {
            float_text(1.5, s)?;
            Some(s.to_string())
        }
        Some(other) => {
            return Err(args.type_err(99, "float_format", "a %-format such as '%.2f'", other))
        }
    };
    let columns = match args.kw("columns") {
        None | Some(Value::None) => None,
        Some(Value::Str(s)) => Some(vec![s.to_string()]),
        Some(v) => match v.seq() {
            Some(items) => Some(
                items
                    .iter()
                    .map(|c| match c {
                        Value::Str(s) => Ok(s.to_string()),
                        other => Err(args.type_err(99, "columns", "column names", other)),
                    })
                    .collect::<Result<Vec<_>>>()?,
            ),
            None => return Err(args.type_err(99, "columns", "a list of column names", v)),
        },
    };
    let index_label = args.str_opt(99, "index_label")?;
    Ok(TextFormat::Csv {
        sep,
        header,
        index,
        na_rep,
        float_format,
        columns,
        index_label,
    })
}

/// `orient=`, `lines=` of `to_json`; `default` is the orient when none is given.
pub fn json_format(args: &crate::value::args::Args, default: Orient) -> Result<TextFormat> {
    let orient = match args.str_opt(99, "orient")? {
        Some(o) => Orient::parse(&o)?,
        None => default,
    };
    let lines = match args.kw("lines") {
        None | Some(crate::value::value::Value::None) => false,
        Some(_) => args.bool_or(99, "lines", false)?,
    };
    Ok(TextFormat::Json { orient, lines })
}

/// `df.to_csv(path_or_buf=None, ...)` and `df.to_json(path_or_buf=None, ...)` of an
/// eager frame: the text when no path is given, else the file written and None.
pub fn eager_write(
    f: &PFrame,
    method: &str,
    args: &crate::value::args::Args,
) -> Result<crate::value::value::Value> {
    use crate::value::value::Value;
    let fmt = if method == "to_csv" {
        let mut known = vec!["path_or_buf"];
        known.extend_from_slice(CSV_KEYWORDS);
        args.check(&known)?;
        csv_format(args)?
    } else {
        args.check(&["path_or_buf", "orient", "lines", "compression"])?;
        json_format(args, Orient::Columns)?
    };
    let text = to_text(f, &fmt, true)?;
    match args.get(0, "path_or_buf") {
        None | Some(Value::None) => Ok(Value::str(&text)),
        Some(Value::Str(p)) => {
            let c = crate::bag::write::compression_arg(args.kw("compression"), p)?;
            write(p, c, &text)?;
            Ok(Value::None)
        }
        Some(other) => Err(args.type_err(0, "path_or_buf", "a file path or None", other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_as_pandas_json_writes_them() {
        for (v, s) in [
            (1.0, "1.0"),
            (0.1, "0.1"),
            (1e20, "1e+20"),
            (1.0 / 3.0, "0.3333333333"),
            (123456789.12345679, "123456789.123456791"),
            (1e-20, "1e-20"),
            (-2.5, "-2.5"),
            (1e16, "10000000000000000.0"),
            (1e-10, "0.0000000001"),
            (1e-15, "0.0"),
            (1e-16, "1e-16"),
            (5e-324, "4.940656458e-324"),
            (18446744073709551615.0, "1.844674407e+19"),
            (0.99999999999, "1.0"),
            (-0.0, "0.0"),
            (f64::NAN, "null"),
        ] {
            assert_eq!(json_float(v), s, "{}", v);
        }
    }

    #[test]
    fn json_strings_escape_as_pandas() {
        let mut o = String::new();
        json_str("a/b\"\u{1}\u{7f}é\u{1F600}", &mut o);
        assert_eq!(o, "\"a\\/b\\\"\\u0001\u{7f}\\u00e9\\ud83d\\ude00\"");
    }
}
