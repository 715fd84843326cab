//! `functools`: `reduce` (the builtin) and `partial`.

use crate::errors::{RaskError, Result};
use crate::session::runtime::Frame;
use crate::value::args::Args;
use crate::value::value::Value;

pub fn call(fr: &mut Frame, name: &str, args: Args) -> Result<Value> {
    match name {
        "partial" => super::callables::partial(fr, args),
        other => Err(RaskError::name(format!(
            "module 'functools' has no attribute '{}'",
            other
        ))),
    }
}
