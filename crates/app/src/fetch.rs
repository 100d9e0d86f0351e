//! Reaching an address an organiser typed, safely: http(s) only, at most
//! [`MAX_BYTES`], within [`TIMEOUT`], never this machine or a private network (checked
//! after name resolution, and again for every redirect) unless the operator allows it
//! (`ROADSHOW_ALLOW_PRIVATE_STREAMS` for stream checks, `ROADSHOW_ALLOW_PRIVATE_WEBHOOKS`
//! for webhooks, which follow no redirect at all).

use crate::{AppError, AppResult};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

/// The largest playlist read: a master playlist is a few kilobytes.
pub const MAX_BYTES: usize = 1024 * 1024;
/// How long a fetch may take, all of it.
pub const TIMEOUT: Duration = Duration::from_secs(8);
/// Redirects followed at most.
const REDIRECTS: usize = 5;

fn public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // shared address space (carrier NAT)
        || (a == 192 && b == 0 && c == 0)
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || a >= 240)
}

/// Whether an address is on the public internet: not this machine, not a private,
/// link-local, shared, documentation or reserved network (IPv4 inside IPv6 included).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => public_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return public_v4(v4);
            }
            let first = v6.segments()[0];
            !(v6.is_unspecified()
                || v6.is_loopback()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00 // unique local
                || (first & 0xffc0) == 0xfe80 // link-local
                || (first == 0x2001 && v6.segments()[1] == 0x0db8) // documentation
                || (first == 0x0064 && v6.segments()[1] == 0xff9b) // NAT64 to anything
                || v6.segments()[..6] == [0, 0, 0, 0, 0, 0]) // IPv4-compatible, deprecated
        }
    }
}

/// Resolves names to public addresses only (or to any, when private ones are allowed).
struct PublicResolver {
    allow_private: bool,
}

#[derive(Debug, thiserror::Error)]
#[error("the address is on this machine or a private network")]
struct PrivateAddress;

impl reqwest::dns::Resolve for PublicResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow_private = self.allow_private;
        let host = name.as_str().to_string();
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|a| allow_private || is_public(a.ip()))
                .collect();
            if found.is_empty() {
                return Err(Box::new(PrivateAddress) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(found.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// Whether a URL may be fetched before any name is resolved: its scheme, and its host
/// when the host is an address literal.
pub fn allowed_url(url: &reqwest::Url, allow_private: bool) -> Result<(), &'static str> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err("invalid_url");
    }
    match url.host() {
        None => Err("invalid_url"),
        Some(url::Host::Ipv4(ip)) if !allow_private && !is_public(IpAddr::V4(ip)) => {
            Err("private_address")
        }
        Some(url::Host::Ipv6(ip)) if !allow_private && !is_public(IpAddr::V6(ip)) => {
            Err("private_address")
        }
        Some(_) => Ok(()),
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct Refused(&'static str);

/// What every client here shares: no proxy, names resolved to public addresses only
/// (unless allowed), a short connect timeout.
fn safe_builder(allow_private: bool) -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .no_proxy()
        .dns_resolver(Arc::new(PublicResolver { allow_private }))
        .connect_timeout(Duration::from_secs(4))
}

/// A client that fetches only what [`allowed_url`] and the resolver let through.
pub fn client(allow_private: bool) -> AppResult<reqwest::Client> {
    let redirects = reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() >= REDIRECTS {
            return attempt.error(Refused("too_many_redirects"));
        }
        match allowed_url(attempt.url(), allow_private) {
            Ok(()) => attempt.follow(),
            Err(code) => attempt.error(Refused(code)),
        }
    });
    safe_builder(allow_private)
        .redirect(redirects)
        .timeout(TIMEOUT)
        .user_agent("Roadshow stream check")
        .build()
        .map_err(|e| AppError::internal(format!("the fetch client cannot be built: {e}")))
}

/// A client for webhook deliveries: the same safe resolver, no redirect followed (a
/// receiver that moved must be registered at its new address), a short timeout.
pub fn webhook_client(allow_private: bool) -> AppResult<reqwest::Client> {
    safe_builder(allow_private)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .user_agent("Roadshow webhooks")
        .build()
        .map_err(|e| AppError::internal(format!("the webhook client cannot be built: {e}")))
}

/// The code for why a fetch failed: what the organiser is told.
pub fn failure_code(err: &reqwest::Error) -> &'static str {
    if err.is_timeout() {
        return "fetch_timeout";
    }
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = source {
        if e.is::<PrivateAddress>() {
            return "private_address";
        }
        if let Some(Refused(code)) = e.downcast_ref::<Refused>() {
            return code;
        }
        source = e.source();
    }
    "fetch_failed"
}

/// Fetches `address` (a field named `field` in errors) and returns its bytes.
pub async fn fetch(
    client: &reqwest::Client,
    address: &str,
    field: &str,
    allow_private: bool,
) -> AppResult<Vec<u8>> {
    let url = reqwest::Url::parse(address).map_err(|_| AppError::invalid(field, "invalid_url"))?;
    allowed_url(&url, allow_private).map_err(|code| AppError::invalid(field, code))?;
    let mut response = client
        .get(url)
        .send()
        .await
        .map_err(|e| AppError::invalid(field, failure_code(&e)))?;
    if !response.status().is_success() {
        return Err(AppError::invalid(field, "fetch_status"));
    }
    if response
        .content_length()
        .is_some_and(|n| n > MAX_BYTES as u64)
    {
        return Err(AppError::invalid(field, "playlist_too_large"));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| AppError::invalid(field, failure_code(&e)))?
    {
        if body.len() + chunk.len() > MAX_BYTES {
            return Err(AppError::invalid(field, "playlist_too_large"));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_local_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::7f00:1",
        ] {
            let parsed: IpAddr = ip
                .parse()
                .unwrap_or(IpAddr::V6(std::net::Ipv6Addr::LOCALHOST));
            assert!(!is_public(parsed), "{ip}");
        }
        for ip in [
            "8.8.8.8",
            "203.0.114.1",
            "2a00:1450:4001:80b::200e",
            "::ffff:8.8.8.8",
        ] {
            let parsed: IpAddr = ip
                .parse()
                .unwrap_or(IpAddr::V6(std::net::Ipv6Addr::LOCALHOST));
            assert!(is_public(parsed), "{ip}");
        }
    }
}
