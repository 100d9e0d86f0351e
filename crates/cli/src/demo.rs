//! `roadshow demo`: the demo event loaded once, its address and every login printed.

use roadshow_app::App;

/// Loads the demo (once) and prints its address and every login.
pub async fn load(app: &App) -> anyhow::Result<()> {
    use roadshow_app::demo;
    let summary = app
        .load_demo()
        .await
        .map_err(|e| anyhow::anyhow!("loading the demo: {e}"))?;
    let base = &app.config.base_url;
    println!(
        "Roadshow demo ({}) — {}",
        app.store.backend(),
        if summary.created {
            "loaded"
        } else {
            "already there, kept as it is"
        }
    );
    println!(
        "  Event:      {base}/events/{} ({} registrations)",
        summary.event_slug, summary.registrations
    );
    println!(
        "  Sign in at {base}/login, every account with the password {}:",
        demo::DEMO_PASSWORD
    );
    for (who, email) in [
        ("Organiser", demo::ORGANISER_EMAIL),
        ("Moderator", demo::MODERATOR_EMAIL),
        ("Official", demo::OFFICIAL_EMAIL),
        ("Investment officer", demo::OFFICER_EMAIL),
        ("Investment officer (parks)", demo::PARKS_OFFICER_EMAIL),
    ] {
        println!("    {who:<28} {email}");
    }
    Ok(())
}
