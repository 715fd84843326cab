//! `time`: wall clock, sleeping, the monotonic clock the profilers record with, and
//! calendar times (`gmtime`, `localtime`, `strftime`: see `time_struct`).

use super::time_struct::{strftime, StructTime};
use super::Member::{self, *};
use crate::errors::{RaskError, Result};
use crate::value::args::Args;
use crate::value::value::Value;
use std::sync::Arc;

pub const MEMBERS: &[(&str, Member)] = &[
    ("time", Func),
    ("sleep", Func),
    ("perf_counter", Func),
    ("monotonic", Func),
    ("process_time", Func),
    ("time_ns", Func),
    ("gmtime", Func),
    ("localtime", Func),
    ("strftime", Func),
    ("asctime", Func),
    ("ctime", Func),
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
        "gmtime" | "localtime" => {
            args.check(&["secs"])?;
            let t = struct_at(seconds(args.get(0, "secs"))?, name == "localtime")?;
            Ok(Value::obj(Arc::new(t)))
        }
        "strftime" => {
            args.check(&["format", "t"])?;
            let t = time_arg(args.get(1, "t"))?;
            Ok(Value::str(&strftime(&args.str(0, "format")?, &t)))
        }
        "asctime" => {
            args.check(&["t"])?;
            let t = time_arg(args.get(0, "t"))?;
            Ok(Value::str(&strftime("%a %b %e %H:%M:%S %Y", &t)))
        }
        "ctime" => {
            args.check(&["secs"])?;
            let t = struct_at(seconds(args.get(0, "secs"))?, true)?;
            Ok(Value::str(&strftime("%a %b %e %H:%M:%S %Y", &t)))
        }
        other => Err(RaskError::name(format!(
            "module 'time' has no attribute '{}'",
            other
        ))),
    }
}

/// Whole seconds since the epoch: the argument (floored, as Python's `gmtime` does), or now.
fn seconds(v: Option<&Value>) -> Result<i64> {
    let f = match v {
        None | Some(Value::None) => {
            let d = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_err(|e| RaskError::runtime(format!("the clock is before 1970: {}", e)))?;
            return Ok(d.as_secs() as i64);
        }
        Some(Value::Int(i)) => return Ok(*i),
        Some(Value::Bool(b)) => return Ok(i64::from(*b)),
        Some(Value::Float(f)) => *f,
        Some(other) => {
            return Err(RaskError::type_(format!(
                "'{}' object cannot be interpreted as an integer",
                other.type_name()
            )))
        }
    };
    if f.is_nan() {
        return Err(RaskError::value("Invalid value NaN (not a number)"));
    }
    let t = f.floor();
    if !(-9.0e18..9.0e18).contains(&t) {
        return Err(RaskError::overflow(
            "timestamp out of range for platform time_t",
        ));
    }
    Ok(t as i64)
}

/// The calendar time at `secs`: in UTC, or in the machine's time zone (the C library's
/// `localtime_r`, which reads `TZ` as Python's does).
fn struct_at(secs: i64, local: bool) -> Result<StructTime> {
    if !local {
        return Ok(StructTime::from_secs(secs, 0, "GMT", 0));
    }
    let t: libc::time_t = secs;
    // SAFETY: `tm` is plain data that localtime_r fills; both pointers are valid
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    if unsafe { libc::localtime_r(&t, &mut tm) }.is_null() {
        return Err(RaskError::overflow(
            "timestamp out of range for platform time_t",
        ));
    }
    let zone = if tm.tm_zone.is_null() {
        String::new()
    } else {
        // SAFETY: a non-null tm_zone points at the C library's NUL-terminated zone name
        unsafe { std::ffi::CStr::from_ptr(tm.tm_zone) }
            .to_string_lossy()
            .into_owned()
    };
    Ok(StructTime::from_secs(
        secs,
        tm.tm_gmtoff,
        &zone,
        i64::from(tm.tm_isdst),
    ))
}

/// A `struct_time` or 9-tuple argument, or the local time now when it is omitted.
fn time_arg(v: Option<&Value>) -> Result<StructTime> {
    match v {
        None => struct_at(seconds(None)?, true),
        Some(v) => StructTime::from_value(v),
    }
}
