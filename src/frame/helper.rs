//! The small objects frame methods hand back before the real call: `df.groupby(k)`,
//! `df.loc`, `df.iloc`, `df.rolling(n)`. `target` is an eager or a lazy frame or series.

use crate::value::value::Value;

#[derive(Clone, Debug)]
pub enum Helper {
    /// `df.groupby(keys)`, optionally narrowed by `[cols]` or `.col` (`as_series` when one
    /// column was picked by name rather than by a list).
    GroupBy {
        target: Value,
        keys: Vec<String>,
        sel: Option<Vec<String>>,
        as_series: bool,
    },
    Loc(Value),
    ILoc(Value),
    Rolling {
        target: Value,
        window: usize,
    },
}

impl Helper {
    pub fn type_name(&self) -> &'static str {
        match self {
            Helper::GroupBy { .. } => "GroupBy",
            Helper::Loc(_) => "LocIndexer",
            Helper::ILoc(_) => "ILocIndexer",
            Helper::Rolling { .. } => "Rolling",
        }
    }

    pub fn summary(&self) -> String {
        match self {
            Helper::GroupBy { keys, sel, .. } => match sel {
                Some(s) => format!("<GroupBy by={:?} columns={:?}>", keys, s),
                None => format!("<GroupBy by={:?}>", keys),
            },
            Helper::Loc(_) => "<LocIndexer>".into(),
            Helper::ILoc(_) => "<ILocIndexer>".into(),
            Helper::Rolling { window, .. } => format!("Rolling [window={}]", window),
        }
    }
}
