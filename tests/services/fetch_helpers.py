"""Test-only pieces for the real fetcher: a name resolver from a dict (no /etc/hosts, no DNS)
and an address policy that adds exactly one (127.0.0.1, port) allowance to the production
policy, for the test server that plays a public site."""

from __future__ import annotations

import ipaddress
import socket

from aiohttp.abc import AbstractResolver, ResolveResult
from yarl import URL

from bot.services.net_guard import AddressPolicy, IPAddress, is_public_address
from bot.services.watch.fetch import Fetcher


class StaticResolver(AbstractResolver):
    """Names from a dict; numeric spellings (`0x7f.0.0.1`, `2130706433`) are read by the C
    library without any lookup, as the system resolver does; any other name is unknown."""

    def __init__(self, names: dict[str, list[str]] | None = None) -> None:
        self.names = {k.lower(): v for k, v in (names or {}).items()}
        self.asked: list[str] = []

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        self.asked.append(host)
        addresses = self.names.get(host.lower().rstrip("."))
        if addresses is None:
            try:
                infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)
            except socket.gaierror as error:
                raise OSError(f"unknown test name {host!r}") from error
            addresses = [str(info[4][0]) for info in infos]
        return [
            {
                "hostname": host,
                "host": address,
                "port": port,
                "family": socket.AF_INET6 if ":" in address else socket.AF_INET,
                "proto": 0,
                "flags": socket.AI_NUMERICHOST,
            }
            for address in addresses
        ]

    async def close(self) -> None:
        pass


def allow_only(host: str, port: int) -> AddressPolicy:
    """The production policy plus exactly one test server (address and port)."""
    allowed_address = ipaddress.ip_address(host)

    def policy(address: IPAddress, p: int) -> bool:
        return (address == allowed_address and p == port) or is_public_address(address, p)

    return policy


def fetcher_for(server: str, *, names: dict[str, list[str]] | None = None, timeout: float = 2) -> Fetcher:
    """A real fetcher allowed to reach the one test server at `server` (http://127.0.0.1:port)."""
    url = URL(server)
    assert url.host is not None and url.port is not None
    return Fetcher(timeout=timeout, resolver=StaticResolver(names), is_allowed_address=allow_only(url.host, url.port))
