//! The `flinktune` binary as the tests run it: a small builder over the binary cargo built for this test run (as
//! casey/just's `Test`), so that a test reads as the command line it runs and what it expects of the result.

use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;

/// The environment flinktune reads (the conf directory, Flink's legacy heap variables, colour): cleared for every run,
/// so that nothing leaks in from the machine; a test that is about one of them sets it with [`Flinktune::env`].
const CLEARED_ENVIRONMENT: [&str; 5] = [
    "FLINK_CONF_DIR",
    "FLINK_HOME",
    "FLINK_TM_HEAP",
    "FLINK_JM_HEAP",
    "NO_COLOR",
];

/// One run of the binary: the command line, then what the test expects (checked by [`Flinktune::run`]).
#[derive(Debug)]
pub(crate) struct Flinktune {
    command: Command,
    status: Option<i32>,
    stdout: Option<String>,
    stderr: Option<String>,
    /// What the binary reads on stdin (none: stdin is closed).
    stdin: Option<String>,
}

/// What a run printed and how it exited.
#[derive(Debug)]
pub(crate) struct Run {
    /// The exit status (-1 when a signal ended the process).
    pub(crate) status: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Flinktune {
    /// The binary with no arguments and a clean environment.
    pub(crate) fn new() -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_flinktune"));
        for var in CLEARED_ENVIRONMENT {
            command.env_remove(var);
        }
        Flinktune {
            command,
            status: None,
            stdout: None,
            stderr: None,
            stdin: None,
        }
    }

    /// `flinktune recommend`, to be given a host ([`Flinktune::host`]) and whatever the test is about.
    pub(crate) fn recommend() -> Self {
        Flinktune::new().arg("recommend")
    }

    pub(crate) fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.command.arg(arg);
        self
    }

    pub(crate) fn args(mut self, args: impl IntoIterator<Item = impl AsRef<OsStr>>) -> Self {
        self.command.args(args);
        self
    }

    /// Runs in `dir`, where relative `-o` paths land.
    pub(crate) fn current_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.command.current_dir(dir);
        self
    }

    pub(crate) fn env(mut self, key: &str, value: impl AsRef<OsStr>) -> Self {
        self.command.env(key, value);
        self
    }

    /// `--cores`, `--memory` and `--disk`, so that the advice does not depend on the machine running the tests.
    pub(crate) fn host(self, host: Host) -> Self {
        self.args([
            "--cores",
            host.cores,
            "--memory",
            host.memory,
            "--disk",
            host.disk,
        ])
    }

    /// `--flink-version`.
    pub(crate) fn flink_version(self, version: &str) -> Self {
        self.args(["--flink-version", version])
    }

    /// `--profile`: a shipped profile's name or a profile file.
    pub(crate) fn profile(self, profile: impl AsRef<OsStr>) -> Self {
        self.arg("--profile").arg(profile)
    }

    /// `--checkpoint-dir`.
    pub(crate) fn checkpoint_dir(self, uri: &str) -> Self {
        self.args(["--checkpoint-dir", uri])
    }

    /// `--format`.
    pub(crate) fn format(self, format: &str) -> Self {
        self.args(["--format", format])
    }

    /// `-o`: the file or directory to write.
    pub(crate) fn output(self, path: impl AsRef<OsStr>) -> Self {
        self.arg("-o").arg(path)
    }

    /// Expects this exit status.
    pub(crate) fn status(mut self, status: i32) -> Self {
        self.status = Some(status);
        self
    }

    /// Expects exactly this on stdout.
    pub(crate) fn stdout(mut self, text: &str) -> Self {
        self.stdout = Some(text.to_string());
        self
    }

    /// Expects exactly this on stderr.
    pub(crate) fn stderr(mut self, text: &str) -> Self {
        self.stderr = Some(text.to_string());
        self
    }

    /// Expects exit status 0 and nothing on stderr.
    pub(crate) fn quiet_success(self) -> Run {
        self.status(0).stderr("").run()
    }

    /// Expects exit status 0 (stderr is shown when it is not).
    pub(crate) fn success(self) -> Run {
        self.status(0).run()
    }

    /// The command as built so far, for a caller that runs it itself (the outcome bench spawns `recommend
    /// --from-cluster` beside a running job); no test needs it.
    #[allow(dead_code)]
    pub(crate) fn into_command(self) -> Command {
        self.command
    }

    /// Feeds `text` to the binary's stdin.
    pub(crate) fn stdin(mut self, text: &str) -> Self {
        self.stdin = Some(text.to_string());
        self
    }

    /// Runs the binary to its end, checks what the test expects, and returns what it printed.
    pub(crate) fn run(mut self) -> Run {
        let output = match &self.stdin {
            None => self.command.output().expect("run flinktune"),
            Some(text) => {
                use std::io::Write;
                let mut child = self
                    .command
                    .stdin(std::process::Stdio::piped())
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .expect("run flinktune");
                // Written whole and closed before waiting: configs are small, far below a pipe's buffer.
                child
                    .stdin
                    .take()
                    .unwrap()
                    .write_all(text.as_bytes())
                    .unwrap();
                child.wait_with_output().expect("run flinktune")
            }
        };
        let run = Run {
            status: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        };
        let command = format!("{:?}", self.command);
        if let Some(status) = self.status {
            assert_eq!(run.status, status, "{command}: {}", run.stderr);
        }
        if let Some(stdout) = &self.stdout {
            assert_eq!(&run.stdout, stdout, "{command}: stdout");
        }
        if let Some(stderr) = &self.stderr {
            assert_eq!(&run.stderr, stderr, "{command}: stderr");
        }
        run
    }

    /// Expects a usage or input error: exit status 2, nothing on stdout and one line `error: ...` on stderr, which it
    /// returns.
    pub(crate) fn error(self) -> String {
        let run = self.status(2).stdout("").run();
        assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
        run.stderr
    }
}

/// A host named on the command line.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Host {
    pub(crate) cores: &'static str,
    memory: &'static str,
    disk: &'static str,
}

impl Host {
    /// 4 cores, 16 GiB, SSD.
    pub(crate) const SMALL: Host = Host::new("4", "16g", "ssd");
    /// 8 cores, 32 GiB, SSD: the usual worker.
    pub(crate) const MEDIUM: Host = Host::new("8", "32g", "ssd");
    /// 16 cores, 64 GiB, SSD.
    pub(crate) const LARGE: Host = Host::new("16", "64g", "ssd");

    pub(crate) const fn new(cores: &'static str, memory: &'static str, disk: &'static str) -> Host {
        Host {
            cores,
            memory,
            disk,
        }
    }

    pub(crate) const fn with_cores(self, cores: &'static str) -> Host {
        Host { cores, ..self }
    }

    pub(crate) const fn on_hdd(self) -> Host {
        Host {
            disk: "hdd",
            ..self
        }
    }
}
