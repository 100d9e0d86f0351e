//! The layers of the settings and `config check`. figment's `Jail` is not used: these
//! tests set no process-wide variables (they would race with each other), so the
//! environment layer is exercised by the CLI tests instead.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

fn file(text: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    std::io::Write::write_all(&mut f, text.as_bytes()).unwrap();
    f
}

#[test]
fn the_file_sets_what_it_names_and_the_rest_keeps_its_default() {
    let f = file(
        "registrations_per_minute = 7\nembed_hosts = [\"video.example.com\"]\nmetrics = true\n",
    );
    let s = Settings::load(Some(f.path()), &Overrides::default()).unwrap();
    assert_eq!(s.registrations_per_minute, 7);
    assert_eq!(s.embed_hosts, vec!["video.example.com".to_string()]);
    assert!(s.metrics);
    assert_eq!(s.votes_per_minute, 120);
}

#[test]
fn the_command_line_wins_over_the_file() {
    let f = file("addr = \"127.0.0.1:9000\"\ndata = \"/tmp/from-file\"\n");
    let overrides = Overrides {
        addr: Some("127.0.0.1:9100".parse().unwrap()),
        ..Default::default()
    };
    let s = Settings::load(Some(f.path()), &overrides).unwrap();
    assert_eq!(s.addr.port(), 9100);
    assert_eq!(s.data, PathBuf::from("/tmp/from-file"));
    assert_eq!(s.database_url(), "sqlite:///tmp/from-file/roadshow.db");
}

#[test]
fn a_secret_comes_from_its_file_and_is_masked_when_shown() {
    let secret = file("smtps://user:hunter2@mail.example.org\n");
    let f = file(&format!(
        "smtp_url_file = \"{}\"\n",
        secret.path().display()
    ));
    let s = Settings::load(Some(f.path()), &Overrides::default()).unwrap();
    assert_eq!(
        s.smtp_url.as_deref(),
        Some("smtps://user:hunter2@mail.example.org")
    );
    let shown = s.show().unwrap();
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(shown.contains("smtp_url = \"********\""), "{shown}");
}

#[test]
fn check_names_every_error_with_its_key() {
    let f = file(
        "registrations_per_minute = \"many\"\nsmtp_host = \"x\"\nmetrics = 3\nlisten = 1\ntrusted_proxies = [\"not-an-ip\"]\n",
    );
    let errors = check(Some(f.path()));
    let all = errors.join("\n");
    assert!(all.contains("registrations_per_minute"), "{all}");
    assert!(all.contains("unknown key `smtp_host`"), "{all}");
    assert!(all.contains("unknown key `listen`"), "{all}");
    assert!(all.contains("metrics"), "{all}");
    // Type errors first; the value checks run once the types are right.
    let f = file("trusted_proxies = [\"not-an-ip\", \"10.0.0.0/8\"]\nbase_url = \"ftp://x\"\n");
    let all = check(Some(f.path())).join("\n");
    assert!(all.contains("`not-an-ip` is not an IP address"), "{all}");
    assert!(all.contains("base_url"), "{all}");
    assert!(!all.contains("10.0.0.0/8"), "{all}");
}

#[test]
fn a_good_file_checks_clean_and_a_missing_one_is_named() {
    let f = file("smtp_url = \"smtp://127.0.0.1:25\"\nmax_writes = 10\n");
    assert_eq!(check(Some(f.path())), Vec::<String>::new());
    let missing = Path::new("/nonexistent/roadshow.toml");
    assert!(Settings::load(Some(missing), &Overrides::default()).is_err());
    assert!(!check(Some(missing)).is_empty());
}

#[test]
fn the_identity_provider_needs_all_three_settings_and_usable_roles() {
    let secret = file("a-client-secret\n");
    let f = file(&format!(
        "oidc_issuer = \"https://id.agency.example\"\noidc_client_id = \"roadshow\"\noidc_client_secret_file = \"{}\"\noidc_roles = [\"promotion=organiser\"]\npassword_sign_in = false\n",
        secret.path().display()
    ));
    let s = Settings::load(Some(f.path()), &Overrides::default()).unwrap();
    let oidc = s.oidc().unwrap();
    assert_eq!(oidc.client_secret, "a-client-secret");
    assert_eq!(
        oidc.roles.role(&["promotion".into()]),
        Some(roadshow_domain::accounts::Role::Organiser)
    );
    assert!(s.problems().is_empty(), "{:?}", s.problems());
    assert!(
        s.show()
            .unwrap()
            .contains("oidc_client_secret = \"********\"")
    );

    // Half a provider, a role that cannot be made, and no way left to sign in: loading
    // refuses it, and every problem is named.
    let f = file(
        "oidc_issuer = \"ftp://id\"\noidc_roles = [\"x=official\"]\npassword_sign_in = false\n",
    );
    assert!(Settings::load(Some(f.path()), &Overrides::default()).is_err());
    let s = Settings {
        oidc_issuer: Some("ftp://id".into()),
        oidc_roles: vec!["x=official".into()],
        password_sign_in: false,
        ..Settings::default()
    };
    let problems = s.problems();
    for expected in [
        "oidc_client_id: needed",
        "oidc_client_secret: needed",
        "oidc_issuer: must start with https://",
        "oidc_roles: `x=official`",
        "password_sign_in: staff could not sign in",
    ] {
        assert!(
            problems.iter().any(|p| p.starts_with(expected)),
            "{expected}: {problems:?}"
        );
    }
    assert!(s.oidc().is_none());
}
