"""The address a request comes from, for login throttling (django-axes,
``AXES_CLIENT_IP_CALLABLE``).

Behind a proxy every request arrives from the proxy's address, so throttling by that address
would let anyone lock a known username out for everyone. The client's address is read from
``X-Forwarded-For`` only when the request comes from a proxy named in ``TRUSTED_PROXIES``:
the header is a list that each proxy appends the address it saw to, so it is read from the
right, past the trusted proxies, and the first other address is the client. Anything to the
left of that was written by the client and is ignored. From any other peer the header is
ignored, so a client cannot pick the address it is throttled under.
"""

import ipaddress
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def parse_networks(values) -> tuple:
    """``TRUSTED_PROXIES`` as networks: addresses ("10.0.0.2") or ranges ("10.0.0.0/8")."""
    try:
        return tuple(ipaddress.ip_network(v.strip(), strict=False) for v in values if v.strip())
    except ValueError as error:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {error}") from None


@cache
def _networks(values: tuple) -> tuple:
    return parse_networks(values)


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    networks = _networks(tuple(settings.TRUSTED_PROXIES))

    def trusted(address) -> bool:
        return address is not None and any(address in network for network in networks)

    if not trusted(_address(remote)):
        return remote
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:  # not an address: nothing further left can be trusted either
            break
        if not trusted(address):
            return str(address)
    return remote
