//! Which columns a `map_partitions` function can read, so the read parses only those:
//! `lambda p: p.groupby("minfd").cq.sum()` needs `minfd` and `cq`. The answer is `None`
//! (every column) as soon as the partition, or a value that still holds all its columns,
//! is used in any way not listed here: returned, passed to a function or an unknown
//! method, iterated, printed, `.columns`, `.shape`, `p.sum()`, a column name that is not
//! a string literal.
//!
//! What is understood, with `rows` the partition or some of its rows (every column kept):
//! `rows.index`, `rows["c"]`, `rows.c`, `rows[["a", "b"]]`, `len(rows)`, `rows[mask]`,
//! `rows.head(n)`/`tail(n)`/`copy()`/`sort_index()`, `rows.sort_values("c")`,
//! `rows.drop_duplicates("c")` (or `subset=[...]`), and `rows.groupby(keys)` followed by
//! `.size()`, `.agg({"c": ...})`, or a column selection (`.c`, `["c"]`, `[["a", "b"]]`)
//! and then a groupby method. A column read out of the partition is a plain value from
//! then on.

use crate::frame::api::GROUPBY_METHODS;
use crate::frame::eager::frame_methods::{FRAME_ATTRS, FRAME_METHODS};
use crate::syntax::ast::{Arg, BinOp, Comprehension, Expr, ExprKind, Target, UnaryOp};
use crate::value::value::Function;
use std::collections::BTreeSet;

/// What an expression is, as far as the partition's columns go.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Shape {
    /// Reads no column beyond those recorded.
    Free,
    /// The partition or some of its rows: every column is still reachable.
    Rows,
    /// `rows.groupby(keys)` before a column is selected.
    Groups,
    /// `rows.groupby(keys).c`: selecting again (`.d`, `["d"]`) replaces the selection, so
    /// it is tracked until an aggregation is called.
    GroupSel,
}

/// The columns (of `columns`, in that order) that parameter 0 of `f` can read; `None`
/// when it may read any. The builtin `len` reads none.
pub fn columns_read(f: &Function, columns: &[String]) -> Option<Vec<String>> {
    let used = match f {
        Function::Builtin { name } if name == "len" => BTreeSet::new(),
        Function::User {
            params,
            body,
            captures,
            ..
        } => {
            let body = body.expr()?;
            if params
                .iter()
                .any(|q| q.kind != crate::syntax::ast::ParamKind::Normal)
            {
                return None;
            }
            let p = &params.first()?.name;
            // `len` is the builtin unless the function or the session rebinds it
            let len_rebound =
                params.iter().any(|q| q.name == "len") || captures.iter().any(|(c, _)| c == "len");
            let mut w = Walker {
                p,
                columns,
                used: BTreeSet::new(),
                bound: if len_rebound {
                    vec!["len".to_string()]
                } else {
                    vec![]
                },
            };
            if w.shape(body)? != Shape::Free {
                return None;
            }
            w.used
        }
        _ => return None,
    };
    Some(
        columns
            .iter()
            .filter(|c| used.contains(*c))
            .cloned()
            .collect(),
    )
}

struct Walker<'a> {
    /// The partition parameter.
    p: &'a str,
    /// The partition's columns (the meta's).
    columns: &'a [String],
    used: BTreeSet<String>,
    /// Names bound by lambdas and comprehensions around the expression being walked.
    bound: Vec<String>,
}

impl Walker<'_> {
    fn is_bound(&self, n: &str) -> bool {
        self.bound.iter().any(|b| b == n)
    }

    /// Record column `c`; `None` unless the partition has it (a missing column must fail
    /// with the same message, which lists the columns).
    fn column(&mut self, c: &str) -> Option<()> {
        if !self.columns.iter().any(|x| x == c) {
            return None;
        }
        self.used.insert(c.to_string());
        Some(())
    }

    /// `"c"` or a list (or tuple) of string literals naming columns.
    fn literal_columns(&mut self, e: &Expr) -> Option<()> {
        match &e.kind {
            ExprKind::Str(c) => self.column(c),
            ExprKind::List(xs) | ExprKind::Tuple(xs) | ExprKind::Set(xs) => {
                xs.iter().try_for_each(|x| match &x.kind {
                    ExprKind::Str(c) => self.column(c),
                    _ => None,
                })
            }
            _ => None,
        }
    }

    /// `rows.c` reads column `c` when `c` names no attribute or method of a frame (those
    /// win over columns).
    fn attr_column(&mut self, a: &str) -> Option<()> {
        if FRAME_ATTRS.contains(&a) || FRAME_METHODS.contains(&a) {
            return None;
        }
        self.column(a)
    }

    fn free(&mut self, e: &Expr) -> Option<()> {
        (self.shape(e)? == Shape::Free).then_some(())
    }

    fn free_all<'e>(&mut self, es: impl IntoIterator<Item = &'e Expr>) -> Option<()> {
        es.into_iter().try_for_each(|e| self.free(e))
    }

    fn free_args(&mut self, args: &[Arg]) -> Option<()> {
        args.iter().try_for_each(|a| match a {
            Arg::Pos(x) | Arg::Kw(_, x) | Arg::Star(x) | Arg::DStar(x) => self.free(x),
        })
    }

    /// Everything but `arg` (keyword `kw`, else position 0, as the eager methods read
    /// it) must be free; `arg` itself must name columns literally, and must be there.
    fn with_column_arg(&mut self, args: &[Arg], kw: &str) -> Option<()> {
        let by_kw = args
            .iter()
            .position(|a| matches!(a, Arg::Kw(k, _) if k == kw));
        let at = by_kw.or_else(|| args.iter().position(|a| matches!(a, Arg::Pos(_))))?;
        for (i, a) in args.iter().enumerate() {
            let (Arg::Pos(x) | Arg::Kw(_, x) | Arg::Star(x) | Arg::DStar(x)) = a;
            if i == at {
                self.literal_columns(x)?;
            } else {
                self.free(x)?;
            }
        }
        Some(())
    }

    fn shape(&mut self, e: &Expr) -> Option<Shape> {
        use Shape::*;
        match &e.kind {
            ExprKind::Int(_)
            | ExprKind::BigInt(_)
            | ExprKind::Float(_)
            | ExprKind::Str(_)
            | ExprKind::Bool(_)
            | ExprKind::None => Some(Free),
            // f-strings and starred items: fine when they read no rows
            ExprKind::FString(parts) => {
                self.free_all(crate::syntax::ast::fstring_exprs(parts))?;
                Some(Free)
            }
            ExprKind::Starred(x) => {
                self.free(x)?;
                Some(Free)
            }
            ExprKind::Name(n) => Some(if n == self.p && !self.is_bound(n) {
                Rows
            } else {
                Free
            }),
            ExprKind::List(xs) | ExprKind::Tuple(xs) | ExprKind::Set(xs) => {
                self.free_all(xs).map(|_| Free)
            }
            ExprKind::Dict(pairs) => {
                for (k, v) in pairs {
                    if let Some(k) = k {
                        self.free(k)?;
                    }
                    self.free(v)?;
                }
                Some(Free)
            }
            ExprKind::Unary { operand, .. } => self.free(operand).map(|_| Free),
            ExprKind::Binary { left, right, .. } => {
                self.free_all([&**left, &**right]).map(|_| Free)
            }
            ExprKind::Compare { left, ops } => {
                self.free(left)?;
                self.free_all(ops.iter().map(|(_, x)| x)).map(|_| Free)
            }
            ExprKind::BoolOp { values, .. } => self.free_all(values).map(|_| Free),
            ExprKind::IfElse { test, body, orelse } => {
                self.free_all([&**test, &**body, &**orelse]).map(|_| Free)
            }
            ExprKind::Slice { lower, upper, step } => self
                .free_all([lower, upper, step].into_iter().flatten().map(|x| &**x))
                .map(|_| Free),
            ExprKind::Lambda { params, body } => {
                self.free_all(params.iter().filter_map(|q| q.default.as_ref()))?;
                let n = self.bound.len();
                self.bound.extend(params.iter().map(|q| q.name.clone()));
                let r = self.free(body);
                self.bound.truncate(n);
                r.map(|_| Free)
            }
            ExprKind::ListComp { elt, generators }
            | ExprKind::GenExp { elt, generators }
            | ExprKind::SetComp { elt, generators } => self.comprehension(generators, &[elt]),
            ExprKind::DictComp {
                key,
                value,
                generators,
            } => self.comprehension(generators, &[key, value]),
            ExprKind::Attr { value, attr } => match self.shape(value)? {
                Free => Some(Free),
                Rows if attr == "index" => Some(Free),
                Rows => self.attr_column(attr).map(|_| Free),
                // a name that is no groupby method selects a column (methods must be called)
                Groups | GroupSel if GROUPBY_METHODS.contains(&attr.as_str()) => None,
                Groups | GroupSel => self.column(attr).map(|_| GroupSel),
            },
            ExprKind::Index { value, index } => match self.shape(value)? {
                Free => self.free(index).map(|_| Free),
                Rows if is_mask(index) => self.free(index).map(|_| Rows),
                Rows => self.literal_columns(index).map(|_| Free),
                Groups | GroupSel => self.literal_columns(index).map(|_| GroupSel),
            },
            ExprKind::Call { func, args } => self.call(func, args),
        }
    }

    fn comprehension(&mut self, gens: &[Comprehension], rest: &[&Expr]) -> Option<Shape> {
        let n = self.bound.len();
        let mut ok = Some(());
        for g in gens {
            // each iterable sees the targets of the generators before it
            ok = ok.and_then(|_| self.free(&g.iter));
            bind_target(&g.target, &mut self.bound);
            ok = ok.and_then(|_| self.free_all(&g.ifs));
        }
        ok = ok.and_then(|_| self.free_all(rest.iter().copied()));
        self.bound.truncate(n);
        ok.map(|_| Shape::Free)
    }

    fn call(&mut self, func: &Expr, args: &[Arg]) -> Option<Shape> {
        use Shape::*;
        if let ExprKind::Attr { value, attr } = &func.kind {
            return match self.shape(value)? {
                Free => self.free_args(args).map(|_| Free),
                Rows => self.frame_method(attr, args),
                Groups => match (attr.as_str(), args) {
                    ("size", []) => Some(Free),
                    ("agg" | "aggregate", _) => self.agg(args, false),
                    _ => None,
                },
                GroupSel if matches!(attr.as_str(), "agg" | "aggregate") => self.agg(args, true),
                // the selected columns (and the keys) are all an aggregation sees
                GroupSel if GROUPBY_METHODS.contains(&attr.as_str()) => {
                    self.free_args(args).map(|_| Free)
                }
                GroupSel => None,
            };
        }
        if let (ExprKind::Name(n), [Arg::Pos(x)]) = (&func.kind, args) {
            // the number of rows (or of groups) reads no column
            if n == "len" && !self.is_bound("len") {
                self.shape(x)?;
                return Some(Free);
            }
        }
        self.free(func)?;
        self.free_args(args).map(|_| Free)
    }

    /// `groups.agg(spec)`: a dict names its columns itself (whatever was selected); a
    /// name or a list of names aggregates the selection (all columns when none is).
    fn agg(&mut self, args: &[Arg], selected: bool) -> Option<Shape> {
        let [Arg::Pos(spec) | Arg::Kw(_, spec)] = args else {
            return None;
        };
        match &spec.kind {
            ExprKind::Dict(pairs) => {
                for (k, v) in pairs {
                    // a `**spec` item: columns not known from the text
                    self.literal_columns(k.as_ref()?)?;
                    self.free(v)?;
                }
            }
            ExprKind::Str(_) | ExprKind::List(_) if selected => self.free(spec)?,
            _ => return None,
        }
        Some(Shape::Free)
    }

    /// `rows.name(args)`.
    fn frame_method(&mut self, name: &str, args: &[Arg]) -> Option<Shape> {
        match name {
            "groupby" => self.with_column_arg(args, "by").map(|_| Shape::Groups),
            "drop_duplicates" => self.with_column_arg(args, "subset").map(|_| Shape::Rows),
            "sort_values" => self.with_column_arg(args, "by").map(|_| Shape::Rows),
            "head" | "tail" | "copy" | "sort_index" => self.free_args(args).map(|_| Shape::Rows),
            _ => None,
        }
    }
}

/// An index that can only be a boolean mask (or fail the same way without the
/// projection): a comparison, `&`, `|`, `^`, `~`, `not`, or `isin`/`isna`/`notna`/`between`.
fn is_mask(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Compare { .. } => true,
        ExprKind::Binary { op, .. } => matches!(op, BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor),
        ExprKind::Unary { op, .. } => matches!(op, UnaryOp::Invert | UnaryOp::Not),
        ExprKind::Call { func, .. } => matches!(
            &func.kind,
            ExprKind::Attr { attr, .. }
                if matches!(attr.as_str(), "isin" | "isna" | "isnull" | "notna" | "notnull" | "between")
        ),
        _ => false,
    }
}

fn bind_target(t: &Target, bound: &mut Vec<String>) {
    match t {
        Target::Name(n, _) => bound.push(n.clone()),
        Target::Tuple(ts, _) => ts.iter().for_each(|t| bind_target(t, bound)),
        Target::Starred(t, _) => bind_target(t, bound),
        Target::Index { .. } | Target::Attr { .. } => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::ast::StmtKind;
    use crate::value::value::Value;

    const COLS: &[&str] = &["hhno", "logday", "minfd", "cq", "memhh", "count"];

    /// A `def` or a lambda as the function value the session would make.
    fn func(src: &str, captures: &[&str]) -> Function {
        let captures = captures
            .iter()
            .map(|c| (c.to_string(), Value::None))
            .collect();
        if src.starts_with("def ") {
            let stmts = crate::syntax::parse_program(src).expect("parse");
            let StmtKind::Def { name, params, body } = stmts[0].kind.clone() else {
                panic!("def")
            };
            return Function::User {
                name,
                params,
                body: crate::syntax::ast::Body::Block(body),
                source: src.into(),
                captures,
            };
        }
        let e = crate::syntax::parse_expr(src).expect("parse");
        let ExprKind::Lambda { params, body } = e.kind else {
            panic!("lambda")
        };
        Function::User {
            name: "<lambda>".into(),
            params,
            body: crate::syntax::ast::Body::Expr(*body),
            source: src.into(),
            captures,
        }
    }

    fn read(src: &str) -> Option<Vec<String>> {
        read_with(src, &[])
    }

    fn read_with(src: &str, captures: &[&str]) -> Option<Vec<String>> {
        let cols: Vec<String> = COLS.iter().map(|c| c.to_string()).collect();
        columns_read(&func(src, captures), &cols)
    }

    fn some(cols: &[&str]) -> Option<Vec<String>> {
        Some(cols.iter().map(|c| c.to_string()).collect())
    }

    #[test]
    fn the_benchmark_functions_read_few_columns() {
        assert_eq!(
            read_with(
                r#"def most_frequent_food(p): return (int(p.index[0]), list(food_mapping[food_mapping.minfd == p.groupby("minfd").size().idxmax()].minfddesc)[0])"#,
                &["food_mapping"]
            ),
            some(&["minfd"])
        );
        assert_eq!(
            read(
                r#"def per_capita(p): return p.groupby("minfd").cq.sum() / (p.drop_duplicates("hhno").memhh.sum() * 7)"#
            ),
            some(&["hhno", "minfd", "cq", "memhh"])
        );
        let len = Function::Builtin { name: "len".into() };
        let cols: Vec<String> = COLS.iter().map(|c| c.to_string()).collect();
        assert_eq!(columns_read(&len, &cols), some(&[]));
    }

    #[test]
    fn whitelisted_uses_project() {
        assert_eq!(read("lambda p: len(p)"), some(&[]));
        assert_eq!(read("lambda p: p.index.max()"), some(&[]));
        assert_eq!(
            read("lambda p: p['cq'].sum() + p.memhh.max()"),
            some(&["cq", "memhh"])
        );
        // a frame of named columns holds only those
        assert_eq!(read("lambda p: p[['hhno', 'cq']]"), some(&["hhno", "cq"]));
        assert_eq!(
            read("lambda p: p[(p.cq > 0) & ~p.hhno.isin([1])].groupby(['minfd', 'logday']).size()"),
            some(&["hhno", "logday", "minfd", "cq"])
        );
        assert_eq!(
            read("lambda p: p.sort_values('cq', ascending=False).head(3).minfd.tolist()"),
            some(&["minfd", "cq"])
        );
        assert_eq!(
            read("lambda p: p.drop_duplicates(subset=['hhno']).tail(2).memhh.sum()"),
            some(&["hhno", "memhh"])
        );
        assert_eq!(
            read("lambda p: p.groupby('minfd').agg({'cq': 'sum'})"),
            some(&["minfd", "cq"])
        );
        assert_eq!(
            read("lambda p: p.groupby(by='minfd')['cq'].apply(lambda s: s.sum())"),
            some(&["minfd", "cq"])
        );
        // selecting again replaces the selection: both are read
        assert_eq!(
            read("lambda p: p.groupby('minfd').cq.memhh.sum()"),
            some(&["minfd", "cq", "memhh"])
        );
        assert_eq!(
            read("lambda p: p.groupby('minfd')[['cq']].agg({'memhh': 'max'})"),
            some(&["minfd", "cq", "memhh"])
        );
        assert_eq!(read("lambda p: len(p.groupby('minfd'))"), some(&["minfd"]));
        assert_eq!(
            read("lambda p: [x * 2 for x in p.cq if x > 0]"),
            some(&["cq"])
        );
        assert_eq!(read("lambda p, k: p.cq * k"), some(&["cq"]));
        // names that rebind the parameter are other values
        assert_eq!(read("lambda p: [p for p in [1, 2]]"), some(&[]));
        assert_eq!(read("lambda p: (lambda p: p)(p.cq)"), some(&["cq"]));
        assert_eq!(read("def f(p): return 1"), some(&[]));
    }

    #[test]
    fn anything_else_reads_every_column() {
        for src in [
            "lambda p: p",
            "lambda p: p.head()",
            "lambda p: p[p.cq > 0]",
            "lambda p: (p, 1)",
            "lambda p: p.sum()",
            "lambda p: sum(p)",
            "lambda p: print(p)",
            "lambda p: list(p)",
            "lambda p: [c for c in p]",
            "lambda p: p.columns",
            "lambda p: p.dtypes",
            "lambda p: p.shape[0]",
            "lambda p: p.size",
            "lambda p: p.values",
            "lambda p: p.describe()",
            "lambda p: p.iloc[0].cq",
            "lambda p: p.loc[1].cq",
            "lambda p: p.assign(x=1).cq.sum()",
            "lambda p: p.drop_duplicates().memhh.sum()",
            "lambda p: p.dropna().cq.sum()",
            "lambda p: p * 2",
            "lambda p: p.cq if p.empty else p.memhh",
            // dynamic or unknown column names
            "lambda p: p[k]",
            "lambda p: p[k].sum()",
            "lambda p: p['nope']",
            "lambda p: p.nope",
            "lambda p: p[['cq', k]]",
            "lambda p: p.groupby(k).size()",
            "lambda p: p.sort_values(by).cq",
            // `count` is a method of frames and of groups, not the column
            "lambda p: p.count",
            "lambda p: p.groupby('minfd').count.sum()",
            // the partition reaches other functions and methods
            "lambda p: f(p)",
            "lambda p: food_mapping.merge(p)",
            "lambda p: p.groupby('minfd').apply(len)",
            "lambda p: p.groupby('minfd').sum()",
            "lambda p: p.groupby('minfd').agg('sum')",
            "lambda p: p.groupby('minfd').cq.agg(spec)",
            "lambda p: p.groupby('minfd')",
            "lambda p: p.groupby('minfd').cq",
            "lambda p: p.head",
            "lambda p: (lambda q: p)(1)",
            "lambda p, g=print: g(p)",
        ] {
            assert_eq!(read(src), None, "{}", src);
        }
        // `len` rebound by a parameter, a comprehension or the session
        assert_eq!(read("lambda p, len=list: len(p)"), None);
        assert_eq!(read("lambda p: [len(p) for len in [list]]"), None);
        assert_eq!(read_with("lambda p: len(p)", &["len"]), None);
        // other builtins and functions of no parameter
        let cols: Vec<String> = COLS.iter().map(|c| c.to_string()).collect();
        let b = Function::Builtin {
            name: "print".into(),
        };
        assert_eq!(columns_read(&b, &cols), None);
    }
}
