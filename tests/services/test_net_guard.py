"""The watch never reads the bot's own network (issue 11, "Links the bot fetches").

Servers on 127.0.0.1 count every request they receive: an "internal" one (also on 127.0.0.2
and ::1, same port) and a "public" one, the only (address, port) the test policy adds to the
production policy, used as the first hop of redirect chains. For each address form, DNS name
and redirect chain of the table, the real fetcher is asked for the page's title and for a
feed: the internal server must count no request, the public one only the hops before the
refused one, and the answer is the one of an unreachable site. `test_the_table_can_fail`
runs the same cases without the guard and checks that they do reach a server.

DNS names come from an injected resolver. A name of the "class" cases resolves to 127.0.0.1
(the allowed public server) AND an address of a forbidden class: the fetcher must refuse the
name because ANY of its addresses is refused; 127.0.0.1 comes first, so a guard that lets the
forbidden class through is caught by the public server's counter without sending a packet
anywhere else.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from aiohttp import ThreadedResolver, web
from aiohttp import helpers as aiohttp_helpers

from bot.services.net_guard import AddressRefused, GuardedResolver, is_public_address
from bot.services.watch.fetch import ERR_REDIRECTS, ERR_UNREACHABLE, Fetcher, FetchError
from tests.services.fetch_helpers import StaticResolver, fetcher_for

INTERNAL_TITLE = "Console interne du routeur"
# aiohttp >= 3.13 itself refuses all-digit hosts that are not canonical IPv4 (2130706433,
# 127.1, 0177.0.0.1): those cases never reach a server, guard or not; with an older aiohttp
# they reach the resolver, whose guard is tested below with the system resolver.
DIGITS_REACH_RESOLVER = not hasattr(aiohttp_helpers, "is_canonical_ipv4_address")


@dataclass
class Servers:
    public: str  # http://127.0.0.1:port
    internal_port: int
    hits: dict[str, int]
    ipv6: bool

    def fill(self, template: str) -> str:
        return template.format(int=self.internal_port, pub=self.public.rsplit(":", 1)[1], public=self.public)


@pytest.fixture
async def servers() -> AsyncIterator[Servers]:
    hits = {"public": 0, "internal": 0}
    ports: dict[str, int] = {}

    async def handler(request: web.Request) -> web.Response:
        port = request.transport.get_extra_info("sockname")[1]  # type: ignore[union-attr]
        hits["public" if port == ports["public"] else "internal"] += 1
        if request.path == "/to":
            raise (
                web.HTTPFound(request.query["u"])
                if request.query.get("s") != "301"
                else web.HTTPMovedPermanently(request.query["u"])
            )
        return web.Response(text=f"<html><head><title>{INTERNAL_TITLE}</title></head></html>", content_type="text/html")

    app = web.Application()
    app.router.add_route("GET", "/{tail:.*}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    public = web.TCPSite(runner, "127.0.0.1", 0)
    await public.start()
    ports["public"] = public._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    internal = web.TCPSite(runner, "127.0.0.1", 0)
    await internal.start()
    ports["internal"] = internal._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    await web.TCPSite(runner, "127.0.0.2", ports["internal"]).start()
    ipv6 = True
    try:
        await web.TCPSite(runner, "::1", ports["internal"]).start()
    except OSError:  # no IPv6 loopback on this machine: the IPv6 cases still must not pass
        ipv6 = False
    yield Servers(f"http://127.0.0.1:{ports['public']}", ports["internal"], hits, ipv6)
    await runner.cleanup()


# Names the test resolver knows: (addresses). 127.0.0.1 first, see the module docstring.
CLASSES = {
    "private-10": "10.1.2.3",
    "private-172": "172.16.5.4",
    "private-192": "192.168.1.1",
    "link-local": "169.254.169.254",
    "cgnat": "100.64.0.1",
    "this-network": "0.0.0.0",
    "multicast": "224.0.0.1",
    "reserved": "240.0.0.1",
    "broadcast": "255.255.255.255",
    "benchmark": "198.18.0.1",
    "documentation": "192.0.2.10",
    "ipv6-loopback": "::1",
    "ipv6-unspecified": "::",
    "ipv6-link-local": "fe80::1",
    "ipv6-unique-local": "fd12:3456::1",
    "ipv6-multicast": "ff02::1",
    "ipv4-mapped-private": "::ffff:10.0.0.1",
    "ipv4-compatible": "::10.0.0.1",
    "6to4-of-loopback": "2002:7f00:1::1",
    "6to4-of-metadata": "2002:a9fe:a9fe::1",
    "teredo": "2001:0:4136:e378:8000:63bf:f5ff:fffe",
    "nat64-of-metadata": "64:ff9b::a9fe:a9fe",
}
NAMES = {f"{name}.test": ["127.0.0.1", address] for name, address in CLASSES.items()}
NAMES |= {
    "intranet.test": ["127.0.0.1"],  # a name that resolves to the loopback
    "localhost": ["127.0.0.1"],
    "public.test": ["127.0.0.1"],  # the public server
    "metadata.test": ["127.0.0.1", "169.254.169.254"],
}


@dataclass(frozen=True)
class Case:
    id: str
    url: str  # {int}: internal port, {pub}: public port, {public}: public base URL
    public_hops: int = 0  # requests the public server legitimately receives per fetch
    reachable: bool = True  # without the guard, does the case reach one of our servers?


def _to(target: str, status: int = 302) -> str:
    return "{public}/to?s=" + str(status) + "&u=" + quote(target, safe="{}")  # filled later


LITERALS = [
    Case("loopback", "http://127.0.0.1:{int}/admin"),
    Case("loopback-other", "http://127.0.0.2:{int}/"),
    Case("hex-dotted", "http://0x7f.0.0.1:{int}/"),
    Case("hex-integer", "http://0x7f000001:{int}/"),
    Case("decimal-integer", "http://2130706433:{int}/", reachable=DIGITS_REACH_RESOLVER),
    Case("octal-integer", "http://017700000001:{int}/", reachable=DIGITS_REACH_RESOLVER),
    Case("octal-dotted", "http://0177.0.0.1:{int}/", reachable=DIGITS_REACH_RESOLVER),
    Case("short-two-parts", "http://127.1:{int}/", reachable=DIGITS_REACH_RESOLVER),
    Case("short-three-parts", "http://127.0.1:{int}/", reachable=DIGITS_REACH_RESOLVER),
    Case("zero-padded", "http://127.000.000.001:{int}/", reachable=DIGITS_REACH_RESOLVER),
    Case("unspecified", "http://0.0.0.0:{int}/"),
    Case("unspecified-short", "http://0:{int}/", reachable=DIGITS_REACH_RESOLVER),
    Case("ipv6-loopback", "http://[::1]:{int}/"),
    Case("ipv6-loopback-long", "http://[0:0:0:0:0:0:0:1]:{int}/"),
    Case("ipv4-mapped", "http://[::ffff:127.0.0.1]:{int}/"),
    Case("ipv4-mapped-hex", "http://[::ffff:7f00:1]:{int}/"),
    Case("ipv6-unspecified", "http://[::]:{int}/"),
    Case("localhost", "http://localhost:{int}/"),
    Case("localhost-upper", "http://LOCALHOST:{int}/"),
    Case("userinfo-trick", "http://public.test@127.0.0.1:{int}/"),
]
DNS = [
    Case("name-to-loopback", "http://intranet.test:{int}/"),
    *(Case(f"name-also-{name}", f"http://{name}.test:{{pub}}/") for name in CLASSES),
]
REDIRECTS = [
    Case("redirect-to-loopback", _to("http://127.0.0.1:{int}/"), 1),
    Case("redirect-301-to-hex", _to("http://0x7f.0.0.1:{int}/", 301), 1),
    Case("redirect-to-name", _to("http://intranet.test:{int}/"), 1),
    Case("redirect-to-mapped-ipv6", _to("http://[::ffff:127.0.0.1]:{int}/"), 1),
    Case("redirect-to-metadata-name", _to("http://metadata.test:{pub}/latest/meta-data/"), 1),
    Case("redirect-chain-relative-then-localhost", _to("/to?u=" + quote("http://localhost:{int}/", safe="{}")), 2),
    Case("redirect-from-public-name", "http://public.test:{pub}/to?u=" + quote("http://0x7f.1:{int}/", safe="{}"), 1),
    Case("redirect-to-metadata-literal", _to("http://169.254.169.254/latest/meta-data/"), 1, reachable=False),
]
TABLE = LITERALS + DNS + REDIRECTS


def _ipv6_only(case: Case) -> bool:
    return "[" in case.url and "ffff" not in case.url


async def _assert_refused(fetcher: Fetcher, url: str) -> None:
    started = time.monotonic()
    assert await fetcher.page_title(url) is None
    with pytest.raises(FetchError) as error:
        await fetcher.feed(url)
    assert error.value.reason == ERR_UNREACHABLE  # what an unreachable site gets, nothing more
    assert time.monotonic() - started < 1.5  # refused, not timed out


def test_the_table_is_big_enough() -> None:
    assert len(TABLE) >= 25 and len({c.id for c in TABLE}) == len(TABLE)


@pytest.mark.parametrize("case", TABLE, ids=[c.id for c in TABLE])
async def test_no_request_reaches_the_internal_network(servers: Servers, case: Case) -> None:
    fetcher = fetcher_for(servers.public, names=NAMES)
    await _assert_refused(fetcher, servers.fill(case.url))
    assert servers.hits == {"public": 2 * case.public_hops, "internal": 0}


PRODUCTION_CASES = [c for c in LITERALS if c.id != "userinfo-trick"]


@pytest.mark.parametrize("case", PRODUCTION_CASES, ids=[c.id for c in PRODUCTION_CASES])
async def test_the_production_fetcher_refuses_every_spelling(servers: Servers, case: Case) -> None:
    """The bot's own fetcher (system resolver, production policy): numeric spellings and
    localhost need no DNS."""
    fetcher = Fetcher(timeout=1)
    assert fetcher.is_allowed_address is is_public_address and fetcher.resolver is None
    await _assert_refused(fetcher, servers.fill(case.url))
    assert servers.hits == {"public": 0, "internal": 0}


REACHABLE = [c for c in TABLE if c.reachable]


@pytest.mark.parametrize("case", REACHABLE, ids=[c.id for c in REACHABLE])
async def test_the_table_can_fail(servers: Servers, case: Case) -> None:
    """Without the guard (a policy that allows everything), each case does reach a server:
    the table above tests something."""
    if _ipv6_only(case) and not servers.ipv6:
        return  # nothing listens on ::1 here: such a case can only be checked where it does
    unguarded = Fetcher(timeout=2, resolver=StaticResolver(NAMES), is_allowed_address=lambda a, p: True)
    await unguarded.page_title(servers.fill(case.url))
    assert servers.hits["internal"] + servers.hits["public"] > case.public_hops


async def test_public_redirects_are_followed_up_to_five(servers: Servers) -> None:
    fetcher = fetcher_for(servers.public, names=NAMES)
    url = "{public}/page"
    for _ in range(5):
        url = _to(url)
    assert await fetcher.page_title(servers.fill(url)) == INTERNAL_TITLE  # 5 redirects, then the page
    assert servers.hits == {"public": 6, "internal": 0}
    with pytest.raises(FetchError) as error:
        await fetcher.feed(servers.fill(_to(url)))
    assert error.value.reason == ERR_REDIRECTS
    assert servers.hits == {"public": 12, "internal": 0}


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:4700:4700::1111", True),
        ("2002:5db8:d822::1", True),  # 6to4 of a public address
        *((address, False) for address in CLASSES.values()),
        ("127.0.0.1", False),
        ("127.255.255.254", False),
        ("100.127.255.255", False),
        ("64:ff9b::7f00:1", False),
        ("::ffff:169.254.169.254", False),
        ("fe80::1%1", False),
    ],
)
def test_production_policy(address: str, public: bool) -> None:
    assert is_public_address(ipaddress.ip_address(address), 443) is public


SPELLINGS = [
    "0x7f.0.0.1",
    "0x7f000001",
    "2130706433",
    "017700000001",
    "0177.0.0.1",
    "127.1",
    "127.0.1",
    "127.000.000.001",
    "0",
    "localhost",
]


@pytest.mark.parametrize("host", SPELLINGS)
async def test_system_resolver_spellings_are_checked_after_resolution(host: str) -> None:
    """What `getaddrinfo` makes of each spelling is what the guard checks (no DNS needed)."""
    open_door = GuardedResolver(ThreadedResolver(), lambda a, p: True)
    assert {r["host"] for r in await open_door.resolve(host, 80)} <= {"127.0.0.1", "0.0.0.0", "::1"}
    with pytest.raises(AddressRefused):
        await GuardedResolver(ThreadedResolver(), is_public_address).resolve(host, 80)
