"""Start the real OpenID provider (tests/oidc/provider.mjs, panva's oidc-provider under Node) on loopback,
and write the dashboard's secrets.toml exactly as README's sign-in section tells council IT to."""

from __future__ import annotations

import secrets
import shutil
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
NODE = shutil.which("node") or "/usr/bin/node"
TENANT = "0f1c2d3e-4b5a-6978-8a9b-0c1d2e3f4a5b"  # fictional tenant id
ADMIN_GROUP = "grp-improvement-admins"
UPLOADER_GROUP = "grp-performance-officers"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Provider:
    issuer: str
    client_id: str
    client_secret: str
    redirect_uri: str

    def secrets_toml(self, fallback: str = "viewer") -> str:
        """The README's configuration, with this provider's addresses in place of Entra's."""
        return f"""[auth]
redirect_uri = "{self.redirect_uri}"
cookie_secret = "{secrets.token_urlsafe(32)}"
client_id = "{self.client_id}"
client_secret = "{self.client_secret}"
server_metadata_url = "{self.issuer}/.well-known/openid-configuration"

[roles]
claim = "groups"
admin = ["{ADMIN_GROUP}"]
uploader = ["{UPLOADER_GROUP}"]

[sign_in]
tenants = ["{TENANT}"]
max_age_hours = 8
fallback = "{fallback}"
"""


@contextmanager
def provider(dashboard_port: int) -> Iterator[Provider]:
    """The provider, ready (it printed its issuer), for a dashboard that will listen on `dashboard_port`."""
    port = free_port()
    config = Provider(
        issuer=f"http://127.0.0.1:{port}",
        client_id="improvement-board",
        client_secret=secrets.token_urlsafe(24),
        redirect_uri=f"http://127.0.0.1:{dashboard_port}/oauth2callback",
    )
    process = subprocess.Popen(
        [NODE, str(HERE / "provider.mjs"), str(port), config.client_id, config.client_secret,
         config.redirect_uri, TENANT],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # blocks until the provider listens (or exits)
        if not line.startswith("ready "):
            raise RuntimeError(f"the OpenID provider did not start: {line!r}")
        yield config
    finally:
        process.terminate()
        process.wait(timeout=20)
