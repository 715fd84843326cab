use super::*;
use crate::syntax::ast::*;

/// Compact S-expression form of an expression, for precedence assertions.
fn sx(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Int(i) => i.to_string(),
        ExprKind::Float(f) => format!("{:?}", f),
        ExprKind::Str(s) => format!("{:?}", s),
        ExprKind::Bool(b) => b.to_string(),
        ExprKind::None => "None".into(),
        ExprKind::Name(n) => n.clone(),
        ExprKind::List(xs) => format!("[{}]", xs.iter().map(sx).collect::<Vec<_>>().join(" ")),
        ExprKind::Tuple(xs) => format!(
            "(tuple {})",
            xs.iter().map(sx).collect::<Vec<_>>().join(" ")
        ),
        ExprKind::Dict(kv) => format!(
            "{{{}}}",
            kv.iter()
                .map(|(k, v)| format!("{}: {}", sx(k), sx(v)))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        ExprKind::Unary { op, operand } => format!("({:?} {})", op, sx(operand)),
        ExprKind::Binary { op, left, right } => format!("({:?} {} {})", op, sx(left), sx(right)),
        ExprKind::Compare { left, ops } => format!(
            "(cmp {} {})",
            sx(left),
            ops.iter()
                .map(|(o, e)| format!("{:?} {}", o, sx(e)))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        ExprKind::BoolOp { op, values } => {
            format!(
                "({:?} {})",
                op,
                values.iter().map(sx).collect::<Vec<_>>().join(" ")
            )
        }
        ExprKind::IfElse { test, body, orelse } => {
            format!("(if {} {} {})", sx(test), sx(body), sx(orelse))
        }
        ExprKind::Lambda { params, body } => {
            format!("(lambda ({}) {})", params_sx(params), sx(body))
        }
        ExprKind::Attr { value, attr } => format!("(. {} {})", sx(value), attr),
        ExprKind::Call { func, args } => format!(
            "(call {}{})",
            sx(func),
            args.iter()
                .map(|a| match a {
                    Arg::Pos(e) => format!(" {}", sx(e)),
                    Arg::Kw(k, e) => format!(" {}={}", k, sx(e)),
                })
                .collect::<String>()
        ),
        ExprKind::Index { value, index } => format!("(idx {} {})", sx(value), sx(index)),
        ExprKind::Slice { lower, upper, step } => {
            let o = |x: &Option<Box<Expr>>| x.as_ref().map(|e| sx(e)).unwrap_or("_".into());
            format!("(slice {} {} {})", o(lower), o(upper), o(step))
        }
        ExprKind::ListComp { elt, generators } => {
            format!("(listcomp {}{})", sx(elt), gens_sx(generators))
        }
        ExprKind::GenExp { elt, generators } => {
            format!("(genexp {}{})", sx(elt), gens_sx(generators))
        }
        ExprKind::DictComp {
            key,
            value,
            generators,
        } => {
            format!(
                "(dictcomp {} {}{})",
                sx(key),
                sx(value),
                gens_sx(generators)
            )
        }
    }
}

fn params_sx(ps: &[Param]) -> String {
    ps.iter()
        .map(|p| match &p.default {
            Some(d) => format!("{}={}", p.name, sx(d)),
            None => p.name.clone(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn target_sx(t: &Target) -> String {
    match t {
        Target::Name(n, _) => n.clone(),
        Target::Tuple(ts, _) => format!(
            "({})",
            ts.iter().map(target_sx).collect::<Vec<_>>().join(" ")
        ),
    }
}

fn gens_sx(gs: &[Comprehension]) -> String {
    gs.iter()
        .map(|g| {
            format!(
                " for {} in {}{}",
                target_sx(&g.target),
                sx(&g.iter),
                g.ifs
                    .iter()
                    .map(|c| format!(" if {}", sx(c)))
                    .collect::<String>()
            )
        })
        .collect()
}

fn stmt_sx(s: &Stmt) -> String {
    match &s.kind {
        StmtKind::Assign { target, value } => format!("{} = {}", target_sx(target), sx(value)),
        StmtKind::Expr(e) => sx(e),
        StmtKind::Assert { test, msg } => format!(
            "assert {}{}",
            sx(test),
            msg.as_ref()
                .map(|m| format!(", {}", sx(m)))
                .unwrap_or_default()
        ),
        StmtKind::Def { name, params, body } => {
            format!("def {}({}) {}", name, params_sx(params), sx(body))
        }
        StmtKind::Magic {
            name,
            rest,
            rest_offset,
        } => format!("%{} [{}]@{}", name, rest, rest_offset),
        StmtKind::Import { module, alias } => format!("import {} as {:?}", module, alias),
        StmtKind::Pass => "pass".into(),
    }
}

fn prog(src: &str) -> Vec<String> {
    match parse_program(src) {
        Ok(s) => s.iter().map(stmt_sx).collect(),
        Err(e) => panic!("{:?} failed:\n{}", src, e.render(src, None)),
    }
}

fn ex(src: &str) -> String {
    match parse_expr(src) {
        Ok(e) => sx(&e),
        Err(e) => panic!("{:?} failed:\n{}", src, e.render(src, None)),
    }
}

fn err(src: &str) -> RaskError {
    match parse_program(src) {
        Ok(s) => panic!(
            "{:?} parsed: {:?}",
            src,
            s.iter().map(stmt_sx).collect::<Vec<_>>()
        ),
        Err(e) => e,
    }
}

#[test]
fn show_errors() {
    for src in [
        "x = ",
        "f(1 2)",
        "f(1,,)",
        "x = 1 2",
        "x y",
        "a if b",
        "lambda = 3",
        "def f(x) return x",
        "[x for x in]",
        "x = 1 +",
        "f(a=)",
        "x[1:2:3:4]",
        "{1: 2, 3}",
        "import",
        "from x",
        "a.",
        "x = = 1",
        "if x == 1: y",
        "f(x) = 3",
        "x.y = 3",
        "1 = x",
        "print \"hi\"",
        "x = f\"a{b}\"",
        "x = 0777",
        "x = 99999999999999999999",
        "(1, 2",
        "x = 1)",
        "[1, 2)",
        "def f(x):\n    y = 1\n    return y",
        "def f(x):\nreturn x",
        "x = 'abc\ny = 2",
        "x += ",
        "f(x for x in y, 1)",
        "f(a=1, 2)",
        "not",
        "x = $",
    ] {
        match parse_program(src) {
            Ok(s) => println!(
                "OK {:?}: {:?}",
                src,
                s.iter().map(stmt_sx).collect::<Vec<_>>()
            ),
            Err(e) => println!("{:?} [{:?}]\n{}", src, e.kind, e.render(src, None)),
        }
    }
}
