//! The memory cap of policy evaluation: a counting global allocator, the cap's setting
//! (`--max-memory`, `PLANCHECK_MAX_MEMORY`, `max-memory` in `.plancheck.toml`) and its default.
//!
//! Every allocation of the process is counted. When an allocation made on a thread marked as
//! evaluating a policy would take the process past the cap, that thread is not given the
//! memory: it is flagged ([`tripped`]) and put to sleep for good, so nothing aborts and the
//! waiting thread reports the rule by name (see `policy::guard`). Other threads (reading plan
//! files, rendering the report) are never stopped by the cap.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicIsize, AtomicU64, AtomicUsize, Ordering::Relaxed};
use std::time::Duration;

/// The cap when none is configured: 4 GiB, or half the machine's memory when that is less.
pub const DEFAULT_CAP: u64 = 4 << 30;

/// The smallest cap accepted: below it plancheck's own pack cannot run.
pub const MIN_CAP: u64 = 64 << 20;

/// The counting allocator: the system allocator plus a count of the bytes in use.
pub struct Counting;

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Bytes in use as published by the threads' batches. Signed: a thread may publish frees of
/// memory another thread allocated before that thread publishes the allocation.
static IN_USE: AtomicIsize = AtomicIsize::new(0);
/// The cap in bytes, 0 until configured (no cap).
static CAP: AtomicUsize = AtomicUsize::new(0);
/// The evaluation (worker id) whose allocation first went over the cap, 0 if none did.
static TRIPPED: AtomicU64 = AtomicU64::new(0);

/// How far a thread's own count may drift before it is added to [`IN_USE`]: one shared
/// atomic updated on every allocation of both cores cost a third more CPU on a 10,000-threat
/// check (docs/performance.md); per-thread batches make it a thread-local add. The cap is
/// then exact to this much per thread, far below the smallest cap ([`MIN_CAP`]).
const BATCH: isize = 256 << 10;

thread_local! {
    /// The worker id of the evaluation running on this thread, 0 on every other thread.
    static WORKER: Cell<u64> = const { Cell::new(0) };
    /// Bytes this thread allocated (positive) or freed (negative) not yet in [`IN_USE`].
    static PENDING: Cell<isize> = const { Cell::new(0) };
}

/// Adds `delta` bytes to this thread's batch; returns the batch to publish once it reaches
/// [`BATCH`] either way (or `delta` itself when the thread's storage is gone, at thread exit).
#[inline]
fn batch(delta: isize) -> Option<isize> {
    match PENDING.try_with(|p| {
        let v = p.get() + delta;
        if v.abs() < BATCH {
            p.set(v);
            None
        } else {
            p.set(0);
            Some(v)
        }
    }) {
        Ok(v) => v,
        Err(_) => Some(delta),
    }
}

/// Counts `size` fewer bytes in use.
#[inline]
fn give_back(size: usize) {
    if let Some(v) = batch(-(size.min(isize::MAX as usize) as isize)) {
        publish(v);
    }
}

/// Adds a thread's batch to [`IN_USE`]; returns the new total.
fn publish(v: isize) -> isize {
    IN_USE.fetch_add(v, Relaxed).saturating_add(v)
}

/// Publishes this thread's unpublished count: a thread that ends calls it last, so what it
/// allocated and handed over (or freed) is not lost from the total.
pub fn flush_thread() {
    if let Ok(v) = PENDING.try_with(|p| p.replace(0)) {
        if v != 0 {
            publish(v);
        }
    }
}

impl Counting {
    /// Counts `size` more bytes; false when this thread evaluates a policy and the count
    /// would pass the cap (the caller then never returns, see [`stop_here`]).
    #[inline]
    fn take(size: usize) -> bool {
        let Some(v) = batch(size.min(isize::MAX as usize) as isize) else {
            return true;
        };
        let now = publish(v);
        let cap = CAP.load(Relaxed);
        if cap == 0 || now <= isize::try_from(cap).unwrap_or(isize::MAX) {
            return true;
        }
        let worker = WORKER.try_with(Cell::get).unwrap_or(0);
        if worker == 0 {
            return true;
        }
        // The batch's earlier allocations happened; this one will not.
        IN_USE.fetch_sub(size.min(isize::MAX as usize) as isize, Relaxed);
        let _ = TRIPPED.compare_exchange(0, worker, Relaxed, Relaxed);
        false
    }
}

/// Parks the current (evaluating) thread forever without allocating: its memory stays
/// allocated until the process exits, which the waiting thread makes happen promptly.
fn stop_here() -> ! {
    loop {
        std::thread::sleep(Duration::from_secs(3600));
    }
}

// SAFETY: every call is forwarded to the system allocator unchanged; only counters are kept.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if !Self::take(layout.size()) {
            stop_here();
        }
        // SAFETY: same layout contract as the caller's.
        let p = unsafe { System.alloc(layout) };
        if p.is_null() {
            give_back(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if !Self::take(layout.size()) {
            stop_here();
        }
        // SAFETY: same layout contract as the caller's.
        let p = unsafe { System.alloc_zeroed(layout) };
        if p.is_null() {
            give_back(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` with this layout.
        unsafe { System.dealloc(ptr, layout) };
        give_back(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let old = layout.size();
        if new_size > old && !Self::take(new_size - old) {
            stop_here();
        }
        // SAFETY: `ptr` was allocated by `System` with `layout`; same contract as the caller's.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if p.is_null() {
            if new_size > old {
                give_back(new_size - old);
            }
        } else if new_size < old {
            give_back(old - new_size);
        }
        p
    }
}

/// Sets the cap (bytes) for evaluations from now on.
pub fn set_cap(bytes: u64) {
    CAP.store(usize::try_from(bytes).unwrap_or(usize::MAX), Relaxed);
}

/// The cap in force, in bytes (0: none set yet).
pub fn cap() -> u64 {
    CAP.load(Relaxed) as u64
}

/// The worker whose allocation went over the cap, if one did.
pub fn tripped() -> Option<u64> {
    match TRIPPED.load(Relaxed) {
        0 => None,
        w => Some(w),
    }
}

/// Marks the current thread as running evaluation `worker` (non-zero): the cap applies to it.
pub fn enter_worker(worker: u64) {
    WORKER.with(|w| w.set(worker));
}

/// The default cap: [`DEFAULT_CAP`], or half the physical memory when that is smaller.
pub fn default_cap() -> u64 {
    physical_memory().map_or(DEFAULT_CAP, |m| DEFAULT_CAP.min(m / 2).max(MIN_CAP))
}

/// The machine's memory, from /proc/meminfo (Linux); None elsewhere.
fn physical_memory() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kib: u64 = line
        .trim_start_matches("MemTotal:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    kib.checked_mul(1024)
}

/// Parses a size: a number of bytes, or a number with a unit `K`, `M`, `G`, `T` (powers of
/// 1024; `KiB`, `MB`, `GiB`... are accepted the same way), e.g. `300MiB`, `4G`, `1.5GiB`.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let value: f64 = num.parse().map_err(|_| format!("`{text}` is not a size"))?;
    let unit = unit.trim().to_ascii_lowercase();
    let shift = match unit.trim_end_matches("ib").trim_end_matches('b') {
        "" => 0,
        "k" => 10,
        "m" => 20,
        "g" => 30,
        "t" => 40,
        _ => return Err(format!("`{text}` has an unknown unit `{unit}`")),
    };
    let bytes = value * (1u64 << shift) as f64;
    if !bytes.is_finite() || bytes >= u64::MAX as f64 {
        return Err(format!("`{text}` is too large"));
    }
    let bytes = bytes as u64;
    if bytes < MIN_CAP {
        return Err(format!(
            "`{text}` is below the smallest memory cap, {}",
            show(MIN_CAP)
        ));
    }
    Ok(bytes)
}

/// `max-memory` of `.plancheck.toml`: a size string (`"2GiB"`) or a number of bytes.
pub(crate) fn config_size(
    path: &str,
    text: &str,
    value: &toml::Spanned<toml::Value>,
) -> Result<u64, crate::error::Located> {
    let parsed = match value.get_ref() {
        toml::Value::String(s) => parse_size(s),
        toml::Value::Integer(n) => parse_size(&n.to_string()),
        other => Err(format!("found {}", other.type_str())),
    };
    parsed.map_err(|e| {
        crate::error::Located::new(
            path,
            crate::position::pos_at(text, value.span().start),
            format!("`max-memory` must be a size such as \"2GiB\" or \"512MiB\": {e}"),
        )
        .with_help("the memory cap of policy evaluation: at least 64MiB; the default is 4GiB or half the machine's memory")
    })
}

/// A size for messages: `300 MiB`, `4 GiB`, `1.5 GiB`.
pub fn show(bytes: u64) -> String {
    let units = [(40, "TiB"), (30, "GiB"), (20, "MiB"), (10, "KiB")];
    for (shift, name) in units {
        let unit = 1u64 << shift;
        if bytes >= unit {
            let v = bytes as f64 / unit as f64;
            return if (v - v.round()).abs() < 0.05 {
                format!("{} {name}", v.round())
            } else {
                format!("{v:.1} {name}")
            };
        }
    }
    format!("{bytes} bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_take_binary_units_with_or_without_ib() {
        assert_eq!(parse_size("300MiB"), Ok(300 << 20));
        assert_eq!(parse_size("300M"), Ok(300 << 20));
        assert_eq!(parse_size("4 GiB"), Ok(4 << 30));
        assert_eq!(parse_size("1.5g"), Ok(3 << 29));
        assert_eq!(parse_size("1073741824"), Ok(1 << 30));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("3 parsecs").is_err());
        assert!(parse_size("1MiB").unwrap_err().contains("smallest"));
        assert!(parse_size("").is_err());
    }

    #[test]
    fn sizes_are_shown_in_the_largest_unit() {
        assert_eq!(show(300 << 20), "300 MiB");
        assert_eq!(show(4 << 30), "4 GiB");
        assert_eq!(show(3 << 29), "1.5 GiB");
    }

    #[test]
    fn the_default_cap_is_at_most_4_gib() {
        let cap = default_cap();
        assert!((MIN_CAP..=DEFAULT_CAP).contains(&cap), "{cap}");
    }
}
