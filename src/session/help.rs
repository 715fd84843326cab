//! Documentation for every function and method: one table per namespace, used by
//! `help(name)` and `%help name`. Each entry's example runs as a test and must show
//! the entry's output.

use crate::errors::{RaskError, Result};
use crate::frame::lazy::LazyFrame;
pub use crate::value::help::FnDoc;
use crate::value::value::{Function, Value};
use std::sync::Arc;

/// Builtin functions of the core namespace.
pub const CORE_DOCS: &[FnDoc] = &[
    FnDoc {
        name: "len",
        signature: "len(obj)",
        summary: "Number of items; the first dimension of an array.",
        params: &[("obj", "a list, tuple, str, dict, range or array")],
        example: "len(da.arange(10, chunks=5))", output: "10\n",
    },
    FnDoc {
        name: "sum",
        signature: "sum(iterable, start=0)",
        summary: "Add up the items; on arrays, the lazy .sum().",
        params: &[
            (
                "iterable",
                "numbers, or a generator such as (x * 2 for x in xs)",
            ),
            ("start", "value to start from"),
        ],
        example: "sum(x * x for x in range(4))", output: "14\n",
    },
    FnDoc {
        name: "min",
        signature: "min(iterable, key=None, default=...)",
        summary: "Smallest item (or of several arguments).",
        params: &[("key", "function giving the value to compare")],
        example: "min([3, 1, 2])", output: "1\n",
    },
    FnDoc {
        name: "max",
        signature: "max(iterable, key=None, default=...)",
        summary: "Largest item (or of several arguments).",
        params: &[("key", "function giving the value to compare")],
        example: "max(['a', 'bcd', 'ef'], key=len)", output: "'bcd'\n",
    },
    FnDoc {
        name: "abs",
        signature: "abs(x)",
        summary: "Absolute value; elementwise and lazy on arrays.",
        params: &[("x", "a number or array")],
        example: "abs(-2.5)", output: "2.5\n",
    },
    FnDoc {
        name: "round",
        signature: "round(number, ndigits=None)",
        summary: "Round half to even, as Python does.",
        params: &[("ndigits", "digits after the point")],
        example: "round(2.675, 2)", output: "2.67\n",
    },
    FnDoc {
        name: "range",
        signature: "range(start=0, stop, step=1)",
        summary: "Integers from start up to (not including) stop.",
        params: &[("step", "may be negative")],
        example: "list(range(10, 0, -3))", output: "[10, 7, 4, 1]\n",
    },
    FnDoc {
        name: "sorted",
        signature: "sorted(iterable, key=None, reverse=False)",
        summary: "A new sorted list (stable).",
        params: &[
            ("key", "function giving the sort key"),
            ("reverse", "largest first"),
        ],
        example: "sorted([('b', 2), ('a', 3)], key=lambda t: t[1], reverse=True)", output: "[('a', 3), ('b', 2)]\n",
    },
    FnDoc {
        name: "list",
        signature: "list(iterable)",
        summary: "A list of the items.",
        params: &[],
        example: "list(range(3))", output: "[0, 1, 2]\n",
    },
    FnDoc {
        name: "dict",
        signature: "dict(pairs, **kw)",
        summary: "A dict from (key, value) pairs or keywords.",
        params: &[],
        example: "dict([('a', 1)], b=2)", output: "{'a': 1, 'b': 2}\n",
    },
    FnDoc {
        name: "str",
        signature: "str(obj)",
        summary: "Text form of a value.",
        params: &[],
        example: "str(1.5) + '!'", output: "'1.5!'\n",
    },
    FnDoc {
        name: "int",
        signature: "int(x)",
        summary: "Integer from a number (truncating) or text.",
        params: &[],
        example: "int('42') + int(2.9)", output: "44\n",
    },
    FnDoc {
        name: "float",
        signature: "float(x)",
        summary: "Float from a number or text.",
        params: &[],
        example: "float('1e3')", output: "1000.0\n",
    },
    FnDoc {
        name: "print",
        signature: "print(*values, sep=' ', end='\\n')",
        summary: "Print values as text.",
        params: &[("sep", "between values"), ("end", "after the last")],
        example: "print('total', 42, sep=': ')", output: "total: 42\n",
    },
    FnDoc {
        name: "reduce",
        signature: "reduce(function, iterable, initial=...)",
        summary: "Fold a two-argument function over the items.",
        params: &[("initial", "start value")],
        example: "reduce(lambda a, b: a * b, [1, 2, 3, 4])", output: "24\n",
    },
    FnDoc {
        name: "compute",
        signature: "compute(*values, scheduler='threads', progress=None, num_workers=None)",
        summary: "Compute several lazy values in one shared graph; returns a tuple.",
        params: &[
            ("scheduler", "\"sync\", \"threads\" or \"processes\""),
            ("progress", "False hides the progress bar"),
        ],
        example: "x = da.arange(10, chunks=5)\ncompute(x.sum(), x.mean(), scheduler=\"sync\")", output: "(45, 4.5)\n",
    },
    FnDoc {
        name: "visualize",
        signature: "visualize(*values, filename=None)",
        summary: "Draw the task graph of several values together.",
        params: &[("filename", ".dot, .svg or .png; none draws text")],
        example: "x = da.ones(4, chunks=2)\nvisualize(x + 1, x.sum())", output: "7 tasks in 4 layers, 3 outputs\n('add-39c9c2f8', 0)  add\n└─ ('ones-acfd0f7c', 0)  ones\n('add-39c9c2f8', 1)  add\n└─ ('ones-acfd0f7c', 1)  ones\n'sum-aggregate-dfc81f31'  sum-aggregate\n├─ ('sum-01aa48e9', 0)  sum-chunk\n│  └─ ('ones-acfd0f7c', 0)  ones\n└─ ('sum-01aa48e9', 1)  sum-chunk\n   └─ ('ones-acfd0f7c', 1)  ones\n",
    },
    FnDoc {
        name: "help",
        signature: "help(obj)",
        summary: "Usage, parameters and an example for a function or method.",
        params: &[("obj", "a function, method, namespace or a name as text")],
        example: "help(len)", output: "len(obj)\n    Number of items; the first dimension of an array.\nParameters:\n    obj          a list, tuple, str, dict, range or array\nExample:\n    len(da.arange(10, chunks=5))\nOutput:\n    10\n",
    },
    FnDoc {
        name: "json.loads",
        signature: "json.loads(s)",
        summary: "Parse JSON text into dicts, lists, numbers and strings.",
        params: &[("s", "JSON text")],
        example: "json.loads('{\"name\": \"Alice\", \"amount\": [1, 2]}')", output: "{'name': 'Alice', 'amount': [1, 2]}\n",
    },
    FnDoc {
        name: "json.dumps",
        signature: "json.dumps(obj, indent=None, sort_keys=False, ensure_ascii=True, separators=None, default=None, allow_nan=True, skipkeys=False)",
        summary: "JSON text of a value, laid out as Python's json module lays it out.",
        params: &[
            ("obj", "dict, list, tuple, str, number, bool or None"),
            ("indent", "spaces (or a string) per level: one item a line; None: one line"),
            ("sort_keys", "write each dict's keys in sorted order"),
            ("ensure_ascii", "escape non-ASCII characters as \\uXXXX"),
            ("separators", "(item_separator, key_separator); default (', ', ': '), (',', ': ') with an indent"),
            ("default", "a function giving a serializable value for any other object"),
            ("allow_nan", "write nan and inf as NaN, Infinity (else ValueError)"),
            ("skipkeys", "skip keys that are not str, int, float, bool or None"),
        ],
        example: "json.dumps({'a': [1, 2.5, None]})", output: "'{\"a\": [1, 2.5, null]}'\n",
    },
    FnDoc {
        name: "Array.compute",
        signature: "x.compute(scheduler='threads', progress=None, num_workers=None)",
        summary: "Run the graph and return the result in memory.",
        params: &[
            (
                "scheduler",
                "\"sync\" (one thread), \"threads\" (default) or \"processes\"",
            ),
            ("progress", "False hides the progress bar"),
            ("num_workers", "threads or processes to use"),
        ],
        example: "da.arange(10, chunks=5).sum().compute(scheduler=\"sync\")", output: "45\n",
    },
    FnDoc {
        name: "Array.visualize",
        signature: "x.visualize(filename=None)",
        summary: "Draw the task graph: text in the terminal, or a .dot/.svg/.png file.",
        params: &[("filename", "output file; the extension picks the format")],
        example: "(da.arange(6, chunks=3) ** 2).visualize()", output: "4 tasks in 2 layers, 2 outputs\n  arange (2 tasks) -> pow (2)\n('pow-73c36098', 0)  pow\n└─ ('arange-11292ef7', 0)  arange\n('pow-73c36098', 1)  pow\n└─ ('arange-11292ef7', 1)  arange\n",
    },
    FnDoc {
        name: "Array.keys",
        signature: "x.keys()",
        summary: "The task keys of the output chunks.",
        params: &[],
        example: "da.arange(6, chunks=3).keys()", output: "[('arange-11292ef7872c4b2e56de79b163555b02', 0), ('arange-11292ef7872c4b2e56de79b163555b02', 1)]\n",
    },
];

/// Every documentation table.
pub fn all_docs() -> Vec<&'static FnDoc> {
    let mut v: Vec<&'static FnDoc> = CORE_DOCS.iter().collect();
    v.extend(crate::array::da_api::DOCS.iter());
    v.extend(crate::array::zarr::DOCS.iter());
    v.extend(crate::array::np_api::DOCS.iter());
    v.extend(crate::h5py::api::DOCS.iter());
    v.push(&crate::data::random_array::DOC);
    v.extend(crate::bag::db_api::DOCS.iter());
    v.push(&crate::data::accounts::DOC);
    v.extend(crate::frame::docs::DOCS.iter());
    v.extend(crate::frame::lazy::entries::METHODS.docs());
    v.extend(crate::frame::lazy::from_bag::BAG_METHODS.docs());
    v.push(&crate::data::denormalize::DOC);
    v.push(&crate::data::nfs_synthetic::DOC);
    v
}

pub fn find_doc(name: &str) -> Option<&'static FnDoc> {
    all_docs().into_iter().find(|d| d.name == name)
}

pub fn render_doc(d: &FnDoc) -> String {
    let mut s = format!("{}\n    {}\n", d.signature, d.summary);
    if !d.params.is_empty() {
        s.push_str("Parameters:\n");
        for (p, what) in d.params {
            s.push_str(&format!("    {:<12} {}\n", p, what));
        }
    }
    s.push_str("Example:\n");
    for line in d.example.lines() {
        s.push_str(&format!("    {}\n", line));
    }
    if !d.output.is_empty() {
        s.push_str("Output:\n");
        for line in d.output.lines() {
            if !line.is_empty() {
                s.push_str("    ");
            }
            s.push_str(line);
            s.push('\n');
        }
    }
    s
}

/// `help(x)`: look the thing up by what it is.
pub fn help_for(v: Option<&Value>) -> Result<String> {
    let name = match v {
        None => return Ok(overview()),
        Some(Value::Str(s)) => s.to_string(),
        Some(Value::Func(f)) => match &**f {
            Function::Builtin { name } => name.clone(),
            Function::Method { receiver, name } => {
                if let Some(d) = method_doc(receiver, name) {
                    return Ok(render_doc(d));
                }
                format!("{}.{}", super::eval::qualifier(receiver), name)
            }
            Function::User { name, params, .. } => {
                let ps: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
                return Ok(format!(
                    "{}({}): a function defined in this session\n",
                    name,
                    ps.join(", ")
                ));
            }
        },
        Some(Value::Module(m)) if super::builtins::modules::owns(m) => {
            let names = super::builtins::modules::members_of(m);
            return Ok(format!(
                "module {}: {}\n",
                super::builtins::modules::python_name(m),
                names.join(", ")
            ));
        }
        Some(Value::Module(m)) => return Ok(namespace_listing(m)),
        Some(v) if let Some(f) = v.get::<Arc<LazyFrame>>() => {
            let docs = crate::frame::lazy::entries::METHODS.docs();
            return Ok(listing(f.type_name(), docs.collect()));
        }
        Some(other) => {
            let q = super::eval::qualifier(other);
            return Ok(namespace_listing(&q));
        }
    };
    match find_doc(&name) {
        Some(d) => Ok(render_doc(d)),
        // a function of a Python module rask provides (math.sqrt, os.path.join): it does
        // what Python's does
        None if let Some((ns, f)) = name
            .rsplit_once('.')
            .filter(|(ns, _)| super::builtins::modules::owns(ns)) =>
        {
            let m = super::builtins::modules::python_name(ns);
            Ok(format!(
                "{}.{}: does what it does in Python; help({}) lists the module\n",
                m, f, m
            ))
        }
        None => {
            let names: Vec<&str> = all_docs().iter().map(|d| d.name).collect();
            let mut e = RaskError::name(format!("no help for '{}'", name));
            if let Some(c) = crate::errors::closest(&name, names) {
                e = e.with_hint(format!("did you mean help({})?", c));
            }
            Err(e)
        }
    }
}

/// The help of a method of a collection whose methods are registry entries, by the
/// method's name (its documented name says `DataFrame.` for frames and series alike).
fn method_doc(receiver: &Value, name: &str) -> Option<&'static FnDoc> {
    match receiver {
        __v if let Some(_) = __v.get::<Arc<LazyFrame>>() => crate::frame::lazy::entries::METHODS
            .get(name)
            .map(|m| &m.doc),
        _ => None,
    }
}

fn namespace_listing(prefix: &str) -> String {
    let p = format!("{}.", prefix);
    let docs = all_docs()
        .into_iter()
        .filter(|d| d.name.starts_with(&p))
        .collect();
    listing(prefix, docs)
}

/// One line per function: its name and summary, sorted.
fn listing(title: &str, docs: Vec<&FnDoc>) -> String {
    let mut lines: Vec<String> = docs
        .iter()
        .map(|d| format!("  {:<28} {}", d.name, d.summary))
        .collect();
    lines.sort();
    if lines.is_empty() {
        return format!("no documented functions under '{}'\n", title);
    }
    format!("{}\n{}\n", title, lines.join("\n"))
}

fn overview() -> String {
    let mut s = String::from(
        "rask: lazy parallel arrays in a Python-like shell.\n\
         Namespaces: da (lazy arrays), np (eager arrays), h5py (HDF5 files), json.\n\
         help(da) lists a namespace; help(da.arange) or %help da.arange shows one function.\n\
         Commands:\n",
    );
    for c in super::commands::COMMANDS
        .iter()
        .chain(super::commands::CELL_COMMANDS)
    {
        s.push_str(&format!("  {:<16} {}\n", c.usage, c.description));
    }
    s
}

/// IPython's answer to a help query for a name that is not there.
pub fn not_found(name: &str) -> String {
    format!("Object `{}` not found.\n", name)
}

/// The name of an IPython help query, `name?`, `name??` or `?name`, if the entry is one.
pub fn help_query(code: &str) -> Option<&str> {
    let t = code.trim();
    let name = if let Some(n) = t.strip_suffix("??").or_else(|| t.strip_suffix('?')) {
        n
    } else {
        t.strip_prefix("??").or_else(|| t.strip_prefix('?'))?
    };
    let name = name.trim();
    dotted(name).then_some(name)
}

pub fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `a.b.c` where each part is an identifier.
pub fn dotted(name: &str) -> bool {
    !name.is_empty()
        && name.split('.').all(|p| {
            p.chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() || c == '_')
                && p.chars().all(is_name_char)
        })
}
