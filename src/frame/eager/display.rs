//! pandas-style text for frames and series: head and tail rows when long, columns
//! right-aligned, the index on the left, floats with a shared number of decimals.

use super::{dtype_name, PFrame, PSeries};
use crate::errors::Result;
use polars::prelude::*;

/// More rows than this show the first and last `EDGE` (pandas' max_rows / min_rows).
const MAX_ROWS: usize = 60;
const EDGE: usize = 5;
const MAX_COLS: usize = 20;

/// The cells of a series as text, rows `rows`, formatted the way pandas formats a column.
pub fn format_cells(s: &Series, rows: &[usize]) -> Result<Vec<String>> {
    if let Some(cells) = super::temporal::cells(s, rows)? {
        return Ok(cells);
    }
    let s = if matches!(s.dtype(), DataType::Categorical(..) | DataType::Enum(..)) {
        s.cast(&DataType::String).map_err(super::pl_err("format"))?
    } else {
        s.clone()
    };
    match s.dtype() {
        DataType::Float64 | DataType::Float32 => {
            let f = super::convert::f64s(&s)?;
            let vals: Vec<Option<f64>> = rows.iter().map(|&i| f.get(i)).collect();
            Ok(format_floats(&vals))
        }
        DataType::Boolean => {
            let b = s.bool().map_err(super::pl_err("format"))?;
            Ok(rows
                .iter()
                .map(|&i| match b.get(i) {
                    Some(true) => "True".into(),
                    Some(false) => "False".into(),
                    None => "NaN".into(),
                })
                .collect())
        }
        DataType::String => {
            let c = s.str().map_err(super::pl_err("format"))?;
            Ok(rows
                .iter()
                .map(|&i| c.get(i).map(|x| x.to_string()).unwrap_or("NaN".into()))
                .collect())
        }
        _ => rows
            .iter()
            .map(|&i| {
                let a = s.get(i).map_err(super::pl_err("format"))?;
                Ok(match a {
                    AnyValue::Null => "NaN".to_string(),
                    other => other.str_value().to_string(),
                })
            })
            .collect(),
    }
}

/// pandas: six decimals, then trailing zeros trimmed evenly down to one decimal.
pub fn format_floats(vals: &[Option<f64>]) -> Vec<String> {
    let finite: Vec<f64> = vals
        .iter()
        .flatten()
        .copied()
        .filter(|f| f.is_finite())
        .collect();
    let big = finite.iter().any(|f| f.abs() >= 1e16);
    let tiny =
        finite.iter().any(|f| *f != 0.0 && f.abs() < 1e-4) && finite.iter().all(|f| f.abs() < 1.0);
    if big || tiny {
        return vals
            .iter()
            .map(|v| match v {
                Some(f) if f.is_nan() => "NaN".into(),
                Some(f) => format!("{:.6e}", f)
                    .replace("e-", "e-0")
                    .replace("e", "e+")
                    .replace("e+-", "e-"),
                None => "NaN".into(),
            })
            .collect();
    }
    let mut decimals = 1;
    for f in &finite {
        let t = format!("{:.6}", f);
        let frac = t.split('.').nth(1).unwrap_or("");
        let used = frac.trim_end_matches('0').len();
        decimals = decimals.max(used);
    }
    vals.iter()
        .map(|v| match v {
            Some(f) if f.is_nan() => "NaN".into(),
            Some(f) if f.is_infinite() => {
                if *f > 0.0 {
                    "inf".into()
                } else {
                    "-inf".into()
                }
            }
            Some(f) => format!("{:.*}", decimals, f),
            None => "NaN".into(),
        })
        .collect()
}

/// Which rows to show, and where the `...` row goes.
pub fn shown_rows(n: usize) -> (Vec<usize>, Option<usize>) {
    if n <= MAX_ROWS {
        ((0..n).collect(), None)
    } else {
        let mut v: Vec<usize> = (0..EDGE).collect();
        v.extend(n - EDGE..n);
        (v, Some(EDGE))
    }
}

/// Which of `ncols` columns to show: all, or the first and last `MAX_COLS / 2` with
/// `None` where the `...` column goes.
pub fn shown_columns(ncols: usize) -> Vec<Option<usize>> {
    if ncols > MAX_COLS {
        let mut v: Vec<Option<usize>> = (0..MAX_COLS / 2).map(Some).collect();
        v.push(None);
        v.extend((ncols - MAX_COLS / 2..ncols).map(Some));
        v
    } else {
        (0..ncols).map(Some).collect()
    }
}

fn pad_left(s: &str, w: usize) -> String {
    format!("{:>w$}", s, w = w)
}
fn pad_right(s: &str, w: usize) -> String {
    format!("{:<w$}", s, w = w)
}
fn width(s: &str) -> usize {
    s.chars().count()
}

fn trim_lines(s: String) -> String {
    s.lines()
        .map(|l| l.trim_end())
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn frame_repr(f: &PFrame) -> Result<String> {
    let n = f.height();
    let (rows, gap) = shown_rows(n);
    let index = f.index_series();
    let mut idx_cells = format_cells(&index, &rows)?;
    let names = f.names();
    let ncols = names.len();
    let col_ids = shown_columns(ncols);
    let mut columns: Vec<(String, Vec<String>)> = Vec::new();
    // the space before each column: pandas gives datetime cells no leading space
    let mut seps: Vec<&str> = Vec::new();
    for c in &col_ids {
        match c {
            Some(i) => {
                let s = f.df.columns()[*i].as_materialized_series();
                let mut cells = format_cells(s, &rows)?;
                if let Some(g) = gap {
                    cells.insert(g, "...".into());
                }
                columns.push((names[*i].clone(), cells));
                seps.push(if super::temporal::unpadded(s.dtype()) {
                    " "
                } else {
                    "  "
                });
            }
            None => {
                columns.push((
                    "...".into(),
                    vec!["...".into(); rows.len() + gap.map_or(0, |_| 1)],
                ));
                seps.push("  ");
            }
        }
    }
    if let Some(g) = gap {
        idx_cells.insert(g, "...".into());
    }
    let iname = f.index_name();
    let iw = idx_cells
        .iter()
        .map(|s| width(s))
        .chain(iname.iter().map(|s| width(s)))
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    // header
    out.push_str(&" ".repeat(iw));
    let widths: Vec<usize> = columns
        .iter()
        .map(|(h, cells)| {
            cells
                .iter()
                .map(|c| width(c))
                .chain([width(h)])
                .max()
                .unwrap_or(0)
        })
        .collect();
    for (((h, _), w), sep) in columns.iter().zip(&widths).zip(&seps) {
        out.push_str(sep);
        out.push_str(&pad_left(h, *w));
    }
    out.push('\n');
    if let Some(name) = &iname {
        out.push_str(name);
        out.push('\n');
    }
    for r in 0..idx_cells.len() {
        out.push_str(&pad_right(&idx_cells[r], iw));
        for (((_, cells), w), sep) in columns.iter().zip(&widths).zip(&seps) {
            out.push_str(sep);
            out.push_str(&pad_left(&cells[r], *w));
        }
        out.push('\n');
    }
    if gap.is_some() || ncols > MAX_COLS {
        out.push_str(&format!("\n[{} rows x {} columns]", n, ncols));
    } else if n == 0 {
        return Ok(format!(
            "Empty DataFrame\nColumns: [{}]\nIndex: []",
            names.join(", ")
        ));
    }
    Ok(trim_lines(out))
}

pub fn series_repr(s: &PSeries) -> Result<String> {
    let n = s.len();
    let (rows, gap) = shown_rows(n);
    let index = s.index_series();
    let mut idx_cells = format_cells(&index, &rows)?;
    let mut cells = format_cells(&s.s, &rows)?;
    if let Some(g) = gap {
        idx_cells.insert(g, "...".into());
        cells.insert(g, "...".into());
    }
    let iname = s
        .index
        .as_ref()
        .map(|i| i.name().to_string())
        .filter(|x| !x.is_empty());
    let iw = idx_cells.iter().map(|c| width(c)).max().unwrap_or(0);
    let vw = cells.iter().map(|c| width(c)).max().unwrap_or(0);
    let mut out = String::new();
    if let Some(name) = &iname {
        out.push_str(name);
        out.push('\n');
    }
    for (i, c) in idx_cells.iter().zip(&cells) {
        out.push_str(&pad_right(i, iw));
        out.push_str(if super::temporal::unpadded(s.s.dtype()) {
            "   "
        } else {
            "    "
        });
        out.push_str(&pad_left(c, vw));
        out.push('\n');
    }
    let mut foot = Vec::new();
    let name = s.name();
    if !name.is_empty() {
        foot.push(format!("Name: {}", name));
    }
    if gap.is_some() {
        foot.push(format!("Length: {}", n));
    }
    foot.push(format!("dtype: {}", dtype_name(s.s.dtype())));
    if n == 0 {
        return Ok(format!("Series([], {})", foot.join(", ")));
    }
    out.push_str(&foot.join(", "));
    Ok(trim_lines(out))
}

/// `df.info()`: columns, non-null counts when known, dtypes and memory.
pub fn info(f: &PFrame, class: &str, counts: Option<&[usize]>) -> String {
    let mut out = format!("<class '{}'>\n", class);
    let names = f.names();
    if counts.is_some() {
        out.push_str(&format!("Index: {} entries\n", f.height()));
    }
    out.push_str(&format!("Data columns (total {} columns):\n", names.len()));
    let nw = names.iter().map(|n| width(n)).max().unwrap_or(6).max(6);
    out.push_str(&format!(
        " #   {}  {}Dtype\n",
        pad_right("Column", nw),
        if counts.is_some() {
            "Non-Null Count  "
        } else {
            ""
        }
    ));
    out.push_str(&format!(
        "---  {}  {}-----\n",
        "-".repeat(nw),
        if counts.is_some() {
            "--------------  "
        } else {
            ""
        }
    ));
    let mut by_dtype: Vec<(String, usize)> = Vec::new();
    for (i, c) in f.df.columns().iter().enumerate() {
        let dt = dtype_name(c.dtype());
        let nn = counts
            .map(|v| {
                format!(
                    "{:<16}",
                    format!("{} non-null", v.get(i).copied().unwrap_or(0))
                )
            })
            .unwrap_or_default();
        out.push_str(&format!(
            " {:<3} {}  {}{}\n",
            i,
            pad_right(&names[i], nw),
            nn,
            dt
        ));
        match by_dtype.iter_mut().find(|(d, _)| *d == dt) {
            Some((_, k)) => *k += 1,
            None => by_dtype.push((dt, 1)),
        }
    }
    by_dtype.sort();
    out.push_str(&format!(
        "dtypes: {}",
        by_dtype
            .iter()
            .map(|(d, k)| format!("{}({})", d, k))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    trim_lines(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_share_decimals_like_pandas() {
        assert_eq!(format_floats(&[Some(1.0), Some(28.0)]), vec!["1.0", "28.0"]);
        assert_eq!(
            format_floats(&[Some(1.0), Some(14.63)]),
            vec!["1.00", "14.63"]
        );
        assert_eq!(format_floats(&[Some(f64::NAN), None]), vec!["NaN", "NaN"]);
        assert_eq!(format_floats(&[Some(1.0 / 3.0)]), vec!["0.333333"]);
    }

    #[test]
    fn frames_print_with_index_and_aligned_columns() {
        let df = DataFrame::new(
            2,
            vec![
                Series::new("a".into(), [1i64, 200]).into_column(),
                Series::new("name".into(), ["x", "yy"]).into_column(),
            ],
        )
        .expect("frame");
        let text = frame_repr(&PFrame::new(df)).expect("repr");
        assert_eq!(text, "     a  name\n0    1     x\n1  200    yy");
    }

    #[test]
    fn series_print_name_and_dtype() {
        let s = PSeries::new(Series::new("qty".into(), [1.5f64, 2.0]));
        assert_eq!(
            series_repr(&s).expect("repr"),
            "0    1.5\n1    2.0\nName: qty, dtype: float64"
        );
    }
}
