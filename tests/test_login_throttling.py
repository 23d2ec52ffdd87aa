"""Login throttling behind a proxy (issue 17, item 5): the client's address comes from
X-Forwarded-For only when the request comes from a trusted proxy, and a lock-out holds one
username at one address. Both sides: a client behind the proxy cannot lock out another
client's login, and a client that is not behind it cannot escape a lock-out (or frame another
address) by sending the header itself."""

import pytest
from django.test import RequestFactory

from core.network import client_ip
from partnership.tests.factories import UserFactory

PROXY = "10.0.0.2"
ATTACKER, USER = "198.51.100.7", "203.0.113.9"
PASSWORD = "a-long-test-password"  # the factory's


@pytest.fixture
def throttled(settings, db):
    settings.AXES_ENABLED = True  # the root conftest turns it off for other tests
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    UserFactory(username="kim")
    return settings


def login(client, password, *, remote, forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post("/login/", {"username": "kim", "password": password}, **headers)


def fail_until_locked(client, settings, **where):
    statuses = [
        login(client, "wrong", **where).status_code for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses[-1] == 429, statuses


def test_behind_the_proxy_a_locked_out_attacker_does_not_lock_out_the_user(throttled, client):
    fail_until_locked(client, throttled, remote=PROXY, forwarded=ATTACKER)
    assert login(client, PASSWORD, remote=PROXY, forwarded=ATTACKER).status_code == 429
    response = login(client, PASSWORD, remote=PROXY, forwarded=USER)
    assert response.status_code == 302  # same username, another client behind the proxy


def test_without_the_setting_everyone_behind_the_proxy_shares_one_address(throttled, client):
    """The reproduction of the issue: with no trusted proxy, the proxy's address is the key."""
    throttled.TRUSTED_PROXIES = []
    fail_until_locked(client, throttled, remote=PROXY, forwarded=ATTACKER)
    assert login(client, PASSWORD, remote=PROXY, forwarded=USER).status_code == 429


def test_a_client_not_behind_the_proxy_cannot_escape_a_lock_out_with_the_header(throttled, client):
    for i in range(throttled.AXES_FAILURE_LIMIT - 1):
        login(client, "wrong", remote=ATTACKER, forwarded=f"192.0.2.{i}")
    assert login(client, "wrong", remote=ATTACKER, forwarded="192.0.2.99").status_code == 429
    assert login(client, PASSWORD, remote=ATTACKER, forwarded=USER).status_code == 429


def test_a_client_not_behind_the_proxy_cannot_lock_out_another_address(throttled, client):
    fail_until_locked(client, throttled, remote=ATTACKER, forwarded=USER)
    assert login(client, PASSWORD, remote=PROXY, forwarded=USER).status_code == 302


def test_a_lock_out_holds_only_the_username_at_that_address(throttled, client):
    UserFactory(username="alex")
    fail_until_locked(client, throttled, remote=ATTACKER)
    response = client.post(
        "/login/", {"username": "alex", "password": PASSWORD}, REMOTE_ADDR=ATTACKER
    )
    assert response.status_code == 302  # another username from the same address


@pytest.mark.parametrize(
    "remote, forwarded, expected",
    [
        (PROXY, USER, USER),
        (PROXY, f"{USER}, 10.0.0.3", USER),  # two trusted proxies in a row
        (PROXY, f"6.6.6.6, {USER}", USER),  # the left part was written by the client
        (PROXY, "", PROXY),
        (PROXY, "not-an-address", PROXY),
        (PROXY, "2001:db8::1", "2001:db8::1"),
        (ATTACKER, USER, ATTACKER),  # not a trusted proxy: the header is ignored
    ],
)
def test_client_ip(settings, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_a_mistyped_trusted_proxy_stops_the_start():
    from tests.test_deploy_settings import run_production

    result = run_production(["check"], extra_env={"TRUSTED_PROXIES": "10.0.0.2,10.0.0.300"})
    assert result.returncode != 0
    assert "TRUSTED_PROXIES" in result.stderr and "10.0.0.300" in result.stderr
