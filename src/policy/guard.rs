//! Hard bounds around one evaluation unit (a rule, an `exception`, a test): it runs on a
//! worker thread while the caller waits with a deadline and watches the memory cap
//! (`crate::limits`). regorus checks its own timer only between statements, so a single
//! builtin such as `numbers.range(1, 1e9)` would otherwise run (and allocate) unbounded.
//!
//! A unit that runs past the deadline or over the cap is abandoned: its thread keeps its
//! memory and sleeps (or spins on) until the process exits, which the error it causes makes
//! happen promptly (exit code 2). The engine lent to it is lost, so callers stop at the
//! first runaway rather than evaluating anything else on it.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use anyhow::{anyhow, Context, Result};
use regorus::Engine;

use crate::error::Located;
use crate::limits;
use crate::position::Pos;

/// How often the waiting thread looks at the memory cap's flag.
const POLL: Duration = Duration::from_millis(20);
/// The worker's stack: regorus recurses on deeply nested policies and values.
const STACK: usize = 16 << 20;

static NEXT_WORKER: AtomicU64 = AtomicU64::new(1);
static RAN_AWAY: AtomicBool = AtomicBool::new(false);
/// The unit each running worker evaluates, to name the one that went over the cap from any
/// waiting thread.
static RUNNING: Mutex<Option<HashMap<u64, Unit>>> = Mutex::new(None);

/// What is evaluated, for messages: `rule `no-huge``, and where it is defined.
#[derive(Debug, Clone)]
pub struct Unit {
    pub what: String,
    pub file: String,
    pub line: u32,
}

impl Unit {
    pub fn new(what: impl Into<String>, file: impl Into<String>, line: u32) -> Self {
        Unit {
            what: what.into(),
            file: file.into(),
            line,
        }
    }

    fn error(&self, message: String, help: &str) -> anyhow::Error {
        let pos = Pos {
            line: self.line,
            column: u32::from(self.line > 0),
        };
        Located::new(self.file.clone(), pos, message)
            .with_help(help)
            .into()
    }

    /// The error for a unit whose evaluation returned `e`: stopped by regorus's timer, or a
    /// runtime error reported with the unit's file and line.
    pub fn failed(&self, e: &anyhow::Error, timeout: Duration) -> anyhow::Error {
        let msg = e.to_string();
        if msg.contains("time limit") {
            self.timed_out(timeout)
        } else {
            anyhow!(
                "{}:{}: {} failed while evaluating:\n{msg}",
                self.file,
                self.line,
                self.what
            )
        }
    }

    /// The error for a unit stopped by `timeout` (by the hard deadline or regorus's timer).
    pub fn timed_out(&self, timeout: Duration) -> anyhow::Error {
        self.error(
            format!(
                "{} ran longer than {}s and was stopped",
                self.what,
                timeout.as_secs_f64()
            ),
            "look for a loop over a large collection or a builtin building one (e.g. `numbers.range` over a wide span) in the policy, or raise --timeout (PLANCHECK_TIMEOUT, `timeout` in .plancheck.toml)",
        )
    }

    fn over_cap(&self) -> anyhow::Error {
        self.error(
            format!(
                "{} needed more memory than the cap of {} and was stopped",
                self.what,
                limits::show(limits::cap())
            ),
            "look for a builtin or comprehension building a huge collection (e.g. `numbers.range` over a wide span) in the policy, or raise the cap with --max-memory (PLANCHECK_MAX_MEMORY, `max-memory` in .plancheck.toml)",
        )
    }
}

/// Whether a unit was abandoned in this process (its engine is gone: stop evaluating).
pub fn ran_away() -> bool {
    RAN_AWAY.load(Relaxed)
}

/// Runs `f` on `engine` on a worker thread, within `timeout` and the memory cap. The outer
/// error is a runaway (the engine is then left empty); the inner result is `f`'s own.
pub fn eval<T: Send + 'static>(
    engine: &mut Engine,
    unit: &Unit,
    timeout: Duration,
    f: impl FnOnce(&mut Engine) -> T + Send + 'static,
) -> Result<T> {
    let mut lent = std::mem::take(engine);
    let (back, out) = run(unit, timeout, move || {
        let out = f(&mut lent);
        (lent, out)
    })?;
    *engine = back;
    Ok(out)
}

/// Runs `f` on a worker thread and waits for it until `timeout`, or until some evaluation
/// goes over the memory cap.
pub fn run<T: Send + 'static>(
    unit: &Unit,
    timeout: Duration,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T> {
    let worker = NEXT_WORKER.fetch_add(1, Relaxed);
    running(|r| r.insert(worker, unit.clone()));
    let (tx, rx) = mpsc::sync_channel(1);
    let handle = std::thread::Builder::new()
        .name(format!("plancheck-eval-{worker}"))
        .stack_size(STACK)
        .spawn(move || {
            limits::enter_worker(worker);
            let _ = tx.send(f());
            limits::flush_thread();
        })
        .context("cannot start a thread to evaluate the policies")?;
    let deadline = Instant::now() + timeout;
    let outcome = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left.min(POLL)) {
            Ok(out) => {
                let _ = handle.join();
                break Ok(out);
            }
            Err(RecvTimeoutError::Disconnected) => {
                break Err(anyhow!(
                    "{}:{}: {} panicked while evaluating (a bug in the Rego engine; please report it with the policy)",
                    unit.file,
                    unit.line,
                    unit.what
                ));
            }
            Err(RecvTimeoutError::Timeout) => {}
        }
        if let Some(w) = limits::tripped() {
            RAN_AWAY.store(true, Relaxed);
            let culprit = running(|r| r.get(&w).cloned()).unwrap_or_else(|| unit.clone());
            break Err(culprit.over_cap());
        }
        if Instant::now() >= deadline {
            RAN_AWAY.store(true, Relaxed);
            break Err(unit.timed_out(timeout));
        }
    };
    if outcome.is_ok() {
        running(|r| r.remove(&worker));
    }
    outcome
}

fn running<T>(f: impl FnOnce(&mut HashMap<u64, Unit>) -> T) -> T {
    let mut guard = RUNNING.lock().unwrap_or_else(PoisonError::into_inner);
    f(guard.get_or_insert_with(HashMap::new))
}
