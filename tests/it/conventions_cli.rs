//! The conventions people and scripts expect of a command-line tool (issue 13): shell completions and a man page
//! generated from the flags, `-q`/`-v`, `--color` and `NO_COLOR`, plurals, and `explain` failing on a key no release
//! has.

use crate::support::{Flinktune, Run, repo_root, temp_dir};

const SUBCOMMANDS: [&str; 11] = [
    "memory",
    "recommend",
    "metrics",
    "host",
    "profiles",
    "submit",
    "explain",
    "migrate",
    "check",
    "completions",
    "man",
];

#[test]
fn completions_for_every_shell_name_the_subcommands() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let Run { stdout, .. } = Flinktune::new()
            .args(["completions", shell])
            .quiet_success();
        for sub in SUBCOMMANDS {
            assert!(stdout.contains(sub), "{shell} completions lack {sub}");
        }
    }
    Flinktune::new()
        .args(["completions", "tcsh"])
        .status(2)
        .run();
}

#[test]
fn the_man_page_covers_every_subcommand() {
    let Run { stdout, .. } = Flinktune::new().arg("man").quiet_success();
    assert!(stdout.contains(".TH flinktune 1"), "{}", &stdout[..200]);
    for sub in SUBCOMMANDS {
        assert!(
            stdout.contains(&format!(".SH \"FLINKTUNE {}\"", sub.to_uppercase())),
            "no section for {sub}"
        );
    }
    assert!(
        stdout.contains("\\-\\-flink\\-version"),
        "options are listed"
    );
}

fn shipped_2_3() -> std::path::PathBuf {
    repo_root().join("tests/corpus/shipped@2.3/config.yaml")
}

#[test]
fn quiet_leaves_only_errors_and_verbose_says_where_inputs_came_from() {
    // Read as 1.20 (assumed): one warning, a note on stderr.
    let Run { stdout, stderr, .. } = Flinktune::new().arg("check").arg(shipped_2_3()).success();
    assert!(
        stdout.ends_with("0 errors, 1 warning, 0 notes\n"),
        "{stdout}"
    );
    assert!(stderr.contains("note: assuming Flink 1.20"), "{stderr}");
    let Run { stdout: quiet, .. } = Flinktune::new()
        .args(["check", "-q"])
        .arg(shipped_2_3())
        .quiet_success();
    assert_eq!(quiet, stdout, "-q changes stderr only");
    let message = Flinktune::new()
        .args([
            "check",
            "-q",
            "/no/such/config.yaml",
            "--flink-version",
            "2.3",
        ])
        .error();
    assert!(message.contains("/no/such/config.yaml"), "{message}");

    let dir = crate::support::temp_dir("conventions-verbose");
    std::fs::create_dir_all(dir.join("conf")).unwrap();
    std::fs::create_dir_all(dir.join("lib")).unwrap();
    std::fs::write(dir.join("lib/flink-dist-2.3.0.jar"), "").unwrap();
    std::fs::copy(shipped_2_3(), dir.join("conf/config.yaml")).unwrap();
    let Run { stderr, .. } = Flinktune::new()
        .args(["-v", "check", "--conf-dir"])
        .arg(dir.join("conf"))
        .success();
    assert!(
        stderr.contains("note: Flink 2.3.0: the distribution's")
            && stderr.contains("flink-dist-2.3.0.jar"),
        "{stderr}"
    );
}

#[test]
fn colour_only_when_asked_or_on_a_terminal_and_never_with_no_color() {
    let check = || {
        Flinktune::new()
            .args(["check", "--flink-version", "1.20"])
            .arg(shipped_2_3())
    };
    let escape = "\u{1b}[";
    let Run { stdout, .. } = check().success();
    assert!(!stdout.contains(escape), "a pipe gets no colour");
    let Run { stdout, .. } = check().args(["--color", "always"]).success();
    assert!(
        stdout.contains(&format!("| {escape}33mwarn{escape}0m ")),
        "{stdout}"
    );
    // Colouring happens after the layout: the columns stay as wide as without it.
    let plain = check().success().stdout;
    assert_eq!(
        stdout.lines().next().unwrap(),
        plain.lines().next().unwrap()
    );
    let Run { stdout, .. } = check()
        .args(["--color", "auto"])
        .env("NO_COLOR", "1")
        .success();
    assert!(!stdout.contains(escape));
    let Run { stderr, .. } = Flinktune::new()
        .arg("check")
        .arg(shipped_2_3())
        .args(["--color", "always"])
        .success();
    assert!(
        stderr.contains(&format!("{escape}36mnote{escape}0m: assuming")),
        "{stderr:?}"
    );
}

/// A key written with terminal escapes (YAML's `\e` in a quoted key): `check --color always` escapes it in its cell
/// and colours only the severity word, so the key cannot recolour or retitle anything (issue 12).
#[test]
fn a_hostile_key_is_escaped_in_a_coloured_table() {
    let dir = temp_dir("hostile-key");
    let file = dir.join("config.yaml");
    std::fs::write(&file, "\"\\e[31mevil\\e]0;title\\a\": 1\n").unwrap();
    let Run { stdout, .. } = Flinktune::new()
        .args(["check", "--flink-version", "2.3", "--color", "always"])
        .arg(&file)
        .run();
    assert!(stdout.contains(r"\x1b[31mevil\x1b]0;title\x07"), "{stdout}");
    let escape = "\u{1b}[";
    assert!(
        stdout.contains(&format!("| {escape}33mwarn{escape}0m ")),
        "{stdout}"
    );
    let ours = stdout
        .replace(&format!("{escape}33m"), "")
        .replace(&format!("{escape}0m"), "");
    let ours = ours
        .replace(&format!("{escape}31m{escape}1m"), "")
        .replace(&format!("{escape}1m{escape}31m"), "");
    assert!(
        !ours.contains('\u{1b}') && !ours.contains('\u{7}'),
        "{ours:?}"
    );
}

#[test]
fn explain_of_a_key_no_release_has_exits_2_with_did_you_mean() {
    let message = Flinktune::new()
        .args([
            "explain",
            "taskmanager.numberOfTaskSlot",
            "--flink-version",
            "2.3",
        ])
        .error();
    assert!(
        message.contains("'taskmanager.numberOfTaskSlot' is not an option")
            && message.contains("did you mean 'taskmanager.numberOfTaskSlots'?"),
        "{message}"
    );
    // A key of other releases, a map entry or a plugin setting is still explained.
    for key in ["state.backend", "metrics.reporter.prom.factory.class"] {
        Flinktune::new()
            .args(["explain", key, "--flink-version", "2.3"])
            .quiet_success();
    }
}

/// `check` on a real pseudo-terminal of 80 columns (util-linux `script`, on every Debian): the table wraps to the
/// width and the severity is coloured, unless `NO_COLOR` says otherwise.
#[test]
fn on_a_terminal_tables_wrap_to_its_width_and_severities_are_coloured() {
    let terminal = |no_color: bool| {
        let command = format!(
            "stty cols 80 rows 40; {} check --flink-version 1.20 {}",
            env!("CARGO_BIN_EXE_flinktune"),
            shipped_2_3().display()
        );
        let mut script = std::process::Command::new("script");
        script.args(["-qec", &command, "/dev/null"]);
        script.env_remove("NO_COLOR");
        if no_color {
            script.env("NO_COLOR", "1");
        }
        let output = script.output().expect("util-linux script");
        String::from_utf8_lossy(&output.stdout).replace('\r', "")
    };
    let coloured = terminal(false);
    let escape = "\u{1b}[";
    assert!(coloured.contains(&format!("{escape}33mwarn")), "{coloured}");
    let plain = terminal(true);
    assert!(!plain.contains(escape), "{plain}");
    let rows: Vec<&str> = plain.lines().filter(|line| line.starts_with('|')).collect();
    assert!(
        rows.len() > 3,
        "the row wrapped onto several lines: {plain}"
    );
    assert!(
        rows.iter().all(|line| line.chars().count() <= 80),
        "{plain}"
    );
}
