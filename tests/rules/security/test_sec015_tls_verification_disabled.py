"""Tests of rule SEC015 (`mlaudit/rules/security/sec015_tls_verification_disabled.py`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import findings, write_tree
from tests.rules.security._helpers import SAFE, UNSAFE


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("SEC015", [17]),
    ],
)
def test_unsafe_calls_fire_and_safe_lookalikes_stay_silent(tmp_path: Path, code: str, expected: list[int]) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/unsafe.py": UNSAFE, "pkg/safe.py": SAFE})
    hits = findings(tmp_path, code)
    assert all(f.path == "pkg/unsafe.py" for f in hits)
    assert sorted(f.line or 0 for f in hits) == expected


UNVERIFIED = """\
import ssl
import urllib.request

ssl._create_default_https_context = ssl._create_unverified_context


def fetch(url, path):
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    urllib.request.urlretrieve(url, path)
"""

VERIFIED = """\
import ssl
import urllib.request


def fetch(url, path, cafile):
    ctx = ssl.create_default_context(cafile=cafile)
    ctx.verify_mode = ssl.CERT_REQUIRED
    with urllib.request.urlopen(url, context=ctx, timeout=30) as response, open(path, "wb") as out:
        out.write(response.read())
"""


def test_unverified_ssl_context_fires_and_a_verified_one_stays_silent(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/download.py": UNVERIFIED, "pkg/safe.py": VERIFIED})
    hits = findings(tmp_path, "SEC015")
    assert [(f.path, f.line) for f in hits] == [("pkg/download.py", 4), ("pkg/download.py", 10)]
    assert hits[0].message == "ssl._create_unverified_context at module level turns certificate checks off"


TLS_SERVER_AND_CLIENT = """\
import ssl


def serve_options(certfile, keyfile):
    return {
        "ssl_certfile": certfile,
        "ssl_keyfile": keyfile,
        "ssl_version": ssl.PROTOCOL_TLS_SERVER,
        "ssl_cert_reqs": ssl.CERT_NONE,
    }


def server_context(certfile):
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(certfile)
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def client_context():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx
"""


def test_cert_none_on_a_tls_server_is_silent_but_on_a_client_context_fires(tmp_path: Path) -> None:
    # a server that asks clients for no certificate is the default; a client that skips the server's is not
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/tls.py": TLS_SERVER_AND_CLIENT})
    hits = findings(tmp_path, "SEC015")
    assert [(f.path, f.line) for f in hits] == [("pkg/tls.py", 23)]


UVICORN_CLI = """\
import ssl

import click
import uvicorn
from uvicorn.config import SSL_PROTOCOL_VERSION


@click.command()
@click.option("--ssl-version", type=int, default=int(SSL_PROTOCOL_VERSION))
@click.option("--ssl-cert-reqs", type=int, default=int(ssl.CERT_NONE), help="require client certificates?")
def serve(ssl_version: int, ssl_cert_reqs: int) -> None:
    uvicorn.run("svc.api:app", ssl_version=ssl_version, ssl_cert_reqs=ssl_cert_reqs)


@click.command()
@click.option("--insecure", is_flag=True)
def fetch(insecure: bool) -> None:
    ctx = ssl.create_default_context()
    if insecure:
        ctx.verify_mode = ssl.CERT_NONE
"""


def test_cert_none_as_a_uvicorn_server_option_is_silent_but_a_client_command_fires(tmp_path: Path) -> None:
    write_tree(tmp_path, {"svc/__init__.py": "", "svc/cli.py": UVICORN_CLI})
    assert [(f.path, f.line) for f in findings(tmp_path, "SEC015")] == [("svc/cli.py", 20)]


OPT_OUT = """\
import ssl


def jwks_context(config):
    ctx = ssl.create_default_context()
    if not config.verify_ssl:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    return ctx


def proxy_context(config):
    ctx = ssl.create_default_context()
    if config.proxy_url:
        ctx.verify_mode = ssl.CERT_NONE
    return ctx
"""


def test_cert_none_in_the_users_opt_out_branch_is_silent_but_under_another_test_fires(tmp_path: Path) -> None:
    # `if not config.verify_ssl:` is the user's choice, like verify=verify_ssl; a proxy setting turns checks off unasked
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/tls.py": OPT_OUT})
    assert [f.line for f in findings(tmp_path, "SEC015")] == [15]


OPT_OUT_WITH_OTHER_CONDITIONS = """\
import ssl


class WebSocketClient:
    def connect_args(self):
        args = {}
        if self.secure and not self.verify_ssl:
            args["ssl"] = ssl.create_default_context()
            args["ssl"].verify_mode = ssl.CERT_NONE
        return args

    def proxy_args(self):
        args = {}
        if self.proxy or not self.verify_ssl:
            args["ssl"] = ssl.create_default_context()
            args["ssl"].verify_mode = ssl.CERT_NONE
        return args
"""


def test_cert_none_under_an_and_with_the_opt_out_is_silent_but_under_an_or_fires(tmp_path: Path) -> None:
    # `secure and not verify_ssl` is taken only with the user's setting off; `proxy or not verify_ssl` also with it on
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/ws.py": OPT_OUT_WITH_OTHER_CONDITIONS})
    assert [f.line for f in findings(tmp_path, "SEC015")] == [16]
