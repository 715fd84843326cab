//! `time.struct_time`, `time.gmtime` / `time.localtime` and `time.strftime`: the
//! calendar computed from the seconds (proleptic Gregorian, as C's `gmtime`), the
//! directives of glibc's `strftime` in the C locale.

use crate::errors::{RaskError, Result};
use crate::value::object::Object;
use crate::value::value::Value;
use std::fmt::Write;
use std::sync::Arc;

/// The nine fields of a `struct_time` and its zone.
#[derive(Debug, Clone, PartialEq)]
pub struct StructTime {
    pub year: i64,
    /// 1..=12
    pub mon: i64,
    pub mday: i64,
    pub hour: i64,
    pub min: i64,
    pub sec: i64,
    /// Monday is 0, as Python counts.
    pub wday: i64,
    /// 1..=366
    pub yday: i64,
    pub isdst: i64,
    pub zone: String,
    pub gmtoff: i64,
}

pub const FIELDS: [&str; 9] = [
    "tm_year", "tm_mon", "tm_mday", "tm_hour", "tm_min", "tm_sec", "tm_wday", "tm_yday", "tm_isdst",
];

impl StructTime {
    fn values(&self) -> [i64; 9] {
        [
            self.year, self.mon, self.mday, self.hour, self.min, self.sec, self.wday, self.yday,
            self.isdst,
        ]
    }

    /// The time `secs` seconds after the epoch, `offset` seconds east of UTC.
    pub fn from_secs(secs: i64, offset: i64, zone: &str, isdst: i64) -> StructTime {
        let t = secs + offset;
        let days = t.div_euclid(86_400);
        let rem = t.rem_euclid(86_400);
        let (year, mon, mday) = civil_from_days(days);
        StructTime {
            year,
            mon,
            mday,
            hour: rem / 3600,
            min: rem % 3600 / 60,
            sec: rem % 60,
            wday: (days + 3).rem_euclid(7),
            yday: days - days_from_civil(year, 1, 1) + 1,
            isdst,
            zone: zone.to_string(),
            gmtoff: offset,
        }
    }

    /// A `struct_time` or a 9-tuple of ints, checked as Python's `strftime` checks it.
    pub fn from_value(v: &Value) -> Result<StructTime> {
        if let Some(t) = v.get::<Arc<StructTime>>() {
            return Ok((**t).clone());
        }
        let items = match v.seq() {
            Some(x) => x.to_vec(),
            None => {
                return Err(RaskError::type_(format!(
                    "Tuple or struct_time argument required (got {})",
                    v.type_name()
                )))
            }
        };
        if items.len() != 9 {
            return Err(RaskError::type_(format!(
                "strftime(): illegal time tuple argument (a 9-sequence, not {})",
                items.len()
            )));
        }
        let mut f = [0i64; 9];
        for (slot, x) in f.iter_mut().zip(items.iter()) {
            *slot = crate::value::pyops::as_i64(x).ok_or_else(|| {
                RaskError::type_(format!(
                    "'{}' object cannot be interpreted as an integer",
                    x.type_name()
                ))
            })?;
        }
        // Python accepts 0 for the month, day and day of year and reads it as the first
        let t = StructTime {
            year: f[0],
            mon: f[1].max(1),
            mday: f[2].max(1),
            hour: f[3],
            min: f[4],
            sec: f[5],
            wday: f[6].rem_euclid(7),
            yday: f[7].max(1),
            isdst: f[8],
            zone: String::new(),
            gmtoff: 0,
        };
        let checks = [
            (t.mon <= 12, "month out of range"),
            (t.mday <= 31, "day of month out of range"),
            ((0..=23).contains(&t.hour), "hour out of range"),
            ((0..=59).contains(&t.min), "minute out of range"),
            ((0..=61).contains(&t.sec), "seconds out of range"),
            (t.yday <= 366, "day of year out of range"),
        ];
        for (ok, what) in checks {
            if !ok {
                return Err(RaskError::value(what));
            }
        }
        Ok(t)
    }

    pub fn attr(&self, name: &str) -> Option<Value> {
        if let Some(i) = FIELDS.iter().position(|f| *f == name) {
            return Some(Value::Int(self.values()[i]));
        }
        match name {
            "tm_zone" => Some(Value::str(&self.zone)),
            "tm_gmtoff" => Some(Value::Int(self.gmtoff)),
            _ => None,
        }
    }

    /// The fields as a tuple (`tuple(t)`, `t[0]`).
    pub fn as_tuple(&self) -> Value {
        Value::tuple(self.values().iter().map(|&i| Value::Int(i)).collect())
    }
}

impl Object for Arc<StructTime> {
    fn type_name(&self) -> &'static str {
        "time.struct_time"
    }
    fn repr(&self) -> String {
        let fields: Vec<String> = FIELDS
            .iter()
            .zip(self.values())
            .map(|(n, v)| format!("{}={}", n, v))
            .collect();
        format!("time.struct_time({})", fields.join(", "))
    }
    fn len(&self) -> Option<Result<usize>> {
        Some(Ok(FIELDS.len()))
    }
}

/// (year, month, day) of a day count, as numbers for the struct's fields.
pub(crate) fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let (y, m, d) = crate::common::calendar::civil_from_days(z);
    (y, i64::from(m), i64::from(d))
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    crate::common::calendar::days_from_civil(y, m as u32, d as u32)
}

const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// ISO 8601 (year, week) of a date.
fn iso_week(t: &StructTime) -> (i64, i64) {
    let weeks_in = |y: i64| {
        let p =
            |y: i64| (y + y.div_euclid(4) - y.div_euclid(100) + y.div_euclid(400)).rem_euclid(7);
        52 + i64::from(p(y) == 4 || p(y - 1) == 3)
    };
    let w = (t.yday - (t.wday + 1) + 10) / 7;
    if w < 1 {
        (t.year - 1, weeks_in(t.year - 1))
    } else if w > weeks_in(t.year) {
        (t.year + 1, 1)
    } else {
        (t.year, w)
    }
}

/// `time.strftime(format, t)` in the C locale. `%-d` (glibc's no-padding flag) works too;
/// an unknown directive is kept as written, as glibc keeps it.
pub fn strftime(fmt: &str, t: &StructTime) -> String {
    let mut out = String::new();
    let mut it = fmt.chars().peekable();
    let day = DAYS[t.wday.rem_euclid(7) as usize];
    let month = MONTHS[(t.mon - 1).clamp(0, 11) as usize];
    let hour12 = if t.hour % 12 == 0 { 12 } else { t.hour % 12 };
    // Sunday-first weekday and 0-based day of year, for %U and %W
    let (wsun, yday0) = ((t.wday + 1) % 7, t.yday - 1);
    while let Some(c) = it.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let unpadded = it.peek() == Some(&'-');
        if unpadded {
            it.next();
        }
        let num = |out: &mut String, v: i64, width: usize| {
            let _ = if unpadded {
                write!(out, "{}", v)
            } else {
                write!(out, "{:0width$}", v, width = width)
            };
        };
        let Some(d) = it.next() else {
            out.push('%');
            break;
        };
        match d {
            'Y' => {
                let _ = write!(out, "{}", t.year);
            }
            'C' => num(&mut out, t.year.div_euclid(100), 2),
            'y' => num(&mut out, t.year.rem_euclid(100), 2),
            'm' => num(&mut out, t.mon, 2),
            'd' => num(&mut out, t.mday, 2),
            'e' => {
                let _ = write!(out, "{:2}", t.mday);
            }
            'H' => num(&mut out, t.hour, 2),
            'I' => num(&mut out, hour12, 2),
            'M' => num(&mut out, t.min, 2),
            'S' => num(&mut out, t.sec, 2),
            'j' => num(&mut out, t.yday, 3),
            'p' => out.push_str(if t.hour < 12 { "AM" } else { "PM" }),
            'a' => out.push_str(&day[..3]),
            'A' => out.push_str(day),
            'b' | 'h' => out.push_str(&month[..3]),
            'B' => out.push_str(month),
            'w' => num(&mut out, wsun, 1),
            'u' => num(&mut out, t.wday + 1, 1),
            'U' => num(&mut out, (yday0 + 7 - wsun) / 7, 2),
            'W' => num(&mut out, (yday0 + 7 - t.wday) / 7, 2),
            'G' => {
                let _ = write!(out, "{}", iso_week(t).0);
            }
            'g' => num(&mut out, iso_week(t).0.rem_euclid(100), 2),
            'V' => num(&mut out, iso_week(t).1, 2),
            'c' => out.push_str(&strftime("%a %b %e %H:%M:%S %Y", t)),
            'x' | 'D' => out.push_str(&strftime("%m/%d/%y", t)),
            'X' | 'T' => out.push_str(&strftime("%H:%M:%S", t)),
            'F' => out.push_str(&strftime("%Y-%m-%d", t)),
            'R' => out.push_str(&strftime("%H:%M", t)),
            'r' => out.push_str(&strftime("%I:%M:%S %p", t)),
            'Z' => out.push_str(&t.zone),
            'z' => {
                let off = t.gmtoff.abs();
                let sign = if t.gmtoff < 0 { '-' } else { '+' };
                let _ = write!(out, "{}{:02}{:02}", sign, off / 3600, off % 3600 / 60);
            }
            'n' => out.push('\n'),
            't' => out.push('\t'),
            '%' => out.push('%'),
            other => {
                out.push('%');
                if unpadded {
                    out.push('-');
                }
                out.push(other);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_from_seconds() {
        let t = StructTime::from_secs(0, 0, "UTC", 0);
        assert_eq!((t.year, t.mon, t.mday, t.wday, t.yday), (1970, 1, 1, 3, 1));
        let t = StructTime::from_secs(951_782_400, 0, "UTC", 0); // 2000-02-29
        assert_eq!(
            (t.year, t.mon, t.mday, t.wday, t.yday),
            (2000, 2, 29, 1, 60)
        );
        let t = StructTime::from_secs(-1, 0, "UTC", 0);
        assert_eq!(
            (t.year, t.mon, t.mday, t.hour, t.sec),
            (1969, 12, 31, 23, 59)
        );
    }

    #[test]
    fn strftime_directives() {
        let t = StructTime::from_secs(86_400 * 365, 0, "GMT", 0); // 1971-01-01, a Friday
        assert_eq!(strftime("%Y-%m-%d %H:%M:%S", &t), "1971-01-01 00:00:00");
        assert_eq!(
            strftime("%a %A %b %B %j %U %W %w %u", &t),
            "Fri Friday Jan January 001 00 00 5 5"
        );
        assert_eq!(
            strftime("%c|%x|%X|%p|%I|%Z|%z", &t),
            "Fri Jan  1 00:00:00 1971|01/01/71|00:00:00|AM|12|GMT|+0000"
        );
        assert_eq!(strftime("%G-W%V-%u %-d %% %Q", &t), "1970-W53-5 1 % %Q");
        let t = StructTime::from_secs(1_704_067_200, 0, "UTC", 0); // 2024-01-01, a Monday
        assert_eq!(strftime("%G %V %U %W", &t), "2024 01 00 01");
    }
}
