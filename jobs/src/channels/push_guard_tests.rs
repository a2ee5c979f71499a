//! The push endpoint guard: which addresses count as public, which URLs are refused before and after resolution,
//! and that the refusal texts name no host, address or port.

use std::net::IpAddr;

use reqwest::dns::Resolve;

use super::{PublicResolver, Refusal, check_endpoint, check_literal, is_public, refused_by_resolver};

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

#[test]
fn addresses_inside_a_network_are_not_public() {
    for a in [
        "127.0.0.1",
        "127.255.255.254",
        "10.0.0.1",
        "10.255.255.255",
        "172.16.0.1",
        "172.31.255.255",
        "192.168.1.1",
        "169.254.169.254", // cloud metadata
        "100.64.0.1",      // CGNAT
        "100.127.255.255",
        "0.0.0.0",
        "0.1.2.3",
        "255.255.255.255",
        "192.0.2.1", // documentation
        "198.51.100.7",
        "203.0.113.9",
        "224.0.0.1", // multicast
        "239.255.255.250",
        "198.18.0.1", // benchmarking
        "192.0.0.8",
        "240.0.0.1",
        "::",
        "::1",
        "fe80::1",
        "febf::1",
        "fc00::1",
        "fd12:3456::1",
        "ff02::1",
        "2001:db8::1",
        "::ffff:127.0.0.1", // IPv4-mapped loopback
        "::ffff:10.1.2.3",
        "::ffff:169.254.169.254",
        "::ffff:192.168.0.1",
        "::ffff:100.64.0.1",
        "::127.0.0.1",      // IPv4-compatible
        "64:ff9b::a00:1",   // NAT64 of 10.0.0.1
        "2002:7f00:1::1",   // 6to4 of 127.0.0.1
        "2002:c0a8:101::1", // 6to4 of 192.168.1.1
        "2001::1",          // Teredo
        "fec0::1",          // site-local
    ] {
        assert!(!is_public(ip(a)), "{a} must not count as public");
    }
}

#[test]
fn addresses_on_the_internet_are_public() {
    for a in [
        "8.8.8.8",
        "1.1.1.1",
        "142.250.74.110",
        "172.15.255.255", // just below 172.16/12
        "172.32.0.1",     // just above
        "100.63.255.255", // just below CGNAT
        "100.128.0.1",    // just above
        "169.253.0.1",
        "11.0.0.1",
        "2a00:1450:4001:80b::200a",
        "2606:4700:4700::1111",
        "::ffff:8.8.8.8",
        "64:ff9b::808:808", // NAT64 of 8.8.8.8
        "2002:808:808::1",  // 6to4 of 8.8.8.8
    ] {
        assert!(is_public(ip(a)), "{a} is on the public internet");
    }
}

#[test]
fn literal_urls_are_checked_without_a_lookup() {
    let refused = |u: &str| check_literal(u, false).unwrap_err();
    assert_eq!(refused("http://push.example.net/x"), Refusal::NotHttps);
    assert_eq!(refused("ftp://push.example.net/x"), Refusal::NotHttps);
    assert_eq!(refused("javascript:alert(1)"), Refusal::NotHttps);
    assert_eq!(refused("not a url"), Refusal::Malformed);
    assert_eq!(refused("https://127.0.0.1/push"), Refusal::NotPublic);
    assert_eq!(refused("https://10.0.0.1:8443/push"), Refusal::NotPublic);
    assert_eq!(refused("https://[::1]/push"), Refusal::NotPublic);
    assert_eq!(refused("https://[::ffff:7f00:1]/push"), Refusal::NotPublic);
    assert_eq!(refused("https://[fd00::1]/push"), Refusal::NotPublic);
    assert_eq!(refused("https://169.254.169.254/latest/meta-data"), Refusal::NotPublic);
    // Forms the URL parser normalises to a private address are refused as that address.
    assert_eq!(refused("https://2130706433/push"), Refusal::NotPublic);
    assert_eq!(refused("https://0x7f.1/push"), Refusal::NotPublic);
    assert_eq!(check_literal("https://8.8.8.8/push", false), Ok(None));
    assert!(check_literal("https://push.example.net/x", false).unwrap().is_some(), "a name is left to resolve");
    // Allowed: http and private addresses (tests, closed networks); other schemes still not.
    assert!(check_literal("http://127.0.0.1:9/push", true).is_ok());
    assert!(check_literal("https://10.0.0.1/push", true).is_ok());
    assert_eq!(check_literal("ftp://127.0.0.1/push", true), Err(Refusal::NotHttps));
}

#[tokio::test]
async fn names_are_resolved_and_every_address_must_be_public() {
    assert_eq!(check_endpoint("https://localhost/push", false).await, Err(Refusal::NotPublic));
    assert_eq!(check_endpoint("https://localhost:8443/push", false).await, Err(Refusal::NotPublic));
    assert_eq!(check_endpoint("http://localhost/push", false).await, Err(Refusal::NotHttps));
    assert_eq!(check_endpoint("https://[::1]/push", false).await, Err(Refusal::NotPublic));
    // `.invalid` never resolves (RFC 2606): refused, since nothing could be checked.
    assert_eq!(check_endpoint("https://push.invalid/push", false).await, Err(Refusal::Unresolvable));
    // Allowed: nothing is looked up.
    assert_eq!(check_endpoint("http://localhost:1/push", true).await, Ok(()));
    assert_eq!(check_endpoint("https://push.invalid/push", true).await, Ok(()));
    assert_eq!(check_endpoint("https://8.8.8.8/push", false).await, Ok(()));
}

#[tokio::test]
async fn the_send_time_resolver_refuses_private_answers() {
    let name = "localhost".parse().unwrap();
    let err = match PublicResolver.resolve(name).await {
        Ok(addrs) => panic!("localhost resolved through the public resolver: {:?}", addrs.collect::<Vec<_>>()),
        Err(e) => e,
    };
    assert!(refused_by_resolver(err.as_ref()));
    assert_eq!(err.to_string(), "push endpoint is not a public address");
}

#[test]
fn refusals_name_no_host_address_or_port() {
    for r in [Refusal::Malformed, Refusal::NotHttps, Refusal::NotPublic, Refusal::Unresolvable] {
        let text = r.to_string();
        assert!(text.starts_with("push endpoint "), "{text}");
        assert!(!text.chars().any(|c| c.is_ascii_digit() || c == ':' || c == '/'), "{text}");
    }
}
