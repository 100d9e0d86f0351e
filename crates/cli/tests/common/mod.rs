//! What the binary's tests share: a free port, the binary run with arguments, a server
//! started on a data folder (limits raised for load) and waited for, an API token.
#![allow(dead_code)] // each test crate uses some of these

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

pub const BIN: &str = env!("CARGO_BIN_EXE_roadshow");
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn roadshow(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_remove("ROADSHOW_DATABASE_URL")
        .env_remove("ROADSHOW_CONFIG")
        .output()
        .unwrap()
}

pub fn start(data: &Path, port: u16) -> Child {
    Command::new(BIN)
        .args([
            "serve",
            "--data",
            data.to_str().unwrap(),
            "--addr",
            &format!("127.0.0.1:{port}"),
        ])
        .env("ROADSHOW_REGISTRATIONS_PER_MINUTE", "100000")
        .env("ROADSHOW_WRITES_PER_MINUTE", "100000")
        .env("ROADSHOW_VOTES_PER_MINUTE", "100000")
        .env_remove("ROADSHOW_DATABASE_URL")
        .env_remove("ROADSHOW_CONFIG")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

pub async fn ready(client: &reqwest::Client, port: u16) {
    for _ in 0..600 {
        if let Ok(r) = client
            .get(format!("http://127.0.0.1:{port}/readyz"))
            .send()
            .await
        {
            if r.status().is_success() {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("server did not become ready");
}

pub fn token(data: &Path, email: &str) -> String {
    let out = roadshow(&[
        "token",
        "create",
        "--data",
        data.to_str().unwrap(),
        "--email",
        email,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}
