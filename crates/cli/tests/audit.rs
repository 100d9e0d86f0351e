//! `roadshow audit verify` and `roadshow privacy data-map` as an operator runs them: the
//! chain of an untouched database verifies; one changed entry makes the command fail and
//! name it; the data map printed is `docs/DATA_MAP.md`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_roadshow");

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .env_remove("ROADSHOW_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

#[tokio::test]
async fn a_changed_entry_fails_the_verification() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    for email in ["a@agency.example", "b@agency.example", "c@agency.example"] {
        let added = run(
            &[
                "account",
                "add",
                "--data",
                data,
                "--email",
                email,
                "--role",
                "organiser",
            ],
            b"a-long-enough-password\n",
        );
        assert!(
            added.status.success(),
            "{}",
            String::from_utf8_lossy(&added.stderr)
        );
    }
    let ok = run(&["audit", "verify", "--data", data], b"");
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).starts_with("audit chain verified: 3 entries"));

    // Someone rewrites who added the second account.
    use sqlx::Connection;
    let url = format!("sqlite://{}", dir.path().join("roadshow.db").display());
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(&url).await.unwrap();
    sqlx::query("UPDATE audit_log SET actor = 'account:1' WHERE seq = 2")
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    let broken = run(&["audit", "verify", "--data", data], b"");
    assert!(!broken.status.success());
    assert!(
        String::from_utf8_lossy(&broken.stderr).contains("audit chain broken at entry 2: changed"),
        "{}",
        String::from_utf8_lossy(&broken.stderr)
    );
}

#[test]
fn the_data_map_document_is_what_the_map_makes() {
    let printed = run(&["privacy", "data-map"], b"");
    assert!(printed.status.success());
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/DATA_MAP.md"
    ))
    .unwrap();
    assert!(
        doc == String::from_utf8_lossy(&printed.stdout),
        "docs/DATA_MAP.md is out of date: run `cargo run -- privacy data-map > docs/DATA_MAP.md`"
    );
}
