//! A real standalone Flink cluster for tests: a JobManager and N TaskManagers started by Flink's own scripts
//! (`bin/jobmanager.sh start`, `bin/taskmanager.sh start`) from a given conf directory, bound to localhost on free
//! ports, with pid files, logs and config in the test's own work directory, so that clusters of concurrent tests
//! never collide. Stopped on drop, a panicking test included; nothing of it outlives the test process unless that
//! process is killed outright.

use std::collections::{BTreeMap, HashSet};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use flinktune::FlinkVersion;
use flinktune::conf_source::{self, ConfigSource, FileFormat};
use flinktune::{Value, parse_standard_yaml};

/// The JVM module flags Flink needs on Java 17; the shipped conf sets them, a tuned conf usually does not.
use flinktune::JAVA_OPTIONS_KEY as JAVA_OPTS_KEY;

/// How the harness itself reaches the cluster's REST API (to wait for it and read it).
#[derive(Debug, Clone)]
pub(crate) enum RestAccess {
    /// Plain HTTP, by [`http_get`].
    Plain,
    /// REST SSL (`security.ssl.rest.*` in the given conf), by `curl` with the CA's PEM certificate and a PEM file
    /// holding a client certificate and its key (for client authentication): independent of flinktune's own client.
    Tls {
        ca_cert: PathBuf,
        client_pem: PathBuf,
    },
}

/// A running standalone cluster. Dropping it stops every process it started.
pub(crate) struct Cluster {
    home: PathBuf,
    work: PathBuf,
    conf_dir: PathBuf,
    log_dir: PathBuf,
    pid_dir: PathBuf,
    rest_port: u16,
    access: RestAccess,
    stopped: bool,
}

impl std::fmt::Debug for Cluster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Cluster(rest {}, work {})",
            self.rest_url(),
            self.work.display()
        )
    }
}

impl Cluster {
    /// Starts a JobManager and `taskmanagers` TaskManagers of the distribution `home` with the configuration of
    /// `conf_dir` plus cluster-local settings (localhost, free ports, pid and log dirs under `work`), and waits until
    /// the JobManager's REST API answers. Panics, with the tail of the logs, if it does not come up.
    pub(crate) fn start(home: &Path, conf_dir: &Path, work: &Path, taskmanagers: u32) -> Cluster {
        Self::start_with(home, conf_dir, work, taskmanagers, RestAccess::Plain)
    }

    /// [`Cluster::start`] for a conf whose REST API the harness reaches as `access` says (e.g. REST SSL).
    pub(crate) fn start_with(
        home: &Path,
        conf_dir: &Path,
        work: &Path,
        taskmanagers: u32,
        access: RestAccess,
    ) -> Cluster {
        let cluster = Self::prepare(home, conf_dir, work, access);
        cluster.script("jobmanager.sh", "start");
        for _ in 0..taskmanagers {
            cluster.script("taskmanager.sh", "start");
        }
        cluster.wait_for_rest();
        cluster
    }

    /// Starts a JobManager and `taskmanagers` TaskManagers from the config file of `conf_dir` exactly as written: its
    /// own addresses and ports (the REST API on `rest_port`, which the file sets), nothing merged in. Only the pid
    /// and log directories are the harness's, which Flink's scripts take from the environment. For tests of what a
    /// file itself says about the cluster's network (`recommend --base`); it must bind to localhost.
    pub(crate) fn start_as_written(
        home: &Path,
        conf_dir: &Path,
        work: &Path,
        taskmanagers: u32,
        rest_port: u16,
    ) -> Cluster {
        let (conf, log_dir, pid_dir) = directories(home, conf_dir, work);
        let cluster = Cluster {
            home: home.to_path_buf(),
            work: work.to_path_buf(),
            conf_dir: conf,
            log_dir,
            pid_dir,
            rest_port,
            access: RestAccess::Plain,
            stopped: false,
        };
        cluster.script("jobmanager.sh", "start");
        for _ in 0..taskmanagers {
            cluster.script("taskmanager.sh", "start");
        }
        cluster.wait_for_rest();
        cluster
    }

    /// The conf, log and pid directories of a cluster under `work`, as [`Cluster::start_with`] writes them, with no
    /// process started: for tests that start the daemons themselves (with the environment of
    /// [`Cluster::environment`]) and still want them stopped on drop.
    pub(crate) fn prepare(
        home: &Path,
        conf_dir: &Path,
        work: &Path,
        access: RestAccess,
    ) -> Cluster {
        let (conf, log_dir, pid_dir) = directories(home, conf_dir, work);
        let rest_port = free_port();
        let settings: Vec<(&str, String)> = vec![
            ("rest.port", rest_port.to_string()),
            ("rest.bind-port", rest_port.to_string()),
            ("rest.address", "localhost".into()),
            ("rest.bind-address", "localhost".into()),
            ("jobmanager.rpc.address", "localhost".into()),
            ("jobmanager.rpc.port", free_port().to_string()),
            ("jobmanager.bind-host", "localhost".into()),
            ("taskmanager.host", "localhost".into()),
            ("taskmanager.bind-host", "localhost".into()),
            ("taskmanager.rpc.port", "0".into()),
            ("taskmanager.data.port", "0".into()),
            ("blob.server.port", "0".into()),
            ("metrics.internal.query-service.port", "0".into()),
            ("env.pid.dir", pid_dir.display().to_string()),
            ("env.log.dir", log_dir.display().to_string()),
        ];
        let version = version_of(home);
        let loaded = conf_source::load(&ConfigSource::Dir(conf.clone()), version, &[])
            .unwrap_or_else(|error| panic!("cluster conf {}: {error}", conf_dir.display()));
        let text = std::fs::read_to_string(&loaded.file).unwrap();
        let merged = merge(&text, &loaded.configuration, loaded.format, &settings);
        std::fs::write(&loaded.file, merged).unwrap();

        Cluster {
            home: home.to_path_buf(),
            work: work.to_path_buf(),
            conf_dir: conf,
            log_dir,
            pid_dir,
            rest_port,
            access,
            stopped: false,
        }
    }

    /// Waits until the JobManager's REST API answers; panics, with the tail of the logs, if it does not come up.
    pub(crate) fn wait_for_rest(&self) {
        let deadline = Instant::now() + Duration::from_secs(90);
        while !matches!(self.try_get("/overview"), Ok((200, _))) {
            if Instant::now() > deadline || !self.any_alive() {
                panic!(
                    "Flink cluster in {} did not come up (REST on localhost:{}):\n{}",
                    self.work.display(),
                    self.rest_port,
                    self.log_tail()
                );
            }
            std::thread::sleep(Duration::from_millis(250));
        }
    }

    /// The environment Flink's scripts run with for this cluster: its conf, log and pid directories.
    pub(crate) fn environment(&self) -> [(&'static str, &Path); 3] {
        [
            ("FLINK_CONF_DIR", &self.conf_dir),
            ("FLINK_LOG_DIR", &self.log_dir),
            ("FLINK_PID_DIR", &self.pid_dir),
        ]
    }

    /// The REST API's port on localhost.
    pub(crate) fn rest_port(&self) -> u16 {
        self.rest_port
    }

    /// `http://localhost:PORT`, or `https://` with REST SSL.
    pub(crate) fn rest_url(&self) -> String {
        let scheme = match self.access {
            RestAccess::Plain => "http",
            RestAccess::Tls { .. } => "https",
        };
        format!("{scheme}://localhost:{}", self.rest_port)
    }

    /// The conf directory the cluster runs with (the given one plus the cluster-local settings).
    pub(crate) fn conf_dir(&self) -> &Path {
        &self.conf_dir
    }

    /// Where the JobManager and TaskManager logs go.
    pub(crate) fn log_dir(&self) -> &Path {
        &self.log_dir
    }

    /// Polls `GET /taskmanagers` until at least `n` TaskManagers are registered with their slots reported and returns
    /// that response. (A TaskManager is listed first with `slotsNumber` 0 and zero `totalResource`; its slot report
    /// follows a moment later.) Panics, with the tail of the logs, after `timeout`.
    pub(crate) fn wait_for_taskmanagers(&self, n: usize, timeout: Duration) -> serde_json::Value {
        let deadline = Instant::now() + timeout;
        loop {
            if let Ok((200, body)) = self.try_get("/taskmanagers") {
                let json: serde_json::Value = serde_json::from_str(&body)
                    .unwrap_or_else(|error| panic!("GET /taskmanagers: {error}: {body}"));
                let ready = json["taskmanagers"].as_array().map_or(0, |tms| {
                    tms.iter()
                        .filter(|tm| tm["slotsNumber"].as_u64().is_some_and(|slots| slots > 0))
                        .count()
                });
                if ready >= n {
                    return json;
                }
            }
            if Instant::now() > deadline {
                panic!(
                    "{n} TaskManager(s) did not register within {timeout:?}:\n{}",
                    self.log_tail()
                );
            }
            std::thread::sleep(Duration::from_millis(250));
        }
    }

    /// `PUT path` with a JSON body (plain HTTP clusters); the status and the answer.
    pub(crate) fn rest_put(&self, path: &str, json: &str) -> (u16, String) {
        http_request(self.rest_port, "PUT", path, Some(json))
            .unwrap_or_else(|error| panic!("PUT {path}: {error}"))
    }

    /// `GET path` (a metrics request) answered from a refreshed metric store: the JobManager refreshes it in the
    /// background when a metrics request finds it over 10 s old, and answers that request from the old store
    /// (flinktune::rest::collect::METRIC_FETCH_WAIT). So: one metrics request, a wait, then `path`.
    pub(crate) fn fresh_metrics(&self, path: &str) -> serde_json::Value {
        let _ = self.try_get("/jobmanager/metrics");
        std::thread::sleep(flinktune::rest::collect::METRIC_FETCH_WAIT);
        self.rest_get(path)
    }

    /// `GET path` on the REST API (e.g. `/overview`), parsed; panics unless the answer is 200 with JSON.
    pub(crate) fn rest_get(&self, path: &str) -> serde_json::Value {
        match self.try_get(path) {
            Ok((200, body)) => serde_json::from_str(&body)
                .unwrap_or_else(|error| panic!("GET {path}: {error}: {body}")),
            Ok((status, body)) => panic!("GET {path}: HTTP {status}: {body}"),
            Err(error) => panic!("GET {path}: {error}"),
        }
    }

    /// `GET path`: the status code and body, or why there was no answer.
    pub(crate) fn try_get(&self, path: &str) -> Result<(u16, String), String> {
        match &self.access {
            RestAccess::Plain => http_get(self.rest_port, path),
            RestAccess::Tls {
                ca_cert,
                client_pem,
            } => curl_get(&format!("{}{path}", self.rest_url()), ca_cert, client_pem),
        }
    }

    /// Stops the TaskManagers and the JobManager with Flink's scripts, then kills whatever they left running.
    pub(crate) fn stop(&mut self) {
        if self.stopped {
            return;
        }
        self.stopped = true;
        let pids = self.pids();
        self.script("taskmanager.sh", "stop-all");
        self.script("jobmanager.sh", "stop");
        for pid in pids {
            if self.is_ours(pid) {
                let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
            }
        }
    }

    /// The last lines of every log and stdout file of the cluster, for failure messages.
    pub(crate) fn log_tail(&self) -> String {
        let mut tails = String::new();
        let mut files: Vec<PathBuf> = std::fs::read_dir(&self.log_dir)
            .map(|dir| {
                dir.filter_map(|entry| entry.ok().map(|e| e.path()))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            let lines: Vec<&str> = text.lines().collect();
            let tail = &lines[lines.len().saturating_sub(40)..];
            tails.push_str(&format!(
                "==> {} <==\n{}\n",
                file.display(),
                tail.join("\n")
            ));
        }
        tails
    }

    /// Runs `bin/SCRIPT ACTION` with the cluster's environment; a failing script is reported with the logs.
    fn script(&self, script: &str, action: &str) {
        let output = Command::new("bash")
            .arg(self.home.join("bin").join(script))
            .arg(action)
            .env("FLINK_CONF_DIR", &self.conf_dir)
            .env("FLINK_LOG_DIR", &self.log_dir)
            .env("FLINK_PID_DIR", &self.pid_dir)
            .env_remove("FLINK_HOME")
            .env_remove("FLINK_TM_HEAP")
            .env_remove("FLINK_JM_HEAP")
            .env_remove("FLINK_ENV_JAVA_OPTS")
            .output()
            .expect("bash");
        if !output.status.success() && !self.stopped {
            panic!(
                "bin/{script} {action} failed: {}{}\n{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr),
                self.log_tail()
            );
        }
    }

    /// The process ids of the cluster's JobManager and TaskManagers, from the pid files Flink's scripts write.
    pub(crate) fn pids(&self) -> Vec<u32> {
        std::fs::read_dir(&self.pid_dir)
            .map(|dir| {
                dir.filter_map(|entry| entry.ok())
                    .filter_map(|entry| std::fs::read_to_string(entry.path()).ok())
                    .flat_map(|text| {
                        text.lines()
                            .filter_map(|line| line.trim().parse().ok())
                            .collect::<Vec<u32>>()
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Whether `pid` is alive and one of this cluster's JVMs (its command line names our log dir), so that a reused
    /// pid is never killed.
    fn is_ours(&self, pid: u32) -> bool {
        std::fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|cmdline| {
            String::from_utf8_lossy(&cmdline).contains(&*self.log_dir.to_string_lossy())
        })
    }

    fn any_alive(&self) -> bool {
        self.pids().into_iter().any(|pid| self.is_ours(pid))
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The conf, log and pid directories of a cluster under `work`, emptied: the conf holds the distribution's files (the
/// log4j files the daemons' logging needs) with `conf_dir`'s over them, and no other config file.
fn directories(home: &Path, conf_dir: &Path, work: &Path) -> (PathBuf, PathBuf, PathBuf) {
    std::fs::create_dir_all(work).unwrap();
    let conf = work.join("conf");
    let log_dir = work.join("log");
    let pid_dir = work.join("pid");
    for dir in [&conf, &log_dir, &pid_dir] {
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir).unwrap();
    }
    copy_dir(&home.join("conf"), &conf);
    for name in ["config.yaml", "flink-conf.yaml"] {
        let _ = std::fs::remove_file(conf.join(name));
    }
    copy_dir(conf_dir, &conf);
    (conf, log_dir, pid_dir)
}

/// The version of the distribution at `home`, from its `lib/flink-dist-VERSION.jar`.
pub(crate) fn version_of(home: &Path) -> FlinkVersion {
    std::fs::read_dir(home.join("lib"))
        .unwrap()
        .filter_map(|entry| entry.ok())
        .find_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            name.strip_prefix("flink-dist-")
                .and_then(|rest| rest.strip_suffix(".jar"))
                .and_then(|version| version.parse().ok())
        })
        .unwrap_or_else(|| panic!("no lib/flink-dist-*.jar in {}", home.display()))
}

/// A port nobody listens on right now (bound on 127.0.0.1 and released), never handed out twice by this process.
pub(crate) fn free_port() -> u16 {
    static GIVEN: Mutex<Option<HashSet<u16>>> = Mutex::new(None);
    let mut given = GIVEN.lock().unwrap();
    let given = given.get_or_insert_with(HashSet::new);
    loop {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        if given.insert(port) {
            return port;
        }
    }
}

/// The `env.java.opts.all` line of the distribution's shipped conf/config.yaml, for hand-written test confs: Flink's
/// CLI and daemons need its module opens on Java 17. The harness adds nothing of the kind itself, so a config file
/// flinktune emitted is started exactly as written (it once lacked them, and an injecting harness hid that).
pub(crate) fn shipped_java_options_line(home: &Path) -> String {
    format!("{JAVA_OPTS_KEY}: {}\n", shipped_java_opts(home))
}

fn shipped_java_opts(home: &Path) -> String {
    let path = home.join("conf/config.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let loaded = parse_standard_yaml(&path.display().to_string(), &text).unwrap();
    loaded
        .configuration
        .get(JAVA_OPTS_KEY)
        .unwrap_or_else(|| panic!("{} sets no {JAVA_OPTS_KEY}", path.display()))
        .value
        .java_string()
}

/// The config file's text with `settings` in place of any value it had for those keys, each key once. A flat
/// file (every entry a `key: value` line at column 0) keeps its lines byte for byte apart from the replaced ones; a
/// nested YAML file is written out flat from its parsed form.
fn merge(
    text: &str,
    configuration: &flinktune::Configuration,
    format: FileFormat,
    settings: &[(&str, String)],
) -> String {
    let overridden: HashSet<&str> = settings.iter().map(|(key, _)| *key).collect();
    let is_entry = |line: &str| !line.trim().is_empty() && !line.trim_start().starts_with('#');
    let flat = format == FileFormat::Legacy
        || text
            .lines()
            .filter(|line| is_entry(line))
            .all(|line| !line.starts_with([' ', '\t', '-']) && !line.trim_end().ends_with(':'));
    let mut out = String::new();
    if flat {
        for line in text.lines() {
            let key = line.split_once(':').map(|(key, _)| key.trim());
            if is_entry(line) && key.is_some_and(|key| overridden.contains(key)) {
                continue;
            }
            out.push_str(line);
            out.push('\n');
        }
    } else {
        let entries: BTreeMap<&str, &Value> = configuration
            .iter()
            .filter(|(key, _)| !overridden.contains(key))
            .map(|(key, entry)| (key, &entry.value))
            .collect();
        for (key, value) in entries {
            let value = match value {
                Value::Text(text) => yaml_quoted(text),
                other => other.java_string(),
            };
            out.push_str(&format!("{key}: {value}\n"));
        }
    }
    out.push_str("# cluster-local settings of tests/it/support/cluster.rs\n");
    for (key, value) in settings {
        let value = match format {
            FileFormat::Legacy => value.clone(),
            FileFormat::StandardYaml => yaml_quoted(value),
        };
        out.push_str(&format!("{key}: {value}\n"));
    }
    out
}

/// A YAML single-quoted scalar.
fn yaml_quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in
        std::fs::read_dir(from).unwrap_or_else(|error| panic!("{}: {error}", from.display()))
    {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

/// A minimal HTTP/1.1 GET against localhost:`port` (`Connection: close`, body read to the end, chunked or not).
pub(crate) fn http_get(port: u16, path: &str) -> Result<(u16, String), String> {
    http_request(port, "GET", path, None)
}

/// One plain HTTP/1.1 request with an optional JSON body; the status and the (de-chunked) body.
pub(crate) fn http_request(
    port: u16,
    method: &str,
    path: &str,
    json: Option<&str>,
) -> Result<(u16, String), String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    let body = json.unwrap_or("");
    let content = json.map_or(String::new(), |body| {
        format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        )
    });
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: localhost:{port}\r\nAccept: application/json\r\n{content}Connection: close\r\n\r\n{body}"
    )
    .map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).map_err(|e| e.to_string())?;
    let split = raw
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .ok_or_else(|| format!("no end of headers in {:?}", String::from_utf8_lossy(&raw)))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let body = &raw[split + 4..];
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| format!("no status in {head:?}"))?;
    let chunked = head.lines().any(|line| {
        line.to_ascii_lowercase()
            .replace(' ', "")
            .starts_with("transfer-encoding:chunked")
    });
    let body = if chunked {
        dechunk(body)?
    } else {
        body.to_vec()
    };
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}

/// A GET over HTTPS with `curl`, trusting `ca_cert` and presenting the certificate and key in `client_pem`.
fn curl_get(url: &str, ca_cert: &Path, client_pem: &Path) -> Result<(u16, String), String> {
    /// Written after the body by `--write-out`, then the status code.
    const STATUS_MARK: &str = "\n--status:";
    let output = Command::new("curl")
        .args(["--silent", "--show-error", "--max-time", "30"])
        .arg("--cacert")
        .arg(ca_cert)
        .arg("--cert")
        .arg(client_pem)
        .args(["--header", "Accept: application/json"])
        .args(["--write-out", &format!("{STATUS_MARK}%{{http_code}}")])
        .arg(url)
        .output()
        .map_err(|e| format!("curl: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    if !output.status.success() {
        return Err(format!(
            "curl {url}: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let (body, status) = stdout
        .rsplit_once(STATUS_MARK)
        .ok_or_else(|| format!("curl {url}: no status in {stdout:?}"))?;
    let status = status
        .trim()
        .parse()
        .map_err(|e| format!("curl {url}: status {status:?}: {e}"))?;
    Ok((status, body.to_string()))
}

fn dechunk(mut body: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    loop {
        let line_end = body
            .windows(2)
            .position(|window| window == b"\r\n")
            .ok_or("truncated chunk size")?;
        let size_text = String::from_utf8_lossy(&body[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .map_err(|e| format!("chunk size {size_text:?}: {e}"))?;
        body = &body[line_end + 2..];
        if size == 0 {
            return Ok(out);
        }
        out.extend_from_slice(body.get(..size).ok_or("truncated chunk")?);
        body = body.get(size + 2..).unwrap_or_default();
    }
}
