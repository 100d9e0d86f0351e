//! Backups of a PostgreSQL database.

use super::roadshow;

/// PostgreSQL: `pg_dump -Fc` into the archive, `pg_restore` in one transaction into
/// another database, the replaced one kept as a backup first.
#[test]
fn postgres_backs_up_and_restores_through_its_own_tools() {
    if std::env::var_os("ROADSHOW_TEST_SKIP_POSTGRES").is_some() {
        eprintln!("ignored: ROADSHOW_TEST_SKIP_POSTGRES is set");
        return;
    }
    let server = std::env::var("ROADSHOW_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let root = server.rsplit_once('/').map(|(r, _)| r.to_string()).unwrap();
    let suffix = std::process::id();
    let (a, b) = (
        format!("rs_backup_a_{suffix}"),
        format!("rs_backup_b_{suffix}"),
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    let admin = |sql: String| {
        let server = server.clone();
        rt.block_on(async move {
            use sqlx::Connection;
            let mut c = sqlx::PgConnection::connect(&server).await.unwrap();
            sqlx::query(&sql).execute(&mut c).await.unwrap();
        })
    };
    for db in [&a, &b] {
        admin(format!("DROP DATABASE IF EXISTS {db}"));
        admin(format!("CREATE DATABASE {db}"));
    }
    let (url_a, url_b) = (format!("{root}/{a}"), format!("{root}/{b}"));
    let dir = tempfile::tempdir().unwrap();
    let data_s = dir.path().to_str().unwrap();
    let out = roadshow(&[
        "demo",
        "--load-only",
        "--data",
        data_s,
        "--database-url",
        &url_a,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let archive = dir.path().join("pg.roadshow-backup");
    let archive_s = archive.to_str().unwrap();
    let out = roadshow(&[
        "backup",
        "--database-url",
        &url_a,
        "--data",
        data_s,
        "--out",
        archive_s,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("postgres"));
    // Into an empty database, then again over the restored one (kept first).
    for round in 0..2 {
        let out = roadshow(&[
            "restore",
            "--database-url",
            &url_b,
            "--data",
            data_s,
            archive_s,
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).contains("kept in"),
            round == 1
        );
    }
    let count = |url: String| {
        rt.block_on(async move {
            use sqlx::Connection;
            let mut c = sqlx::PgConnection::connect(&url).await.unwrap();
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM registrations")
                .fetch_one(&mut c)
                .await
                .unwrap();
            n
        })
    };
    let (in_a, in_b) = (count(url_a.clone()), count(url_b.clone()));
    assert!(in_a >= 62);
    assert_eq!(in_a, in_b);
    // A SQLite backup is not restored into PostgreSQL.
    let sqlite_data = dir.path().join("s");
    let sqlite_s = sqlite_data.to_str().unwrap();
    assert!(roadshow(&["migrate", "--data", sqlite_s]).status.success());
    let lite = dir.path().join("lite.roadshow-backup");
    assert!(
        roadshow(&[
            "backup",
            "--data",
            sqlite_s,
            "--out",
            lite.to_str().unwrap()
        ])
        .status
        .success()
    );
    let out = roadshow(&[
        "restore",
        "--database-url",
        &url_b,
        "--data",
        data_s,
        lite.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("backup of a sqlite database"));
    for db in [&a, &b] {
        admin(format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"));
    }
}
