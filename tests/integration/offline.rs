//! Never online: a scan performs no network I/O at all. Proven by tracing every network system
//! call of a real scan (strace), and by scanning inside a namespace with no network.

use crate::common::*;
use std::process::Command;

/// Inputs full of remote URLs, trackers and addresses: everything a scanner could be tempted
/// to fetch.
fn inputs() -> Vec<String> {
    vec![
        fixture_arg("demo.mbox"),
        fixture_arg("formats"),
        fixture_arg("headers"),
    ]
}

#[test]
fn a_scan_makes_no_network_system_call() {
    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("trace.txt");
    let mut args = vec![
        "-f".to_owned(),
        "-qq".to_owned(),
        "-e".to_owned(),
        "trace=%network".to_owned(),
        "-o".to_owned(),
        trace.to_string_lossy().into_owned(),
        env!("CARGO_BIN_EXE_mailtrace").to_owned(),
        "scan".to_owned(),
        "--quiet".to_owned(),
        "-o".to_owned(),
        "/dev/null".to_owned(),
    ];
    args.extend(inputs());
    let output = Command::new("strace")
        .args(&args)
        .output()
        .expect("strace must be installed (.ci/run installs it)");
    // strace exits as the traced scan did, or fails on its own: either way, say which.
    assert!(
        output.status.success(),
        "{:?}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let calls = std::fs::read_to_string(&trace).unwrap();
    assert!(
        calls.trim().is_empty(),
        "network system calls during a scan:\n{calls}"
    );
}

#[test]
fn a_scan_completes_without_any_network() {
    let mut args = vec![
        "-n".to_owned(),
        env!("CARGO_BIN_EXE_mailtrace").to_owned(),
        "scan".to_owned(),
        "--quiet".to_owned(),
        "--format".to_owned(),
        "summary".to_owned(),
    ];
    args.extend(inputs());
    let output = Command::new("unshare")
        .args(&args)
        .output()
        .expect("unshare (util-linux) runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("senders track"));
}
