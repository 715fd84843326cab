//! Frames as a notebook shows them: pandas' `DataFrame._repr_html_` for eager frames
//! (its scoped style, the table, a `N rows × M columns` line when cut) and Dask's
//! `DataFrame._repr_html_` for lazy ones (the structure: column names, one row per
//! division, dtypes then `...`, and the name line). Both tables are written as pandas'
//! `to_html` writes them. Cells are the text repr's cells (`format_cells`), escaped.
//! Series have none: pandas and Dask give series no HTML form.

use super::eager::display::{format_cells, shown_columns, shown_rows};
use super::eager::{dtype_name, PFrame};
use super::lazy::{FrameKind, LazyFrame};
use crate::common::html::escape;
use crate::errors::Result;
use crate::graph::key::key_split;
use crate::value::display::to_str;
use std::sync::Arc;

/// The style block pandas puts before every table in a notebook.
const PANDAS_STYLE: &str = r#"<style scoped>
    .dataframe tbody tr th:only-of-type {
        vertical-align: middle;
    }

    .dataframe tbody tr th {
        vertical-align: top;
    }

    .dataframe thead th {
        text-align: right;
    }
</style>
"#;

/// Dask's `to_html(max_rows=5)`: more divisions than this show two at each end.
const DASK_MAX_ROWS: usize = 5;

/// A table as pandas' `to_html` lays it out, cells as shown (unescaped).
struct Table {
    columns: Vec<String>,
    /// The index's name: a second header row when set.
    index_name: Option<String>,
    /// Each row's index label and cells.
    rows: Vec<(String, Vec<String>)>,
}

impl Table {
    fn html(&self) -> String {
        let mut out = String::from("<table border=\"1\" class=\"dataframe\">\n  <thead>\n");
        out.push_str("    <tr style=\"text-align: right;\">\n      <th></th>\n");
        for c in &self.columns {
            out.push_str(&format!("      <th>{}</th>\n", escape(c)));
        }
        out.push_str("    </tr>\n");
        if let Some(name) = &self.index_name {
            out.push_str(&format!("    <tr>\n      <th>{}</th>\n", escape(name)));
            for _ in &self.columns {
                out.push_str("      <th></th>\n");
            }
            out.push_str("    </tr>\n");
        }
        out.push_str("  </thead>\n  <tbody>\n");
        for (label, cells) in &self.rows {
            out.push_str(&format!("    <tr>\n      <th>{}</th>\n", escape(label)));
            for c in cells {
                out.push_str(&format!("      <td>{}</td>\n", escape(c)));
            }
            out.push_str("    </tr>\n");
        }
        out.push_str("  </tbody>\n</table>");
        out
    }
}

/// pandas' `_repr_html_` of an eager frame.
pub fn frame_html(f: &PFrame) -> Result<String> {
    let n = f.height();
    let (rows, gap) = shown_rows(n);
    let names = f.names();
    let col_ids = shown_columns(names.len());
    let with_gap = |mut cells: Vec<String>| {
        if let Some(g) = gap {
            cells.insert(g, "...".into());
        }
        cells
    };
    let labels = with_gap(format_cells(&f.index_series(), &rows)?);
    let mut columns = Vec::with_capacity(col_ids.len());
    let mut cells_by_col = Vec::with_capacity(col_ids.len());
    for c in &col_ids {
        match c.and_then(|i| Some((i, f.df.columns().get(i)?))) {
            Some((i, col)) => {
                let cells = format_cells(col.as_materialized_series(), &rows)?;
                columns.push(names.get(i).cloned().unwrap_or_default());
                cells_by_col.push(with_gap(cells));
            }
            None => {
                columns.push("...".into());
                cells_by_col.push(vec!["...".to_string(); labels.len()]);
            }
        }
    }
    let rows = labels
        .into_iter()
        .enumerate()
        .map(|(r, label)| {
            let cells = cells_by_col
                .iter()
                .map(|col| col.get(r).cloned().unwrap_or_default())
                .collect();
            (label, cells)
        })
        .collect();
    let table = Table {
        columns,
        index_name: f.index_name(),
        rows,
    };
    let footer = if gap.is_some() || col_ids.contains(&None) {
        format!("<p>{} rows × {} columns</p>\n", n, names.len())
    } else {
        String::new()
    };
    Ok(format!(
        "<div>\n{}{}\n{}</div>",
        PANDAS_STYLE,
        table.html(),
        footer
    ))
}

/// Dask's `_repr_html_` of a lazy data frame: `None` for series and scalars (Dask has
/// none) and for frames whose columns are not known before computing.
pub fn lazy_frame_html(f: &LazyFrame) -> Option<String> {
    if f.kind != FrameKind::DataFrame {
        return None;
    }
    let meta = f.meta.get::<Arc<PFrame>>()?;
    let columns = meta.names();
    let dtypes: Vec<String> = meta
        .df
        .columns()
        .iter()
        .map(|c| dtype_name(c.dtype()))
        .collect();
    let labels: Vec<String> = match &f.divisions {
        Some(d) => d.iter().map(to_str).collect(),
        None => vec![String::new(); f.npartitions + 1],
    };
    let row = |i: usize| {
        let cells = if i == 0 {
            dtypes.clone()
        } else {
            vec!["...".to_string(); dtypes.len()]
        };
        (labels.get(i).cloned().unwrap_or_default(), cells)
    };
    let n = labels.len();
    let rows: Vec<(String, Vec<String>)> = if n > DASK_MAX_ROWS {
        let edge = DASK_MAX_ROWS / 2;
        let mut rows: Vec<_> = (0..edge).map(row).collect();
        rows.push(("...".into(), vec!["...".to_string(); dtypes.len()]));
        rows.extend((n - edge..n).map(row));
        rows
    } else {
        (0..n).map(row).collect()
    };
    let table = Table {
        columns,
        index_name: Some(format!("npartitions={}", f.npartitions)),
        rows,
    };
    let layers = f.layer.layer_count();
    Some(format!(
        "<div><strong>Dask DataFrame Structure:</strong></div>\n{}\n<div>Dask Name: {}, {} expression{}</div>",
        table.html(),
        escape(&key_split(&f.name)),
        layers,
        if layers == 1 { "" } else { "s" }
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::task::Layer;
    use crate::value::value::Value;
    use polars::prelude::{Column, DataFrame, IntoColumn, NamedFrom, Series};

    // The expected pages are pandas' and Dask's own output, made by
    // `python src/frame/pandas_html/gen.py` (pandas 3.1.1, Dask 2026.11.0).

    fn frame(cols: Vec<Column>) -> PFrame {
        let h = cols.first().map_or(0, |c| c.len());
        PFrame::new(DataFrame::new(h, cols).unwrap_or_default())
    }

    #[test]
    fn small_frame_matches_pandas() {
        let f = frame(vec![
            Series::new("a".into(), [1i64, 2]).into_column(),
            Series::new("b<\"&".into(), [1.5f64, 2.25]).into_column(),
        ]);
        let html = frame_html(&f).unwrap_or_default();
        assert_eq!(html, include_str!("pandas_html/small.html"));
    }

    #[test]
    fn named_index_gets_its_own_header_row_and_cells_are_escaped() {
        let mut f = frame(vec![Series::new("s".into(), ["x<y", "\"q\""]).into_column()]);
        f.index = Some(Series::new("a".into(), [1i64, 2]));
        let html = frame_html(&f).unwrap_or_default();
        assert_eq!(html, include_str!("pandas_html/named_index.html"));
    }

    #[test]
    fn long_wide_frames_are_cut_like_pandas() {
        let vals: Vec<f64> = (0..61).map(|i| i as f64 * 1.5).collect();
        let cols = (0..22)
            .map(|i| Series::new(format!("c{}", i).into(), &vals).into_column())
            .collect();
        let html = frame_html(&frame(cols)).unwrap_or_default();
        assert_eq!(html, include_str!("pandas_html/truncated.html"));
        // 5 + 1 + 5 body rows, 10 + 1 + 10 columns
        assert_eq!(html.matches("<tr>").count(), 11);
        assert!(html.ends_with("<p>61 rows × 22 columns</p>\n</div>"));
    }

    #[test]
    fn empty_frame_keeps_its_header() {
        let f = frame(vec![
            Series::new("a".into(), Vec::<f64>::new()).into_column(),
            Series::new("b".into(), Vec::<f64>::new()).into_column(),
        ]);
        let html = frame_html(&f).unwrap_or_default();
        assert_eq!(html, include_str!("pandas_html/empty.html"));
    }

    fn lazy(
        name: &str,
        layers: usize,
        meta: PFrame,
        divisions: Option<Vec<Value>>,
        n: usize,
    ) -> LazyFrame {
        let mut layer = Layer::new(Arc::from("base-0"), vec![], vec![]);
        for i in 1..layers {
            layer = Layer::new(Arc::from(format!("step{}-0", i)), vec![], vec![layer]);
        }
        let name: Arc<str> = Arc::from(name);
        LazyFrame {
            layer,
            name,
            npartitions: n,
            kind: FrameKind::DataFrame,
            meta: Value::obj(Arc::new(meta)),
            divisions,
            origin: None,
        }
    }

    fn meta(b: &str) -> PFrame {
        frame(vec![
            Series::new("a".into(), Vec::<i64>::new()).into_column(),
            Series::new(b.into(), Vec::<f64>::new()).into_column(),
        ])
    }

    #[test]
    fn lazy_frame_structure_matches_dask() {
        let div = [0, 4, 7, 9].iter().map(|&i| Value::Int(i)).collect();
        let f = lazy(
            "frompandas-0123456789abcdef0123456789abcdef",
            1,
            meta("b<"),
            Some(div),
            3,
        );
        assert_eq!(
            lazy_frame_html(&f).unwrap_or_default(),
            include_str!("pandas_html/dask_3_partitions.html").trim_end()
        );
    }

    #[test]
    fn many_unknown_divisions_show_two_at_each_end() {
        let f = lazy(
            "return_input-0123456789abcdef0123456789abcdef",
            2,
            meta("b"),
            None,
            10,
        );
        assert_eq!(
            lazy_frame_html(&f).unwrap_or_default(),
            include_str!("pandas_html/dask_10_partitions_unknown.html").trim_end()
        );
    }

    #[test]
    fn lazy_series_and_scalars_have_no_html() {
        let mut f = lazy("x-0", 1, meta("b"), None, 1);
        f.kind = FrameKind::Series;
        assert_eq!(lazy_frame_html(&f), None);
        f.kind = FrameKind::Scalar;
        assert_eq!(lazy_frame_html(&f), None);
    }

    #[test]
    fn objects_hand_their_html_to_the_notebook() {
        use crate::frame::eager::PSeries;
        use crate::value::object::Object;
        let f = frame(vec![
            Series::new("a".into(), (0..10i64).collect::<Vec<_>>()).into_column(),
            Series::new("b".into(), vec![0.5f64; 10]).into_column(),
        ]);
        let eager = Arc::new(f.clone());
        let m = eager.mime();
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].0, "text/html");
        assert!(m[0].1.contains("<td>0.5</td>"));
        let lf = super::super::lazy::shuffle_build::from_pandas(&Value::obj(eager), 3);
        let m = lf.map(|l| Arc::new(l).mime()).unwrap_or_default();
        assert_eq!(m.len(), 1);
        assert!(m[0].1.contains("<th>npartitions=3</th>"));
        assert!(m[0].1.contains("<td>int64</td>"));
        assert!(m[0]
            .1
            .ends_with("<div>Dask Name: from_pandas, 1 expression</div>"));
        let s = Arc::new(PSeries::new(Series::new("x".into(), [1i64])));
        assert!(s.mime().is_empty());
    }
}
