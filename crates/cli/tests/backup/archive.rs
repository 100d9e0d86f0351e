//! The archive itself: damaged or foreign ones refused, encryption to age keys, and the
//! schema checks of upgrades.

use super::roadshow;
use std::process::Command;

#[test]
fn a_damaged_or_foreign_archive_is_refused_and_nothing_is_touched() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    let data_s = data.to_str().unwrap();
    assert!(roadshow(&["migrate", "--data", data_s]).status.success());
    let archive = dir.path().join("a.roadshow-backup");
    let out = roadshow(&[
        "backup",
        "--data",
        data_s,
        "--out",
        archive.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let before = std::fs::read(data.join("roadshow.db")).unwrap();

    // One byte changed in the database part.
    let mut bytes = std::fs::read(&archive).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 0xff;
    let damaged = dir.path().join("damaged");
    std::fs::write(&damaged, &bytes).unwrap();
    let out = roadshow(&["restore", "--data", data_s, damaged.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not match the manifest"));

    // Not a backup at all.
    let foreign = dir.path().join("foreign");
    std::fs::write(&foreign, b"just some text").unwrap();
    let out = roadshow(&["restore", "--data", data_s, foreign.to_str().unwrap()]);
    assert!(!out.status.success());

    assert_eq!(std::fs::read(data.join("roadshow.db")).unwrap(), before);
    assert!(
        !data.join("backups").exists()
            || std::fs::read_dir(data.join("backups"))
                .unwrap()
                .next()
                .is_none()
    );
}

#[test]
fn migrate_dry_run_lists_and_a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    let data_s = data.to_str().unwrap();
    let out = roadshow(&["migrate", "--dry-run", "--data", data_s]);
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(listed.contains("would apply 0001 foundation"), "{listed}");
    assert!(listed.contains("privacy"), "{listed}");
    assert!(
        !data.join("roadshow.db").exists(),
        "a dry run creates nothing"
    );
    assert!(roadshow(&["migrate", "--data", data_s]).status.success());
    let out = roadshow(&["migrate", "--dry-run", "--data", data_s]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("the schema is current"));

    // A migration from a newer build.
    let db = data.join("roadshow.db");
    let status = Command::new("sqlite3").arg(&db).arg(
        "INSERT INTO roadshow_migrations (version, name, applied_at) VALUES (999, 'from_the_future', 0)",
    ).status();
    if status.is_err() {
        // No sqlite3 program: write it through the server's own driver instead.
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async {
            use sqlx::Connection;
            let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.display()))
                .await
                .unwrap();
            sqlx::query("INSERT INTO roadshow_migrations (version, name, applied_at) VALUES (999, 'from_the_future', 0)")
                .execute(&mut c)
                .await
                .unwrap();
        });
    }
    let out = roadshow(&["serve", "--data", data_s, "--addr", "127.0.0.1:0"]);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("schema is at version 999"), "{said}");
    assert!(said.contains("from_the_future"), "{said}");
}

/// An encrypted backup: age's own tools (Debian's `age`) make the key and open the
/// archive; a restore needs the key, and refuses another.
#[test]
fn an_encrypted_backup_opens_with_its_key_only() {
    let tool = |program: &str, args: &[&str]| {
        Command::new(program)
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("{program} is needed (apt-get install age): {e}"))
    };
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("key.txt");
    let other = dir.path().join("other.txt");
    for k in [&key, &other] {
        assert!(
            tool("age-keygen", &["-o", k.to_str().unwrap()])
                .status
                .success()
        );
    }
    let public = String::from_utf8(tool("age-keygen", &["-y", key.to_str().unwrap()]).stdout)
        .unwrap()
        .trim()
        .to_string();
    let data = dir.path().join("d");
    let data_s = data.to_str().unwrap();
    assert!(
        roadshow(&["demo", "--load-only", "--data", data_s])
            .status
            .success()
    );
    let archive = dir.path().join("sealed.roadshow-backup");
    let archive_s = archive.to_str().unwrap();
    let out = roadshow(&[
        "backup",
        "--data",
        data_s,
        "--out",
        archive_s,
        "--recipient",
        &public,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&archive).unwrap();
    assert!(bytes.starts_with(b"age-encryption.org/v1"));
    assert!(
        !bytes.windows(13).any(|w| w == b"manifest.json"),
        "nothing readable without the key"
    );

    // The reference tool opens it: a tar archive with its manifest first.
    let opened = dir.path().join("opened.tar");
    let out = tool(
        "age",
        &[
            "-d",
            "-i",
            key.to_str().unwrap(),
            "-o",
            opened.to_str().unwrap(),
            archive_s,
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listing = tool("tar", &["-tf", opened.to_str().unwrap()]);
    assert_eq!(
        String::from_utf8_lossy(&listing.stdout).lines().next(),
        Some("manifest.json")
    );

    let target = dir.path().join("r");
    let target_s = target.to_str().unwrap();
    let out = roadshow(&["restore", "--data", target_s, archive_s]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--identity"));
    let out = roadshow(&[
        "restore",
        "--data",
        target_s,
        "--identity",
        other.to_str().unwrap(),
        archive_s,
    ]);
    assert!(!out.status.success());
    assert!(!target.join("roadshow.db").exists());
    let out = roadshow(&[
        "restore",
        "--data",
        target_s,
        "--identity",
        key.to_str().unwrap(),
        archive_s,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(target.join("roadshow.db").exists());
    // A key that is no age key is named.
    let out = roadshow(&[
        "backup",
        "--data",
        data_s,
        "--out",
        archive_s,
        "--recipient",
        "age1nonsense",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an age public key"));
}
