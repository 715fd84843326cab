use super::*;
use crate::syntax::ast::{ExprKind, StmtKind};
use crate::value::display::repr;

fn lambda(src: &str) -> Function {
    let stmts = crate::syntax::parse_program(src).expect("parse");
    let StmtKind::Expr(e) = &stmts[0].kind else {
        panic!("not an expression")
    };
    let ExprKind::Lambda { params, body } = &e.kind else {
        panic!("not a lambda")
    };
    Function::User {
        name: "<lambda>".into(),
        params: params.clone(),
        body: crate::syntax::ast::Body::Expr((**body).clone()),
        source: Arc::from(src),
        captures: vec![],
    }
}

fn compile(src: &str) -> Arc<Compiled> {
    Compiled::compile(&lambda(src), &|n| {
        if n == "limit" {
            Some(Value::Int(2))
        } else {
            None
        }
    })
    .expect("compile")
}

#[test]
fn records_fields_and_comprehensions() {
    let f = compile("lambda r: sum(t['amount'] for t in r['transactions'] if t['amount'] > limit)");
    let rec = crate::session::builtins::modules::json::from_json(
        &serde_json::json!({"transactions": [{"amount": 1}, {"amount": 5}, {"amount": 7}]}),
    );
    assert!(matches!(f.call(vec![rec]).expect("call"), Value::Int(12)));
}

#[test]
fn tuples_unpack_into_parameters() {
    let f = compile("lambda k, v: (k, max(v))");
    let r = f
        .call(vec![Value::tuple(vec![
            Value::str("a"),
            Value::list(vec![Value::Int(3), Value::Int(9)]),
        ])])
        .expect("call");
    assert_eq!(repr(&r), "('a', 9)");
}

#[test]
fn missing_key_names_the_key_and_record() {
    let f = compile("lambda r: r['nmae']");
    let rec = crate::session::builtins::modules::json::from_json(
        &serde_json::json!({"name": "Alice", "id": 3}),
    );
    let e = f.call(vec![rec]).expect_err("must fail");
    assert!(
        e.message.contains("nmae") && e.message.contains("Alice"),
        "{}",
        e.message
    );
}

#[test]
fn closures_capture_the_locals_they_read_and_run_nested_code() {
    // the inner lambda reads the outer's parameter and a global fixed for the task
    let f = compile("lambda xs, k: sorted(xs, key=lambda x: -x * k + limit)");
    let r = f
        .call(vec![
            Value::list(vec![Value::Int(1), Value::Int(3), Value::Int(2)]),
            Value::Int(1),
        ])
        .expect("call");
    assert_eq!(repr(&r), "[3, 2, 1]");
    // a closure made by compiled code carries what it reads, so it travels alone
    let g = compile("lambda k: lambda x: x + k + limit");
    let Value::Func(inner) = g.call(vec![Value::Int(10)]).expect("call") else {
        panic!("not a function")
    };
    let Function::User { captures, .. } = &*inner else {
        panic!("not a user function")
    };
    let names: Vec<&str> = captures.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["k", "limit"]);
    let standalone = Compiled::compile(&inner, &|_| None).expect("compile alone");
    assert_eq!(
        repr(&standalone.call(vec![Value::Int(1)]).expect("call")),
        "13"
    );
}

#[test]
fn recursion_past_the_limit_is_a_recursion_error() {
    // def f(n): return f(n + 1), with f captured as a task captures it
    let Function::User {
        params,
        body,
        source,
        ..
    } = lambda("lambda n: f(n + 1)")
    else {
        unreachable!()
    };
    let plain = Arc::new(Function::User {
        name: "f".into(),
        params: params.clone(),
        body: body.clone(),
        source: source.clone(),
        captures: vec![],
    });
    let bound = Function::User {
        name: "f".into(),
        params,
        body,
        source,
        captures: vec![("f".into(), Value::Func(plain))],
    };
    let code = Compiled::compile(&bound, &|_| None).expect("compile");
    // on a thread with rayon's default 2 MiB stack: the limit comes first
    let e = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || code.call(vec![Value::Int(0)]))
        .expect("spawn")
        .join()
        .expect("no stack overflow")
        .expect_err("must fail");
    assert_eq!(e.kind, ErrorKind::Recursion, "{}", e);
    assert_eq!(e.message, "maximum recursion depth exceeded");
}

#[test]
fn frames_before_the_stack_check_fit_in_a_small_stack() {
    // the calls below CHECK_STACK_FROM run without looking at the stack: 32 of them, each
    // through a conditional, a comparison, a call and arithmetic, must fit in 256 KiB
    // (a thread has at least 2 MiB), so a frame takes well under 8 KiB
    let Function::User {
        params,
        body,
        source,
        ..
    } = lambda("lambda n: 0 if n == 0 else 1 + f(n - 1) * 1")
    else {
        unreachable!()
    };
    let plain = Arc::new(Function::User {
        name: "f".into(),
        params: params.clone(),
        body: body.clone(),
        source: source.clone(),
        captures: vec![],
    });
    let bound = Function::User {
        name: "f".into(),
        params,
        body,
        source,
        captures: vec![("f".into(), Value::Func(plain))],
    };
    let code = Compiled::compile(&bound, &|_| None).expect("compile");
    // compile the callee on this thread first: compiling is not what is measured
    code.call(vec![Value::Int(2)]).expect("warm");
    let depth = i64::from(CHECK_STACK_FROM) - 1;
    let r = std::thread::Builder::new()
        .stack_size(256 << 10)
        .spawn(move || code.call(vec![Value::Int(depth)]))
        .expect("spawn")
        .join()
        .expect("no stack overflow")
        .expect("call");
    assert_eq!(repr(&r), depth.to_string());
}
