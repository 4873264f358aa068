"""Which addresses the bot may connect to when it fetches a URL a member chose (SSRF guard).

Members choose the links of the watch, so a link must never make the bot read a page of its
own network (a router, a metadata service, a database console). The guard sits where the
address is known for sure:

- `GuardedResolver` wraps the name resolver of aiohttp: a name is refused when ANY of its
  addresses is refused (a name that resolves to a public and an internal address is refused);
  the connector then connects to the addresses returned, so there is no second resolution.
  Every legacy spelling of an IPv4 address (`0x7f.0.0.1`, `2130706433`, `0177.0.0.1`,
  `127.1`) is either refused by aiohttp itself or resolved by `getaddrinfo` into the address
  it means, which is then checked.
- `guarded_socket_factory` checks the exact socket address right before `connect()`: it also
  covers IP literals (which aiohttp connects to without asking the resolver).

`is_public_address` is the production policy. A policy is any `(address, port) -> bool`;
tests add a single (127.0.0.1, port) allowance for their "public" server.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from typing import Any

from aiohttp.abc import AbstractResolver, ResolveResult

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
AddressPolicy = Callable[[IPAddress, int], bool]

_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")  # deprecated ::a.b.c.d (and :: and ::1)
_CGNAT = ipaddress.ip_network("100.64.0.0/10")


class AddressRefused(OSError):
    """The destination is not a public address (never shown to members)."""


def _embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries (mapped, 6to4, Teredo, NAT64)."""
    found = []
    if address.ipv4_mapped is not None:
        found.append(address.ipv4_mapped)
    if address.sixtofour is not None:
        found.append(address.sixtofour)
    if address.teredo is not None:
        found.extend(address.teredo)  # (server, client)
    if any(address in net for net in _NAT64):
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return found


def _is_public_ip(address: IPAddress) -> bool:
    if (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_unspecified
        or address.is_reserved
        or not address.is_global
    ):
        return False
    if isinstance(address, ipaddress.IPv4Address):
        return address not in _CGNAT and address != ipaddress.IPv4Address("255.255.255.255")
    if address.scope_id or address in _IPV4_COMPATIBLE:
        return False
    # mapped, 6to4, Teredo, NAT64: public only if every IPv4 address they carry is
    return all(_is_public_ip(v4) for v4 in _embedded_ipv4(address))


def is_public_address(address: IPAddress, port: int) -> bool:
    """The production policy: globally routable unicast addresses only, on any port."""
    return _is_public_ip(address)


def parse_address(value: str) -> IPAddress | None:
    """A resolved address as aiohttp or the socket layer gives it ("fe80::1%eth0" included)."""
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def allowed(policy: AddressPolicy, host: str, port: int) -> bool:
    address = parse_address(host)
    return address is not None and policy(address, port)


class GuardedResolver(AbstractResolver):
    """Resolves with `inner`, then refuses the name when any address fails the policy."""

    def __init__(self, inner: AbstractResolver, policy: AddressPolicy) -> None:
        self.inner = inner
        self.policy = policy

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = await self.inner.resolve(host, port, family)
        if not results or not all(allowed(self.policy, r["host"], r["port"]) for r in results):
            raise AddressRefused("refused destination")
        return results

    async def close(self) -> None:
        """The inner resolver belongs to whoever created it."""


def guarded_socket_factory(policy: AddressPolicy) -> Callable[[Any], socket.socket]:
    """A socket factory for `aiohttp.TCPConnector(socket_factory=…)`: the last check, on the
    address the socket is about to connect to."""

    def factory(addr_info: Any) -> socket.socket:
        family, type_, proto, _canonname, sockaddr = addr_info
        if family not in (socket.AF_INET, socket.AF_INET6) or not allowed(policy, str(sockaddr[0]), int(sockaddr[1])):
            raise AddressRefused("refused destination")
        return socket.socket(family=family, type=type_, proto=proto)

    return factory
