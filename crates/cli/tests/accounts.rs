//! `roadshow account add` as an agency's IT team would use it: the password on standard
//! input, the language of the account's emails chosen, a wrong language refused.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_roadshow");

fn add(data: &std::path::Path, email: &str, language: &str) -> std::process::Output {
    let mut child = Command::new(BIN)
        .args([
            "account",
            "add",
            "--data",
            data.to_str().unwrap(),
            "--email",
            email,
            "--role",
            "investment_officer",
            "--language",
            language,
        ])
        .env_remove("ROADSHOW_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"a-long-enough-password\n")
        .unwrap();
    child.wait_with_output().unwrap()
}

#[tokio::test]
async fn an_account_is_added_with_the_language_of_its_emails() {
    let dir = tempfile::tempdir().unwrap();
    let refused = add(dir.path(), "li@agency.example", "klingon");
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("--language must be de, en, zh or fr")
    );

    let added = add(dir.path(), "li@agency.example", "zh");
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let out = String::from_utf8_lossy(&added.stdout);
    assert!(
        out.starts_with("added li@agency.example (investment_officer) with id "),
        "{out}"
    );

    // The account's language is what `me` reports for its token.
    let token = Command::new(BIN)
        .args([
            "token",
            "create",
            "--data",
            dir.path().to_str().unwrap(),
            "--email",
            "li@agency.example",
        ])
        .env_remove("ROADSHOW_DATABASE_URL")
        .output()
        .unwrap();
    assert!(token.status.success());
    let token = String::from_utf8_lossy(&token.stdout).trim().to_string();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = Command::new(BIN)
        .args([
            "serve",
            "--data",
            dir.path().to_str().unwrap(),
            "--addr",
            &format!("127.0.0.1:{port}"),
        ])
        .env_remove("ROADSHOW_DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let client = reqwest::Client::new();
    let mut me = None;
    for _ in 0..600 {
        if let Ok(r) = client
            .get(format!("http://127.0.0.1:{port}/api/v1/me"))
            .bearer_auth(&token)
            .send()
            .await
        {
            me = Some(r.json::<serde_json::Value>().await.unwrap());
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    server.kill().unwrap();
    server.wait().unwrap();
    let me = me.expect("the server answered");
    assert_eq!(me["language"], "zh", "{me}");
    assert_eq!(me["role"], "investment_officer");
}
