//! Who a request comes from, for the limits on sign-ins and sign-ups and for the logs.
//!
//! `X-Forwarded-For` is whatever the client wants it to be, unless a proxy we run wrote it:
//! the client is the peer address of the connection, and the forwarded one only when that
//! peer is listed in `APP_TRUSTED_PROXIES`. Then each trusted proxy appended the address it
//! saw, so the right-most address that is not a trusted proxy is the client; anything to its
//! left was written by the client and is ignored.

use actix_web::HttpRequest;
use actix_web::dev::ServiceRequest;
use std::net::IpAddr;

/// Addresses or networks (CIDR) of the reverse proxies in front of the service.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrustedProxies(Vec<(IpAddr, u8)>);

impl TrustedProxies {
    /// Parses `10.0.0.1, 10.1.0.0/16, ::1`; an empty string trusts no proxy. The error names
    /// the entry that is not an address.
    pub fn parse(list: &str) -> Result<Self, String> {
        let mut networks = Vec::new();
        for entry in list.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let (address, prefix) = match entry.split_once('/') {
                Some((a, p)) => (a, Some(p)),
                None => (entry, None),
            };
            let address: IpAddr = address.parse().map_err(|_| entry.to_owned())?;
            let max = if address.is_ipv4() { 32 } else { 128 };
            let prefix = match prefix {
                Some(p) => p.parse::<u8>().ok().filter(|p| *p <= max),
                None => Some(max),
            }
            .ok_or_else(|| entry.to_owned())?;
            networks.push((address.to_canonical(), prefix));
        }
        Ok(TrustedProxies(networks))
    }

    pub fn contains(&self, address: IpAddr) -> bool {
        let address = address.to_canonical();
        self.0
            .iter()
            .any(|(network, prefix)| in_network(address, *network, *prefix))
    }
}

fn in_network(address: IpAddr, network: IpAddr, prefix: u8) -> bool {
    match (address, network) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

/// The client's address: the peer, or, from a trusted proxy, the right-most untrusted
/// address of the `X-Forwarded-For` values (in the order they came).
pub fn client_address(
    peer: Option<IpAddr>,
    forwarded_for: &[&str],
    trusted: &TrustedProxies,
) -> String {
    let Some(peer) = peer.map(|p| p.to_canonical()) else {
        return "unknown".to_owned();
    };
    if !trusted.contains(peer) {
        return peer.to_string();
    }
    let hops: Vec<&str> = forwarded_for
        .iter()
        .flat_map(|h| h.split(','))
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        match hop.parse::<IpAddr>() {
            Ok(address) => {
                client = address.to_canonical();
                if !trusted.contains(client) {
                    break;
                }
            }
            // Garbage in a hop written by a trusted proxy is not an address to count by:
            // keep the last address that was one.
            Err(_) => break,
        }
    }
    client.to_string()
}

fn of_parts(
    peer: Option<std::net::SocketAddr>,
    headers: &actix_web::http::header::HeaderMap,
    trusted: Option<&TrustedProxies>,
) -> String {
    let empty = TrustedProxies::default();
    let forwarded: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .collect();
    client_address(peer.map(|p| p.ip()), &forwarded, trusted.unwrap_or(&empty))
}

/// The client of a request, as [`client_address`] decides.
pub fn of_request(req: &HttpRequest) -> String {
    let state = req.app_data::<actix_web::web::Data<super::AppState>>();
    of_parts(
        req.peer_addr(),
        req.headers(),
        state.map(|s| &s.trusted_proxies),
    )
}

/// The same, for middleware.
pub fn of_service_request(req: &ServiceRequest) -> String {
    let state = req.app_data::<actix_web::web::Data<super::AppState>>();
    of_parts(
        req.peer_addr(),
        req.headers(),
        state.map(|s| &s.trusted_proxies),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Option<IpAddr> {
        s.parse().ok()
    }

    #[test]
    fn without_trusted_proxies_the_forwarded_header_is_ignored() {
        let none = TrustedProxies::default();
        assert_eq!(
            client_address(ip("198.51.100.4"), &["203.0.113.9"], &none),
            "198.51.100.4"
        );
    }

    #[test]
    fn behind_trusted_proxies_the_right_most_untrusted_address_is_the_client() {
        let trusted = TrustedProxies::parse("10.0.0.0/8, 127.0.0.1").expect("parses");
        // The client wrote 1.2.3.4 itself; the proxy appended what it saw.
        assert_eq!(
            client_address(
                ip("127.0.0.1"),
                &["1.2.3.4, 203.0.113.9", "10.1.2.3"],
                &trusted
            ),
            "203.0.113.9"
        );
        assert_eq!(client_address(ip("127.0.0.1"), &[], &trusted), "127.0.0.1");
        assert_eq!(
            client_address(ip("::ffff:127.0.0.1"), &["203.0.113.9"], &trusted),
            "203.0.113.9"
        );
        // A peer that is not a proxy cannot borrow the header.
        assert_eq!(
            client_address(ip("192.0.2.1"), &["203.0.113.9"], &trusted),
            "192.0.2.1"
        );
    }

    #[test]
    fn trusted_proxies_parse_addresses_and_networks_and_name_a_bad_entry() {
        let t = TrustedProxies::parse("192.168.0.0/16,::1, 2001:db8::/32").expect("parses");
        assert!(t.contains("192.168.4.5".parse().expect("ip")));
        assert!(!t.contains("192.169.0.1".parse().expect("ip")));
        assert!(t.contains("::1".parse().expect("ip")));
        assert!(t.contains("2001:db8:1::9".parse().expect("ip")));
        assert_eq!(TrustedProxies::parse(""), Ok(TrustedProxies::default()));
        assert_eq!(
            TrustedProxies::parse("10.0.0.1, proxy.local"),
            Err("proxy.local".to_owned())
        );
        assert_eq!(
            TrustedProxies::parse("10.0.0.0/33"),
            Err("10.0.0.0/33".to_owned())
        );
        assert!(
            TrustedProxies::parse("0.0.0.0/0")
                .expect("parses")
                .contains("8.8.8.8".parse().expect("ip"))
        );
    }
}
