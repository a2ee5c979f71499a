//! Who is asking: the client address every per-address limiter keys on.
//!
//! hejnał has no TLS and runs behind a reverse proxy, whose address every request then comes from. When (and only
//! when) the connection comes from a configured `trusted_proxies` network, the client is the right-most address of
//! `X-Forwarded-For` (or, without it, of RFC 7239 `Forwarded`) that is not itself a trusted proxy: every hop to the
//! right of it was added by a proxy we trust, every hop to its left was written by the client and proves nothing.
//! A direct connection's headers are ignored, so nobody can choose their own address. IPv6 clients are keyed by
//! their /64 (one household or one phone gets a whole /64 and can pick any address in it).

use std::net::{IpAddr, Ipv6Addr};

use axum::http::HeaderMap;
use ipnet::IpNet;

/// The key for rate limits: the client's address (its /64 for IPv6).
pub fn client_key(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    limiter_key(client_addr(peer, headers, trusted))
}

/// The client's address as seen through trusted proxies.
pub fn client_addr(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let peer = peer.to_canonical();
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let hops = forwarded_hops(headers);
    let mut client = peer;
    for hop in hops.iter().rev() {
        // A hop that is not an address (`unknown`, an obfuscated name, garbage) ends the trusted chain: the last
        // address a trusted proxy vouched for is the best we know.
        let Some(ip) = hop else { return client };
        client = ip.to_canonical();
        if !is_trusted(&client) {
            return client;
        }
    }
    client
}

/// IPv6 addresses keep their first 64 bits; IPv4 addresses stay as they are.
pub fn limiter_key(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => {
            let bits = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(Ipv6Addr::from(bits))
        }
        v4 => v4,
    }
}

/// The hops, left to right, of every `X-Forwarded-For` header (or, if there is none, of every `Forwarded`
/// header's `for=`). `None` marks a hop that is not an address.
fn forwarded_hops(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let xff: Vec<&str> = headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect();
    if !xff.is_empty() {
        return xff.iter().flat_map(|v| v.split(',')).map(|h| parse_hop(h.trim())).collect();
    }
    let mut hops = Vec::new();
    for value in headers.get_all("forwarded").iter() {
        let Ok(value) = value.to_str() else {
            hops.push(None);
            continue;
        };
        for element in value.split(',') {
            let target = element
                .split(';')
                .filter_map(|pair| pair.split_once('='))
                .find(|(k, _)| k.trim().eq_ignore_ascii_case("for"))
                .map(|(_, v)| v.trim().trim_matches('"'));
            hops.push(target.and_then(parse_hop));
        }
    }
    hops
}

/// `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1`, `[2001:db8::1]`, `[2001:db8::1]:4711`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse() {
        return Some(ip);
    }
    if let Some(rest) = hop.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    let (host, port) = hop.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    host.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;
    use crate::config::parse_trusted;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn headers_count_only_from_a_trusted_peer() {
        let trusted = parse_trusted("10.0.0.0/8, 127.0.0.1").unwrap();
        let spoof = headers(&[("x-forwarded-for", "203.0.113.9")]);
        assert_eq!(client_addr(ip("198.51.100.7"), &spoof, &trusted), ip("198.51.100.7"));
        assert_eq!(client_addr(ip("127.0.0.1"), &spoof, &trusted), ip("203.0.113.9"));
        assert_eq!(client_addr(ip("127.0.0.1"), &HeaderMap::new(), &trusted), ip("127.0.0.1"));
        assert_eq!(client_addr(ip("127.0.0.1"), &spoof, &[]), ip("127.0.0.1"), "nothing trusted by default");
    }

    #[test]
    fn the_right_most_untrusted_hop_is_the_client() {
        let trusted = parse_trusted("10.0.0.0/8,127.0.0.1/32").unwrap();
        // The client wrote the first hop itself; our proxies appended the others.
        let h = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.9"), ("x-forwarded-for", "10.1.1.1")]);
        assert_eq!(client_addr(ip("127.0.0.1"), &h, &trusted), ip("203.0.113.9"));
        let garbage = headers(&[("x-forwarded-for", "203.0.113.9, nonsense, 10.1.1.1")]);
        assert_eq!(client_addr(ip("127.0.0.1"), &garbage, &trusted), ip("10.1.1.1"));
        let forwarded = headers(&[("forwarded", "for=192.0.2.60;proto=https, for=\"[2001:db8:cafe::17]:4711\"")]);
        assert_eq!(client_addr(ip("10.0.0.2"), &forwarded, &trusted), ip("2001:db8:cafe::17"));
        let with_port = headers(&[("forwarded", "for=\"192.0.2.43:47011\"")]);
        assert_eq!(client_addr(ip("10.0.0.2"), &with_port, &trusted), ip("192.0.2.43"));
    }

    #[test]
    fn ipv6_clients_share_their_64() {
        assert_eq!(limiter_key(ip("2001:db8:1:2:aaaa::1")), limiter_key(ip("2001:db8:1:2:bbbb::9")));
        assert_ne!(limiter_key(ip("2001:db8:1:2::1")), limiter_key(ip("2001:db8:1:3::1")));
        assert_eq!(limiter_key(ip("::ffff:192.0.2.1")), ip("192.0.2.1"));
    }

    #[test]
    fn bad_networks_are_named() {
        assert!(parse_trusted("").unwrap().is_empty());
        assert!(parse_trusted("10.0.0.0/33").unwrap_err().contains("10.0.0.0/33"));
    }
}
