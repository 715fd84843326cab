//! `time`: wall clock, sleeping, and the monotonic clock the profilers record with.

use super::Member::{self, *};
use crate::errors::{RaskError, Result};
use crate::value::args::Args;
use crate::value::value::Value;

pub const MEMBERS: &[(&str, Member)] = &[
    ("time", Func),
    ("sleep", Func),
    ("perf_counter", Func),
    ("monotonic", Func),
    ("process_time", Func),
    ("time_ns", Func),
];

pub fn call(name: &str, args: &Args) -> Result<Value> {
    match name {
        "time" | "time_ns" => {
            args.check(&[])?;
            let d = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_err(|e| RaskError::runtime(format!("the clock is before 1970: {}", e)))?;
            Ok(if name == "time" {
                Value::Float(d.as_secs_f64())
            } else {
                crate::value::bigint::int(num_bigint::BigInt::from(d.as_nanos()))
            })
        }
        // Python's perf_counter and monotonic are CLOCK_MONOTONIC on Linux; so is the
        // profilers' clock, so their times compare with these
        "perf_counter" | "monotonic" => {
            args.check(&[])?;
            Ok(Value::Float(crate::scheduler::observe::clock()))
        }
        "process_time" => {
            args.check(&[])?;
            Ok(Value::Float(crate::scheduler::observe::cpu_clock()))
        }
        "sleep" => {
            args.check(&["secs"])?;
            let s = match args.req(0, "secs")? {
                Value::Int(i) => *i as f64,
                Value::Float(f) => *f,
                Value::Bool(b) => f64::from(u8::from(*b)),
                other => {
                    return Err(RaskError::type_(format!(
                        "'{}' object cannot be interpreted as an integer",
                        other.type_name()
                    )))
                }
            };
            if s.is_nan() {
                return Err(RaskError::value("Invalid value NaN (not a number)"));
            }
            if s < 0.0 {
                return Err(RaskError::value("sleep length must be non-negative"));
            }
            let d = std::time::Duration::try_from_secs_f64(s)
                .map_err(|_| RaskError::overflow("sleep length is too large"))?;
            std::thread::sleep(d);
            Ok(Value::None)
        }
        other => Err(RaskError::name(format!(
            "module 'time' has no attribute '{}'",
            other
        ))),
    }
}
