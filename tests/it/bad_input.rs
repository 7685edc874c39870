//! The bad-input corpus (issue 12): hostile and broken files, flags, profiles, REST answers and write targets, each
//! run against the real binary with a deadline. Every case asserts its exit status, a short message on stderr that
//! names the input (and, for errors, one `error:` line), no panic or abort, no secret printed, no control character
//! on stderr, no file changed in its directory (or only the ones it may change), and a time bound: a FIFO, a device
//! or a huge file must not hang it or make it allocate gigabytes.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::support::temp_dir;

/// Far above what any case takes (a few hundred milliseconds), far below a hang; debug build on a busy machine.
const DEADLINE: Duration = Duration::from_secs(20);

/// Secrets the cases hand to flinktune; none may appear in anything it prints.
const TOKEN: &str = "tok-3f9a8b7c6d5e4f3a2b1c";
const PASSWORD: &str = "pw-hunter2-s3cr3t";
const USER: &str = "alice";

/// One case: the command line (run in its own directory), what it must print and how it must end.
struct Case {
    name: &'static str,
    args: Vec<String>,
    env: Vec<(&'static str, String)>,
    /// The exit status, or `None` when 0 and 1 are both fine (an input that must only load, not pass).
    status: Option<i32>,
    /// Each must appear on stderr.
    stderr_has: Vec<String>,
    /// Each must appear on stdout.
    stdout_has: Vec<String>,
    /// Files of the case's directory it may change (relative names).
    may_change: Vec<&'static str>,
}

impl Case {
    fn new(name: &'static str, args: &[&str]) -> Self {
        Case {
            name,
            args: args.iter().map(|a| a.to_string()).collect(),
            env: Vec::new(),
            status: Some(2),
            stderr_has: Vec::new(),
            stdout_has: Vec::new(),
            may_change: Vec::new(),
        }
    }

    fn says(mut self, text: impl Into<String>) -> Self {
        self.stderr_has.push(text.into());
        self
    }

    fn shows(mut self, text: impl Into<String>) -> Self {
        self.stdout_has.push(text.into());
        self
    }

    fn status(mut self, status: Option<i32>) -> Self {
        self.status = status;
        self
    }

    fn env(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.env.push((key, value.into()));
        self
    }

    fn may_change(mut self, file: &'static str) -> Self {
        self.may_change.push(file);
        self
    }
}

/// What a directory holds: for each entry, its kind and (for regular files) content and mode.
fn inventory(dir: &Path) -> BTreeMap<PathBuf, String> {
    use std::os::unix::fs::PermissionsExt;
    let mut out = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            let kind = meta.file_type();
            let summary = if kind.is_symlink() {
                format!("link -> {:?}", std::fs::read_link(&path).ok())
            } else if kind.is_dir() {
                pending.push(path.clone());
                "dir".to_string()
            } else if kind.is_file() && meta.len() <= 1 << 20 {
                let content = std::fs::read(&path).unwrap();
                format!("file {:o} {:?}", meta.permissions().mode(), content)
            } else if kind.is_file() {
                format!("big file {}", meta.len())
            } else {
                format!("special {:o}", meta.permissions().mode())
            };
            out.insert(path.strip_prefix(dir).unwrap().to_path_buf(), summary);
        }
    }
    out
}

struct Outcome {
    status: i32,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

fn run_in(dir: &Path, args: &[String], env: &[(&'static str, String)]) -> Outcome {
    let mut command = Command::new(env!("CARGO_BIN_EXE_flinktune"));
    command
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for var in [
        "FLINK_CONF_DIR",
        "FLINK_HOME",
        "FLINKTUNE_REST_TOKEN",
        "FLINKTUNE_REST_USER",
        "FLINKTUNE_REST_PASSWORD",
        "FLINKTUNE_MAX_FILE_SIZE",
    ] {
        command.env_remove(var);
    }
    for (key, value) in env {
        command.env(key, value);
    }
    let started = Instant::now();
    let mut child = command.spawn().unwrap();
    let mut stdout_pipe = child.stdout.take().unwrap();
    let mut stderr_pipe = child.stderr.take().unwrap();
    let stdout_reader = std::thread::spawn(move || {
        let mut text = Vec::new();
        let _ = stdout_pipe.read_to_end(&mut text);
        text
    });
    let stderr_reader = std::thread::spawn(move || {
        let mut text = Vec::new();
        let _ = stderr_pipe.read_to_end(&mut text);
        text
    });
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{args:?} still running after {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let elapsed = started.elapsed();
    Outcome {
        status: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout_reader.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&stderr_reader.join().unwrap()).into_owned(),
        elapsed,
    }
}

/// Runs `case` in `dir` and checks everything a bad input must get right; returns how long it took.
fn check(dir: &Path, case: &Case) -> Duration {
    let before = inventory(dir);
    let out = run_in(dir, &case.args, &case.env);
    let what = format!("case {} ({:?})", case.name, case.args);
    let printed = format!("{}{}", out.stdout, out.stderr);
    assert!(
        !printed.contains("panicked") && out.status != 101 && out.status >= 0 && out.status != 134,
        "{what}: crashed with {}: {}",
        out.status,
        out.stderr
    );
    match case.status {
        Some(status) => assert_eq!(out.status, status, "{what}: {}", out.stderr),
        None => assert!(matches!(out.status, 0 | 1), "{what}: {}", out.stderr),
    }
    for secret in [TOKEN, PASSWORD, "YWxpY2U6cHctaHVudGVyMi1zM2NyM3Q="] {
        assert!(
            !printed.contains(secret),
            "{what}: printed a secret: {printed}"
        );
    }
    assert!(
        !out.stderr.chars().any(|c| c.is_control() && c != '\n'),
        "{what}: a control character on stderr: {:?}",
        out.stderr
    );
    if out.status == 2 {
        // clap adds its own "For more information, try '--help'." to usage errors.
        let lines: Vec<&str> = out
            .stderr
            .lines()
            .filter(|line| !line.is_empty() && !line.starts_with("For more information"))
            .collect();
        assert!(
            (1..=2).contains(&lines.len()) && lines[0].starts_with("error: "),
            "{what}: expected one error line, got {:?}",
            out.stderr
        );
        assert!(
            out.stderr.len() < 2_000,
            "{what}: a {}-byte message",
            out.stderr.len()
        );
    }
    if out.status == 1 && case.stderr_has.is_empty() {
        assert!(
            out.stderr.lines().any(|line| line.starts_with("error: ")),
            "{what}: exit 1 without a reason on stderr: {:?}",
            out.stderr
        );
    }
    for text in &case.stderr_has {
        assert!(
            out.stderr.contains(text.as_str()),
            "{what}: stderr lacks {text:?}: {}",
            out.stderr
        );
    }
    for text in &case.stdout_has {
        assert!(
            out.stdout.contains(text.as_str()),
            "{what}: stdout lacks {text:?}: {}",
            out.stdout
        );
    }
    let mut after = inventory(dir);
    let mut before = before;
    for name in &case.may_change {
        before.remove(Path::new(name));
        after.remove(Path::new(name));
        before.remove(&PathBuf::from(format!("{name}.bak")));
        after.remove(&PathBuf::from(format!("{name}.bak")));
    }
    assert_eq!(before, after, "{what}: files changed");
    out.elapsed
}

fn write(dir: &Path, name: &str, content: impl AsRef<[u8]>) -> String {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path.display().to_string()
}

fn fifo(dir: &Path, name: &str) -> String {
    let path = dir.join(name);
    let made = Command::new("mkfifo").arg(&path).status().unwrap();
    assert!(made.success());
    path.display().to_string()
}

fn symlink(dir: &Path, name: &str, target: impl AsRef<Path>) -> String {
    let path = dir.join(name);
    std::os::unix::fs::symlink(target, &path).unwrap();
    path.display().to_string()
}

fn sparse(dir: &Path, name: &str, bytes: u64) -> String {
    let path = dir.join(name);
    std::fs::File::create(&path)
        .unwrap()
        .set_len(bytes)
        .unwrap();
    path.display().to_string()
}

fn deep_block_yaml(levels: usize) -> String {
    let mut text = String::new();
    for level in 0..levels {
        text.push_str(&" ".repeat(level));
        text.push_str("k:\n");
    }
    text.push_str(&" ".repeat(levels));
    text.push_str("v\n");
    text
}

fn billion_laughs() -> String {
    let mut text = String::from("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..10 {
        let items = vec![format!("*l{}", level - 1); 9].join(", ");
        text.push_str(&format!("l{level}: &l{level} [{items}]\n"));
    }
    text
}

fn many_aliases() -> String {
    let mut text = String::from("base: &b {x: 1}\n");
    for i in 0..60 {
        text.push_str(&format!("k{i}: *b\n"));
    }
    text
}

/// A REST endpoint answering every request with `answer(path, authorization)`, on 127.0.0.1.
fn serve(answer: impl Fn(&str, &str) -> (u16, String) + Send + Sync + 'static) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let answer = Arc::new(answer);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let answer = answer.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut request_line = String::new();
                if reader.read_line(&mut request_line).is_err() {
                    return;
                }
                let path = request_line.split(' ').nth(1).unwrap_or("/").to_string();
                let path = path.split('?').next().unwrap_or("/").to_string();
                let mut authorization = String::new();
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    if let Some(value) = line.strip_prefix("authorization: ") {
                        authorization = value.trim().to_string();
                    }
                }
                let (status, body) = answer(&path, &authorization);
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            });
        }
    });
    url
}

fn overview_json(jobs: &[(String, String)]) -> String {
    let jobs: Vec<String> = jobs
        .iter()
        .map(|(id, name)| {
            format!(
                "{{\"jid\":\"{id}\",\"name\":{},\"state\":\"RUNNING\"}}",
                serde_json::to_string(name).unwrap()
            )
        })
        .collect();
    format!("{{\"jobs\":[{}]}}", jobs.join(","))
}

#[test]
fn bad_inputs_fail_fast_with_one_line_that_names_them() {
    let root = temp_dir("bad-input");
    let mut cases: Vec<(PathBuf, Case)> = Vec::new();
    let mut case_dir = {
        let mut n = 0;
        let root = root.clone();
        move || {
            n += 1;
            let dir = root.join(format!("case{n}"));
            std::fs::create_dir_all(&dir).unwrap();
            dir
        }
    };
    let v = ["--flink-version", "2.3"];
    let check_cmd = |file: &str| -> Vec<String> {
        ["check", "--flink-version", "2.3", file]
            .iter()
            .map(|s| s.to_string())
            .collect()
    };
    macro_rules! add {
        ($dir:expr, $case:expr) => {
            cases.push(($dir, $case))
        };
    }

    // Files named to `check`.
    let d = case_dir();
    add!(
        d.clone(),
        Case::new("missing file", &[]).says("cannot read")
    );
    cases.last_mut().unwrap().1.args = check_cmd(&d.join("nope.yaml").display().to_string());
    for (name, path, says) in [
        ("dev zero", "/dev/zero", "character device"),
        ("dev urandom", "/dev/urandom", "character device"),
        // `check DIR` reads a conf dir: the root holds no config file for the release.
        ("root dir", "/", "reads no configuration file in /"),
    ] {
        let mut case = Case::new(name, &[]).says(says);
        case.args = check_cmd(path);
        add!(case_dir(), case);
    }
    let d = case_dir();
    let path = fifo(&d, "config.yaml");
    let mut case = Case::new("fifo", &[]).says("a FIFO");
    case.args = check_cmd(&path);
    add!(d, case);
    let d = case_dir();
    let path = symlink(&d, "config.yaml", "config.yaml");
    let mut case = Case::new("symlink loop", &[]).says("config.yaml");
    case.args = check_cmd(&path);
    add!(d, case);
    let d = case_dir();
    let path = symlink(&d, "config.yaml", "/nonexistent/x");
    let mut case = Case::new("dangling symlink", &[]).says("cannot read");
    case.args = check_cmd(&path);
    add!(d, case);
    let d = case_dir();
    let path = sparse(&d, "config.yaml", 3 << 30);
    let mut case = Case::new("3 GB file", &[]).says("FLINKTUNE_MAX_FILE_SIZE");
    case.args = check_cmd(&path);
    add!(d, case);
    let d = case_dir();
    let path = write(&d, "config.yaml", "a: b\n".repeat(1000));
    let mut case = Case::new("over a lowered cap", &[])
        .env("FLINKTUNE_MAX_FILE_SIZE", "1k")
        .says("larger than");
    case.args = check_cmd(&path);
    add!(d, case);

    // Hostile or broken YAML, through check, memory and explain.
    let yaml_cases: Vec<(&'static str, Vec<u8>, Option<&'static str>)> = vec![
        ("not utf-8", b"a: \xff\xfe\n".to_vec(), Some("UTF-8")),
        (
            "7000 levels of block nesting",
            deep_block_yaml(7000).into_bytes(),
            Some("nest"),
        ),
        (
            "100000 levels of flow nesting",
            format!("a: {}x\n", "[".repeat(100_000)).into_bytes(),
            Some("config.yaml"),
        ),
        (
            "billion laughs",
            billion_laughs().into_bytes(),
            Some("aliases"),
        ),
        (
            "60 aliases to a mapping",
            many_aliases().into_bytes(),
            Some("aliases"),
        ),
        ("duplicate key", b"a: 1\na: 2\n".to_vec(), Some("duplicate")),
        ("null value", b"a: ~\n".to_vec(), Some("null")),
        (
            "two documents",
            b"a: 1\n---\nb: 2\n".to_vec(),
            Some("single document"),
        ),
        ("top-level scalar", b"just text\n".to_vec(), Some("mapping")),
        (
            "unterminated flow",
            b"a: [1, 2\n".to_vec(),
            Some("config.yaml"),
        ),
        ("null key", b"~: 1\n".to_vec(), Some("null")),
        (
            "complex key",
            b"? [a]\n: 1\n".to_vec(),
            Some("plain scalars"),
        ),
        (
            "alias to nothing",
            b"a: *nope\n".to_vec(),
            Some("config.yaml"),
        ),
    ];
    for (name, content, says) in yaml_cases {
        for command in ["check", "memory"] {
            let d = case_dir();
            let path = write(&d, "config.yaml", &content);
            let mut case = Case::new(name, &[]);
            case.args = match command {
                "check" => check_cmd(&path),
                _ => ["memory", "--flink-version", "2.3", "--conf", &path]
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
            };
            if let Some(says) = says {
                case = case.says(says);
            }
            add!(d, case);
        }
    }
    // Inputs that must load, quickly and without growing.
    for (name, content) in [
        (
            "32 nested sequences in 70 bytes",
            format!("a: {}x{}\n", "[".repeat(32), "]".repeat(32)),
        ),
        ("one 1 MB value", format!("a: {}\n", "x".repeat(1 << 20))),
        (
            "control characters in keys",
            "\u{1b}]0;pwned\u{7}key: 1\nbell\u{7}: 2\n".to_string(),
        ),
        (
            "byte order mark",
            "\u{feff}parallelism.default: 4\n".to_string(),
        ),
    ] {
        let d = case_dir();
        let path = write(&d, "config.yaml", &content);
        let mut case = Case::new(name, &[]).status(None);
        case.args = check_cmd(&path);
        add!(d, case);
    }
    let d = case_dir();
    let path = write(
        &d,
        "config.yaml",
        "taskmanager.memory.process.size: 1g\ntaskmanager.memory.managed.fraction: 1.0\n",
    );
    let mut case = Case::new("memory Flink refuses", &[])
        .status(Some(1))
        .says("would refuse");
    case.args = ["memory", "--flink-version", "2.3", "--conf", &path]
        .iter()
        .map(|s| s.to_string())
        .collect();
    add!(d, case);
    // Flink refuses the fraction, not the size: the finding sits on the fraction's own line.
    let d = case_dir();
    let path = write(
        &d,
        "config.yaml",
        "taskmanager.memory.process.size: 1g\ntaskmanager.memory.managed.fraction: 1.0\n",
    );
    let mut case = Case::new("check a managed fraction Flink refuses", &[])
        .status(Some(1))
        .says("error level")
        .shows("\"key\": \"taskmanager.memory.managed.fraction\",\n    \"line\": 2,");
    case.args = check_cmd(&path);
    case.args
        .extend(["--format".to_string(), "json".to_string()]);
    add!(d, case);
    let d = case_dir();
    let path = write(&d, "config.yaml", "taskmanager.memory.process.size: lots\n");
    let mut case = Case::new("check findings at error level", &[])
        .status(Some(1))
        .says("error level");
    case.args = check_cmd(&path);
    add!(d, case);

    // Conf directories.
    let d = case_dir();
    let file = write(&d, "plain", "a: 1\n");
    add!(
        d,
        Case::new(
            "conf dir is a file",
            &["memory", v[0], v[1], "--conf-dir", &file]
        )
        .says("not a directory")
    );
    let d = case_dir();
    fifo(&d, "config.yaml");
    let dir = d.display().to_string();
    add!(
        d,
        Case::new(
            "conf dir holds a FIFO",
            &["memory", v[0], v[1], "--conf-dir", &dir]
        )
        .says("a FIFO")
    );
    let d = case_dir();
    symlink(&d, "config.yaml", "config.yaml");
    let dir = d.display().to_string();
    add!(
        d,
        Case::new(
            "conf dir holds a link loop",
            &["memory", v[0], v[1], "--conf-dir", &dir]
        )
        .says("config.yaml")
    );
    let d = case_dir();
    add!(
        d,
        Case::new(
            "conf dir missing",
            &["memory", v[0], v[1], "--conf-dir", "/nonexistent/conf"]
        )
        .says("/nonexistent/conf")
    );
    let d = case_dir();
    std::fs::create_dir(d.join("config.yaml")).unwrap();
    let dir = d.display().to_string();
    add!(
        d,
        Case::new(
            "conf dir holds a directory",
            &["memory", v[0], v[1], "--conf-dir", &dir]
        )
        .says("a directory")
    );

    // Flags.
    let url = "http://127.0.0.1:9";
    for (name, args, says) in [
        (
            "samples 0",
            vec!["metrics", "--from-cluster", url, "--samples", "0"],
            "--samples",
        ),
        (
            "samples 1e8",
            vec!["metrics", "--from-cluster", url, "--samples", "100000000"],
            "--samples",
        ),
        (
            "concurrency 0",
            vec!["metrics", "--from-cluster", url, "--concurrency", "0"],
            "--concurrency",
        ),
        (
            "concurrency 1e6",
            vec!["metrics", "--from-cluster", url, "--concurrency", "1000000"],
            "--concurrency",
        ),
        (
            "request timeout 0",
            vec!["metrics", "--from-cluster", url, "--request-timeout", "0s"],
            "--request-timeout",
        ),
        (
            "bad interval",
            vec!["metrics", "--from-cluster", url, "--interval", "soon"],
            "--interval",
        ),
        (
            "explain -p 0",
            vec!["explain", "-p", "0", "parallelism.default"],
            "-p",
        ),
        (
            "explain -p huge",
            vec!["explain", "-p", "99999999999", "parallelism.default"],
            "-p",
        ),
        ("cores 0", vec!["host", "--cores", "0"], "0"),
        (
            "cores 0.001",
            vec!["host", "--cores", "0.001"],
            "--cores 0.001 is below the smallest CPU share",
        ),
        (
            "recommend cores 0.001",
            vec!["recommend", "--cores", "0.001", "--memory", "32g"],
            "at least --cores 0.01",
        ),
        ("cores nan", vec!["host", "--cores", "NaN"], "NaN"),
        ("cores negative", vec!["host", "--cores=-1"], "-1"),
        ("memory 0", vec!["host", "--memory", "0"], "0"),
        (
            "memory zebras",
            vec!["host", "--memory", "12 zebras"],
            "zebras",
        ),
        ("hosts 0", vec!["host", "--hosts", "0"], "0"),
        (
            "old release",
            vec!["memory", "--flink-version", "1.14"],
            "1.14",
        ),
        (
            "garbage release",
            vec!["memory", "--flink-version", "latest"],
            "latest",
        ),
        (
            "-D without =",
            vec!["memory", "--flink-version", "2.3", "-D", "novalue"],
            "novalue",
        ),
        (
            "unknown profile",
            vec![
                "recommend",
                "--flink-version",
                "2.3",
                "--cores",
                "4",
                "--memory",
                "16g",
                "--profile",
                "nosuch",
            ],
            "nosuch",
        ),
    ] {
        add!(case_dir(), Case::new(name, &args).says(says));
    }

    // Profile files.
    let recommend = |profile: &str| -> Vec<String> {
        [
            "recommend",
            "--flink-version",
            "2.3",
            "--cores",
            "4",
            "--memory",
            "16g",
            "--profile",
            profile,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    for (name, content, says) in [
        ("profile deep nesting", deep_block_yaml(7000), "nest"),
        ("profile billion laughs", billion_laughs(), "aliases"),
        (
            "profile unknown field",
            "workload: io\nstate-sise: 1g\n".to_string(),
            "state-sise",
        ),
        (
            "profile bad size",
            "state-size: lots\n".to_string(),
            "state-size",
        ),
        (
            "profile bad duration",
            "checkpoint-interval: often\n".to_string(),
            "checkpoint-interval",
        ),
        (
            "profile not a mapping",
            "- a\n- b\n".to_string(),
            "profile.yaml",
        ),
    ] {
        let d = case_dir();
        let path = write(&d, "profile.yaml", content);
        let mut case = Case::new(name, &[]).says(says);
        case.args = recommend(&path);
        add!(d, case);
    }
    let d = case_dir();
    let path = write(&d, "profile.yaml", b"workload: \xff\n");
    let mut case = Case::new("profile not utf-8", &[]).says("UTF-8");
    case.args = recommend(&path);
    add!(d, case);
    let d = case_dir();
    let path = fifo(&d, "profile.yaml");
    let mut case = Case::new("profile fifo", &[]).says("a FIFO");
    case.args = recommend(&path);
    add!(d, case);
    let mut case = Case::new("profile dev zero", &[]).says("character device");
    case.args = recommend("/dev/zero");
    add!(case_dir(), case);
    let d = case_dir();
    let path = sparse(&d, "profile.yaml", 1 << 30);
    let mut case = Case::new("profile 1 GB", &[]).says("larger than");
    case.args = recommend(&path);
    add!(d, case);

    // REST URLs and credential files.
    let metrics = |extra: &[&str]| -> Vec<String> {
        let mut args: Vec<String> = [
            "metrics",
            "--from-cluster",
            "http://127.0.0.1:9",
            "--request-timeout",
            "2s",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        args.extend(extra.iter().map(|s| s.to_string()));
        args
    };
    let secret_url = format!("http://{USER}:{PASSWORD}@jm:badport");
    add!(
        case_dir(),
        Case::new(
            "password in a bad URL",
            &["metrics", "--from-cluster", &secret_url]
        )
        .says("<redacted>")
    );
    let secret_url = format!("http://{USER}:{PASSWORD}@127.0.0.1:9");
    add!(
        case_dir(),
        Case::new(
            "password in a good URL",
            &["metrics", "--from-cluster", &secret_url]
        )
        .says("FLINKTUNE_REST_USER")
    );
    add!(
        case_dir(),
        Case::new("ftp URL", &["metrics", "--from-cluster", "ftp://jm:21"]).says("http")
    );
    add!(
        case_dir(),
        Case::new("empty URL", &["metrics", "--from-cluster", ""]).says("empty")
    );
    for (name, content, says) in [
        ("empty token file", "", "is empty"),
        ("blank token file", "  \n\n", "is empty"),
    ] {
        let d = case_dir();
        let path = write(&d, "token", content);
        let mut case = Case::new(name, &[]).says(says);
        case.args = metrics(&["--token-file", &path]);
        add!(d, case);
    }
    let d = case_dir();
    let path = write(&d, "token", "x".repeat(100_000));
    let mut case = Case::new("100 KB token file", &[]).says("larger than");
    case.args = metrics(&["--token-file", &path]);
    add!(d, case);
    let d = case_dir();
    let path = fifo(&d, "token");
    let mut case = Case::new("token fifo", &[]).says("a FIFO");
    case.args = metrics(&["--token-file", &path]);
    add!(d, case);
    let mut case = Case::new("token dev zero", &[]).says("character device");
    case.args = metrics(&["--token-file", "/dev/zero"]);
    add!(case_dir(), case);
    let mut case = Case::new("token missing", &[]).says("/nonexistent/token");
    case.args = metrics(&["--token-file", "/nonexistent/token"]);
    add!(case_dir(), case);
    let mut case = Case::new("CA dev urandom", &[]).says("character device");
    case.args = metrics(&["--ca-cert", "/dev/urandom"]);
    add!(case_dir(), case);
    let mut case = Case::new("CA missing", &[]).says("/nonexistent/ca.pem");
    case.args = metrics(&["--ca-cert", "/nonexistent/ca.pem"]);
    add!(case_dir(), case);
    let d = case_dir();
    let path = fifo(&d, "ca.pem");
    let mut case = Case::new("CA fifo", &[]).says("a FIFO");
    case.args = metrics(&["--ca-cert", &path]);
    add!(d, case);
    let d = case_dir();
    let path = write(
        &d,
        "ca.pem",
        "-----BEGIN CERTIFICATE-----\n!!!not base64!!!\n-----END CERTIFICATE-----\n",
    );
    let mut case = Case::new("CA bad base64", &[]).says("ca.pem");
    case.args = metrics(&["--ca-cert", &path]);
    add!(d, case);
    let d = case_dir();
    let path = write(&d, "ca.pem", "no pem here\n");
    let mut case = Case::new("CA without PEM", &[]).says("ca.pem");
    case.args = metrics(&["--ca-cert", &path]);
    add!(d, case);
    let d = case_dir();
    let path = write(&d, "client.pem", "garbage\n");
    let mut case = Case::new("client cert garbage", &[]).says("client.pem");
    case.args = metrics(&["--client-cert", &path]);
    add!(d, case);
    let d = case_dir();
    let path = sparse(&d, "ca.pem", 1 << 30);
    let mut case = Case::new("CA 1 GB", &[]).says("larger than");
    case.args = metrics(&["--ca-cert", &path]);
    add!(d, case);

    // REST servers that misbehave.
    let echo = serve(|_, authorization| {
        (
            401,
            format!("{{\"errors\":[\"Unauthorized; you sent Authorization: {authorization}\"]}}"),
        )
    });
    let d = case_dir();
    let token = write(&d, "token", format!("{TOKEN}\n"));
    add!(
        d,
        Case::new(
            "401 echoes the bearer token",
            &["metrics", "--from-cluster", &echo, "--token-file", &token]
        )
        .says("401")
    );
    add!(
        case_dir(),
        Case::new(
            "401 echoes basic credentials",
            &["metrics", "--from-cluster", &echo]
        )
        .env("FLINKTUNE_REST_USER", USER)
        .env("FLINKTUNE_REST_PASSWORD", PASSWORD)
        .says("401")
    );
    let hostile = serve(|path, _| {
        if path == "/jobs/overview" {
            let jobs = vec![
                (
                    "a".repeat(32),
                    "\u{1b}]0;pwned\u{7}job\r\nerror: forged".to_string(),
                ),
                ("b".repeat(32), "\u{1b}[2Jclear".to_string()),
            ];
            (200, overview_json(&jobs))
        } else {
            (
                500,
                "{\"errors\":[\"\u{1b}[31mboom\nerror: forged\"]}".to_string(),
            )
        }
    });
    add!(
        case_dir(),
        Case::new(
            "job names with escapes",
            &["metrics", "--from-cluster", &hostile]
        )
        .says("several running jobs")
    );
    let many = serve(|path, _| {
        if path == "/jobs/overview" {
            let jobs: Vec<(String, String)> = (0..60_000)
                .map(|i| (format!("{i:032x}"), format!("job {i}")))
                .collect();
            (200, overview_json(&jobs))
        } else {
            (404, "{}".to_string())
        }
    });
    add!(
        case_dir(),
        Case::new("60000 running jobs", &["metrics", "--from-cluster", &many]).says("more")
    );
    let garbage = serve(|_, _| (200, "<html>not json</html>".to_string()));
    add!(
        case_dir(),
        Case::new(
            "HTML instead of JSON",
            &["metrics", "--from-cluster", &garbage]
        )
        .says("JSON")
    );
    let failing = serve(|_, _| (500, "\u{1b}]0;title\u{7}\u{9b}31m oops".to_string()));
    add!(
        case_dir(),
        Case::new(
            "500 with escapes",
            &[
                "metrics",
                "--from-cluster",
                &failing,
                "--request-timeout",
                "2s"
            ]
        )
        .says("500")
    );
    let zero = serve(|path, _| match path {
        "/jobs/overview" => (200, overview_json(&[("c".repeat(32), "j".to_string())])),
        _ if path.starts_with("/jobs/") && path.matches('/').count() == 2 => (
            200,
            format!(
                "{{\"jid\":\"{}\",\"name\":\"j\",\"state\":\"RUNNING\",\"vertices\":[{{\"id\":\"v\",\"name\":\"v\",\"parallelism\":0}}]}}",
                "c".repeat(32)
            ),
        ),
        "/overview" => (
            200,
            "{\"flink-version\":\"2.3.0\",\"slots-total\":1}".to_string(),
        ),
        "/taskmanagers" => (200, "{\"taskmanagers\":[]}".to_string()),
        "/jobmanager/config" | "/taskmanagers/metrics" => (200, "[]".to_string()),
        _ => (404, "{}".to_string()),
    });
    add!(
        case_dir(),
        Case::new("parallelism 0", &["metrics", "--from-cluster", &zero]).says("parallelism")
    );
    add!(
        case_dir(),
        Case::new(
            "nothing listening",
            &["metrics", "--from-cluster", "http://127.0.0.1:9"]
        )
        .says("REST URL")
    );

    // Write targets.
    let recommend_to = |target: &str, force: bool| -> Vec<String> {
        let mut args: Vec<String> = [
            "recommend",
            "--flink-version",
            "2.3",
            "--cores",
            "4",
            "--memory",
            "16g",
            "-o",
            target,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        if force {
            args.push("--force".to_string());
        }
        args
    };
    let mut case = Case::new("force over /dev/null", &[]).says("character device");
    case.args = recommend_to("/dev/null", true);
    add!(case_dir(), case);
    let d = case_dir();
    let outside = write(&d, "outside.txt", "precious\n");
    let link = symlink(&d, "config.yaml", &outside);
    let mut case = Case::new("force over a symlink", &[]).says("symbolic link");
    case.args = recommend_to(&link, true);
    add!(d, case);
    let d = case_dir();
    let target = fifo(&d, "config.yaml");
    let mut case = Case::new("force over a FIFO", &[]).says("a FIFO");
    case.args = recommend_to(&target, true);
    add!(d, case);
    let d = case_dir();
    std::fs::create_dir(d.join("sub")).unwrap();
    std::fs::create_dir(d.join("sub").join("config.yaml")).unwrap();
    // -o DIR writes DIR/config.yaml, which here is a directory.
    let target = d.join("sub").display().to_string();
    let mut case = Case::new("force over a directory", &[]).says("config.yaml");
    case.args = recommend_to(&target, true);
    add!(d, case);
    let d = case_dir();
    let target = write(&d, "config.yaml", "mine: true\n");
    let mut case = Case::new("foreign file without force", &[]).says("--force");
    case.args = recommend_to(&target, false);
    add!(d, case);
    let d = case_dir();
    let outside = write(&d, "outside.txt", "precious\n");
    for pid in 0..50 {
        symlink(&d, &format!(".config.yaml.flinktune-{pid}.tmp"), &outside);
    }
    let target = d.join("config.yaml").display().to_string();
    let mut case = Case::new("planted temporary-file symlinks", &[])
        .status(Some(0))
        .may_change("config.yaml");
    case.args = recommend_to(&target, false);
    add!(d, case);
    let d = case_dir();
    let target = sparse(&d, "config.yaml", 1 << 30);
    let mut case = Case::new("check against a 1 GB file", &[])
        .status(Some(1))
        .says("differs");
    case.args = recommend_to(&target, false);
    case.args.push("--check".to_string());
    // recommend --check says why on stderr in its own words (the diff), not with `error:`.
    case.stderr_has.clear();
    case.stderr_has.push("differs".to_string());
    cases.push((d, case));

    // migrate.
    let migrate = |input: &str, output: &str, force: bool| -> Vec<String> {
        let mut args: Vec<String> = ["migrate", "--flink-version", "2.3", input, "-o", output]
            .iter()
            .map(|s| s.to_string())
            .collect();
        if force {
            args.push("--force".to_string());
        }
        args
    };
    // A NUL in a value: Flink's YAML reader refuses it. (A lone CR is no bad input: migrate splits the line there as
    // Flink's legacy reader does, paths_cli.)
    let d = case_dir();
    let input = write(&d, "flink-conf.yaml", "a: x\u{0}y\n");
    let output = d.join("config.yaml").display().to_string();
    let mut case = Case::new("migrate NUL in a value", &[]).says("U+0000");
    case.args = migrate(&input, &output, false);
    add!(d, case);
    let d = case_dir();
    let input = write(&d, "flink-conf.yaml", "a: 1\n");
    let output = write(&d, "config.yaml", "keep: me\n");
    let mut case = Case::new("migrate over a file without force", &[]).says("--force");
    case.args = migrate(&input, &output, false);
    add!(d, case);
    let d = case_dir();
    let input = write(&d, "flink-conf.yaml", "a: 1\n");
    let mut case = Case::new("migrate force over /dev/null", &[]).says("character device");
    case.args = migrate(&input, "/dev/null", true);
    add!(d, case);
    let mut case = Case::new("migrate dev zero", &[]).says("character device");
    case.args = migrate("/dev/zero", "/tmp/never-written.yaml", false);
    add!(case_dir(), case);
    let d = case_dir();
    let input = fifo(&d, "flink-conf.yaml");
    let output = d.join("config.yaml").display().to_string();
    let mut case = Case::new("migrate fifo", &[]).says("a FIFO");
    case.args = migrate(&input, &output, false);
    add!(d, case);

    let mut slowest = (Duration::ZERO, "");
    for (dir, case) in &cases {
        let elapsed = check(dir, case);
        if elapsed > slowest.0 {
            slowest = (elapsed, case.name);
        }
    }
    assert!(cases.len() >= 80, "{} cases", cases.len());
    eprintln!(
        "bad-input corpus: {} cases, slowest {} in {:?}",
        cases.len(),
        slowest.1,
        slowest.0
    );
}

#[test]
fn force_keeps_mode_and_a_backup() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir("bad-input-force");
    let target = dir.join("config.yaml");
    std::fs::write(&target, "secret: yes\n").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600)).unwrap();
    let args: Vec<String> = [
        "recommend",
        "--flink-version",
        "2.3",
        "--cores",
        "4",
        "--memory",
        "16g",
        "-o",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain([target.display().to_string(), "--force".to_string()])
    .collect();
    let out = run_in(&dir, &args, &[]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(out.stderr.contains("config.yaml.bak"), "{}", out.stderr);
    let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert_eq!(
        std::fs::read_to_string(dir.join("config.yaml.bak")).unwrap(),
        "secret: yes\n"
    );
}
