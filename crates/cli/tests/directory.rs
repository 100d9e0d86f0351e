//! `roadshow export directory` and `roadshow import directory` as an operator moves a
//! directory between installations: a directory larger than any single upload exports
//! whole and imports whole into another data folder, as JSON and as CSV.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_roadshow");

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .env_remove("ROADSHOW_DATABASE_URL")
        .env_remove("ROADSHOW_CONFIG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

fn ok(o: Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).to_string()
}

/// `roadshow import|export directory` on `data` as the organiser, with `args`; its output.
fn directory(action: &str, data: &str, args: &[&str]) -> String {
    let mut all = vec![
        action,
        "directory",
        "--data",
        data,
        "--email",
        "org@agency.example",
    ];
    all.extend_from_slice(args);
    ok(run(&all, b""))
}

/// A data folder with one organiser.
fn installation(dir: &std::path::Path) -> String {
    let data = dir.to_str().unwrap().to_string();
    ok(run(
        &[
            "account",
            "add",
            "--data",
            &data,
            "--email",
            "org@agency.example",
            "--role",
            "organiser",
        ],
        b"a-long-enough-password\n",
    ));
    data
}

#[test]
fn a_directory_of_any_size_moves_whole_between_installations() {
    let first = tempfile::tempdir().unwrap();
    let data = installation(first.path());
    let count = 7_000;
    let items: Vec<serde_json::Value> = (0..count)
        .map(|i| {
            serde_json::json!({"external_id": format!("p-{i:05}"), "kind": "policy",
                "title": {"zh": format!("政策 {i}"), "en": format!("Policy {i}")},
                "summary": {"de": format!("Förderung Nr. {i}, \"zitiert\"; mit Semikolon")},
                "sectors": ["automotive"]})
        })
        .collect();
    let file = first.path().join("in.json");
    std::fs::write(
        &file,
        serde_json::json!({"format": "roadshow-directory", "version": 1, "items": items})
            .to_string(),
    )
    .unwrap();
    let said = directory("import", &data, &[file.to_str().unwrap()]);
    assert!(said.contains("7000 created"), "{said}");

    let json_out = first.path().join("out.json");
    let csv_out = first.path().join("out.csv");
    for out in [&json_out, &csv_out] {
        let said = directory("export", &data, &["--out", out.to_str().unwrap()]);
        assert!(said.contains("exported 7000 items"), "{said}");
    }
    let exported: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&json_out).unwrap()).unwrap();
    assert_eq!(exported["items"].as_array().unwrap().len(), count);

    // Into another installation, whole; then the other format changes nothing there.
    for (first_file, second_file) in [(&json_out, &csv_out), (&csv_out, &json_out)] {
        let other = tempfile::tempdir().unwrap();
        let data = installation(other.path());
        let said = directory("import", &data, &[first_file.to_str().unwrap()]);
        assert!(said.contains("7000 created"), "{said}");
        let said = directory("import", &data, &[second_file.to_str().unwrap()]);
        assert!(
            said.contains("0 created, 0 updated (a new version each), 7000 unchanged"),
            "{said}"
        );
    }
}
