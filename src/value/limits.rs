//! What this process can hold: an allocation larger than the machine's memory plus swap,
//! or than the process's address-space limit, is refused with a MemoryError before it is
//! tried (Rust aborts the process on a failed allocation; Python raises MemoryError).

use crate::errors::{RaskError, Result};
use std::sync::OnceLock;

/// The most bytes one allocation may ask for in this process.
pub fn memory_ceiling() -> u128 {
    static CEILING: OnceLock<u128> = OnceLock::new();
    *CEILING.get_or_init(|| {
        let mut total: u128 = 0;
        if let Ok(text) = std::fs::read_to_string("/proc/meminfo") {
            for l in text.lines() {
                if l.starts_with("MemTotal:") || l.starts_with("SwapTotal:") {
                    let kb: u128 = l
                        .split_whitespace()
                        .nth(1)
                        .and_then(|n| n.parse().ok())
                        .unwrap_or(0);
                    total += kb * 1024;
                }
            }
        }
        if total == 0 {
            total = u128::from(u64::MAX);
        }
        address_space_limit().map_or(total, |l| total.min(l))
    })
}

/// `RLIMIT_AS`, where one is set.
pub fn address_space_limit() -> Option<u128> {
    let mut r = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes the struct we pass and reads nothing else.
    let ok = unsafe { libc::getrlimit(libc::RLIMIT_AS, &mut r) } == 0;
    (ok && r.rlim_cur != libc::RLIM_INFINITY).then_some(u128::from(r.rlim_cur))
}

/// Refuse an allocation of `count` items of `item_bytes` each that the machine cannot hold.
pub fn check_alloc(count: u128, item_bytes: u128, what: &str) -> Result<()> {
    let bytes = count.saturating_mul(item_bytes);
    let ceiling = memory_ceiling();
    if bytes > ceiling {
        return Err(RaskError::memory(format!(
            "{} would need {} of memory; this process can hold at most {}",
            what,
            human_bytes(bytes),
            human_bytes(ceiling)
        )));
    }
    Ok(())
}

pub fn human_bytes(b: u128) -> String {
    let units = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];
    let mut x = b as f64;
    let mut i = 0;
    while x >= 1000.0 && i + 1 < units.len() {
        x /= 1000.0;
        i += 1;
    }
    if i == 0 {
        format!("{} B", b)
    } else if x >= 1000.0 {
        format!("{:.3e} {}", x, units[i])
    } else {
        format!("{:.1} {}", x, units[i])
    }
}

/// What this process holds now, against what it may hold: the address space it has mapped
/// against `RLIMIT_AS` where one is set (that is what an allocation fails on), otherwise
/// its resident memory against the machine's (`/proc/self/statm`, one read).
pub fn usage_and_ceiling() -> Option<(u128, u128)> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let mut f = statm.split_whitespace().map(|n| n.parse::<u128>().ok());
    let (size, resident) = (f.next()??, f.next()??);
    // SAFETY: sysconf only reads a constant of the system.
    let page = u128::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) })
        .ok()
        .filter(|&p| p > 0)
        .unwrap_or(4096);
    Some(match address_space_limit() {
        Some(limit) => (size * page, limit),
        None => (resident * page, memory_ceiling()),
    })
}

/// Under an address-space limit, keep malloc to a single arena: glibc reserves 64 MB of
/// address space for each thread's own arena, which a limit counts in full (two task
/// threads and the main one used a fifth of a 1 GB limit before holding any data).
pub fn fit_allocator_to_limit() {
    if address_space_limit().is_some() {
        // SAFETY: mallopt only sets an allocator parameter; called before threads start.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 1);
        }
    }
}
