//! `os`, `os.path` (POSIX `posixpath` semantics), `glob` and `multiprocessing.cpu_count`.

use super::Member::{self, *};
use crate::errors::{ErrorKind, RaskError, Result};
use crate::value::args::Args;
use crate::value::value::Value;

pub const OS: &[(&str, Member)] = &[
    ("getcwd", Func),
    ("listdir", Func),
    ("path", Module("os.path")),
    ("sep", Const(|| Value::str("/"))),
    ("linesep", Const(|| Value::str("\n"))),
    ("curdir", Const(|| Value::str("."))),
    ("pardir", Const(|| Value::str(".."))),
    ("cpu_count", Func),
    ("getenv", Func),
    ("environ", Const(environ)),
    ("getpid", Func),
    ("makedirs", Func),
    ("mkdir", Func),
    ("remove", Func),
];

pub const PATH: &[(&str, Member)] = &[
    ("join", Func),
    ("exists", Func),
    ("basename", Func),
    ("dirname", Func),
    ("split", Func),
    ("splitext", Func),
    ("isdir", Func),
    ("isfile", Func),
    ("isabs", Func),
    ("abspath", Func),
    ("normpath", Func),
    ("getsize", Func),
    ("expanduser", Func),
    ("sep", Const(|| Value::str("/"))),
];

/// A snapshot of the environment as a dict (`os.environ.get("HOME")`).
fn environ() -> Value {
    Value::dict(
        std::env::vars()
            .map(|(k, v)| (Value::str(&k), Value::str(&v)))
            .collect(),
    )
}

pub fn call(name: &str, args: &Args) -> Result<Value> {
    match name {
        "os.getcwd" => {
            args.check(&[])?;
            let d = std::env::current_dir().map_err(|e| os_err(e, "."))?;
            Ok(Value::str(&d.to_string_lossy()))
        }
        "os.listdir" => {
            args.check(&["path"])?;
            let p = args.str_opt(0, "path")?.unwrap_or_else(|| ".".into());
            // directory order, as Python's listdir gives it
            let rd = std::fs::read_dir(&p).map_err(|e| os_err(e, &p))?;
            let mut names = Vec::new();
            for e in rd {
                let e = e.map_err(|e| os_err(e, &p))?;
                names.push(Value::str(&e.file_name().to_string_lossy()));
            }
            Ok(Value::list(names))
        }
        "os.cpu_count" | "multiprocessing.cpu_count" => Ok(Value::Int(cpu_count())),
        "os.getenv" => {
            let k = args.str(0, "key")?;
            Ok(match std::env::var(&k) {
                Ok(v) => Value::str(&v),
                Err(_) => args.get(1, "default").cloned().unwrap_or(Value::None),
            })
        }
        "os.getpid" => Ok(Value::Int(i64::from(std::process::id()))),
        "os.makedirs" => {
            args.check(&["name", "mode", "exist_ok"])?;
            let p = args.str(0, "name")?;
            let exist_ok = args.bool_or(2, "exist_ok", false)?;
            if std::path::Path::new(&p).exists() && !exist_ok {
                return Err(exists_err(&p));
            }
            std::fs::create_dir_all(&p).map_err(|e| os_err(e, &p))?;
            Ok(Value::None)
        }
        "os.mkdir" => {
            let p = args.str(0, "path")?;
            if std::path::Path::new(&p).exists() {
                return Err(exists_err(&p));
            }
            std::fs::create_dir(&p).map_err(|e| os_err(e, &p))?;
            Ok(Value::None)
        }
        "os.remove" => {
            let p = args.str(0, "path")?;
            std::fs::remove_file(&p).map_err(|e| os_err(e, &p))?;
            Ok(Value::None)
        }
        "os.path.join" => {
            let parts = strs(args, "a")?;
            let Some((first, rest)) = parts.split_first() else {
                return Err(RaskError::type_(
                    "join() missing 1 required positional argument: 'a'",
                ));
            };
            Ok(Value::str(&join(first, rest)))
        }
        "os.path.exists" => Ok(Value::Bool(std::fs::metadata(args.str(0, "path")?).is_ok())),
        "os.path.isdir" => Ok(Value::Bool(
            std::fs::metadata(args.str(0, "s")?).is_ok_and(|m| m.is_dir()),
        )),
        "os.path.isfile" => Ok(Value::Bool(
            std::fs::metadata(args.str(0, "path")?).is_ok_and(|m| m.is_file()),
        )),
        "os.path.isabs" => Ok(Value::Bool(args.str(0, "s")?.starts_with('/'))),
        "os.path.basename" => Ok(Value::str(&split(&args.str(0, "p")?).1)),
        "os.path.dirname" => Ok(Value::str(&split(&args.str(0, "p")?).0)),
        "os.path.split" => {
            let (h, t) = split(&args.str(0, "p")?);
            Ok(Value::tuple(vec![Value::str(&h), Value::str(&t)]))
        }
        "os.path.splitext" => {
            let (root, ext) = splitext(&args.str(0, "p")?);
            Ok(Value::tuple(vec![Value::str(&root), Value::str(&ext)]))
        }
        "os.path.normpath" => Ok(Value::str(&normpath(&args.str(0, "path")?))),
        "os.path.abspath" => {
            let p = args.str(0, "path")?;
            let full = if p.starts_with('/') {
                p
            } else {
                let cwd = std::env::current_dir().map_err(|e| os_err(e, "."))?;
                join(&cwd.to_string_lossy(), &[p])
            };
            Ok(Value::str(&normpath(&full)))
        }
        "os.path.getsize" => {
            let p = args.str(0, "filename")?;
            let m = std::fs::metadata(&p).map_err(|e| os_err(e, &p))?;
            Ok(Value::Int(m.len() as i64))
        }
        "os.path.expanduser" => {
            let p = args.str(0, "path")?;
            Ok(Value::str(&expanduser(&p)))
        }
        "glob.glob" => {
            args.check(&["pathname", "recursive"])?;
            let pat = args.str(0, "pathname")?;
            let recursive = args.bool_or(1, "recursive", false)?;
            glob(&pat, recursive)
        }
        other => Err(RaskError::name(format!("unknown function '{}'", other))),
    }
}

fn strs(args: &Args, name: &str) -> Result<Vec<String>> {
    args.pos
        .iter()
        .enumerate()
        .map(|(i, v)| match v {
            Value::Str(s) => Ok(s.to_string()),
            other => Err(args.type_err(i, name, "str", other)),
        })
        .collect()
}

/// CPUs online, as Python's `os.cpu_count()` counts them.
pub fn cpu_count() -> i64 {
    // SAFETY: sysconf reads a system constant.
    let n = unsafe { libc::sysconf(libc::_SC_NPROCESSORS_ONLN) };
    if n > 0 {
        n as i64
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get() as i64)
    }
}

/// Python's OSError text: `[Errno 2] No such file or directory: 'x'`.
fn os_err(e: std::io::Error, path: &str) -> RaskError {
    let kind = match e.kind() {
        std::io::ErrorKind::PermissionDenied => ErrorKind::Permission,
        _ => ErrorKind::Io,
    };
    let text = e.to_string();
    // std words it "No such file or directory (os error 2)"
    let (msg, errno) = match (text.rsplit_once(" (os error "), e.raw_os_error()) {
        (Some((m, _)), Some(n)) => (m.to_string(), Some(n)),
        _ => (text, None),
    };
    let msg = match errno {
        Some(n) => format!("[Errno {}] {}: '{}'", n, msg, path),
        None => format!("{}: '{}'", msg, path),
    };
    RaskError::new(kind, msg)
}

fn exists_err(p: &str) -> RaskError {
    RaskError::new(ErrorKind::Io, format!("[Errno 17] File exists: '{}'", p))
}

/// `posixpath.join`.
pub fn join(first: &str, rest: &[String]) -> String {
    let mut path = first.to_string();
    for b in rest {
        if b.starts_with('/') {
            path = b.clone();
        } else if path.is_empty() || path.ends_with('/') {
            path.push_str(b);
        } else {
            path.push('/');
            path.push_str(b);
        }
    }
    path
}

/// `posixpath.split`: (head, tail), the head without trailing slashes unless all slashes.
pub fn split(p: &str) -> (String, String) {
    let i = p.rfind('/').map_or(0, |i| i + 1);
    let (head, tail) = p.split_at(i);
    let head = if !head.is_empty() && head.chars().any(|c| c != '/') {
        head.trim_end_matches('/')
    } else {
        head
    };
    (head.to_string(), tail.to_string())
}

/// `posixpath.splitext`: leading dots of the file name do not start an extension.
pub fn splitext(p: &str) -> (String, String) {
    let sep = p.rfind('/').map_or(-1, |i| i as i64);
    if let Some(dot) = p.rfind('.') {
        let dot_i = dot as i64;
        if dot_i > sep {
            let name_start = (sep + 1) as usize;
            if p[name_start..dot].chars().any(|c| c != '.') {
                return (p[..dot].to_string(), p[dot..].to_string());
            }
        }
    }
    (p.to_string(), String::new())
}

/// `posixpath.normpath`.
pub fn normpath(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let initial = if p.starts_with("//") && !p.starts_with("///") {
        2
    } else if p.starts_with('/') {
        1
    } else {
        0
    };
    let mut comps: Vec<&str> = Vec::new();
    for c in p.split('/') {
        if c.is_empty() || c == "." {
            continue;
        }
        if c != ".." || (initial == 0 && comps.is_empty()) || comps.last() == Some(&"..") {
            comps.push(c);
        } else if !comps.is_empty() {
            comps.pop();
        }
    }
    let s = format!("{}{}", "/".repeat(initial), comps.join("/"));
    if s.is_empty() {
        ".".into()
    } else {
        s
    }
}

fn expanduser(p: &str) -> String {
    if p != "~" && !p.starts_with("~/") {
        return p.to_string();
    }
    match std::env::var("HOME") {
        Ok(h) => {
            let h = if h.len() > 1 {
                h.trim_end_matches('/')
            } else {
                &h
            };
            format!("{}{}", h, &p[1..])
        }
        Err(_) => p.to_string(),
    }
}

/// `glob.glob`: matching paths, sorted (Python gives directory order, which no two file
/// systems share; sorted is what scripts then usually do). Names starting with a dot
/// match only a pattern that starts with one, as in Python.
fn glob(pat: &str, recursive: bool) -> Result<Value> {
    let opts = ::glob::MatchOptions {
        case_sensitive: true,
        require_literal_separator: true,
        require_literal_leading_dot: true,
    };
    // without recursive=True, ** is the same as *
    let pattern = if recursive {
        pat.to_string()
    } else {
        pat.replace("**", "*")
    };
    let paths = ::glob::glob_with(&pattern, opts)
        .map_err(|e| RaskError::value(format!("bad glob pattern '{}': {}", pat, e)))?;
    let mut out: Vec<String> = paths
        .filter_map(|p| p.ok())
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    out.sort();
    Ok(Value::list(out.iter().map(|s| Value::str(s)).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posix_paths() {
        assert_eq!(join("a", &["b".into(), "c".into()]), "a/b/c");
        assert_eq!(join("a/", &["/b".into()]), "/b");
        assert_eq!(split("/a/b/"), ("/a/b".into(), "".into()));
        assert_eq!(split("//x"), ("//".into(), "x".into()));
        assert_eq!(splitext("a/.bashrc"), ("a/.bashrc".into(), "".into()));
        assert_eq!(splitext("a.b/c"), ("a.b/c".into(), "".into()));
        assert_eq!(splitext("x.tar.gz"), ("x.tar".into(), ".gz".into()));
        assert_eq!(splitext("..a"), ("..a".into(), "".into()));
        assert_eq!(normpath("a//b/../c/."), "a/c");
        assert_eq!(normpath("/../a"), "/a");
        assert_eq!(normpath("../../a"), "../../a");
        assert_eq!(normpath("//a"), "//a");
    }
}
