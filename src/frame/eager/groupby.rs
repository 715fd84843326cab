//! Group-bys on an eager frame with polars: keys sorted as pandas sorts them, null keys
//! dropped, the keys becoming the result's index.

use super::{missing_column, pl_err, PFrame, PSeries};
use crate::errors::{RaskError, Result};
use polars::prelude::*;

/// An aggregation by name, as `groupby(...).agg("sum")` and the methods spell it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum AggFn {
    Size,
    Count,
    Sum,
    Mean,
    Min,
    Max,
    Std,
    Var,
    First,
    Last,
    Nunique,
    Prod,
}

impl AggFn {
    pub fn parse(name: &str) -> Result<AggFn> {
        Ok(match name {
            "size" => AggFn::Size,
            "count" => AggFn::Count,
            "sum" => AggFn::Sum,
            "mean" => AggFn::Mean,
            "min" => AggFn::Min,
            "max" => AggFn::Max,
            "std" => AggFn::Std,
            "var" => AggFn::Var,
            "first" => AggFn::First,
            "last" => AggFn::Last,
            "nunique" => AggFn::Nunique,
            "prod" => AggFn::Prod,
            other => {
                return Err(RaskError::value(format!(
                    "unknown aggregation '{}' (use size, count, sum, mean, min, max, std, var, first, last, nunique or prod)",
                    other
                )))
            }
        })
    }
    pub fn name(self) -> &'static str {
        match self {
            AggFn::Size => "size",
            AggFn::Count => "count",
            AggFn::Sum => "sum",
            AggFn::Mean => "mean",
            AggFn::Min => "min",
            AggFn::Max => "max",
            AggFn::Std => "std",
            AggFn::Var => "var",
            AggFn::First => "first",
            AggFn::Last => "last",
            AggFn::Nunique => "nunique",
            AggFn::Prod => "prod",
        }
    }
    /// Only numeric columns take part (pandas' numeric_only for these).
    pub fn numeric_only(self) -> bool {
        matches!(
            self,
            AggFn::Sum | AggFn::Mean | AggFn::Std | AggFn::Var | AggFn::Prod
        )
    }
    pub fn expr(self, c: &str) -> Expr {
        let e = col(c);
        match self {
            AggFn::Size => len(),
            AggFn::Count => e.count(),
            AggFn::Sum => e.sum(),
            AggFn::Mean => e.mean(),
            AggFn::Min => e.min(),
            AggFn::Max => e.max(),
            AggFn::Std => e.std(1),
            AggFn::Var => e.var(1),
            AggFn::First => e.first(),
            AggFn::Last => e.last(),
            AggFn::Nunique => e.drop_nulls().n_unique(),
            AggFn::Prod => e.product(),
        }
    }
}

/// pandas' sum of a text column in each group: its strings joined in row order, nulls
/// skipped (an all-null group gives ""). One value per group, without polars' concat_str.
pub fn text_sum(c: &str) -> Expr {
    apply_multiple(
        |cols: &mut [Column]| {
            let name = cols[0].name().clone();
            let s = cols[0].as_materialized_series();
            let mut out = String::new();
            for v in s.str()?.iter().flatten() {
                out.push_str(v);
            }
            Ok(Column::new(name, [out]))
        },
        [col(c)],
        |_, f| Ok(Field::new(f[0].name().clone(), DataType::String)),
        true,
    )
}

/// `how` over column `c` of `df`: a text column's sum is `text_sum`.
pub fn agg_expr(df: &DataFrame, c: &str, how: AggFn) -> Expr {
    if how == AggFn::Sum && is_text(df, c) {
        return text_sum(c);
    }
    how.expr(c)
}

/// Whether column `c` holds strings.
pub fn is_text(df: &DataFrame, c: &str) -> bool {
    df.column(c)
        .map(|s| s.dtype() == &DataType::String)
        .unwrap_or(false)
}

/// The frame with the index as a column when a key names it (grouping by an index level).
pub fn with_keys_as_columns(f: &PFrame, keys: &[String]) -> Result<DataFrame> {
    let mut df = f.df.clone();
    if let (Some(ix), Some(iname)) = (&f.index, f.index_name()) {
        if keys.contains(&iname) && df.column(&iname).is_err() {
            df.with_column(ix.clone().into_column())
                .map_err(pl_err("groupby"))?;
        }
    }
    let names = f.names();
    for k in keys {
        if df.column(k).is_err() {
            return Err(missing_column(k, &names));
        }
    }
    Ok(df)
}

/// `df.groupby(keys).agg(exprs)` with null keys dropped and the keys sorted.
pub fn group_agg(df: &DataFrame, keys: &[String], exprs: Vec<Expr>) -> Result<DataFrame> {
    let mut lf = df.clone().lazy();
    for k in keys {
        lf = lf.filter(col(k.as_str()).is_not_null());
    }
    let by: Vec<Expr> = keys.iter().map(|k| col(k.as_str())).collect();
    let names: Vec<PlSmallStr> = keys.iter().map(|k| PlSmallStr::from(k.as_str())).collect();
    lf.group_by(by)
        .agg(exprs)
        .sort(names, SortMultipleOptions::default())
        .collect()
        .map_err(pl_err("groupby"))
}

/// Key columns of a grouped result turned into the index: one key is the index as is,
/// several keys become one index of `(a, b)` labels.
pub fn keys_to_index(df: DataFrame, keys: &[String]) -> Result<PFrame> {
    let mut df = df;
    let index = if keys.len() == 1 {
        let s = df
            .drop_in_place(&keys[0])
            .map_err(pl_err("groupby"))?
            .as_materialized_series()
            .clone();
        s
    } else {
        let cols: Vec<Vec<crate::value::value::Value>> = keys
            .iter()
            .map(|k| {
                df.column(k)
                    .map_err(pl_err("groupby"))
                    .and_then(|c| super::convert::series_values(c.as_materialized_series()))
            })
            .collect::<Result<_>>()?;
        let labels: Vec<String> = (0..df.height())
            .map(|i| {
                let parts: Vec<String> = cols
                    .iter()
                    .map(|c| crate::value::display::repr(&c[i]))
                    .collect();
                format!("({})", parts.join(", "))
            })
            .collect();
        for k in keys {
            df.drop_in_place(k).map_err(pl_err("groupby"))?;
        }
        Series::new(PlSmallStr::from(keys.join(", ").as_str()), labels)
    };
    Ok(PFrame {
        df,
        index: Some(index),
    })
}

/// The columns an aggregation applies to: the selection, or every non-key column
/// (numeric ones only for sum/mean/std/var/prod).
pub fn agg_columns(
    df: &DataFrame,
    keys: &[String],
    sel: &Option<Vec<String>>,
    f: AggFn,
) -> Result<Vec<String>> {
    let names: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|s| s.to_string())
        .collect();
    match sel {
        Some(cols) => {
            for c in cols {
                if !names.contains(c) {
                    return Err(missing_column(c, &names));
                }
            }
            super::temporal::check_agg(df, cols, f.name())?;
            Ok(cols.clone())
        }
        None => Ok(names
            .into_iter()
            .filter(|n| !keys.contains(n))
            .filter(|n| {
                // pandas sums text too (numeric_only=False): the strings joined
                !f.numeric_only()
                    || (f == AggFn::Sum && is_text(df, n))
                    || df
                        .column(n)
                        .map(|c| super::is_numeric(c.dtype()))
                        .unwrap_or(false)
            })
            .collect()),
    }
}

/// What an eager `groupby(...)` call gives back.
pub enum Grouped {
    Frame(PFrame),
    Series(PSeries),
}

/// `f.groupby(keys)[sel].how()`: a series for `size` or one selected column (when
/// `as_series`), a frame otherwise.
pub fn aggregate(
    f: &PFrame,
    keys: &[String],
    sel: &Option<Vec<String>>,
    as_series: bool,
    how: AggFn,
) -> Result<Grouped> {
    let df = with_keys_as_columns(f, keys)?;
    if how == AggFn::Size {
        let out = group_agg(&df, keys, vec![len().cast(DataType::Int64).alias("size")])?;
        let mut fr = keys_to_index(out, keys)?;
        let s = fr
            .df
            .drop_in_place("size")
            .map_err(pl_err("groupby"))?
            .as_materialized_series()
            .clone()
            .with_name(PlSmallStr::EMPTY);
        return Ok(Grouped::Series(PSeries { s, index: fr.index }));
    }
    let cols = agg_columns(&df, keys, sel, how)?;
    let exprs: Vec<Expr> = cols
        .iter()
        .map(|c| {
            let e = agg_expr(&df, c, how);
            let e = if matches!(how, AggFn::Count | AggFn::Nunique) {
                e.cast(DataType::Int64)
            } else {
                e
            };
            e.alias(c.as_str())
        })
        .collect();
    let out = group_agg(&df, keys, exprs)?;
    let fr = keys_to_index(out, keys)?;
    if as_series && cols.len() == 1 {
        let s = fr.df.columns()[0].as_materialized_series().clone();
        return Ok(Grouped::Series(PSeries { s, index: fr.index }));
    }
    Ok(Grouped::Frame(fr))
}

/// Row positions of each group, keys sorted (for `apply`).
pub fn group_positions(f: &PFrame, keys: &[String]) -> Result<(DataFrame, Vec<Vec<IdxSize>>)> {
    let mut df = with_keys_as_columns(f, keys)?;
    df.with_column(
        Series::new(
            "__row".into(),
            (0..df.height() as IdxSize).collect::<Vec<_>>(),
        )
        .into_column(),
    )
    .map_err(pl_err("groupby"))?;
    let out = group_agg(&df, keys, vec![col("__row")])?;
    let rows = out
        .column("__row")
        .map_err(pl_err("groupby"))?
        .as_materialized_series()
        .clone();
    let list = rows.list().map_err(pl_err("groupby"))?;
    let mut groups = Vec::with_capacity(list.len());
    for i in 0..list.len() {
        let g = list
            .get_as_series(i)
            .unwrap_or_else(|| Series::new_empty("".into(), &IDX_DTYPE));
        let ix = g.idx().map_err(pl_err("groupby"))?;
        groups.push(ix.into_no_null_iter().collect());
    }
    let keys_df = out.drop("__row").map_err(pl_err("groupby"))?;
    Ok((keys_df, groups))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame() -> PFrame {
        PFrame::new(
            DataFrame::new(
                5,
                vec![
                    Series::new("k".into(), [2i64, 1, 2, 1, 2]).into_column(),
                    Series::new("v".into(), [1.0f64, 2.0, 3.0, 4.0, 5.0]).into_column(),
                ],
            )
            .expect("frame"),
        )
    }

    #[test]
    fn size_and_sum_sorted_by_key() {
        let f = frame();
        let Grouped::Series(s) =
            aggregate(&f, &["k".into()], &None, false, AggFn::Size).expect("size")
        else {
            panic!("size gives a series")
        };
        let v: Vec<i64> = s.s.i64().expect("i64").into_no_null_iter().collect();
        assert_eq!(v, vec![2, 3]);
        let Grouped::Frame(fr) =
            aggregate(&f, &["k".into()], &None, false, AggFn::Sum).expect("sum")
        else {
            panic!("sum gives a frame")
        };
        let v: Vec<f64> = fr
            .df
            .column("v")
            .expect("v")
            .f64()
            .expect("f64")
            .into_no_null_iter()
            .collect();
        assert_eq!(v, vec![6.0, 9.0]);
    }

    #[test]
    fn positions_per_group() {
        let (_, g) = group_positions(&frame(), &["k".into()]).expect("groups");
        assert_eq!(g, vec![vec![1, 3], vec![0, 2, 4]]);
    }
}
