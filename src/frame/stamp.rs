//! One element of a datetime, date or decimal column as a Python-visible value.
//!
//! rask's `Value` has no datetime, date or decimal, and adding variants would touch every
//! match over values for three types only frames produce. So a cell of such a column
//! becomes a small `Object` (`Stamp`) holding the column's own representation (a count
//! of the column's unit since 1970 and its zone, days since 1970, an integer and a
//! scale). It prints as pandas prints the element (`Timestamp('2020-01-01 00:00:00')`,
//! `NaT`, `datetime.date(2020, 1, 1)`, `Decimal('1.50')`), compares and sorts with its
//! own kind, turns back into a one-element column of the same dtype (comparisons with a
//! column), and refuses arithmetic with a TypeError (the interpreter's rule for objects
//! without operators).

use crate::errors::{RaskError, Result};
use crate::value::object::{register_decoder, Object};
use crate::value::value::Value;
use polars::prelude::{DataType, TimeUnit, TimeZone};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

const TAG: &str = "frame.Stamp";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Stamp {
    /// pandas' `Timestamp`: `v` units (of `unit`: 1, 1_000 or 1_000_000 ns) since 1970
    /// in UTC, and the column's time zone (UTC or a fixed offset) when it has one.
    Time {
        v: i64,
        unit_ns: i64,
        tz: Option<String>,
    },
    /// pandas' `NaT`, a missing timestamp.
    NaT,
    /// `datetime.date`: days since 1970-01-01.
    Date(i32),
    /// `decimal.Decimal`: `v / 10**scale`, and the column's precision.
    Decimal {
        v: i128,
        precision: usize,
        scale: usize,
    },
}

pub fn unit_ns(u: TimeUnit) -> i64 {
    match u {
        TimeUnit::Nanoseconds => 1,
        TimeUnit::Microseconds => 1_000,
        TimeUnit::Milliseconds => 1_000_000,
    }
}

pub fn unit_of(ns: i64) -> TimeUnit {
    match ns {
        1 => TimeUnit::Nanoseconds,
        1_000 => TimeUnit::Microseconds,
        _ => TimeUnit::Milliseconds,
    }
}

pub use crate::common::calendar::{civil_from_days as civil, days_from_civil};

/// The offset of a zone rask can show, in seconds: UTC or a fixed `+HH:MM`.
pub fn zone_offset(tz: &str) -> Option<i64> {
    match tz {
        "UTC" | "Etc/UTC" | "utc" | "Z" | "GMT" | "Etc/GMT" => return Some(0),
        _ => {}
    }
    let (sign, rest) = match tz.as_bytes().first()? {
        b'+' => (1, &tz[1..]),
        b'-' => (-1, &tz[1..]),
        _ => return None,
    };
    let (h, m) = rest
        .split_once(':')
        .unwrap_or((rest.get(..2)?, rest.get(2..)?));
    let h: i64 = h.parse().ok()?;
    let m: i64 = if m.is_empty() { 0 } else { m.parse().ok()? };
    Some(sign * (h * 3600 + m * 60))
}

/// A timestamp's local wall time: days since 1970 and nanoseconds into the day.
pub fn wall(v: i64, unit_ns: i64, tz: Option<&str>) -> (i64, i64) {
    let off = tz.and_then(zone_offset).unwrap_or(0) as i128 * 1_000_000_000;
    let ns = v as i128 * unit_ns as i128 + off;
    let day = 86_400_000_000_000i128;
    (ns.div_euclid(day) as i64, ns.rem_euclid(day) as i64)
}

pub fn date_text(days: i64) -> String {
    let (y, m, d) = civil(days);
    format!("{:04}-{:02}-{:02}", y, m, d)
}

/// `HH:MM:SS` and the fraction at `digits` (0, 3, 6 or 9) of nanoseconds into a day.
pub fn time_text(ns: i64, digits: usize) -> String {
    let secs = ns / 1_000_000_000;
    let frac = ns % 1_000_000_000;
    let mut t = format!(
        "{:02}:{:02}:{:02}",
        secs / 3600,
        (secs / 60) % 60,
        secs % 60
    );
    if digits > 0 {
        let f = format!("{:09}", frac);
        t.push('.');
        t.push_str(&f[..digits.min(9)]);
    }
    t
}

/// `+HH:MM` of a zone (pandas' column text), or `+HHMM` (its Timestamp repr).
pub fn offset_text(tz: &str, colon: bool) -> String {
    let s = zone_offset(tz).unwrap_or(0);
    let (sign, a) = if s < 0 { ('-', -s) } else { ('+', s) };
    if colon {
        format!("{}{:02}:{:02}", sign, a / 3600, (a / 60) % 60)
    } else {
        format!("{}{:02}{:02}", sign, a / 3600, (a / 60) % 60)
    }
}

/// `str(Decimal)`: plain digits at the scale, or Python's exponent form when tiny.
pub fn decimal_text(v: i128, scale: usize) -> String {
    let neg = v < 0;
    let digits = v.unsigned_abs().to_string();
    let sign = if neg { "-" } else { "" };
    let adjusted = digits.len() as i64 - 1 - scale as i64;
    if scale == 0 {
        return format!("{}{}", sign, digits);
    }
    if adjusted < -6 {
        let (head, tail) = digits.split_at(1);
        let mant = if tail.is_empty() {
            head.to_string()
        } else {
            format!("{}.{}", head, tail)
        };
        return format!("{}{}E{}", sign, mant, adjusted);
    }
    let padded = if digits.len() <= scale {
        format!("{}{}", "0".repeat(scale + 1 - digits.len()), digits)
    } else {
        digits
    };
    let (int, frac) = padded.split_at(padded.len() - scale);
    format!("{}{}.{}", sign, int, frac)
}

impl Stamp {
    /// pandas' `str()` of the element.
    pub fn text(&self) -> String {
        match self {
            Stamp::Time { v, unit_ns, tz } => {
                let (d, ns) = wall(*v, *unit_ns, tz.as_deref());
                let digits = if ns % 1_000 != 0 {
                    9
                } else if ns % 1_000_000_000 != 0 {
                    6
                } else {
                    0
                };
                let mut t = format!("{} {}", date_text(d), time_text(ns, digits));
                if let Some(z) = tz {
                    t.push_str(&offset_text(z, true));
                }
                t
            }
            Stamp::NaT => "NaT".into(),
            Stamp::Date(d) => date_text(*d as i64),
            Stamp::Decimal { v, scale, .. } => decimal_text(*v, *scale),
        }
    }

    /// The element as a nanosecond instant (timestamps) for comparing across units.
    fn instant(&self) -> Option<i128> {
        match self {
            Stamp::Time { v, unit_ns, .. } => Some(*v as i128 * *unit_ns as i128),
            _ => None,
        }
    }

    /// The column dtype this element belongs to.
    pub fn dtype(&self) -> Option<DataType> {
        Some(match self {
            Stamp::Time { unit_ns, tz, .. } => DataType::Datetime(
                unit_of(*unit_ns),
                TimeZone::opt_try_new(tz.as_deref()).ok().flatten(),
            ),
            Stamp::NaT => return None,
            Stamp::Date(_) => DataType::Date,
            Stamp::Decimal {
                precision, scale, ..
            } => DataType::Decimal(*precision, *scale),
        })
    }

    pub fn order(&self, o: &Stamp) -> Option<Ordering> {
        match (self, o) {
            (Stamp::Time { tz: a, .. }, Stamp::Time { tz: b, .. }) => {
                // pandas: naive and zoned timestamps do not compare
                if a.is_some() != b.is_some() {
                    return None;
                }
                Some(self.instant()?.cmp(&o.instant()?))
            }
            (Stamp::Date(a), Stamp::Date(b)) => Some(a.cmp(b)),
            (
                Stamp::Decimal {
                    v: a, scale: sa, ..
                },
                Stamp::Decimal {
                    v: b, scale: sb, ..
                },
            ) => {
                let s = (*sa).max(*sb);
                let up = |v: i128, from: usize| {
                    10i128
                        .checked_pow((s - from) as u32)
                        .and_then(|p| v.checked_mul(p))
                };
                Some(up(*a, *sa)?.cmp(&up(*b, *sb)?))
            }
            _ => None,
        }
    }

    /// A decimal as a float (to compare with Python numbers, as `Decimal` does).
    fn as_f64(&self) -> Option<f64> {
        match self {
            Stamp::Decimal { v, scale, .. } => Some(*v as f64 / 10f64.powi(*scale as i32)),
            _ => None,
        }
    }
}

/// The element of `other` a stamp compares with: another stamp, or a number (decimals).
fn order_with(a: &Stamp, other: &Value) -> Option<Ordering> {
    match other {
        o if let Some(b) = o.get::<Stamp>() => a.order(b),
        Value::Int(i) => a.as_f64()?.partial_cmp(&(*i as f64)),
        Value::Float(f) => a.as_f64()?.partial_cmp(f),
        _ => None,
    }
}

impl Object for Stamp {
    fn type_name(&self) -> &'static str {
        match self {
            Stamp::Time { .. } => "Timestamp",
            Stamp::NaT => "NaTType",
            Stamp::Date(_) => "datetime.date",
            Stamp::Decimal { .. } => "decimal.Decimal",
        }
    }
    fn truthy(&self) -> bool {
        match self {
            Stamp::Decimal { v, .. } => *v != 0,
            _ => true,
        }
    }
    fn repr(&self) -> String {
        match self {
            Stamp::Time { tz: Some(z), .. } => {
                let t = self.text();
                let local = t.get(..t.len().saturating_sub(6)).unwrap_or(&t);
                format!(
                    "Timestamp('{}{}', tz='{}')",
                    local,
                    offset_text(z, false),
                    z
                )
            }
            Stamp::Time { .. } => format!("Timestamp('{}')", self.text()),
            Stamp::NaT => "NaT".into(),
            Stamp::Date(d) => {
                let (y, m, dd) = civil(*d as i64);
                format!("datetime.date({}, {}, {})", y, m, dd)
            }
            Stamp::Decimal { .. } => format!("Decimal('{}')", self.text()),
        }
    }
    fn str(&self) -> String {
        self.text()
    }
    fn eq_value(&self, other: &Value) -> Option<bool> {
        Some(order_with(self, other) == Some(Ordering::Equal))
    }
    fn cmp_value(&self, other: &Value) -> Option<Result<Ordering>> {
        Some(order_with(self, other).ok_or_else(|| {
            RaskError::type_(format!(
                "'<' not supported between instances of '{}' and '{}'",
                self.type_name(),
                other.type_name()
            ))
        }))
    }
    fn encode(&self) -> Option<(&'static str, Result<Vec<u8>>)> {
        Some((
            TAG,
            postcard::to_allocvec(self)
                .map_err(|e| RaskError::runtime(format!("encoding a {}: {}", TAG, e))),
        ))
    }
}

/// Register how stamps are decoded in this process.
pub fn register() {
    register_decoder(TAG, |b| {
        let s: Stamp = postcard::from_bytes(b)
            .map_err(|e| RaskError::runtime(format!("decoding a {}: {}", TAG, e)))?;
        Ok(Value::obj(s))
    });
}

/// A timestamp from pandas-style text: `2020-01-02`, `2020-01-02 10:30`,
/// `2020-01-02T10:30:00.5`, with an optional `Z` or `+HH:MM`. Nanoseconds since 1970
/// of the wall time, and the offset the text names (seconds), if any.
pub fn parse_time(text: &str) -> Option<(i128, Option<i64>)> {
    let t = text.trim();
    let (date, rest) = match t.find(['T', ' ']) {
        Some(i) => (&t[..i], t[i + 1..].trim()),
        None => (t, ""),
    };
    let mut parts = date.splitn(3, '-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next().unwrap_or("1").parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || date.len() < 7 {
        return None;
    }
    let days = days_from_civil(y, m, d);
    if civil(days) != (y, m, d) {
        return None;
    }
    let (clock, off) = if let Some(c) = rest.strip_suffix('Z') {
        (c, Some(0))
    } else if let Some(i) = rest.rfind(['+', '-']) {
        (&rest[..i], Some(zone_offset(&rest[i..])?))
    } else {
        (rest, None)
    };
    let mut ns: i128 = 0;
    if !clock.is_empty() {
        let (hms, frac) = clock.split_once('.').unwrap_or((clock, ""));
        let f: Vec<&str> = hms.split(':').collect();
        if f.len() < 2 || f.len() > 3 {
            return None;
        }
        let h: i64 = f[0].parse().ok()?;
        let mi: i64 = f[1].parse().ok()?;
        let s: i64 = f.get(2).map_or(Some(0), |x| x.parse().ok())?;
        if h > 23 || mi > 59 || s > 59 || !frac.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let digits = format!("{:0<9}", frac);
        let fr: i64 = digits.get(..9)?.parse().ok()?;
        ns = ((h * 3600 + mi * 60 + s) as i128) * 1_000_000_000 + fr as i128;
    }
    Some((days as i128 * 86_400_000_000_000 + ns, off))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_print_as_pandas_does() {
        let t = Stamp::Time {
            v: 1_577_968_200_500_000,
            unit_ns: 1_000,
            tz: None,
        };
        assert_eq!(t.repr(), "Timestamp('2020-01-02 12:30:00.500000')");
        let z = Stamp::Time {
            v: 1_577_836_800_000,
            unit_ns: 1_000_000,
            tz: Some("UTC".into()),
        };
        assert_eq!(z.repr(), "Timestamp('2020-01-01 00:00:00+0000', tz='UTC')");
        assert_eq!(z.text(), "2020-01-01 00:00:00+00:00");
        assert_eq!(Stamp::Date(18_262).repr(), "datetime.date(2020, 1, 1)");
        let d = |v, scale| Stamp::Decimal {
            v,
            precision: 10,
            scale,
        };
        assert_eq!(d(150, 2).repr(), "Decimal('1.50')");
        assert_eq!(d(-225, 2).text(), "-2.25");
        assert_eq!(d(5, 3).text(), "0.005");
        assert_eq!(d(1, 7).text(), "1E-7");
        assert_eq!(d(0, 2).text(), "0.00");
    }

    #[test]
    fn text_parses_as_pandas_timestamps() {
        let day = 86_400_000_000_000i128;
        assert_eq!(parse_time("2020-01-02"), Some((18_263 * day, None)));
        assert_eq!(
            parse_time("2020-01-02 00:00:01.5"),
            Some((18_263 * day + 1_500_000_000, None))
        );
        assert_eq!(
            parse_time("2020-01-02T01:00+01:00"),
            Some((18_263 * day + 3_600_000_000_000, Some(3600)))
        );
        assert_eq!(parse_time("2020-02-30"), None);
        assert_eq!(parse_time("hello"), None);
    }
}
