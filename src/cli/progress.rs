//! A progress line on stderr for `dossier stats` and `dossier export`:
//! shown only on a terminal, and only once the run has taken a second, so
//! quick runs and pipes see nothing of it.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

/// How long a run goes before the progress line appears.
const DELAY: Duration = Duration::from_secs(1);

/// The state a background thread shows: a phase and, while notes are
/// counted, how many are done of how many.
pub struct Progress {
    shared: Arc<Shared>,
    thread: Option<std::thread::JoinHandle<()>>,
}

struct Shared {
    phase: Mutex<String>,
    done: AtomicU64,
    total: AtomicU64,
    finished: AtomicBool,
    wake: std::sync::Condvar,
    lock: Mutex<()>,
}

impl Progress {
    /// Starts watching; nothing is drawn unless stderr is a terminal.
    pub fn start(phase: &str) -> Progress {
        let shared = Arc::new(Shared {
            phase: Mutex::new(phase.to_string()),
            done: AtomicU64::new(0),
            total: AtomicU64::new(0),
            finished: AtomicBool::new(false),
            wake: std::sync::Condvar::new(),
            lock: Mutex::new(()),
        });
        let thread = std::io::stderr().is_terminal().then(|| {
            let shared = shared.clone();
            std::thread::spawn(move || draw(&shared))
        });
        Progress { shared, thread }
    }

    /// A new phase, counting `total` notes (0: not counted).
    pub fn phase(&self, phase: &str, total: u64) {
        *self.shared.phase.lock().unwrap_or_else(|p| p.into_inner()) = phase.to_string();
        self.shared.done.store(0, Ordering::Relaxed);
        self.shared.total.store(total, Ordering::Relaxed);
    }

    /// One more note done (called from any thread).
    pub fn tick(&self) {
        self.shared.done.fetch_add(1, Ordering::Relaxed);
    }

    /// Clears the line, if it was drawn, before the output is written.
    pub fn finish(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        self.shared.finished.store(true, Ordering::SeqCst);
        {
            let _guard = self.shared.lock.lock().unwrap_or_else(|p| p.into_inner());
            self.shared.wake.notify_all();
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Waits out the delay, then redraws ten times a second until finished.
fn draw(shared: &Shared) {
    let guard = shared.lock.lock().unwrap_or_else(|p| p.into_inner());
    let (guard, _) = shared
        .wake
        .wait_timeout_while(guard, DELAY, |_| !shared.finished.load(Ordering::SeqCst))
        .unwrap_or_else(|p| p.into_inner());
    drop(guard);
    if shared.finished.load(Ordering::SeqCst) {
        return;
    }
    let bar = ProgressBar::new(0);
    let style = ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len} notes")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    let spinner = ProgressStyle::with_template("{spinner} {msg}").unwrap_or_else(|_| ProgressStyle::default_spinner());
    while !shared.finished.load(Ordering::SeqCst) {
        let total = shared.total.load(Ordering::Relaxed);
        let phase = shared.phase.lock().unwrap_or_else(|p| p.into_inner()).clone();
        if total > 0 {
            bar.set_style(style.clone());
            bar.set_length(total);
            bar.set_position(shared.done.load(Ordering::Relaxed).min(total));
        } else {
            bar.set_style(spinner.clone());
        }
        bar.set_message(phase);
        bar.tick();
        let guard = shared.lock.lock().unwrap_or_else(|p| p.into_inner());
        let _ = shared.wake.wait_timeout(guard, Duration::from_millis(100));
    }
    bar.finish_and_clear();
}
