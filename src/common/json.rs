//! JSON decoding straight into `Value`, without serde_json's intermediate tree: one pass
//! over the bytes, object keys interned per parser (every record of a file shares its
//! `"name"` and `"amount"` strings). `field` reads one top-level key of an object and
//! skips the rest of the text without building it, for `map(json.loads).pluck("name")`.

use crate::value::value::Value;
use std::sync::Arc;

mod shape;

/// Where and why a JSON text is malformed (Python's `json.JSONDecodeError` wording).
#[derive(Debug, Clone)]
pub struct JsonError {
    pub pos: usize,
    pub msg: String,
}

impl JsonError {
    /// `Expecting value: column 5 (char 4)` for a one-line text.
    pub fn describe(&self) -> String {
        format!("{}: column {} (char {})", self.msg, self.pos + 1, self.pos)
    }
}

type R<T> = std::result::Result<T, JsonError>;

/// What `Parser::project` decodes of a field: all of it, or, of a list, only some
/// fields of each object element, or only aggregates of a list computed while scanning
/// it (each stored in the record under its own name instead of the field).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Need {
    Whole,
    Each(Vec<(String, Need)>),
    Derive(Vec<(String, Agg)>),
}

/// An aggregate of a list field the scanner computes without building the list.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum Agg {
    /// `len(list)`.
    Len,
    /// `sum(e[field] for e in list)` when every element is an object whose `field` is
    /// an integer and the total fits in an i64.
    SumOf(String),
}

/// A reusable decoder: keeps the interned keys between lines.
#[derive(Default)]
pub struct Parser {
    keys: Vec<(Box<[u8]>, Arc<str>)>,
}

const MAX_INTERNED: usize = 64;
/// Most keys a projection decodes of one object (they are tracked in a bit mask);
/// more, and the record is decoded whole.
pub const MAX_WANTED: usize = 63;
const MAX_DEPTH: usize = 512;

struct Cur<'a> {
    b: &'a [u8],
    i: usize,
    depth: usize,
}

fn err<T>(pos: usize, msg: &str) -> R<T> {
    Err(JsonError {
        pos,
        msg: msg.to_string(),
    })
}

impl<'a> Cur<'a> {
    #[inline]
    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }
    #[inline]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    /// Past white space to an object key's opening quote (left in place).
    #[inline]
    fn key_start(&mut self) -> R<()> {
        self.ws();
        if self.peek() != Some(b'"') {
            return err(self.i, "Expecting property name enclosed in double quotes");
        }
        Ok(())
    }
    /// Past the `:` after an object key, and the white space around it.
    #[inline]
    fn colon(&mut self) -> R<()> {
        self.ws();
        if self.peek() != Some(b':') {
            return err(self.i, "Expecting ':' delimiter");
        }
        self.i += 1;
        self.ws();
        Ok(())
    }
    fn lit(&mut self, word: &[u8]) -> bool {
        if self.b[self.i..].starts_with(word) {
            self.i += word.len();
            true
        } else {
            false
        }
    }
}

impl Parser {
    pub fn new() -> Parser {
        Parser::default()
    }

    /// Decode one JSON text (surrounding whitespace allowed).
    pub fn parse(&mut self, text: &[u8]) -> R<Value> {
        let mut c = Cur {
            b: text,
            i: 0,
            depth: 0,
        };
        c.ws();
        let v = self.value(&mut c)?;
        c.ws();
        if c.i < text.len() {
            return err(c.i, "Extra data");
        }
        Ok(v)
    }

    /// The value of top-level key `key` of a JSON object text, decoding nothing else;
    /// `Ok(None)` when the object has no such key. The text must be an object.
    pub fn field(&mut self, text: &[u8], key: &str) -> R<Option<Value>> {
        let mut c = Cur {
            b: text,
            i: 0,
            depth: 0,
        };
        c.ws();
        if c.peek() != Some(b'{') {
            if c.i >= text.len() {
                return err(c.i, "Expecting value");
            }
            // not an object: decode it fully so the caller can say what it was
            return err(c.i, "Expecting an object");
        }
        c.i += 1;
        c.ws();
        if c.peek() == Some(b'}') {
            c.i += 1;
            return self.finish_field(c, None);
        }
        let mut found = None;
        loop {
            c.key_start()?;
            let start = c.i + 1;
            let matched = if let Some(end) = simple_string_end(text, start) {
                c.i = end + 1;
                &text[start..end] == key.as_bytes()
            } else {
                let k = string(&mut c)?;
                k == key
            };
            c.colon()?;
            if matched && found.is_none() {
                found = Some(self.value(&mut c)?);
            } else {
                skip(&mut c)?;
            }
            c.ws();
            match c.peek() {
                Some(b',') => c.i += 1,
                Some(b'}') => {
                    c.i += 1;
                    break;
                }
                _ => return err(c.i, "Expecting ',' delimiter"),
            }
        }
        self.finish_field(c, found)
    }

    /// The object with only the keys in `wanted` decoded (in the record's order; a list
    /// field marked `Each` has its object elements projected the same way), the rest
    /// skipped; `Ok(None)` when a wanted top-level key is missing. The text must be an
    /// object.
    pub fn project(&mut self, text: &[u8], wanted: &[(String, Need)]) -> R<Option<Value>> {
        let mut c = Cur {
            b: text,
            i: 0,
            depth: 0,
        };
        c.ws();
        // None may leave the cursor inside the text: the caller decodes it whole
        let Some(v) = self.project_object(&mut c, wanted)? else {
            return Ok(None);
        };
        c.ws();
        if c.i < text.len() {
            return err(c.i, "Extra data");
        }
        Ok(Some(v))
    }

    fn project_object(&mut self, c: &mut Cur, wanted: &[(String, Need)]) -> R<Option<Value>> {
        if wanted.len() > MAX_WANTED {
            return Ok(None);
        }
        if c.peek() != Some(b'{') {
            return err(c.i, "Expecting an object");
        }
        c.i += 1;
        let mut items: Vec<(Value, Value)> = Vec::with_capacity(wanted.len());
        // which wanted keys were seen (a Derive stores other names than its key)
        let mut seen = 0u64;
        c.ws();
        if c.peek() == Some(b'}') {
            c.i += 1;
        } else {
            loop {
                c.key_start()?;
                let k = self.key(c)?;
                c.colon()?;
                match wanted.iter().position(|(w, _)| **w == *k) {
                    Some(j) if matches!(wanted[j].1, Need::Derive(_)) => {
                        let Need::Derive(aggs) = &wanted[j].1 else {
                            unreachable!("matched above")
                        };
                        // a value the aggregates do not fit: the caller decodes whole
                        let Some(vals) = derive(c, aggs)? else {
                            return Ok(None);
                        };
                        seen |= 1 << j;
                        for ((name, _), v) in aggs.iter().zip(vals) {
                            let name = Value::Str(self.intern(name));
                            match items
                                .iter_mut()
                                .find(|(k2, _)| matches!((k2, &name), (Value::Str(a), Value::Str(b)) if a == b))
                            {
                                Some(slot) => slot.1 = Value::Int(v),
                                None => items.push((name, Value::Int(v))),
                            }
                        }
                    }
                    Some(j) => {
                        seen |= 1 << j;
                        let v = self.project_value(c, &wanted[j].1)?;
                        match items
                            .iter_mut()
                            .find(|(k2, _)| matches!(k2, Value::Str(s) if *s == k))
                        {
                            Some(slot) => slot.1 = v,
                            None => items.push((Value::Str(k), v)),
                        }
                    }
                    None => skip(c)?,
                }
                c.ws();
                match c.peek() {
                    Some(b',') => c.i += 1,
                    Some(b'}') => {
                        c.i += 1;
                        break;
                    }
                    _ => return err(c.i, "Expecting ',' delimiter"),
                }
            }
        }
        if seen != (1u64 << wanted.len()) - 1 {
            return Ok(None);
        }
        Ok(Some(Value::dict(items)))
    }

    fn project_value(&mut self, c: &mut Cur, need: &Need) -> R<Value> {
        let sub = match need {
            Need::Each(sub) if c.peek() == Some(b'[') => sub,
            _ => return self.value(c),
        };
        c.i += 1;
        let mut items = Vec::new();
        c.ws();
        if c.peek() == Some(b']') {
            c.i += 1;
            return Ok(Value::list(items));
        }
        loop {
            c.ws();
            let start = c.i;
            let v = if c.peek() == Some(b'{') {
                match self.project_object(c, sub)? {
                    Some(v) => v,
                    None => {
                        // an element lacks a field: decode it whole
                        c.i = start;
                        self.value(c)?
                    }
                }
            } else {
                self.value(c)?
            };
            items.push(v);
            c.ws();
            match c.peek() {
                Some(b',') => c.i += 1,
                Some(b']') => {
                    c.i += 1;
                    break;
                }
                _ => return err(c.i, "Expecting ',' delimiter"),
            }
        }
        Ok(Value::list(items))
    }

    fn finish_field(&self, mut c: Cur, found: Option<Value>) -> R<Option<Value>> {
        c.ws();
        if c.i < c.b.len() {
            return err(c.i, "Extra data");
        }
        Ok(found)
    }

    /// The shared string for `name` (the names aggregates are stored under).
    fn intern(&mut self, name: &str) -> Arc<str> {
        if let Some((_, s)) = self.keys.iter().find(|(k, _)| &**k == name.as_bytes()) {
            return s.clone();
        }
        let s: Arc<str> = Arc::from(name);
        if self.keys.len() < MAX_INTERNED {
            self.keys.push((name.as_bytes().into(), s.clone()));
        }
        s
    }

    fn key(&mut self, c: &mut Cur) -> R<Arc<str>> {
        let start = c.i + 1;
        if let Some(end) = short_string_end(c.b, start) {
            let raw = &c.b[start..end];
            c.i = end + 1;
            if let Some((_, s)) = self.keys.iter().find(|(k, _)| &**k == raw) {
                return Ok(s.clone());
            }
            let s: Arc<str> = match std::str::from_utf8(raw) {
                Ok(s) => Arc::from(s),
                Err(_) => return err(start, "Invalid UTF-8 in string"),
            };
            if self.keys.len() < MAX_INTERNED {
                self.keys.push((raw.into(), s.clone()));
            }
            return Ok(s);
        }
        Ok(Arc::from(string(c)?))
    }

    fn value(&mut self, c: &mut Cur) -> R<Value> {
        match c.peek() {
            None => err(c.i, "Expecting value"),
            Some(b'{') => {
                c.depth += 1;
                if c.depth > MAX_DEPTH {
                    return err(c.i, "Nesting too deep");
                }
                c.i += 1;
                let mut items: Vec<(Value, Value)> = Vec::new();
                c.ws();
                if c.peek() == Some(b'}') {
                    c.i += 1;
                    c.depth -= 1;
                    return Ok(Value::dict(items));
                }
                loop {
                    c.key_start()?;
                    let k = self.key(c)?;
                    c.colon()?;
                    let v = self.value(c)?;
                    // a repeated key keeps the last value, as Python's dict does
                    match items
                        .iter_mut()
                        .find(|(k2, _)| matches!(k2, Value::Str(s) if *s == k))
                    {
                        Some(slot) => slot.1 = v,
                        None => items.push((Value::Str(k), v)),
                    }
                    c.ws();
                    match c.peek() {
                        Some(b',') => c.i += 1,
                        Some(b'}') => {
                            c.i += 1;
                            break;
                        }
                        _ => return err(c.i, "Expecting ',' delimiter"),
                    }
                }
                c.depth -= 1;
                Ok(Value::dict(items))
            }
            Some(b'[') => {
                c.depth += 1;
                if c.depth > MAX_DEPTH {
                    return err(c.i, "Nesting too deep");
                }
                c.i += 1;
                let mut items = Vec::new();
                c.ws();
                if c.peek() == Some(b']') {
                    c.i += 1;
                    c.depth -= 1;
                    return Ok(Value::list(items));
                }
                loop {
                    c.ws();
                    items.push(self.value(c)?);
                    c.ws();
                    match c.peek() {
                        Some(b',') => c.i += 1,
                        Some(b']') => {
                            c.i += 1;
                            break;
                        }
                        _ => return err(c.i, "Expecting ',' delimiter"),
                    }
                }
                c.depth -= 1;
                Ok(Value::list(items))
            }
            Some(b'"') => Ok(Value::Str(Arc::from(string(c)?))),
            Some(b't') if c.lit(b"true") => Ok(Value::Bool(true)),
            Some(b'f') if c.lit(b"false") => Ok(Value::Bool(false)),
            Some(b'n') if c.lit(b"null") => Ok(Value::None),
            Some(b'N') if c.lit(b"NaN") => Ok(Value::Float(f64::NAN)),
            Some(b'I') if c.lit(b"Infinity") => Ok(Value::Float(f64::INFINITY)),
            Some(b'-') if c.b[c.i..].starts_with(b"-Infinity") => {
                c.i += 9;
                Ok(Value::Float(f64::NEG_INFINITY))
            }
            Some(b'-' | b'0'..=b'9') => number(c),
            Some(_) => err(c.i, "Expecting value"),
        }
    }
}

/// The aggregates `aggs` of the list at `c.i`, scanned without building it; `Ok(None)`
/// when the value is not a list or an element does not fit an aggregate (not an
/// object, the field missing or not an integer, a sum overflowing), so the caller can
/// decode the record whole and let the function meet that element itself. Malformed
/// JSON is an error.
fn derive(c: &mut Cur, aggs: &[(String, Agg)]) -> R<Option<Vec<i64>>> {
    if c.peek() != Some(b'[') {
        skip(c)?;
        return Ok(None);
    }
    let fields: Vec<&[u8]> = aggs
        .iter()
        .filter_map(|(_, a)| match a {
            Agg::SumOf(f) => Some(f.as_bytes()),
            Agg::Len => None,
        })
        .collect();
    let mut sums = vec![0i64; fields.len()];
    let mut elem: Vec<Option<i64>> = vec![None; fields.len()];
    let mut count = 0i64;
    // the elements' common byte shape, once one has been scanned (see `shape`)
    let mut known: Option<shape::Shape> = None;
    let mut spans: Vec<shape::Span> = Vec::new();
    c.i += 1;
    c.ws();
    if c.peek() == Some(b']') {
        c.i += 1;
    } else {
        loop {
            c.ws();
            let mut after = false;
            if let Some(k) = &known {
                match k.run(c, &mut sums, &mut count) {
                    // a separator that matched may end before white space the
                    // element's own shape does not start with
                    shape::Run::Other => c.ws(),
                    shape::Run::After => after = true,
                    shape::Run::Overflow => return Ok(None),
                }
            }
            if !after {
                count += 1;
                // a counted element that is not an object is skipped: only sums read fields
                if fields.is_empty() && c.peek() != Some(b'{') {
                    skip(c)?;
                } else {
                    // matching a known shape also beats skipping a small object to count it
                    let start = c.i;
                    spans.clear();
                    if !sum_fields(c, &fields, &mut elem, &mut spans)? {
                        return Ok(None);
                    }
                    known = shape::Shape::learn(c.b, start, c.i, &spans, fields.len());
                    for (acc, v) in sums.iter_mut().zip(elem.iter()) {
                        match v.and_then(|v| acc.checked_add(v)) {
                            Some(t) => *acc = t,
                            None => return Ok(None),
                        }
                    }
                }
            }
            let end = c.i;
            c.ws();
            match c.peek() {
                Some(b',') => {
                    c.i += 1;
                    c.ws();
                    // the bytes between elements, for the shape's runs
                    if let Some(k) = known.as_mut().filter(|k| !k.has_sep()) {
                        k.learn_sep(&c.b[end..c.i]);
                    }
                }
                Some(b']') => {
                    c.i += 1;
                    break;
                }
                _ => return err(c.i, "Expecting ',' delimiter"),
            }
        }
    }
    let mut next_sum = sums.into_iter();
    Ok(Some(
        aggs.iter()
            .map(|(_, a)| match a {
                Agg::Len => count,
                Agg::SumOf(_) => next_sum.next().unwrap_or(0),
            })
            .collect(),
    ))
}

/// Read the integer values of `fields` of the object at `c.i` into `out` (the last
/// of a repeated key wins, as in a dict; None when missing). `Ok(false)` when the
/// element is not an object or a field's value is not an integer. `spans` gets where
/// each value was while every value is a short integer, and is emptied otherwise.
fn sum_fields(
    c: &mut Cur,
    fields: &[&[u8]],
    out: &mut [Option<i64>],
    spans: &mut Vec<shape::Span>,
) -> R<bool> {
    if c.peek() != Some(b'{') {
        return Ok(false);
    }
    // the element's values are recorded only while all of them are short integers
    let mut simple = true;
    out.iter_mut().for_each(|v| *v = None);
    c.i += 1;
    c.ws();
    if c.peek() == Some(b'}') {
        c.i += 1;
        return Ok(true);
    }
    loop {
        c.key_start()?;
        let start = c.i + 1;
        let mut j = fields.iter().position(|f| key_is(c.b, start, f));
        match j {
            Some(j) => c.i = start + fields[j].len() + 1,
            None => match short_string_end(c.b, start) {
                Some(end) => c.i = end + 1,
                // escapes: compare the decoded key
                None => {
                    let k = string(c)?;
                    j = fields.iter().position(|f| *f == k.as_bytes());
                }
            },
        }
        c.colon()?;
        let vstart = c.i;
        match small_int(c) {
            Some(v) => {
                if let Some(j) = j {
                    out[j] = Some(v);
                }
                if simple {
                    spans.push((vstart, c.i, j));
                }
            }
            None => {
                simple = false;
                match j {
                    Some(j) => match number(c) {
                        Ok(Value::Int(v)) => out[j] = Some(v),
                        // a float, a string, ...: not this aggregate's business
                        _ => return Ok(false),
                    },
                    None => skip(c)?,
                }
            }
        }
        c.ws();
        match c.peek() {
            Some(b',') => c.i += 1,
            Some(b'}') => {
                c.i += 1;
                if !simple {
                    spans.clear();
                }
                return Ok(true);
            }
            _ => return err(c.i, "Expecting ',' delimiter"),
        }
    }
}

/// Whether the string starting at `start` (after its quote) is exactly `f`, without
/// escapes: a byte loop, as keys are short.
#[inline]
fn key_is(b: &[u8], start: usize, f: &[u8]) -> bool {
    let end = start + f.len();
    end < b.len() && b[end] == b'"' && b[start..end].iter().zip(f).all(|(x, y)| x == y)
}

/// `simple_string_end` for the short strings of keys: eight bytes at a time in a
/// register beats a search call.
#[inline]
fn short_string_end(b: &[u8], start: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // high bit of each byte of w equal to c (exact for the lowest such byte)
    let has = |w: u64, c: u8| {
        let x = w ^ (ONES * c as u64);
        x.wrapping_sub(ONES) & !x & HIGH
    };
    let mut i = start;
    while i + 8 <= b.len() && i < start + 64 {
        let mut w = [0u8; 8];
        w.copy_from_slice(&b[i..i + 8]);
        let w = u64::from_le_bytes(w);
        let m = has(w, b'"') | has(w, b'\\');
        if m != 0 {
            let k = i + (m.trailing_zeros() / 8) as usize;
            return (b[k] == b'"').then_some(k);
        }
        i += 8;
    }
    simple_string_end(b, i.min(b.len()))
}

/// The index of the closing quote of a string starting at `start` (just after the
/// opening quote) when it holds no escapes; None when it has escapes or no end.
#[inline]
fn simple_string_end(b: &[u8], start: usize) -> Option<usize> {
    let rel = memchr::memchr2(b'"', b'\\', &b[start..])?;
    let end = start + rel;
    if b[end] == b'"' {
        Some(end)
    } else {
        None
    }
}

/// A short integer at `c.i` (up to 18 digits, no fraction or exponent), read without
/// overflow checks; None (cursor unmoved) for anything else, left to `number`.
#[inline(always)]
fn small_int(c: &mut Cur) -> Option<i64> {
    let b = c.b;
    let mut i = c.i;
    let neg = b.get(i) == Some(&b'-');
    if neg {
        i += 1;
    }
    if let Some(v) = eight_at_once(b, i) {
        let (v, n) = v?;
        c.i = i + n;
        return Some(if neg { -v } else { v });
    }
    let ds = i;
    let mut acc = 0i64;
    while i < b.len() && i - ds < 18 {
        let d = b[i].wrapping_sub(b'0');
        if d > 9 {
            break;
        }
        acc = acc * 10 + d as i64;
        i += 1;
    }
    let n = i - ds;
    if n == 0 || (b[ds] == b'0' && n > 1) {
        return None;
    }
    if i < b.len() && matches!(b[i], b'0'..=b'9' | b'.' | b'e' | b'E') {
        return None;
    }
    c.i = i;
    Some(if neg { -acc } else { acc })
}

/// `small_int`'s digits read from one eight-byte word when a non-digit ends them within
/// it (the common case: ids and amounts are short): Some(Some((value, digits))), or
/// Some(None) for what `small_int` refuses (no digits, a leading zero, a fraction or
/// exponent), or None when the word is all digits or the text too short (the byte loop
/// decides).
#[inline(always)]
fn eight_at_once(b: &[u8], i: usize) -> Option<Option<(i64, usize)>> {
    let w = u64::from_le_bytes(b.get(i..i + 8)?.try_into().ok()?);
    let n = digits_in(w);
    if n == 8 {
        return None;
    }
    if n == 0 || (b[i] == b'0' && n > 1) || matches!(b[i + n], b'.' | b'e' | b'E') {
        return Some(None);
    }
    Some(Some((digits_value(w, n) as i64, n)))
}

/// How many of the eight bytes of `w` (little-endian: its first byte lowest) are digits
/// before the first non-digit; 8 when all are. Digits become 0..=9 after the xor; adding
/// 0x76 sets the high bit of any byte above 9, and a byte with it set already keeps it (a
/// carry out of a byte >= 0x8A only disturbs the bytes after that non-digit). Short, as
/// where the next value starts waits on it.
#[inline(always)]
pub(super) fn digits_in(w: u64) -> usize {
    let t = w ^ 0x3030_3030_3030_3030;
    let non_digit = (t.wrapping_add(0x7676_7676_7676_7676) | t) & 0x8080_8080_8080_8080;
    (non_digit.trailing_zeros() / 8) as usize
}

/// The value of the first `n` (1..=8) digits of `w`: moved to the top bytes (zeros
/// below count as leading zeros), then combined pairwise: 2 digits per 16 bits, 4 per 32,
/// all 8.
#[inline(always)]
pub(super) fn digits_value(w: u64, n: usize) -> u64 {
    let mut v = (w << (8 * (8 - n))) & 0x0F0F_0F0F_0F0F_0F0F;
    v = v.wrapping_mul(2561) >> 8;
    v = (v & 0x00FF_00FF_00FF_00FF).wrapping_mul(6_553_601) >> 16;
    (v & 0x0000_FFFF_0000_FFFF).wrapping_mul(42_949_672_960_001) >> 32
}

fn number(c: &mut Cur) -> R<Value> {
    if let Some(v) = small_int(c) {
        return Ok(Value::Int(v));
    }
    let start = c.i;
    let b = c.b;
    let mut i = c.i;
    let neg = b[i] == b'-';
    if neg {
        i += 1;
    }
    let digits_start = i;
    let mut acc: i64 = 0;
    let mut overflow = false;
    while i < b.len() && b[i].is_ascii_digit() {
        let d = (b[i] - b'0') as i64;
        match acc.checked_mul(10).and_then(|x| x.checked_sub(d)) {
            Some(x) => acc = x,
            None => overflow = true,
        }
        i += 1;
    }
    if i == digits_start {
        return err(start, "Expecting value");
    }
    if b[digits_start] == b'0' && i - digits_start > 1 {
        return err(digits_start + 1, "Extra data");
    }
    let mut is_float = false;
    if i < b.len() && b[i] == b'.' {
        is_float = true;
        i += 1;
        let fs = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == fs {
            return err(start, "Expecting value");
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        is_float = true;
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let es = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == es {
            return err(start, "Expecting value");
        }
    }
    c.i = i;
    if !is_float && !overflow {
        // accumulated negatively so i64::MIN fits
        if neg {
            return Ok(Value::Int(acc));
        }
        if let Some(v) = acc.checked_neg() {
            return Ok(Value::Int(v));
        }
    }
    // SAFETY-free: the slice is ASCII digits and signs checked above
    let text = std::str::from_utf8(&b[start..i]).map_err(|_| JsonError {
        pos: start,
        msg: "Invalid number".into(),
    })?;
    if !is_float {
        // an integer past 64 bits stays exact, as Python's json gives it
        if let Some(v) = crate::value::bigint::parse(text) {
            return Ok(v);
        }
    }
    text.parse::<f64>()
        .map(Value::Float)
        .map_err(|_| JsonError {
            pos: start,
            msg: "Invalid number".into(),
        })
}

/// A string at `c.i` (the opening quote), escapes decoded.
fn string(c: &mut Cur) -> R<String> {
    let b = c.b;
    let open = c.i;
    let mut i = c.i + 1;
    let mut out: Vec<u8> = Vec::new();
    loop {
        let rel = match memchr::memchr2(b'"', b'\\', &b[i..]) {
            Some(r) => r,
            None => return err(open, "Unterminated string starting at"),
        };
        out.extend_from_slice(&b[i..i + rel]);
        i += rel;
        if b[i] == b'"' {
            c.i = i + 1;
            return String::from_utf8(out).map_err(|_| JsonError {
                pos: open,
                msg: "Invalid UTF-8 in string".into(),
            });
        }
        // an escape
        let e = match b.get(i + 1) {
            Some(e) => *e,
            None => return err(open, "Unterminated string starting at"),
        };
        i += 2;
        match e {
            b'"' => out.push(b'"'),
            b'\\' => out.push(b'\\'),
            b'/' => out.push(b'/'),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'u' => {
                let hi = hex4(b, i).ok_or(JsonError {
                    pos: i - 2,
                    msg: "Invalid \\uXXXX escape".into(),
                })?;
                i += 4;
                let cp = if (0xD800..0xDC00).contains(&hi)
                    && b.get(i) == Some(&b'\\')
                    && b.get(i + 1) == Some(&b'u')
                {
                    match hex4(b, i + 2) {
                        Some(lo) if (0xDC00..0xE000).contains(&lo) => {
                            i += 6;
                            0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                        }
                        _ => 0xFFFD,
                    }
                } else {
                    hi
                };
                let ch = char::from_u32(cp).unwrap_or('\u{FFFD}');
                let mut buf = [0u8; 4];
                out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
            }
            _ => return err(i - 2, "Invalid \\escape"),
        }
    }
}

fn hex4(b: &[u8], i: usize) -> Option<u32> {
    let s = b.get(i..i + 4)?;
    let s = std::str::from_utf8(s).ok()?;
    u32::from_str_radix(s, 16).ok()
}

/// Step over one value without building it.
fn skip(c: &mut Cur) -> R<()> {
    match c.peek() {
        Some(b'"') => {
            let start = c.i;
            let mut i = c.i + 1;
            loop {
                let rel = match memchr::memchr2(b'"', b'\\', &c.b[i..]) {
                    Some(r) => r,
                    None => return err(start, "Unterminated string starting at"),
                };
                i += rel;
                if c.b[i] == b'"' {
                    c.i = i + 1;
                    return Ok(());
                }
                i += 2;
                if i > c.b.len() {
                    return err(start, "Unterminated string starting at");
                }
            }
        }
        Some(b'{') | Some(b'[') => match super::json_skip::container_end(c.b, c.i) {
            Some(end) => {
                c.i = end;
                Ok(())
            }
            None => err(c.i, "Expecting ',' delimiter"),
        },
        _ => {
            // scalars: decode (cheap) to validate
            if small_int(c).is_some() {
                return Ok(());
            }
            let mut p = Parser { keys: Vec::new() };
            p.value(c).map(|_| ())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::display::repr;

    fn p(s: &str) -> String {
        repr(&Parser::new().parse(s.as_bytes()).expect("parse"))
    }

    #[test]
    fn decodes_records() {
        assert_eq!(
            p(
                r#"{"id": 0, "name": "Laura", "transactions": [{"transaction-id": 131, "amount": -483}]}"#
            ),
            "{'id': 0, 'name': 'Laura', 'transactions': [{'transaction-id': 131, 'amount': -483}]}"
        );
        assert_eq!(
            p("[1.5, 2e3, true, false, null, \"a\\\"b\\u00e9\"]"),
            "[1.5, 2000.0, True, False, None, 'a\"bé']"
        );
        assert_eq!(p("  -9223372036854775808 "), "-9223372036854775808");
        // past 64 bits an integer stays exact, as Python's json gives it
        assert_eq!(p("9223372036854775808"), "9223372036854775808");
        assert_eq!(
            p("-123456789012345678901234567890"),
            "-123456789012345678901234567890"
        );
        assert_eq!(p("\"\\ud83d\\ude00\""), "'😀'");
        assert_eq!(p("{}"), "{}");
        assert_eq!(p("[]"), "[]");
        // integers short enough for the unchecked path, and around it
        assert_eq!(
            p("[0, -0, 7, -123456789012345678, 1234567890123456789]"),
            "[0, 0, 7, -123456789012345678, 1234567890123456789]"
        );
        assert_eq!(p("[12.5, -3e2, 0.25]"), "[12.5, -300.0, 0.25]");
        for bad in ["01", "-", "-a", "1.", "1e", "--1"] {
            assert!(Parser::new().parse(bad.as_bytes()).is_err(), "{}", bad);
        }
    }

    #[test]
    fn errors_say_where() {
        let e = Parser::new().parse(b"{\"a\": 1,}").expect_err("bad");
        assert_eq!(e.msg, "Expecting property name enclosed in double quotes");
        assert_eq!(e.pos, 8);
        let e = Parser::new().parse(b"{\"a\" 1}").expect_err("bad");
        assert_eq!(e.msg, "Expecting ':' delimiter");
        assert!(Parser::new().parse(b"[1, 2").is_err());
        assert!(Parser::new().parse(b"\"abc").is_err());
        assert!(Parser::new().parse(b"1 2").is_err());
        assert!(Parser::new().parse(b"").is_err());
        assert!(Parser::new().parse(b"tru").is_err());
    }

    #[test]
    fn field_reads_one_key() {
        let line = br#"{"id": 3, "transactions": [{"a": "x]}"}, {"b": [1, {"c": 2}]}], "name": "Bob", "x": 1.5}"#;
        let mut ps = Parser::new();
        assert_eq!(
            repr(&ps.field(line, "name").expect("ok").expect("found")),
            "'Bob'"
        );
        assert_eq!(
            repr(&ps.field(line, "id").expect("ok").expect("found")),
            "3"
        );
        assert_eq!(
            repr(&ps.field(line, "transactions").expect("ok").expect("found")),
            "[{'a': 'x]}'}, {'b': [1, {'c': 2}]}]"
        );
        assert!(ps.field(line, "nope").expect("ok").is_none());
        assert!(ps.field(b"[1]", "a").is_err());
        assert!(ps.field(b"{\"a\": 1", "a").is_err());
        assert!(ps.field(b"{\"a\": 1} x", "a").is_err());
        assert!(ps.field(b"{\"a\": [1, 2}", "b").is_err());
        let want = vec![
            ("name".to_string(), Need::Whole),
            ("x".to_string(), Need::Whole),
        ];
        assert_eq!(
            repr(&ps.project(line, &want).expect("ok").expect("all")),
            "{'name': 'Bob', 'x': 1.5}"
        );
        assert!(ps
            .project(line, &[("nope".to_string(), Need::Whole)])
            .expect("ok")
            .is_none());
        let nested = vec![(
            "transactions".to_string(),
            Need::Each(vec![("b".to_string(), Need::Whole)]),
        )];
        assert_eq!(
            repr(&ps.project(line, &nested).expect("ok").expect("all")),
            "{'transactions': [{'a': 'x]}'}, {'b': [1, {'c': 2}]}]}"
        );
        assert!(ps.project(b"[1]", &want).is_err());
    }

    #[test]
    fn short_integers_read_eight_bytes_at_a_time() {
        // every length, sign and terminator against the byte loop's answer
        let mut cases: Vec<String> = Vec::new();
        for digits in [
            "0",
            "7",
            "10",
            "305",
            "4096",
            "99999",
            "123456",
            "7654321",
            "12345678",
            "123456789012",
        ] {
            for sign in ["", "-"] {
                for tail in [
                    ",",
                    "}",
                    " ",
                    "]",
                    ".5",
                    "e3",
                    "E1",
                    "x",
                    "",
                    ",,,,,,,,,,,,",
                ] {
                    cases.push(format!("{}{}{}", sign, digits, tail));
                }
            }
        }
        cases.extend(["-", "-x", "00", "01,", "-01,,,,,,,,", "0,,,,,,,,", "x1"].map(String::from));
        for t in &cases {
            let slow = {
                let b = t.as_bytes();
                let mut i = 0;
                let neg = b.first() == Some(&b'-');
                if neg {
                    i += 1;
                }
                let ds = i;
                while i < b.len() && b[i].is_ascii_digit() && i - ds < 18 {
                    i += 1;
                }
                let n = i - ds;
                let ok = n > 0
                    && !(b[ds] == b'0' && n > 1)
                    && !(i < b.len() && matches!(b[i], b'0'..=b'9' | b'.' | b'e' | b'E'));
                ok.then(|| {
                    let v: i64 = t[ds..i].parse().expect("digits");
                    (if neg { -v } else { v }, i)
                })
            };
            let mut c = Cur {
                b: t.as_bytes(),
                i: 0,
                depth: 0,
            };
            let fast = small_int(&mut c).map(|v| (v, c.i));
            assert_eq!(fast, slow, "{:?}", t);
            if fast.is_none() {
                assert_eq!(c.i, 0, "{:?}: cursor moved", t);
            }
        }
    }

    #[test]
    fn string_ends_found_eight_bytes_at_a_time() {
        for n in 0..80 {
            let body = "k".repeat(n);
            let plain = format!("\"{}\": 1", body);
            assert_eq!(short_string_end(plain.as_bytes(), 1), Some(n + 1), "{}", n);
            let esc = format!("\"{}\\\"x\": 1", body);
            assert_eq!(short_string_end(esc.as_bytes(), 1), None, "{}", n);
            let open = format!("\"{}", body);
            assert_eq!(short_string_end(open.as_bytes(), 1), None, "{}", n);
        }
        // a byte above the quote must not hide it
        assert_eq!(short_string_end(b"\"ab\"\xc3\xa9\"xx", 1), Some(3));
    }

    fn agg_need() -> Vec<(String, Need)> {
        vec![
            ("name".to_string(), Need::Whole),
            (
                "xs".to_string(),
                Need::Derive(vec![
                    ("n".to_string(), Agg::Len),
                    ("total".to_string(), Agg::SumOf("a".into())),
                ]),
            ),
        ]
    }

    fn agg(line: &str) -> Option<String> {
        Parser::new()
            .project(line.as_bytes(), &agg_need())
            .expect("well-formed")
            .map(|v| repr(&v))
    }

    /// Long lists whose elements mostly share one byte shape, with changes of shape,
    /// separator, sign and width part-way: the scanner's answer must be the one a full
    /// decode gives (or a fallback where the aggregate does not fit).
    #[test]
    fn aggregates_over_shapes_match_a_full_decode() {
        let mut seed = 7u64;
        let mut next = move |m: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % m
        };
        for case in 0..300 {
            let len = 1 + next(60) as usize;
            let mut elems = Vec::new();
            for _ in 0..len {
                let a = match next(10) {
                    0 => -(next(1000) as i64),
                    1 => next(100_000_000) as i64, // eight digits and more
                    _ => next(1000) as i64,
                };
                let t = next(200_000);
                elems.push(match next(if case % 3 == 0 { 12 } else { 40 }) {
                    0 => format!("{{\"t\":{},\"a\":{}}}", t, a),
                    1 => format!("{{\"a\": {}, \"t\": {}}}", a, t),
                    2 => format!("{{\"t\": {}, \"a\": {}, \"a\": {}}}", t, a, a + 1),
                    3 => format!("{{\"t\": {}}}", t),
                    4 => format!("{{\"t\": \"{}\", \"a\": {}}}", t, a),
                    5 => format!("{{\"t\": {}, \"a\": {}.5}}", t, a),
                    _ => format!("{{\"t\": {}, \"a\": {}}}", t, a),
                });
            }
            let mut line = String::from("{\"name\": \"Al\", \"xs\": [");
            for (i, e) in elems.iter().enumerate() {
                if i > 0 {
                    line.push_str(match next(20) {
                        0 => ",",
                        1 => " ,\n ",
                        _ => ", ",
                    });
                }
                line.push_str(e);
            }
            line.push_str("]}");
            // the answer from a full decode
            let full = Parser::new().parse(line.as_bytes()).expect("well-formed");
            let Value::Dict(d) = &full else { panic!() };
            let xs = d
                .read()
                .iter()
                .find(|(k, _)| repr(k) == "'xs'")
                .map(|(_, v)| v.clone());
            let Some(Value::List(xs)) = xs else { panic!() };
            let mut total = Some(0i64);
            for x in xs.read().iter() {
                let Value::Dict(e) = x else { panic!() };
                let a = e
                    .read()
                    .iter()
                    .rev()
                    .find(|(k, _)| repr(k) == "'a'")
                    .map(|(_, v)| v.clone());
                total = match (total, a) {
                    (Some(t), Some(Value::Int(v))) => t.checked_add(v),
                    _ => None,
                };
            }
            let want = total
                .map(|t| format!("{{'name': 'Al', 'n': {}, 'total': {}}}", xs.read().len(), t));
            assert_eq!(agg(&line), want, "case {}: {}", case, line);
        }
    }

    #[test]
    fn aggregates_scanned_without_building_the_list() {
        assert_eq!(
            agg(r#"{"id": 1, "xs": [{"t": 9, "a": -3}, {"a": 5, "s": "x]"}, {"a": 2, "b": [1, {"a": 7}]}], "name": "Al"}"#).as_deref(),
            Some("{'n': 3, 'total': 4, 'name': 'Al'}")
        );
        assert_eq!(
            agg(r#"{"name": "Al", "xs": []}"#).as_deref(),
            Some("{'name': 'Al', 'n': 0, 'total': 0}")
        );
        // a repeated key: the last value, as in a dict
        assert_eq!(
            agg(r#"{"name": "Al", "xs": [{"a": 1, "a": 10}]}"#).as_deref(),
            Some("{'name': 'Al', 'n': 1, 'total': 10}")
        );
        // what the aggregate does not fit: decoded whole by the caller
        for line in [
            r#"{"name": "Al", "xs": [{"a": 1}, {"b": 2}]}"#,
            r#"{"name": "Al", "xs": [{"a": 1}, {"a": null}]}"#,
            r#"{"name": "Al", "xs": [{"a": 1.5}]}"#,
            r#"{"name": "Al", "xs": [{"a": "1"}]}"#,
            r#"{"name": "Al", "xs": [{"a": {"v": 1}}]}"#,
            r#"{"name": "Al", "xs": [{"a": 1}, 3]}"#,
            r#"{"name": "Al", "xs": [{"a": 9223372036854775807}, {"a": 1}]}"#,
            r#"{"name": "Al", "xs": null}"#,
            r#"{"name": "Al", "xs": {"a": 1}}"#,
            r#"{"name": "Al"}"#,
            r#"{"xs": []}"#,
        ] {
            assert_eq!(agg(line), None, "{}", line);
        }
        // only a count: elements of any kind
        let len_only = vec![(
            "xs".to_string(),
            Need::Derive(vec![("n".to_string(), Agg::Len)]),
        )];
        assert_eq!(
            repr(
                &Parser::new()
                    .project(
                        br#"{"xs": [1, "a", null, [2, [3]], {"a": "]"}]}"#,
                        &len_only
                    )
                    .expect("ok")
                    .expect("fits")
            ),
            "{'n': 5}"
        );
        // malformed text is an error, not a fallback
        for line in [
            r#"{"name": "Al", "xs": [{"a": 1} {"a": 2}]}"#,
            r#"{"name": "Al", "xs": [{"a" 1}]}"#,
            r#"{"name": "Al", "xs": [{"a": 1}"#,
            r#"{"name": "Al", "xs": [{"a": 1}]} x"#,
        ] {
            assert!(
                Parser::new().project(line.as_bytes(), &agg_need()).is_err(),
                "{}",
                line
            );
        }
    }
}
