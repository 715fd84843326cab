//! Memory and CPU of this process and its worker processes, read from /proc, for
//! `ResourceProfiler` (Dask's tracker sums the process and its children the same way).

use std::collections::HashMap;

/// One process's CPU ticks (user + system) and resident pages.
fn stat(pid: u32) -> Option<(u64, u64)> {
    let s = std::fs::read_to_string(format!("/proc/{}/stat", pid)).ok()?;
    let rest: Vec<&str> = s.rsplit_once(')')?.1.split_whitespace().collect();
    // fields after the name: state(0) ppid(1) ... utime(11) stime(12) ... rss(21)
    let ut: u64 = rest.get(11)?.parse().ok()?;
    let st: u64 = rest.get(12)?.parse().ok()?;
    let rss: u64 = rest.get(21)?.parse().ok()?;
    Some((ut + st, rss))
}

fn parent_of(pid: u32) -> Option<u32> {
    let s = std::fs::read_to_string(format!("/proc/{}/stat", pid)).ok()?;
    s.rsplit_once(')')?
        .1
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// This process and its children.
fn family() -> Vec<u32> {
    let me = std::process::id();
    let mut pids = vec![me];
    if let Ok(dir) = std::fs::read_dir("/proc") {
        for e in dir.flatten() {
            if let Some(p) = e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) {
                if p != me && parent_of(p) == Some(me) {
                    pids.push(p);
                }
            }
        }
    }
    pids
}

/// Successive samples: each gives the memory now and the CPU used since the last one.
pub struct Sampler {
    ticks: HashMap<u32, u64>,
    last: f64,
    tick_hz: f64,
    page: f64,
}

impl Sampler {
    pub fn new() -> Sampler {
        // SAFETY: sysconf reads system constants.
        let (hz, page) = unsafe {
            (
                libc::sysconf(libc::_SC_CLK_TCK),
                libc::sysconf(libc::_SC_PAGESIZE),
            )
        };
        let mut s = Sampler {
            ticks: HashMap::new(),
            last: crate::scheduler::observe::clock(),
            tick_hz: if hz > 0 { hz as f64 } else { 100.0 },
            page: if page > 0 { page as f64 } else { 4096.0 },
        };
        s.sample();
        s
    }

    /// (time, memory in MB, CPU percent since the last sample), as Dask's ResourceData.
    pub fn sample(&mut self) -> (f64, f64, f64) {
        let now = crate::scheduler::observe::clock();
        let mut mem = 0.0;
        let mut used = 0u64;
        let mut seen = HashMap::new();
        for pid in family() {
            if let Some((ticks, rss)) = stat(pid) {
                mem += rss as f64 * self.page;
                let before = self.ticks.get(&pid).copied().unwrap_or(0);
                used += ticks.saturating_sub(before);
                seen.insert(pid, ticks);
            }
        }
        let dt = now - self.last;
        let cpu = if dt > 0.0 {
            used as f64 / self.tick_hz / dt * 100.0
        } else {
            0.0
        };
        self.ticks = seen;
        self.last = now;
        (now, mem / 1e6, cpu)
    }
}
