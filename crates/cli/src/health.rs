//! `roadshow health`: a running server's readiness, for container health checks.

use anyhow::{Context, bail};

/// `roadshow health`: asks `/readyz`; exits non-zero with the failing checks.
pub async fn health(base: &str) -> anyhow::Result<()> {
    let url = format!("{}/readyz", base.trim_end_matches('/'));
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(5))
        .build()?;
    let response = client
        .get(&url)
        .send()
        .await
        .with_context(|| format!("{url} does not answer"))?;
    let status = response.status();
    let body: serde_json::Value = response.json().await.unwrap_or_default();
    if status.is_success() {
        println!("ready");
        return Ok(());
    }
    let failing: Vec<String> = body["checks"]
        .as_array()
        .map(|checks| {
            checks
                .iter()
                .filter(|c| c["ok"] != serde_json::Value::Bool(true))
                .map(|c| {
                    format!(
                        "{}: {}",
                        c["name"].as_str().unwrap_or("?"),
                        c["detail"].as_str().unwrap_or("")
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    bail!("not ready ({status}): {}", failing.join("; "))
}
