//! Behind a reverse proxy every connection comes from the proxy, so the per-address
//! limits would count all visitors as one. The operator names the proxies it trusts
//! (`trusted_proxies`); for a connection from one of them, the client is the last address
//! in `X-Forwarded-For` that is not itself a trusted proxy — the rightmost one, since
//! anything to its left was written by the client and can be forged.

use axum::extract::ConnectInfo;
use axum::http::HeaderMap;
use std::net::{IpAddr, SocketAddr};

/// An address or a CIDR block (`10.0.0.0/8`, `::1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    net: IpAddr,
    prefix: u8,
}

impl Block {
    pub fn parse(text: &str) -> Option<Block> {
        let text = text.trim();
        let (addr, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p.parse::<u8>().ok()?)),
            None => (text, None),
        };
        let net: IpAddr = addr.parse().ok()?;
        let max = if net.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(max);
        (prefix <= max).then_some(Block { net, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        match (self.net, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(n) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(n) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

/// An IPv4 address seen through an IPv6 socket is the IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

/// The client's address: the peer's, or, when the peer is a trusted proxy, the rightmost
/// untrusted address it forwarded.
pub fn client(peer: IpAddr, headers: &HeaderMap, trusted: &[Block]) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|b| b.contains(ip));
    if !is_trusted(peer) {
        return peer;
    }
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect::<Vec<_>>();
    let mut client = peer;
    for hop in forwarded.iter().rev() {
        let Ok(ip) = hop.parse::<IpAddr>() else {
            // A hop that is no address: trust nothing further left.
            break;
        };
        client = canonical(ip);
        if !is_trusted(client) {
            break;
        }
    }
    client
}

/// Replaces the connection's address in the request by the client's.
pub fn rewrite(request: &mut axum::extract::Request, trusted: &[Block]) {
    if trusted.is_empty() {
        return;
    }
    if let Some(ConnectInfo(peer)) = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .copied()
    {
        let ip = client(peer.ip(), request.headers(), trusted);
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::new(ip, peer.port())));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        if let Ok(v) = xff.parse() {
            h.insert("x-forwarded-for", v);
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))
    }

    #[test]
    fn blocks_parse_and_match() {
        let b = Block::parse("10.1.0.0/16");
        assert!(b.is_some_and(|b| b.contains(ip("10.1.200.3"))));
        assert!(b.is_some_and(|b| !b.contains(ip("10.2.0.1"))));
        assert!(Block::parse("::1").is_some_and(|b| b.contains(ip("::1"))));
        assert!(Block::parse("127.0.0.1").is_some_and(|b| b.contains(ip("::ffff:127.0.0.1"))));
        assert_eq!(Block::parse("10.0.0.0/33"), None);
        assert_eq!(Block::parse("proxy.local"), None);
        assert!(Block::parse("0.0.0.0/0").is_some_and(|b| b.contains(ip("8.8.8.8"))));
    }

    #[test]
    fn the_client_is_the_rightmost_untrusted_hop() {
        let trusted = [Block::parse("127.0.0.1").unwrap_or(Block {
            net: ip("127.0.0.1"),
            prefix: 32,
        })];
        let proxy = ip("127.0.0.1");
        // A forged hop on the left is ignored.
        assert_eq!(
            client(proxy, &headers("6.6.6.6, 203.0.113.7"), &trusted),
            ip("203.0.113.7")
        );
        // From an untrusted peer the header means nothing.
        assert_eq!(
            client(ip("198.51.100.1"), &headers("203.0.113.7"), &trusted),
            ip("198.51.100.1")
        );
        // Through two trusted proxies.
        assert_eq!(
            client(proxy, &headers("203.0.113.7, 127.0.0.1"), &trusted),
            ip("203.0.113.7")
        );
        // Without the header, the proxy itself.
        assert_eq!(client(proxy, &HeaderMap::new(), &trusted), proxy);
    }
}
