//! This kernel's history: each cell run with `store_history`, by execution count, with
//! what it showed; `history_request` reads it (tail, range, glob search). One session,
//! numbered 1: history does not outlive the kernel.

use serde_json::{json, Value};

pub const SESSION: i64 = 1;

#[derive(Default)]
pub struct History {
    /// (execution count, input, output)
    entries: Vec<(u64, String, String)>,
}

impl History {
    pub fn push(&mut self, line: u64, input: &str, output: &str) {
        self.entries
            .push((line, input.to_string(), output.to_string()));
    }

    /// The content of `history_reply` for a `history_request`'s content.
    pub fn reply(&self, req: &Value) -> Value {
        let output = req["output"].as_bool().unwrap_or(false);
        let n = req["n"].as_u64().map(|n| n as usize);
        let picked: Vec<&(u64, String, String)> = match req["hist_access_type"].as_str() {
            Some("tail") => last(self.entries.iter().collect(), n),
            Some("search") => {
                let pattern = req["pattern"].as_str().unwrap_or("*");
                let mut hits: Vec<&(u64, String, String)> = self
                    .entries
                    .iter()
                    .filter(|(_, input, _)| glob(pattern.as_bytes(), input.as_bytes()))
                    .collect();
                if req["unique"].as_bool().unwrap_or(false) {
                    // the latest run of each input
                    let mut seen = std::collections::HashSet::new();
                    hits.reverse();
                    hits.retain(|(_, input, _)| seen.insert(input.as_str()));
                    hits.reverse();
                }
                last(hits, n)
            }
            // "range": this session's lines start <= line < stop
            _ => {
                let session = req["session"].as_i64().unwrap_or(0);
                if session != 0 && session != SESSION {
                    Vec::new()
                } else {
                    let start = req["start"].as_u64().unwrap_or(0);
                    let stop = req["stop"].as_u64().unwrap_or(u64::MAX);
                    self.entries
                        .iter()
                        .filter(|(line, _, _)| (start..stop).contains(line))
                        .collect()
                }
            }
        };
        let history: Vec<Value> = picked
            .into_iter()
            .map(|(line, input, out)| {
                if output {
                    json!([SESSION, line, [input, out]])
                } else {
                    json!([SESSION, line, input])
                }
            })
            .collect();
        json!({ "status": "ok", "history": history })
    }
}

fn last<T>(mut v: Vec<T>, n: Option<usize>) -> Vec<T> {
    if let Some(n) = n {
        let drop = v.len().saturating_sub(n);
        v.drain(..drop);
    }
    v
}

/// A glob over the whole text (as IPython's history search): `*` any run, `?` one
/// character; everything else literal.
fn glob(p: &[u8], s: &[u8]) -> bool {
    let (mut pi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        match p.get(pi) {
            Some(b'*') => {
                star = Some((pi, si));
                pi += 1;
            }
            Some(&c) if c == b'?' || c == s[si] => {
                pi += 1;
                si += 1;
            }
            _ => match star {
                Some((sp, ss)) => {
                    pi = sp + 1;
                    si = ss + 1;
                    star = Some((sp, ss + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob(b"1?2*", b"1+2"));
        assert!(glob(b"*sum*", b"x.sum().compute()"));
        assert!(!glob(b"a*", b"ba"));
        assert!(glob(b"*", b""));
    }

    #[test]
    fn tail_range_search() {
        let mut h = History::default();
        h.push(1, "a = 1", "");
        h.push(2, "a + 1", "2\n");
        h.push(3, "a + 1", "2\n");
        let r = h.reply(&json!({"hist_access_type": "tail", "n": 2, "output": true}));
        assert_eq!(
            r["history"],
            json!([[1, 2, ["a + 1", "2\n"]], [1, 3, ["a + 1", "2\n"]]])
        );
        let r = h.reply(&json!({"hist_access_type": "range", "session": 1, "start": 1, "stop": 2}));
        assert_eq!(r["history"], json!([[1, 1, "a = 1"]]));
        let r = h.reply(&json!({"hist_access_type": "search", "pattern": "a +*", "unique": true}));
        assert_eq!(r["history"], json!([[1, 3, "a + 1"]]));
    }
}
