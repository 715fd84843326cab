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
    // a large one must also fit beside what the process already holds
    if bytes >= 16 << 20 {
        return check_room(bytes, &format!("{} would need", what));
    }
    Ok(())
}

/// A MemoryError when `bytes` more do not fit in what the process may still hold;
/// `doing` is the message's start ("the list would grow to").
fn check_room(bytes: u128, doing: &str) -> Result<()> {
    match usage_and_ceiling() {
        Some((used, ceiling)) if bytes > ceiling.saturating_sub(used) => {
            Err(RaskError::memory(format!(
                "{} {}; this process holds {} of the {} it may hold",
                doing,
                human_bytes(bytes),
                human_bytes(used),
                human_bytes(ceiling)
            )))
        }
        _ => Ok(()),
    }
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

/// Fit glibc's malloc to how rask allocates.
///
/// Under an address-space limit, one arena: glibc reserves 64 MB of address space for each
/// thread's own arena, which a limit counts in full (two task threads and the main one
/// used a fifth of a 1 GB limit before holding any data).
///
/// Otherwise, keep freed column-sized buffers for the next task. Tasks allocate and free
/// buffers of a few MB (a partition's columns, a shuffle's pieces); by default glibc maps
/// each one fresh and returns it to the system when freed, so every task pays a page
/// fault per 4 KB it writes (a third of `set_index`'s time on the survey). Buffers up to
/// 32 MB now come from the heap, and up to 128 MB of free heap top is kept before it is
/// given back. Measured on the 27 survey CSVs: page faults of a full read 398k → 42k, and
/// peak RSS of `set_index` went down (434 → 392 MB), as freed blocks are reused.
pub fn fit_allocator_to_limit() {
    // SAFETY: mallopt only sets allocator parameters; called before threads start.
    unsafe {
        if address_space_limit().is_some() {
            libc::mallopt(libc::M_ARENA_MAX, 1);
        } else {
            libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
            libc::mallopt(libc::M_TRIM_THRESHOLD, 128 << 20);
        }
    }
}

/// Before a growing buffer of `len` items of `item_bytes` doubles (at lengths that are
/// powers of two, where `Vec` grows): a MemoryError when the doubled buffer would not fit
/// in what the process may still hold, instead of an abort on the allocation. Cheap: it
/// reads the process's usage only at those lengths, and only past 16 MB.
pub fn check_growth(len: usize, item_bytes: usize, what: &str) -> Result<()> {
    if len < 1 << 16 || !len.is_power_of_two() {
        return Ok(());
    }
    let next = (len as u128) * 2 * item_bytes as u128;
    if next < 16 << 20 {
        return Ok(());
    }
    check_room(next, &format!("{} would grow to", what))
}

/// The system allocator, except that an allocation it refuses ends the process with a
/// MemoryError line and exit status 1 (as a script's error does) instead of Rust's abort
/// (SIGABRT and a core). The checks above refuse what can be foreseen with a catchable
/// MemoryError; this is for what cannot. It must not allocate, so it writes with `write(2)`.
pub struct ExitOnOom;

// SAFETY: every method forwards to `System`, which upholds GlobalAlloc's contract; on a
// refused allocation the process ends without returning.
unsafe impl std::alloc::GlobalAlloc for ExitOnOom {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        let p = std::alloc::System.alloc(layout);
        if p.is_null() {
            out_of_memory(layout.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        let p = std::alloc::System.alloc_zeroed(layout);
        if p.is_null() {
            out_of_memory(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        std::alloc::System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new: usize) -> *mut u8 {
        let p = std::alloc::System.realloc(ptr, layout, new);
        if p.is_null() {
            out_of_memory(new);
        }
        p
    }
}

/// Write "MemoryError: ..." naming the size, then `_exit(1)`; nothing here allocates.
fn out_of_memory(size: usize) -> ! {
    let mut buf = [0u8; 160];
    let mut n = 0;
    let mut put = |b: &[u8]| {
        for &c in b {
            if n < buf.len() {
                buf[n] = c;
                n += 1;
            }
        }
    };
    put(b"MemoryError: out of memory: an allocation of ");
    let mut digits = [0u8; 20];
    let (mut i, mut v) = (digits.len(), size);
    loop {
        i -= 1;
        digits[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    put(&digits[i..]);
    put(b" bytes failed (the machine's memory or the address-space limit is full)\n");
    // SAFETY: write and _exit are async-signal-safe and need no allocation.
    unsafe {
        libc::write(2, buf.as_ptr().cast(), n);
        libc::_exit(1);
    }
}
