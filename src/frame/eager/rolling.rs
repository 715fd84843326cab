//! `rolling(n).mean()` and friends on eager frames and series (and, with the previous
//! partition's last rows prepended, on each partition of a lazy one).

use super::frame_methods::fwrap;
use super::series_methods::wrap;
use super::{pl_err, PFrame, PSeries};
use crate::errors::{RaskError, Result};
use crate::value::value::Value;
use polars::prelude::*;
use serde::{Deserialize, Serialize};

/// What a rolling window computes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RollFn {
    Mean,
    Sum,
    Min,
    Max,
    Std,
    Var,
    Count,
}

impl RollFn {
    pub const ALL: [RollFn; 7] = [
        RollFn::Mean,
        RollFn::Sum,
        RollFn::Min,
        RollFn::Max,
        RollFn::Std,
        RollFn::Var,
        RollFn::Count,
    ];

    pub fn name(self) -> &'static str {
        match self {
            RollFn::Mean => "mean",
            RollFn::Sum => "sum",
            RollFn::Min => "min",
            RollFn::Max => "max",
            RollFn::Std => "std",
            RollFn::Var => "var",
            RollFn::Count => "count",
        }
    }

    /// The method `r.name()` of a `Rolling` object.
    pub fn parse(name: &str) -> Result<RollFn> {
        RollFn::ALL
            .into_iter()
            .find(|f| f.name() == name)
            .ok_or_else(|| RaskError::name(format!("'Rolling' object has no attribute '{}'", name)))
    }

    fn apply(self, w: &[f64]) -> f64 {
        let n = w.len() as f64;
        let mean = w.iter().sum::<f64>() / n;
        match self {
            RollFn::Mean => mean,
            RollFn::Sum => w.iter().sum(),
            RollFn::Min => w.iter().copied().fold(f64::INFINITY, f64::min),
            RollFn::Max => w.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            RollFn::Count => n,
            RollFn::Var | RollFn::Std => {
                let var = if n > 1.0 {
                    w.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0)
                } else {
                    f64::NAN
                };
                if self == RollFn::Std {
                    var.sqrt()
                } else {
                    var
                }
            }
        }
    }
}

/// `rolling(window).how()` on an eager frame or series: NaN until a window is full.
pub fn rolling(target: &Value, window: usize, how: RollFn) -> Result<Value> {
    let roll = |s: &Series| -> Result<Series> {
        let v = super::convert::f64s(s)?;
        let v: Vec<Option<f64>> = v.iter().collect();
        let mut out = Vec::with_capacity(v.len());
        for i in 0..v.len() {
            if i + 1 < window {
                out.push(f64::NAN);
                continue;
            }
            let w: Vec<f64> = v[i + 1 - window..=i]
                .iter()
                .flatten()
                .copied()
                .filter(|x| !x.is_nan())
                .collect();
            if w.len() < window && how != RollFn::Count {
                out.push(f64::NAN);
                continue;
            }
            out.push(how.apply(&w));
        }
        Ok(Series::new(s.name().clone(), out))
    };
    match target {
        obj if let Some(s) = obj.get::<std::sync::Arc<PSeries>>() => Ok(wrap(PSeries {
            s: roll(&s.s)?,
            index: s.index.clone(),
        })),
        obj if let Some(f) = obj.get::<std::sync::Arc<PFrame>>() => {
            let cols =
                f.df.columns()
                    .iter()
                    .filter(|c| super::is_numeric(c.dtype()))
                    .map(|c| roll(c.as_materialized_series()).map(|s| s.into_column()))
                    .collect::<Result<Vec<_>>>()?;
            Ok(fwrap(PFrame {
                df: DataFrame::new(f.height(), cols).map_err(pl_err("rolling"))?,
                index: f.index.clone(),
            }))
        }
        other => Err(RaskError::type_(format!(
            "rolling over {}",
            other.type_name()
        ))),
    }
}

/// One partition's windows when they may start in the partition before: `prev`'s last
/// `window - 1` rows are prepended, rolled with the partition, then dropped again.
pub fn rolling_after(part: &Value, prev: &Value, window: usize, how: RollFn) -> Result<Value> {
    let (joined, skip) = match (part, prev) {
        (__t0, __t1)
            if let (Some(f), Some(p)) = (
                __t0.get::<std::sync::Arc<PFrame>>(),
                __t1.get::<std::sync::Arc<PFrame>>(),
            ) =>
        {
            let k = (window - 1).min(p.height());
            let tail = p.slice((p.height() - k) as i64, k);
            (fwrap(super::concat_frames(&[&tail, f])?), k)
        }
        (__t0, __t1)
            if let (Some(s), Some(p)) = (
                __t0.get::<std::sync::Arc<PSeries>>(),
                __t1.get::<std::sync::Arc<PSeries>>(),
            ) =>
        {
            let k = (window - 1).min(p.len());
            let tail = p.slice((p.len() - k) as i64, k);
            (wrap(super::concat_series(&[&tail, s])?), k)
        }
        (v, _) => (v.clone(), 0),
    };
    Ok(match rolling(&joined, window, how)? {
        ref obj if let Some(f) = obj.get::<std::sync::Arc<PFrame>>() => {
            let n = f.height() - skip;
            fwrap(f.slice(skip as i64, n))
        }
        ref obj if let Some(s) = obj.get::<std::sync::Arc<PSeries>>() => {
            let n = s.len() - skip;
            wrap(s.slice(skip as i64, n))
        }
        o => o,
    })
}
