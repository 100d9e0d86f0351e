//! The settings as an operator meets them: the file, the variables winning over it,
//! `config check` naming every error, `config show` masking secrets, and `roadshow
//! health` asking a running server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output, Stdio};
use std::time::Duration;

mod common;

use common::{BIN, free_port};

fn roadshow(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(BIN);
    c.args(args)
        .env_remove("ROADSHOW_DATABASE_URL")
        .env_remove("ROADSHOW_CONFIG");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn the_variables_win_over_the_file_and_check_names_every_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("roadshow.toml");
    let secret = dir.path().join("smtp");
    std::fs::write(&secret, "smtps://relay:s3cret-pass@mail.example.org\n").unwrap();
    std::fs::write(
        &file,
        format!(
            "registrations_per_minute = 7\nsmtp_url_file = \"{}\"\n",
            secret.display()
        ),
    )
    .unwrap();
    let f = file.to_str().unwrap();
    let shown = roadshow(&["config", "show", "--config", f], &[]);
    assert!(shown.status.success(), "{}", text(&shown.stderr));
    let shown = text(&shown.stdout);
    assert!(shown.contains("registrations_per_minute = 7"), "{shown}");
    assert!(!shown.contains("s3cret"), "{shown}");
    let shown = text(
        &roadshow(
            &["config", "show"],
            &[
                ("ROADSHOW_CONFIG", f),
                ("ROADSHOW_REGISTRATIONS_PER_MINUTE", "9"),
            ],
        )
        .stdout,
    );
    assert!(shown.contains("registrations_per_minute = 9"), "{shown}");
    let ok = roadshow(&["config", "check", "--config", f], &[]);
    assert!(ok.status.success(), "{}", text(&ok.stderr));

    std::fs::write(
        &file,
        "registrations_per_minute = -1\nsmtp_server = \"x\"\nmetrics = \"yes\"\n",
    )
    .unwrap();
    let bad = roadshow(
        &["config", "check", "--config", f],
        &[("ROADSHOW_VOTES_PER_MINUTE", "lots")],
    );
    assert!(!bad.status.success());
    let said = text(&bad.stderr);
    for named in [
        "registrations_per_minute",
        "unknown key `smtp_server`",
        "metrics",
        "ROADSHOW_VOTES_PER_MINUTE",
        "4 error(s)",
    ] {
        assert!(said.contains(named), "{named} not in: {said}");
    }
    // A server does not start on a wrong file.
    let serve = roadshow(&["serve", "--config", f], &[]);
    assert!(!serve.status.success());
}

#[test]
fn health_says_whether_a_server_is_ready() {
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}");
    let down = roadshow(&["health", "--url", &url], &[]);
    assert!(!down.status.success());
    let dir = tempfile::tempdir().unwrap();
    let mut server = Command::new(BIN)
        .args([
            "serve",
            "--data",
            dir.path().to_str().unwrap(),
            "--addr",
            &format!("127.0.0.1:{port}"),
        ])
        .env_remove("ROADSHOW_DATABASE_URL")
        .env_remove("ROADSHOW_CONFIG")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut ready = false;
    for _ in 0..300 {
        let out = roadshow(&["health", "--url", &url], &[]);
        if out.status.success() {
            assert_eq!(text(&out.stdout).trim(), "ready");
            ready = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    // Asked for more free disk than there is: the failing check is named.
    let _ = server.kill();
    server.wait().unwrap();
    assert!(ready, "roadshow health never said ready");
    let mut server = Command::new(BIN)
        .args([
            "serve",
            "--data",
            dir.path().to_str().unwrap(),
            "--addr",
            &format!("127.0.0.1:{port}"),
        ])
        .env("ROADSHOW_MIN_FREE_DISK_MB", "999999999999")
        .env_remove("ROADSHOW_DATABASE_URL")
        .env_remove("ROADSHOW_CONFIG")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut said = String::new();
    for _ in 0..300 {
        let out = roadshow(&["health", "--url", &url], &[]);
        said = text(&out.stderr);
        if said.contains("not ready") {
            assert!(!out.status.success());
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = server.kill();
    server.wait().unwrap();
    assert!(said.contains("disk:"), "{said}");
}

/// Under systemd (`Type=notify`) the server says it is ready once it listens.
#[test]
fn serve_tells_systemd_it_is_ready_once_listening() {
    let dir = tempfile::tempdir().unwrap();
    let socket_path = dir.path().join("notify.sock");
    let socket = std::os::unix::net::UnixDatagram::bind(&socket_path).unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let port = free_port();
    let mut server = Command::new(BIN)
        .args([
            "serve",
            "--data",
            dir.path().join("data").to_str().unwrap(),
            "--addr",
            &format!("127.0.0.1:{port}"),
        ])
        .env("NOTIFY_SOCKET", &socket_path)
        .env_remove("ROADSHOW_DATABASE_URL")
        .env_remove("ROADSHOW_CONFIG")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut buf = [0u8; 256];
    let got = socket.recv(&mut buf);
    // Ready means listening: a connection is accepted at once.
    let listening = std::net::TcpStream::connect(("127.0.0.1", port)).is_ok();
    let _ = server.kill();
    server.wait().unwrap();
    let n = got.expect("no notification from the server");
    assert!(String::from_utf8_lossy(&buf[..n]).contains("READY=1"));
    assert!(listening);
}
