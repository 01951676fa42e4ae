//! Time and memory budgets for hostile input: a case runs the `insyn` binary as a child
//! process, whose wall time and peak memory must stay within [`TIME`] and [`MEMORY`]. The
//! peak is read from the child's `/proc/PID/status` (`VmHWM`) while it runs: the kernel's
//! count in `wait4` starts from the parent's own peak (a child spawned by vfork and exec
//! inherits it), and this test process is large. A child that runs past three times the time budget is
//! killed, so the next quadratic path or memory blow-up fails the suite instead of hanging
//! the machine.

use std::fs::File;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Wall time a case may take: the release binary is held to 2 s; a debug build (what
/// `cargo test` builds) runs our own code unoptimised, several times slower.
pub const TIME: Duration = if cfg!(debug_assertions) {
    Duration::from_secs(10)
} else {
    Duration::from_secs(2)
};

/// Peak memory (resident set) a case may take.
pub const MEMORY: u64 = 300 << 20;

/// What a budgeted run of the binary did.
#[allow(dead_code)] // Not every area reads every field.
pub struct Measured {
    pub elapsed: Duration,
    /// Peak resident memory, bytes.
    pub max_rss: u64,
    /// The exit code; `None` when killed (by us, past the budget, or by a signal: a panic
    /// with `panic = "abort"`, a crash).
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Measured {
    /// Panics, naming `case`, when the run broke its budget or was killed; else `self`.
    pub fn assert_within_budget(self, case: &str) -> Measured {
        assert!(
            self.elapsed <= TIME,
            "{case}: took {:.1} s (budget {:.0} s)",
            self.elapsed.as_secs_f64(),
            TIME.as_secs_f64()
        );
        assert!(
            self.max_rss <= MEMORY,
            "{case}: peaked at {} MB (budget {} MB)",
            self.max_rss >> 20,
            MEMORY >> 20
        );
        assert!(
            self.code.is_some(),
            "{case}: the process was killed or crashed\n{}",
            self.stderr
        );
        assert_ne!(
            self.code,
            Some(101),
            "{case}: the process panicked\n{}",
            self.stderr
        );
        self
    }
}

/// Runs `insyn ARGS` in `dir` within the budget (killing it at three times the time budget).
pub fn run(args: &[&str], dir: &Path) -> Measured {
    let out = tempfile::tempdir().expect("a temporary folder");
    let stdout_path = out.path().join("stdout");
    let stderr_path = out.path().join("stderr");
    let started = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_insyn"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(File::create(&stdout_path).expect("a stdout file"))
        .stderr(File::create(&stderr_path).expect("a stderr file"))
        .spawn()
        .expect("insyn runs");
    let (code, max_rss) = wait(child, 3 * TIME);
    Measured {
        elapsed: started.elapsed(),
        max_rss,
        code,
        stdout: std::fs::read_to_string(stdout_path).unwrap_or_default(),
        stderr: std::fs::read_to_string(stderr_path).unwrap_or_default(),
    }
}

/// Waits for `child` (killing it after `limit`); its exit code and peak memory in bytes.
fn wait(mut child: std::process::Child, limit: Duration) -> (Option<i32>, u64) {
    let started = Instant::now();
    let pid = child.id() as libc::pid_t;
    let status_file = format!("/proc/{pid}/status");
    let mut peak = 0u64;
    loop {
        if let Some(hwm) = std::fs::read_to_string(&status_file)
            .ok()
            .and_then(|s| high_water_mark(&s))
        {
            peak = peak.max(hwm);
        }
        let mut status = 0;
        // SAFETY: a plain system call on our own child's pid, with valid pointers; `usage` is
        // plain data that the kernel fills.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        let done = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if done == pid {
            let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
            return (code, peak);
        }
        if done < 0 {
            return (None, 0);
        }
        if started.elapsed() > limit {
            let _ = child.kill();
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// `VmHWM` of a `/proc/PID/status`, in bytes (absent once the process has exited).
fn high_water_mark(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
