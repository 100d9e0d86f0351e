//! Staff sign-in through the agency's identity provider: OpenID Connect's authorization
//! code flow with PKCE, through the `openidconnect` crate. The browser keeps what the
//! return needs (state, nonce, PKCE verifier) in a short-lived cookie; the ID token is
//! checked for its signature (the provider's published keys), issuer, audience, expiry
//! and nonce before anything in it is believed.

use super::{Accounts, LoginSession};
use crate::{AppError, AppResult};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use openidconnect::core::{CoreClient, CoreProviderMetadata, CoreResponseType};
use openidconnect::{
    AuthenticationFlow, AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use roadshow_domain::accounts::provided::{Admission, Identity, RoleMap, admit};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// The identity provider, as the operator configured it.
#[derive(Debug, Clone)]
pub struct OidcConfig {
    /// The issuer's address; its `/.well-known/openid-configuration` is read.
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// The claim whose value(s) give a new account its role.
    pub role_claim: String,
    pub roles: RoleMap,
    /// Scopes asked for besides `openid`.
    pub scopes: Vec<String>,
}

/// What the return from the provider needs, kept by the browser for ten minutes.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Pending {
    pub state: String,
    pub nonce: String,
    pub verifier: String,
    /// The staff page to go to once signed in.
    pub next: String,
}

impl Pending {
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).unwrap_or_default())
    }

    pub fn decode(text: &str) -> Option<Pending> {
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(text).ok()?).ok()
    }
}

/// Why a sign-in through the provider did not happen; the page explains each code.
fn refused(code: &'static str) -> AppError {
    AppError::invalid("oidc", code)
}

fn provider_failed(what: &str, err: impl std::fmt::Display) -> AppError {
    tracing::warn!(error = %err, "identity provider: {what}");
    refused("oidc_provider")
}

impl Accounts<'_> {
    /// Whether staff may sign in through the provider.
    pub fn oidc_enabled(&self) -> bool {
        self.app.config.oidc.is_some()
    }

    fn oidc(&self) -> AppResult<&OidcConfig> {
        self.app.config.oidc.as_ref().ok_or(AppError::NotFound)
    }

    async fn oidc_client(
        &self,
        config: &OidcConfig,
    ) -> AppResult<(CoreClientReady, openidconnect::reqwest::Client)> {
        // The provider's address is the operator's, not a user's; redirects are still not
        // followed (the library's advice against request forgery).
        let http = openidconnect::reqwest::Client::builder()
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| provider_failed("client", e))?;
        let issuer =
            IssuerUrl::new(config.issuer.clone()).map_err(|e| provider_failed("issuer", e))?;
        let metadata = CoreProviderMetadata::discover_async(issuer, &http)
            .await
            .map_err(|e| provider_failed("discovery", e))?;
        let redirect = RedirectUrl::new(format!(
            "{}/login/oidc/callback",
            self.app.config.base_url.trim_end_matches('/')
        ))
        .map_err(|e| provider_failed("redirect address", e))?;
        let client = CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(config.client_id.clone()),
            Some(ClientSecret::new(config.client_secret.clone())),
        )
        .set_redirect_uri(redirect);
        Ok((client, http))
    }

    /// The provider's sign-in address for this browser, and what it must keep.
    pub async fn oidc_start(&self, next: &str) -> AppResult<(String, Pending)> {
        let config = self.oidc()?;
        let (client, _) = self.oidc_client(config).await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(
                AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .set_pkce_challenge(challenge);
        for scope in config.scopes.iter().filter(|s| s.as_str() != "openid") {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        let (url, state, nonce) = request.url();
        Ok((
            url.to_string(),
            Pending {
                state: state.secret().clone(),
                nonce: nonce.secret().clone(),
                verifier: verifier.secret().clone(),
                next: next.to_string(),
            },
        ))
    }

    /// The return from the provider: the state must be this browser's, the code is
    /// exchanged with the PKCE verifier, the ID token verified; then the person is let in
    /// as the account with their verified email, or as a new account with the role their
    /// claim maps to.
    pub async fn oidc_finish(
        &self,
        pending: Option<Pending>,
        state: &str,
        code: &str,
        client: &str,
    ) -> AppResult<LoginSession> {
        let config = self.oidc()?;
        // Returns count against the client's sign-in allowance like passwords do; one
        // that signs in gives its count back.
        let limit = self.app.config.login_limit();
        let client_key = format!("login-client:{client}");
        self.app
            .limiter
            .hit(
                &client_key,
                roadshow_domain::limits::Limit {
                    max: limit.max * 4,
                    window: limit.window,
                },
            )
            .await?;
        let session = self.oidc_verify(config, pending, state, code).await?;
        self.app.limiter.refund(&client_key).await?;
        Ok(session)
    }

    async fn oidc_verify(
        &self,
        config: &OidcConfig,
        pending: Option<Pending>,
        state: &str,
        code: &str,
    ) -> AppResult<LoginSession> {
        let Some(pending) = pending else {
            return Err(refused("oidc_state"));
        };
        if !crate::secrets::constant_time_eq(pending.state.as_bytes(), state.as_bytes()) {
            return Err(refused("oidc_state"));
        }
        let (client, http) = self.oidc_client(config).await?;
        let token = client
            .exchange_code(AuthorizationCode::new(code.to_string()))
            .map_err(|e| provider_failed("token endpoint", e))?
            .set_pkce_verifier(PkceCodeVerifier::new(pending.verifier))
            .request_async(&http)
            .await
            .map_err(|e| provider_failed("code exchange", e))?;
        let id_token = token.id_token().ok_or_else(|| refused("oidc_token"))?;
        let claims = id_token
            .claims(&client.id_token_verifier(), &Nonce::new(pending.nonce))
            .map_err(|e| {
                tracing::warn!(error = %e, "identity provider: ID token refused");
                refused("oidc_token")
            })?;
        let identity = Identity {
            email: claims.email().map(|e| e.as_str().to_string()),
            email_verified: claims.email_verified().unwrap_or(false),
            name: claims
                .name()
                .and_then(|n| n.get(None))
                .map(|n| n.as_str().to_string()),
            role_values: role_values(&id_token.to_string(), &config.role_claim),
        };
        let store = &self.app.store;
        let existing = match identity.email.as_deref() {
            Some(email) => store.account_by_email(email.trim()).await?,
            None => None,
        };
        let account = match admit(&identity, existing.is_some(), &config.roles) {
            Admission::Refused(code) => return Err(refused(code)),
            Admission::Existing(_) => existing.map(|r| r.account).ok_or(AppError::NotFound)?,
            Admission::Create { email, name, role } => {
                let agency = store
                    .agency_ids()
                    .await?
                    .into_iter()
                    .next()
                    .ok_or(AppError::NotFound)?;
                // No password: "!" is no password hash, so none ever matches it.
                let account = store
                    .create_account(agency, &email, &name, role, None, "!oidc")
                    .await?;
                self.app
                    .privacy()
                    .audit(&crate::privacy::draft(
                        Some(agency),
                        format!("account:{}", account.id),
                        "account_created_by_provider",
                        format!("account:{}", account.id),
                        serde_json::json!({"role": role.code()}),
                    ))
                    .await?;
                account
            }
        };
        self.start_session(account, "provider").await
    }
}

type CoreClientReady = openidconnect::core::CoreClient<
    openidconnect::EndpointSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointMaybeSet,
    openidconnect::EndpointMaybeSet,
>;

/// The role claim's value(s) in a verified ID token: read from its payload, which the
/// library has checked (it keeps only the standard claims).
fn role_values(jwt: &str, claim: &str) -> Vec<String> {
    let Some(payload) = jwt.split('.').nth(1) else {
        return Vec::new();
    };
    let Ok(bytes) = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')) else {
        return Vec::new();
    };
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return Vec::new();
    };
    match &value[claim] {
        serde_json::Value::String(s) => vec![s.clone()],
        serde_json::Value::Array(items) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_role_claim_is_read_as_a_string_or_a_list() {
        let jwt = |claims: serde_json::Value| {
            format!("e30.{}.sig", URL_SAFE_NO_PAD.encode(claims.to_string()))
        };
        assert_eq!(
            role_values(&jwt(serde_json::json!({"r": "organiser"})), "r"),
            ["organiser"]
        );
        assert_eq!(
            role_values(&jwt(serde_json::json!({"groups": ["a", 1, "b"]})), "groups"),
            ["a", "b"]
        );
        assert!(role_values(&jwt(serde_json::json!({})), "r").is_empty());
        assert!(role_values("not a token", "r").is_empty());
    }

    #[test]
    fn what_the_browser_keeps_reads_back_and_nothing_else_does() {
        let p = Pending {
            state: "s".into(),
            nonce: "n".into(),
            verifier: "v".into(),
            next: "/admin".into(),
        };
        assert_eq!(Pending::decode(&p.encode()), Some(p));
        assert_eq!(Pending::decode("%%%"), None);
    }
}
