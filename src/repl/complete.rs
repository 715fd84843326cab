//! Tab completion: bound names and builtins, members after `.`, file paths in strings.

use crate::session::builtins::global_names;
use crate::session::help::all_docs;
use rustyline::completion::{Completer, FilenameCompleter, Pair};
use rustyline::Context;
use std::cell::RefCell;
use std::rc::Rc;

/// What the completer knows of the session: each bound name and its kind
/// (`Array`, `ndarray`, `dict`, …), refreshed after every entry.
pub type Names = Rc<RefCell<Vec<(String, String)>>>;

pub struct RaskCompleter {
    pub names: Names,
    files: FilenameCompleter,
}

const KEYWORDS: &[&str] = &[
    "lambda", "def", "assert", "not", "and", "or", "in", "if", "else", "for", "return", "import",
    "True", "False", "None",
];

impl RaskCompleter {
    pub fn new(names: Names) -> Self {
        RaskCompleter {
            names,
            files: FilenameCompleter::new(),
        }
    }

    /// Members of `prefix` (a namespace or a bound name) starting with `partial`.
    pub fn members(&self, prefix: &str, partial: &str) -> Vec<String> {
        let kind = self
            .names
            .borrow()
            .iter()
            .find(|(n, _)| n == prefix)
            .map(|(_, k)| k.clone());
        // documented members, plus the namespaces' own method and attribute tables
        use crate::array::{da_api, np_api};
        use crate::session::builtins::{lazy::GENERIC_METHODS, methods};
        use crate::value::mutate;
        // lazy frames and series: their methods and attributes from the registry
        let frame_registry = matches!(kind.as_deref(), Some("dd.DataFrame") | Some("dd.Series"));
        let (doc_prefix, tables): (String, Vec<&[&str]>) = match kind.as_deref() {
            _ if frame_registry => ("".into(), vec![GENERIC_METHODS]),
            Some("Array") => (
                "Array.".into(),
                vec![GENERIC_METHODS, da_api::METHODS, da_api::ATTRS],
            ),
            Some("ndarray") => ("ndarray.".into(), vec![np_api::METHODS, np_api::ATTRS]),
            Some("str") => ("".into(), vec![methods::STR_METHODS]),
            Some("dict") => (
                "".into(),
                vec![methods::DICT_METHODS, mutate::DICT_MUTATORS],
            ),
            Some("list") => (
                "".into(),
                vec![methods::LIST_METHODS, mutate::LIST_MUTATORS],
            ),
            Some("tuple") => ("".into(), vec![methods::LIST_METHODS]),
            Some("set") => ("".into(), vec![methods::SET_METHODS, mutate::SET_MUTATORS]),
            Some(other) => (format!("{}.", other), vec![]),
            None => (format!("{}.", prefix), vec![]),
        };
        let mut out: Vec<String> = Vec::new();
        if !doc_prefix.is_empty() {
            for d in all_docs() {
                if let Some(rest) = d.name.strip_prefix(doc_prefix.as_str()) {
                    // only the next path segment: `da.` offers `random`, not `random.normal`
                    let seg = rest.split('.').next().unwrap_or(rest);
                    if seg.starts_with(partial) {
                        out.push(seg.to_string());
                    }
                }
            }
        }
        let registered = frame_registry
            .then(|| crate::frame::lazy::entries::METHODS.names())
            .into_iter()
            .flatten();
        for e in tables.into_iter().flatten().copied().chain(registered) {
            if e.starts_with(partial) {
                out.push(e.to_string());
            }
        }
        out.sort();
        out.dedup();
        out
    }

    pub fn names_starting(&self, partial: &str) -> Vec<String> {
        let mut out: Vec<String> = self
            .names
            .borrow()
            .iter()
            .map(|(n, _)| n.clone())
            .chain(global_names().map(|s| s.to_string()))
            .chain(KEYWORDS.iter().map(|s| s.to_string()))
            .filter(|n| n.starts_with(partial))
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

/// Is byte offset `pos` inside a string literal on this line?
fn in_string(line: &str, pos: usize) -> Option<usize> {
    let mut quote: Option<(char, usize)> = None;
    let mut escaped = false;
    for (i, c) in line[..pos].char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match (c, quote) {
            ('\\', Some(_)) => escaped = true,
            ('"' | '\'', None) => quote = Some((c, i + 1)),
            (q, Some((open, _))) if q == open => quote = None,
            ('#', None) => return None,
            _ => {}
        }
    }
    quote.map(|(_, start)| start)
}

impl Completer for RaskCompleter {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        if in_string(line, pos).is_some() {
            return self.files.complete(line, pos, ctx);
        }
        let before = &line[..pos];
        let start = before
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
            .map(|i| i + 1)
            .unwrap_or(0);
        let word = &before[start..];
        let pairs = |v: Vec<String>| {
            v.into_iter()
                .map(|s| Pair {
                    display: s.clone(),
                    replacement: s,
                })
                .collect()
        };
        if let Some(dot) = word.rfind('.') {
            let prefix = &word[..dot];
            let partial = &word[dot + 1..];
            return Ok((start + dot + 1, pairs(self.members(prefix, partial))));
        }
        Ok((start, pairs(self.names_starting(word))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_strings() {
        assert!(in_string("f = h5py.File('da", 17).is_some());
        assert!(in_string("x = 'a' + b", 11).is_none());
    }

    #[test]
    fn completes_names_and_members() {
        let names: Names = Rc::new(RefCell::new(vec![("xs".into(), "Array".into())]));
        let c = RaskCompleter::new(names);
        assert!(c.names_starting("x").contains(&"xs".to_string()));
        assert!(c.members("xs", "comp").contains(&"compute".to_string()));
        assert!(c.members("da", "ara").contains(&"arange".to_string()));
        assert!(c.members("da", "rand").contains(&"random".to_string()));
    }

    #[test]
    fn completes_the_changing_methods_of_lists_dicts_and_sets() {
        let names: Names = Rc::new(RefCell::new(vec![
            ("xs".into(), "list".into()),
            ("d".into(), "dict".into()),
            ("s".into(), "set".into()),
            ("t".into(), "tuple".into()),
        ]));
        let c = RaskCompleter::new(names);
        assert_eq!(c.members("xs", "app"), ["append"]);
        assert!(c.members("d", "set").contains(&"setdefault".to_string()));
        assert!(c.members("s", "").contains(&"add".to_string()));
        assert!(c.members("s", "").contains(&"union".to_string()));
        assert!(!c.members("t", "").contains(&"append".to_string()));
    }

    #[test]
    fn completes_frame_methods_from_the_registry() {
        let names: Names = Rc::new(RefCell::new(vec![
            ("df".into(), "dd.DataFrame".into()),
            ("s".into(), "dd.Series".into()),
        ]));
        let c = RaskCompleter::new(names);
        assert_eq!(c.members("df", "set_"), ["set_index", "set_partition"]);
        assert_eq!(c.members("df", "npart"), ["npartitions"]);
        assert!(c
            .members("s", "value_")
            .contains(&"value_counts".to_string()));
        assert!(c.members("df", "comp").contains(&"compute".to_string()));
        // every method the registry dispatches is offered
        for m in crate::frame::lazy::entries::METHODS.methods {
            assert!(
                c.members("df", "").contains(&m.name().to_string()),
                "{}",
                m.name()
            );
        }
    }
}
