//! REST SSL end to end against a real Flink 2.3.0 standalone cluster: a CA, a server and a client certificate made
//! with openssl at test time; the cluster's REST endpoint serves the server certificate and demands a client
//! certificate signed by the CA (`security.ssl.rest.authentication-enabled`); Flink's own CLI submits the real test
//! job over that endpoint. `flinktune metrics --from-cluster https://...` reads the job with `--ca-cert` and
//! `--client-cert`, and without either it fails with one line that names the flag to add. Needs Java 17, the
//! distribution, openssl and curl; run by the README's full test command.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::cluster::{Cluster, RestAccess, shipped_java_options_line};
use crate::support::flink::flink_home;
use crate::support::job::{datagen_job_jar, submit_datagen, wait_job_running};
use crate::support::{Flinktune, Run, temp_dir};

/// One small TaskManager: the job runs as one slot-sharing group at parallelism 1.
const CONF: &str = "taskmanager.memory.process.size: 1728m\njobmanager.memory.process.size: 1600m\n\
    taskmanager.numberOfTaskSlots: 2\n";
/// Password of the keystore, its key and the truststore.
const STORE_PASSWORD: &str = "flinktune";
/// Days the test certificates are valid.
const DAYS: &str = "2";
/// Records per second of the test job's source: a light load, only the job's shape matters here.
const RATE: &str = "500";

/// The files of the test PKI.
struct Pki {
    /// The CA's certificate (PEM): flinktune's `--ca-cert`, curl's `--cacert`.
    ca_cert: PathBuf,
    /// The client's certificate and key in one PEM file: flinktune's `--client-cert`.
    client_pem: PathBuf,
    /// PKCS12 with the server's key, certificate and the CA: the REST endpoint's identity, and the Flink CLI's
    /// client certificate under client authentication.
    keystore: PathBuf,
    /// PKCS12 with the CA's certificate: what the REST endpoint (and the Flink CLI) trusts.
    truststore: PathBuf,
    /// A self-signed client certificate and key in one PEM file, which the endpoint must reject.
    rogue_pem: PathBuf,
}

/// Runs `program` in `dir` with `args` split at whitespace (every argument here is a word: relative file names,
/// subjects without spaces).
fn tool(program: &str, dir: &Path, args: &str) {
    let output = Command::new(program)
        .current_dir(dir)
        .args(args.split_whitespace())
        .output()
        .unwrap_or_else(|error| panic!("{program}: {error}"));
    assert!(
        output.status.success(),
        "{program} {args}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// `name.key` and `name.pem`, a certificate for `subject` signed by the CA in `dir`, with the X.509 `extensions`.
fn signed_cert(dir: &Path, name: &str, subject: &str, extensions: &str) {
    std::fs::write(dir.join(format!("{name}.ext")), extensions).unwrap();
    tool(
        "openssl",
        dir,
        &format!("req -newkey rsa:2048 -nodes -keyout {name}.key -out {name}.csr -subj {subject}"),
    );
    tool(
        "openssl",
        dir,
        &format!(
            "x509 -req -in {name}.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days {DAYS} -out {name}.pem \
             -extfile {name}.ext"
        ),
    );
}

/// A CA, a server certificate for localhost, a client certificate, and a self-signed "rogue" client certificate,
/// all RSA: Flink's default `security.ssl.algorithms` are ECDHE_RSA suites.
fn make_pki(dir: &Path) -> Pki {
    std::fs::create_dir_all(dir).unwrap();
    tool(
        "openssl",
        dir,
        &format!(
            "req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days {DAYS} -subj /CN=flinktune-test-CA \
             -addext basicConstraints=critical,CA:true -addext keyUsage=critical,keyCertSign,cRLSign"
        ),
    );
    // With client authentication the Flink CLI presents the keystore's certificate as its client certificate, so the
    // server certificate serves both purposes.
    signed_cert(
        dir,
        "server",
        "/CN=localhost",
        "basicConstraints=CA:false\nkeyUsage=critical,digitalSignature,keyEncipherment\n\
         extendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n",
    );
    signed_cert(
        dir,
        "client",
        "/CN=flinktune",
        "basicConstraints=CA:false\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n",
    );
    tool(
        "openssl",
        dir,
        &format!(
            "pkcs12 -export -in server.pem -inkey server.key -certfile ca.pem -name flink-rest -out keystore.p12 \
             -passout pass:{STORE_PASSWORD}"
        ),
    );
    tool(
        "keytool",
        dir,
        &format!(
            "-importcert -noprompt -alias ca -file ca.pem -keystore truststore.p12 -storetype PKCS12 \
             -storepass {STORE_PASSWORD}"
        ),
    );
    tool(
        "openssl",
        dir,
        &format!(
            "req -x509 -newkey rsa:2048 -nodes -keyout rogue.key -out rogue.pem -days {DAYS} -subj /CN=rogue"
        ),
    );
    Pki {
        ca_cert: dir.join("ca.pem"),
        client_pem: identity_pem(dir, "client"),
        rogue_pem: identity_pem(dir, "rogue"),
        keystore: dir.join("keystore.p12"),
        truststore: dir.join("truststore.p12"),
    }
}

/// `name.pem` and `name.key` in one file, `name-identity.pem`: what `--client-cert` takes (reqwest's
/// `Identity::from_pem`: the certificate(s) and the private key).
fn identity_pem(dir: &Path, name: &str) -> PathBuf {
    let read = |ext: &str| std::fs::read_to_string(dir.join(format!("{name}.{ext}"))).unwrap();
    let path = dir.join(format!("{name}-identity.pem"));
    std::fs::write(&path, read("pem") + &read("key")).unwrap();
    path
}

/// The cluster's config.yaml: [`CONF`] plus REST SSL with client authentication.
fn tls_conf(pki: &Pki) -> String {
    format!(
        "{CONF}security.ssl.rest.enabled: true\n\
         security.ssl.rest.authentication-enabled: true\n\
         security.ssl.rest.keystore: '{}'\n\
         security.ssl.rest.keystore-type: pkcs12\n\
         security.ssl.rest.keystore-password: {STORE_PASSWORD}\n\
         security.ssl.rest.key-password: {STORE_PASSWORD}\n\
         security.ssl.rest.truststore: '{}'\n\
         security.ssl.rest.truststore-type: pkcs12\n\
         security.ssl.rest.truststore-password: {STORE_PASSWORD}\n",
        pki.keystore.display(),
        pki.truststore.display()
    )
}

/// `flinktune metrics --from-cluster URL` with one sample and the given flags with file arguments: status, stdout,
/// stderr.
fn metrics(url: &str, flags: &[(&str, &Path)]) -> Run {
    let mut command = Flinktune::new()
        .args(["metrics", "--from-cluster", url, "--samples", "1"])
        .args(["--format", "json"]);
    for (flag, file) in flags {
        command = command.arg(flag).arg(file);
    }
    let started = Instant::now();
    let result = command.run();
    let shown: Vec<&str> = flags.iter().map(|(flag, _)| *flag).collect();
    println!(
        "flinktune metrics --from-cluster {url} {}: exit {} in {:.1?}\n  stderr: {}",
        shown.join(" "),
        result.status,
        started.elapsed(),
        result.stderr.trim_end()
    );
    result
}

/// The one line of stderr a failed run printed, checked to be a single `error: ` line.
fn one_line_error(run: Run) -> String {
    let stderr = &run.stderr;
    assert_eq!(run.status, 2, "usage or runtime error expected: {stderr}");
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line expected: {stderr}");
    assert!(lines[0].starts_with("error: "), "{stderr}");
    lines[0].to_string()
}

#[test]
#[ignore = "needs Java 17, a real Flink 2.3.0 distribution (scripts/test.sh), openssl and curl; takes about a minute"]
fn metrics_over_rest_ssl_with_client_authentication() {
    let started = Instant::now();
    let home = flink_home("2.3.0");
    let work = temp_dir("flink-tls");
    let pki = make_pki(&work.join("pki"));
    let jar = datagen_job_jar(&home, &work);
    let conf = work.join("conf-in");
    std::fs::create_dir_all(&conf).unwrap();
    std::fs::write(
        conf.join("config.yaml"),
        format!("{}{}", tls_conf(&pki), shipped_java_options_line(&home)),
    )
    .unwrap();
    let access = RestAccess::Tls {
        ca_cert: pki.ca_cert.clone(),
        client_pem: pki.client_pem.clone(),
    };
    let cluster = Cluster::start_with(&home, &conf, &work.join("cluster"), 1, access);
    cluster.wait_for_taskmanagers(1, Duration::from_secs(90));
    let url = cluster.rest_url();
    assert!(url.starts_with("https://localhost:"), "{url}");

    // Flink's CLI reads the same security.ssl.rest.* keys from the cluster's conf: the keystore is its client
    // certificate.
    let job = submit_datagen(&cluster, &home, &jar, &[], &[RATE.to_string()]);
    wait_job_running(&cluster, &job);
    println!("job {job} running after {:.1?}", started.elapsed());

    let (ca, client) = (pki.ca_cert.as_path(), pki.client_pem.as_path());
    let run = metrics(&url, &[("--ca-cert", ca), ("--client-cert", client)]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let names: Vec<&str> = report["vertices"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|vertex| vertex["name"].as_str())
        .collect();
    assert!(
        names.iter().any(|name| name.contains("GroupAggregate")),
        "{report:#}"
    );

    // The server's certificate comes from a CA the system does not trust.
    let error = one_line_error(metrics(&url, &[("--client-cert", client)]));
    assert!(error.contains("not trusted"), "{error}");
    assert!(error.contains("--ca-cert"), "{error}");

    // The server demands a client certificate.
    let error = one_line_error(metrics(&url, &[("--ca-cert", ca)]));
    assert!(error.contains("client certificate"), "{error}");
    assert!(error.contains("--client-cert"), "{error}");

    // A client certificate from a CA the endpoint does not trust.
    let rogue = pki.rogue_pem.as_path();
    let error = one_line_error(metrics(
        &url,
        &[("--ca-cert", ca), ("--client-cert", rogue)],
    ));
    assert!(error.contains("rejected the client certificate"), "{error}");
    assert!(error.contains("--client-cert"), "{error}");

    // Plain HTTP to the TLS port: Flink redirects to https://, which flinktune reports instead of following.
    let plain = url.replacen("https://", "http://", 1);
    let error = one_line_error(metrics(&plain, &[]));
    assert!(error.contains("https://"), "{error}");

    drop(cluster);
    let leftover = Command::new("pgrep")
        .arg("-af")
        .arg(work.join("cluster").display().to_string())
        .output()
        .expect("pgrep");
    let leftover = String::from_utf8_lossy(&leftover.stdout);
    assert!(leftover.trim().is_empty(), "still running: {leftover}");
    println!("done in {:.1?}", started.elapsed());
}
