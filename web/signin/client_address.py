"""The client's address: the direct peer, or what X-Forwarded-For says only when that peer is a trusted proxy."""

from __future__ import annotations

from ipaddress import IPv4Network, IPv6Network, ip_address

from fastapi import Request

Networks = list[IPv4Network] | list[IPv6Network] | list[IPv4Network | IPv6Network]


def _trusted(address: str, proxies: Networks) -> bool:
    try:
        parsed = ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in proxies)


def client_address(request: Request, proxies: Networks) -> str:
    """Walk X-Forwarded-For from the nearest hop while the hops are trusted proxies; the first other one is the client.

    A header from anyone else is ignored: a client cannot pick its own address to escape the sign-in limits.
    """
    peer = request.client.host if request.client else "unknown"
    if not _trusted(peer, proxies):
        return peer
    hops = [hop.strip() for hop in request.headers.get("x-forwarded-for", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, proxies):
            try:
                return str(ip_address(hop))
            except ValueError:
                return peer  # a proxy passed on something that is not an address: count it against the proxy
    return hops[0] if hops else peer
