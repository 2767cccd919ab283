//! Long calls: the work runs on its own thread with the GIL released, while the calling thread
//! wakes every 0.1 s to check for Ctrl-C (Python's signal handlers) and to call the user's
//! progress callback. An interrupt (or an exception from the callback) sets a flag; the next
//! progress tick of the work unwinds it with a private payload, which is caught here, so the
//! work stops at its next step and the exception reaches Python.

use crate::convert::to_py_err;
use nanomag::error::{ConfigError, Error};
use nanomag::progress::Watch;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

/// Most worker threads a call may ask for.
pub const MAX_THREADS: i64 = 1024;

/// How often the calling thread checks for signals and reports progress.
const POLL: Duration = Duration::from_millis(100);

/// Unwinding payload of a cancelled call.
struct Interrupted;

/// Progress shared between the work and the calling thread.
#[derive(Default)]
pub struct Ticker {
    done: AtomicU64,
    total: AtomicU64,
    cancel: AtomicBool,
}

impl Watch for Ticker {
    fn total(&self, n: u64) {
        self.total.fetch_add(n, Ordering::Relaxed);
    }
    /// Counts `k` more units; stops the work here when the call was cancelled.
    fn inc(&self, k: u64) {
        self.done.fetch_add(k, Ordering::Relaxed);
        if self.cancel.load(Ordering::Relaxed) {
            resume_unwind(Box::new(Interrupted));
        }
    }
}

/// The rayon pool of `threads` workers (None: the global pool, one per core).
fn pool(threads: Option<i64>) -> PyResult<Option<rayon::ThreadPool>> {
    let Some(n) = threads else { return Ok(None) };
    if !(1..=MAX_THREADS).contains(&n) {
        let e = ConfigError::new("threads", n, format!("must be a whole number from 1 to {MAX_THREADS}"));
        return Err(to_py_err(Error::Config(e)));
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(n as usize)
        .build()
        .map(Some)
        .map_err(|e| PyRuntimeError::new_err(format!("thread pool: {e}")))
}

/// Runs `work` off the GIL (see the module docs) and returns its result as Python sees it.
pub fn run<T: Send>(
    py: Python<'_>,
    progress: Option<&Bound<'_, PyAny>>,
    threads: Option<i64>,
    work: impl FnOnce(&Ticker) -> Result<T, Error> + Send,
) -> PyResult<T> {
    let pool = pool(threads)?;
    let ticker = Ticker::default();
    let finished = (Mutex::new(false), Condvar::new());
    std::thread::scope(|s| {
        let handle = s.spawn(|| {
            let go = || work(&ticker);
            let r = catch_unwind(AssertUnwindSafe(|| match &pool {
                Some(p) => p.install(go),
                None => go(),
            }));
            *finished.0.lock().unwrap_or_else(|e| e.into_inner()) = true;
            finished.1.notify_all();
            r
        });
        let mut reported = None;
        let mut failure: Option<PyErr> = None;
        loop {
            let done = py.detach(|| {
                let g = finished.0.lock().unwrap_or_else(|e| e.into_inner());
                let (g, _) = finished.1.wait_timeout_while(g, POLL, |f| !*f).unwrap_or_else(|e| e.into_inner());
                *g
            });
            if failure.is_none() {
                let now = (ticker.done.load(Ordering::Relaxed), ticker.total.load(Ordering::Relaxed));
                let r = py.check_signals().and_then(|_| match progress {
                    Some(cb) if reported != Some(now) => cb.call1(now).map(|_| reported = Some(now)),
                    _ => Ok(()),
                });
                if let Err(e) = r {
                    ticker.cancel.store(true, Ordering::Relaxed);
                    failure = Some(e);
                }
            }
            if done {
                break;
            }
        }
        let outcome = py.detach(|| handle.join()).unwrap_or_else(Err);
        if let Some(e) = failure {
            return Err(e);
        }
        match outcome {
            Ok(r) => r.map_err(to_py_err),
            Err(payload) if payload.is::<Interrupted>() => Err(PyRuntimeError::new_err("interrupted")),
            Err(payload) => {
                let what = payload
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                Err(PyRuntimeError::new_err(format!("nanomag internal error (please report): {what}")))
            }
        }
    })
}
