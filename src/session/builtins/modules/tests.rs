use super::*;
use crate::errors::ErrorKind;

#[test]
fn imports_resolve_to_namespaces() {
    let ns = |m: &str| match import_module(m) {
        Ok(Value::Module(n)) => n.to_string(),
        other => panic!("{}: {:?}", m, other),
    };
    assert_eq!(ns("dask.array"), "da");
    assert_eq!(ns("numpy"), "np");
    assert_eq!(ns("os.path"), "os.path");
    assert_eq!(ns("IPython.display"), "IPython.display");
    assert_eq!(ns("accounts"), "accounts");
}

#[test]
fn unknown_module_lists_what_exists() {
    let e = import_module("sklearn").unwrap_err();
    assert_eq!(e.kind, ErrorKind::ModuleNotFound);
    assert_eq!(e.message, "No module named 'sklearn'");
    assert!(e.hint.unwrap_or_default().contains("dask.diagnostics"));
    let e = import_module("dask.arry").unwrap_err();
    assert!(e
        .hint
        .unwrap_or_default()
        .contains("did you mean 'dask.array'"));
}

#[test]
fn from_imports() {
    assert!(matches!(import_from("math", "pi"), Ok(Value::Float(f)) if f == std::f64::consts::PI));
    assert!(matches!(import_from("dask", "array"), Ok(Value::Module(m)) if &*m == "da"));
    assert!(matches!(import_from("os", "path"), Ok(Value::Module(m)) if &*m == "os.path"));
    match import_from("accounts", "create_accounts_json") {
        Ok(Value::Func(f)) => {
            assert!(matches!(&*f, Function::Builtin { name } if name == "create_accounts_json"))
        }
        other => panic!("{:?}", other),
    }
    match import_from("numpy", "arange") {
        Ok(Value::Func(f)) => {
            assert!(matches!(&*f, Function::Builtin { name } if name == "np.arange"))
        }
        other => panic!("{:?}", other),
    }
    let e = import_from("math", "sqrtt").unwrap_err();
    assert_eq!(e.kind, ErrorKind::Import);
    assert_eq!(e.message, "cannot import name 'sqrtt' from 'math'");
    assert!(e.hint.unwrap_or_default().contains("did you mean 'sqrt'"));
    let e = import_from("dask", "delayed").unwrap_err();
    assert!(e.hint.unwrap_or_default().contains("no dask.delayed"));
    assert!(import_from("itertools", "count").is_ok());
    let e = import_from("nosuch", "x").unwrap_err();
    assert_eq!(e.kind, ErrorKind::ModuleNotFound);
}

#[test]
fn attributes_of_modules() {
    assert!(matches!(attr("os", "sep"), Some(Ok(Value::Str(s))) if &*s == "/"));
    assert!(matches!(
        attr("dask", "diagnostics"),
        Some(Ok(Value::Module(_)))
    ));
    let e = attr("math", "nope")
        .and_then(|r| r.err())
        .expect("an error");
    assert_eq!(e.message, "module 'math' has no attribute 'nope'");
    // collection namespaces keep their own dispatch
    assert!(attr("da", "arange").is_none());
}

#[test]
fn every_listed_module_imports() {
    for m in MODULES {
        assert!(import_module(m.name).is_ok(), "{}", m.name);
        for name in members_of(m.ns) {
            assert!(import_from(m.name, &name).is_ok(), "{}.{}", m.name, name);
        }
    }
}
