//! Which push endpoints may be contacted: a push service is a public HTTPS server, never something inside the
//! network hejnał runs in. A resident chooses the endpoint, so an unchecked one would let anyone make the server probe
//! its own network once per broadcast.
//!
//! Checked twice: when a subscription is stored ([`check_endpoint`], after resolving the name) and when a message is
//! sent ([`PublicResolver`] filters every resolution, so a name that later resolves inside the network — DNS
//! rebinding — still reaches nothing; [`check_literal`] covers addresses written into the URL, which are never
//! resolved). `delivery.push_allow_private` turns both off (tests and closed networks).

use std::{
    net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr},
    sync::Arc,
};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Why an endpoint is not acceptable. Its text is fixed: no host, address or port in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Not a URL, or no host.
    Malformed,
    /// `http` (or another scheme) where `https` is required.
    NotHttps,
    /// The host is, or resolves to, an address that is not on the public internet.
    NotPublic,
    /// The name does not resolve.
    Unresolvable,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Refusal::Malformed => "push endpoint is not a URL",
            Refusal::NotHttps => "push endpoint is not https",
            Refusal::NotPublic => "push endpoint is not a public address",
            Refusal::Unresolvable => "push endpoint does not resolve",
        })
    }
}

impl std::error::Error for Refusal {}

/// Whether an address is on the public internet: not loopback, private (10/8, 172.16/12, 192.168/16), link-local
/// (169.254/16, fe80::/10), unique-local (fc00::/7), CGNAT (100.64/10), unspecified, broadcast, multicast,
/// documentation, benchmarking or reserved — and not an IPv4-mapped, -compatible, NAT64 or 6to4 form of one.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        || a == 0 // "this network"
        || (a == 100 && (64..128).contains(&b)) // CGNAT 100.64/10
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments 192.0.0/24
        || (a == 192 && b == 88 && c == 99) // 6to4 relay anycast
        || (a == 198 && (b & 0xfe) == 18) // benchmarking 198.18/15
        || a >= 240) // reserved 240/4
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    let s = ip.segments();
    // IPv4-compatible (::a.b.c.d, deprecated) and the NAT64 well-known prefix 64:ff9b::/96 carry an IPv4 address.
    if s[..6] == [0; 6] && !(ip.is_unspecified() || ip.is_loopback()) {
        return is_public_v4(Ipv4Addr::from(((s[6] as u32) << 16) | s[7] as u32));
    }
    if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return is_public_v4(Ipv4Addr::from(((s[6] as u32) << 16) | s[7] as u32));
    }
    // 6to4 (2002::/16) embeds the IPv4 address in the next 32 bits.
    if s[0] == 0x2002 {
        return is_public_v4(Ipv4Addr::from(((s[1] as u32) << 16) | s[2] as u32));
    }
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || (s[0] & 0xfe00) == 0xfc00 // unique-local fc00::/7
        || (s[0] & 0xffc0) == 0xfe80 // link-local fe80::/10
        || (s[0] & 0xffc0) == 0xfec0 // site-local fec0::/10 (deprecated)
        || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation 2001:db8::/32
        || (s[0] == 0x3fff && s[1] < 0x1000) // documentation 3fff::/20
        || (s[0] == 0x2001 && s[1] < 0x0200) // IETF protocol assignments 2001::/23 (Teredo, benchmarking, …)
        || (s[0] == 0x0100 && s[1..4] == [0, 0, 0])) // discard-only 100::/64
}

/// The endpoint's URL if its scheme is acceptable and an address written into it is public; `Ok(None)` for a name
/// (to be resolved). Nothing is looked up.
pub fn check_literal(endpoint: &str, allow_private: bool) -> Result<Option<url::Url>, Refusal> {
    let url = url::Url::parse(endpoint).map_err(|_| Refusal::Malformed)?;
    match url.scheme() {
        "https" => {}
        "http" if allow_private => {}
        _ => return Err(Refusal::NotHttps),
    }
    let ip = match url.host().ok_or(Refusal::Malformed)? {
        url::Host::Ipv4(ip) => Some(IpAddr::V4(ip)),
        url::Host::Ipv6(ip) => Some(IpAddr::V6(ip)),
        url::Host::Domain(_) => None,
    };
    match ip {
        Some(ip) if !allow_private && !is_public(ip) => Err(Refusal::NotPublic),
        Some(_) => Ok(None),
        None => Ok(Some(url)),
    }
}

/// Whether a resident's push endpoint may be stored: `https`, and every address its name resolves to public
/// (a name that does not resolve is refused too). With `allow_private`, `http` and any address are accepted and
/// nothing is looked up.
pub async fn check_endpoint(endpoint: &str, allow_private: bool) -> Result<(), Refusal> {
    let Some(url) = check_literal(endpoint, allow_private)? else { return Ok(()) };
    if allow_private {
        return Ok(());
    }
    let host = url.host_str().ok_or(Refusal::Malformed)?;
    let port = url.port_or_known_default().unwrap_or(443);
    let addrs: Vec<SocketAddr> =
        tokio::net::lookup_host((host, port)).await.map_err(|_| Refusal::Unresolvable)?.collect();
    if addrs.is_empty() {
        return Err(Refusal::Unresolvable);
    }
    if addrs.iter().all(|a| is_public(a.ip())) { Ok(()) } else { Err(Refusal::NotPublic) }
}

/// The push client's resolver: the system's resolution, refused unless every address is public.
#[derive(Clone, Copy, Debug, Default)]
pub struct PublicResolver;

impl Resolve for PublicResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if addrs.is_empty() {
                return Err(Box::new(Refusal::Unresolvable) as Box<dyn std::error::Error + Send + Sync>);
            }
            if !addrs.iter().all(|a| is_public(a.ip())) {
                return Err(Box::new(Refusal::NotPublic) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

impl PublicResolver {
    pub fn shared() -> Arc<Self> {
        Arc::new(Self)
    }
}

/// Whether a request failed because [`PublicResolver`] refused the endpoint's addresses.
pub fn refused_by_resolver(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if err.downcast_ref::<Refusal>().is_some_and(|r| *r == Refusal::NotPublic) {
            return true;
        }
        source = err.source();
    }
    false
}

#[cfg(test)]
#[path = "push_guard_tests.rs"]
mod tests;
