//! `rask kernel install`: the kernelspec directory `rask` (kernel.json and two logos) in
//! Jupyter's data directories, as `jupyter kernelspec install` would place it.

use serde_json::json;
use std::path::{Path, PathBuf};

enum Where {
    User,
    Prefix(PathBuf),
    SysPrefix,
}

pub fn main(args: &[String]) -> i32 {
    let mut place = None;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let next = match a {
            "--user" => Some(Where::User),
            "--sys-prefix" => Some(Where::SysPrefix),
            "--prefix" => {
                i += 1;
                match args.get(i) {
                    Some(d) => Some(Where::Prefix(d.into())),
                    None => return fail("--prefix needs a directory"),
                }
            }
            s if s.starts_with("--prefix=") => Some(Where::Prefix(s["--prefix=".len()..].into())),
            other => return fail(&format!("unknown argument {}", other)),
        };
        if place.is_some() {
            return fail("give one of --user, --prefix DIR, --sys-prefix");
        }
        place = next;
        i += 1;
    }
    let dir = match kernels_dir(place.unwrap_or(Where::User)) {
        Ok(d) => d.join("rask"),
        Err(e) => return fail(&e),
    };
    match write_spec(&dir) {
        Ok(()) => {
            println!("Installed kernelspec rask in {}", dir.display());
            0
        }
        Err(e) => fail(&format!("cannot write {}: {}", dir.display(), e)),
    }
}

fn fail(msg: &str) -> i32 {
    eprintln!(
        "rask kernel install: {}\nusage: rask kernel install [--user | --prefix DIR | --sys-prefix]",
        msg
    );
    2
}

/// `.../share/jupyter/kernels` (or the user's data directory's `kernels`).
fn kernels_dir(place: Where) -> Result<PathBuf, String> {
    let data = match place {
        Where::User => user_data_dir()?,
        Where::Prefix(p) => p.join("share").join("jupyter"),
        Where::SysPrefix => sys_prefix()?.join("share").join("jupyter"),
    };
    Ok(data.join("kernels"))
}

/// Jupyter's `jupyter_data_dir()`: $JUPYTER_DATA_DIR, else the platform's place.
fn user_data_dir() -> Result<PathBuf, String> {
    if let Some(d) = std::env::var_os("JUPYTER_DATA_DIR").filter(|d| !d.is_empty()) {
        return Ok(d.into());
    }
    let home = std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
        .ok_or("HOME is not set")?;
    if cfg!(target_os = "macos") {
        return Ok(home.join("Library").join("Jupyter"));
    }
    let xdg = std::env::var_os("XDG_DATA_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| home.join(".local").join("share"));
    Ok(xdg.join("jupyter"))
}

/// The active virtual environment (or conda environment), else python3's `sys.prefix`.
fn sys_prefix() -> Result<PathBuf, String> {
    for var in ["VIRTUAL_ENV", "CONDA_PREFIX"] {
        if let Some(p) = std::env::var_os(var).filter(|p| !p.is_empty()) {
            return Ok(p.into());
        }
    }
    let out = std::process::Command::new("python3")
        .args(["-c", "import sys; print(sys.prefix)"])
        .output()
        .map_err(|e| {
            format!(
                "--sys-prefix: no VIRTUAL_ENV, and python3 did not run: {}",
                e
            )
        })?;
    let prefix = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if !out.status.success() || prefix.is_empty() {
        return Err("--sys-prefix: no VIRTUAL_ENV, and python3 gave no sys.prefix".into());
    }
    Ok(prefix.into())
}

/// Write kernel.json and the logos into `dir`, naming this rask binary.
pub fn write_spec(dir: &Path) -> std::io::Result<()> {
    let exe = std::env::current_exe()?;
    let exe = exe.canonicalize().unwrap_or(exe);
    let spec = json!({
        "argv": [exe.to_string_lossy(), "kernel", "-f", "{connection_file}"],
        "display_name": "rask",
        "language": "python",
        // interrupt_request on the control socket; SIGINT works as well
        "interrupt_mode": "message",
        "metadata": { "debugger": false },
    });
    std::fs::create_dir_all(dir)?;
    let text = serde_json::to_string_pretty(&spec).map_err(std::io::Error::other)?;
    std::fs::write(dir.join("kernel.json"), text + "\n")?;
    for size in [32, 64] {
        let name = format!("logo-{}x{}.png", size, size);
        std::fs::write(dir.join(name), super::logo::png(size))?;
    }
    Ok(())
}
