//! The demo accounts must not survive into a real deployment (issue 15.6): `serve` refuses to
//! start while any of them still opens with the demo password, unless `--demo` says it serves
//! a demo on purpose. Runs the real binary.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

fn server() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rounds-server"))
}

fn run(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    server().arg("--data-dir").arg(dir).args(args).env("ROUNDS_PASSWORD", "a-real-password-1").output().expect("run rounds-server")
}

/// Starts `serve` with `extra` flags, reads the first line it prints, and stops it.
fn first_line_of_serve(dir: &std::path::Path, extra: &[&str]) -> String {
    let mut child = server()
        .arg("--data-dir")
        .arg(dir)
        .arg("serve")
        .args(extra)
        .args(["--addr", "127.0.0.1:0", "--site-root", "."])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let first = BufReader::new(stdout).lines().next().and_then(Result::ok).unwrap_or_default();
    let _ = child.kill();
    let _ = child.wait();
    first
}

#[test]
fn serve_refuses_demo_passwords_unless_told_it_serves_a_demo() {
    let dir = tempfile::tempdir().expect("temp dir");
    assert!(run(dir.path(), &["demo"]).status.success());

    let refused = run(dir.path(), &["serve", "--addr", "127.0.0.1:0"]);
    assert!(!refused.status.success(), "serve must not start with demo passwords");
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("demo password") && stderr.contains("counselor") && stderr.contains("--demo"), "{stderr}");

    // With --demo it starts (and says where).
    let first = first_line_of_serve(dir.path(), &["--demo"]);
    assert!(first.contains("Rounds is running at"), "{first}");

    // Once every demo account has a password of its own, serve needs no flag.
    for username in rounds_server::demo::DEMO_ACCOUNTS.iter().map(|a| a.0) {
        let reset = run(dir.path(), &["user", "reset-password", "--username", username]);
        assert!(reset.status.success(), "{}", String::from_utf8_lossy(&reset.stderr));
    }
    let first = first_line_of_serve(dir.path(), &[]);
    assert!(first.contains("Rounds is running at"), "{first}");
}
