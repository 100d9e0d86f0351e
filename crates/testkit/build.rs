//! `ROADSHOW_TEST_SKIP_POSTGRES=1` at build time marks the PostgreSQL tests as ignored, so
//! that a run without PostgreSQL reports them as not run instead of passing them.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(skip_postgres)");
    println!("cargo::rerun-if-env-changed=ROADSHOW_TEST_SKIP_POSTGRES");
    if std::env::var("ROADSHOW_TEST_SKIP_POSTGRES").is_ok_and(|v| v == "1") {
        println!("cargo::rustc-cfg=skip_postgres");
    }
}
