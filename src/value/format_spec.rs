//! Python's format-spec mini-language for `str.format`, f-strings and `%` formatting:
//! the common subset (fill, align, sign, width, `,`, precision, `d f e g %`).

use super::value::Value;
use crate::errors::{RaskError, Result};

/// Digits past which every f64's exact decimal expansion has only zeros (2**-1074 has
/// 1074 fractional digits; at most 767 of them significant). Rust's formatter takes
/// precisions up to 65535 only, so longer ones are padded with the zeros they would show.
const EXACT_DIGITS: usize = 1100;

fn pad_zeros(mut s: String, prec: usize, f: f64) -> String {
    if prec > EXACT_DIGITS && f.is_finite() {
        s.extend(std::iter::repeat_n('0', prec - EXACT_DIGITS));
    }
    s
}

/// `{:.Nf}`: fixed-point with exactly `prec` digits (any precision, as Python).
pub fn fixed(f: f64, prec: usize) -> String {
    pad_zeros(format!("{:.*}", prec.min(EXACT_DIGITS), f), prec, f)
}

/// `{:.3e}`-style scientific notation with Python's two-digit exponent.
pub fn sci(f: f64, prec: usize) -> String {
    let s = format!("{:.*e}", prec.min(EXACT_DIGITS), f);
    let s = match s.split_once('e') {
        Some((m, e)) if prec > EXACT_DIGITS => {
            format!("{}e{}", pad_zeros(m.to_string(), prec, f), e)
        }
        _ => s,
    };
    match s.split_once('e') {
        Some((m, e)) => {
            let (sign, digits) = match e.strip_prefix('-') {
                Some(d) => ('-', d),
                None => ('+', e),
            };
            format!("{}e{}{:0>2}", m, sign, digits)
        }
        None => s,
    }
}

/// Apply a format spec such as `>10`, `.2f`, `,d`, `08.3f`, `.1%` to a value.
pub fn apply(v: &Value, spec: &str) -> Result<String> {
    if spec.is_empty() {
        return Ok(super::display::to_str(v));
    }
    let mut chars: Vec<char> = spec.chars().collect();
    let mut fill = ' ';
    let mut align: Option<char> = None;
    if chars.len() >= 2 && matches!(chars[1], '<' | '>' | '^' | '=') {
        fill = chars[0];
        align = Some(chars[1]);
        chars.drain(0..2);
    } else if !chars.is_empty() && matches!(chars[0], '<' | '>' | '^' | '=') {
        align = Some(chars[0]);
        chars.remove(0);
    }
    let mut sign_plus = false;
    if chars.first() == Some(&'+') {
        sign_plus = true;
        chars.remove(0);
    } else if chars.first() == Some(&'-') {
        chars.remove(0);
    }
    let mut sign_space = false;
    if !sign_plus && chars.first() == Some(&' ') {
        sign_space = true;
        chars.remove(0);
    }
    let mut alt = false;
    if chars.first() == Some(&'#') {
        alt = true;
        chars.remove(0);
    }
    if chars.first() == Some(&'0') {
        fill = '0';
        align = align.or(Some('='));
        chars.remove(0);
    }
    let rest: String = chars.iter().collect();
    let ty = rest
        .chars()
        .last()
        .filter(|c| c.is_ascii_alphabetic() || *c == '%');
    let body = match ty {
        Some(_) => &rest[..rest.len() - 1],
        None => &rest[..],
    };
    let comma = body.contains(',');
    let underscore = body.contains('_');
    let body = body.replace([',', '_'], "");
    let (w, p) = match body.split_once('.') {
        Some((w, p)) => (w.to_string(), Some(p.to_string())),
        None => (body.clone(), None),
    };
    let width: usize = if w.is_empty() {
        0
    } else {
        w.parse()
            .map_err(|_| RaskError::value(format!("invalid format spec '{}'", spec)))?
    };
    let prec: Option<usize> = match p {
        Some(p) => Some(
            p.parse()
                .map_err(|_| RaskError::value(format!("invalid format spec '{}'", spec)))?,
        ),
        None => None,
    };
    super::limits::check_alloc(
        width.max(prec.unwrap_or(0)) as u128,
        1,
        "the formatted text",
    )?;
    let num = super::pyops::as_f64(v);
    let mut text = match (ty, num) {
        (Some('d'), _) if matches!(v, Value::Int(_) | Value::Bool(_) | Value::BigInt(_)) => match v
        {
            Value::Int(i) => i.to_string(),
            Value::BigInt(b) => b.to_string(),
            _ => (super::pyops::as_i64(v).unwrap_or(0)).to_string(),
        },
        (Some(c @ ('x' | 'X' | 'o' | 'b')), _) if matches!(v, Value::Int(_) | Value::Bool(_)) => {
            let i = super::pyops::as_i64(v).unwrap_or(0);
            let (digits, prefix) = match c {
                'x' => (format!("{:x}", i.unsigned_abs()), "0x"),
                'X' => (format!("{:X}", i.unsigned_abs()), "0X"),
                'o' => (format!("{:o}", i.unsigned_abs()), "0o"),
                _ => (format!("{:b}", i.unsigned_abs()), "0b"),
            };
            let digits = if underscore {
                group_by(&digits, 4, '_')
            } else {
                digits
            };
            format!(
                "{}{}{}",
                if i < 0 { "-" } else { "" },
                if alt { prefix } else { "" },
                digits
            )
        }
        (Some('c'), _) if matches!(v, Value::Int(_)) => {
            let i = super::pyops::as_i64(v).unwrap_or(0);
            u32::try_from(i)
                .ok()
                .and_then(char::from_u32)
                .map(|c| c.to_string())
                .ok_or_else(|| RaskError::overflow("%c arg not in range(0x110000)"))?
        }
        (Some('n'), _) if matches!(v, Value::Int(_)) => super::display::to_str(v),
        (Some('d'), Some(_)) => {
            return Err(RaskError::value(format!(
                "unknown format code 'd' for object of type '{}'",
                v.type_name()
            )))
        }
        (Some('f') | Some('F'), Some(f)) => fixed(f, prec.unwrap_or(6)),
        (Some('e'), Some(f)) => sci(f, prec.unwrap_or(6)),
        (Some('%'), Some(f)) => format!("{}%", fixed(f * 100.0, prec.unwrap_or(6))),
        (Some('g'), Some(f)) => {
            let p = prec.unwrap_or(6).max(1);
            let exp = if f == 0.0 {
                0
            } else {
                f.abs().log10().floor() as i32
            };
            if exp < -4 || exp >= p as i32 {
                let s = sci(f, p - 1);
                trim_g(&s)
            } else {
                let s = fixed(f, (p as i64 - 1 - exp as i64).max(0) as usize);
                trim_g(&s)
            }
        }
        (None, Some(f)) if prec.is_some() && !matches!(v, Value::Str(_)) => {
            fixed(f, prec.unwrap_or(6))
        }
        (Some('s') | None, _) => {
            let s = super::display::to_str(v);
            match prec {
                Some(p) => s.chars().take(p).collect(),
                None => s,
            }
        }
        (Some(t), _) => {
            return Err(RaskError::value(format!(
                "unknown format code '{}' for object of type '{}'",
                t,
                v.type_name()
            )))
        }
    };
    let radix = matches!(ty, Some('x' | 'X' | 'o' | 'b'));
    if (comma || underscore) && !radix {
        let (int_part, frac) = match text.find('.') {
            Some(i) => (text[..i].to_string(), text[i..].to_string()),
            None => (text.clone(), String::new()),
        };
        let (sign, digits) = match int_part.strip_prefix('-') {
            Some(d) => ("-", d.to_string()),
            None => ("", int_part),
        };
        let sep = if comma { ',' } else { '_' };
        text = format!("{}{}{}", sign, group_by(&digits, 3, sep), frac);
    }
    let non_negative = num.map(|f| f >= 0.0 || f.is_nan()).unwrap_or(false)
        && !matches!(v, Value::Str(_))
        && !text.starts_with('-');
    if sign_plus && non_negative {
        text = format!("+{}", text);
    } else if sign_space && non_negative {
        text = format!(" {}", text);
    }
    let len = text.chars().count();
    if len >= width {
        return Ok(text);
    }
    let pad = width - len;
    let default_align = if num.is_some() && !matches!(v, Value::Str(_)) {
        '>'
    } else {
        '<'
    };
    let fill_s = |n: usize| fill.to_string().repeat(n);
    Ok(match align.unwrap_or(default_align) {
        '<' => format!("{}{}", text, fill_s(pad)),
        '^' => format!("{}{}{}", fill_s(pad / 2), text, fill_s(pad - pad / 2)),
        '=' => {
            let (sign, digits) = if text.starts_with(['-', '+']) {
                text.split_at(1)
            } else {
                ("", text.as_str())
            };
            format!("{}{}{}", sign, fill_s(pad), digits)
        }
        _ => format!("{}{}", fill_s(pad), text),
    })
}

fn trim_g(s: &str) -> String {
    match s.split_once('e') {
        Some((m, e)) => {
            let m = if m.contains('.') {
                m.trim_end_matches('0').trim_end_matches('.')
            } else {
                m
            };
            format!("{}e{}", m, e)
        }
        None => {
            if s.contains('.') {
                s.trim_end_matches('0').trim_end_matches('.').to_string()
            } else {
                s.to_string()
            }
        }
    }
}

/// `digits` with `sep` between groups of `n` from the right.
fn group_by(digits: &str, n: usize, sep: char) -> String {
    let cs: Vec<char> = digits.chars().collect();
    let mut out = String::new();
    for (i, c) in cs.iter().enumerate() {
        if i > 0 && (cs.len() - i).is_multiple_of(n) {
            out.push(sep);
        }
        out.push(*c);
    }
    out
}
