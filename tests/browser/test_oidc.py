"""Signing in through a real OpenID provider, in headless Chromium, end to end.

The provider is panva's certified `oidc-provider` on loopback (tests/oidc), configured to behave as
Entra ID does (tid, oid and groups in the ID token); the dashboard gets the secrets.toml README tells
council IT to write. Nothing is mocked: Streamlit's st.login, Authlib's token checks, the cookie and
the dashboard's role rules all run as in production. Each person signs in on the provider's own page.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import go, screenshot, store_file, wait_for_app
from tests.browser.test_upload_journey import MONTHLY, fictional_database
from tests.oidc.fixture import TENANT, Provider, free_port, provider

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Provider, Path]]:
    """A dashboard on a fictional council's store, signing in through the provider."""
    folder = tmp_path_factory.mktemp("oidc")
    db_file = fictional_database(folder / "northmoor.duckdb")
    port = free_port()
    with provider(port) as idp:
        secrets_file = folder / "secrets.toml"
        secrets_file.write_text(idp.secrets_toml())
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
             "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--secrets.files", str(secrets_file)],
            cwd=ROOT, env={**os.environ, "DASHBOARD_DB": str(db_file)},
            stdout=subprocess.DEVNULL, stderr=(folder / "dashboard.log").open("wb"),
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(url, process)
            yield url, idp, folder / "dashboard.log"
        finally:
            process.terminate()
            process.wait(timeout=20)


def _wait_healthy(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the dashboard did not start")


def sign_in_at_provider(page, url: str, login: str) -> None:  # type: ignore[no-untyped-def]
    """Open Sign in, press the button, and sign in on the provider's own page (any password)."""
    page.goto(f"{url}/sign-in")
    wait_for_app(page)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("input[name='login']")).to_be_visible()
    page.locator("input[name='login']").fill(login)
    page.locator("input[name='password']").fill("any password at the provider")
    page.get_by_role("button", name="Sign-in").click()
    consent = page.get_by_role("button", name="Continue")
    expect(consent).to_be_visible()
    consent.click()
    expect(page).to_have_url(re.compile(re.escape(url) + r"/?($|\?|sign-in)"))
    wait_for_app(page)


def refused(page, url: str, path: str, heading: str) -> None:  # type: ignore[no-untyped-def]
    """Opening a page by its address does not show it (it is not in this person's navigation, and the page
    would stop itself anyway)."""
    page.goto(f"{url}/{path}")
    wait_for_app(page)
    expect(page.get_by_role("heading", name=heading, exact=True)).to_have_count(0)


def test_uploader_group_signs_in_and_uploads(site: tuple[str, Provider, Path], page) -> None:  # type: ignore[no-untyped-def]
    url, _, _ = site
    sign_in_at_provider(page, url, "uploader")
    expect(page.get_by_text("Signed in as Fictional uploader (uploader)")).to_be_visible()
    go(page, "Upload")
    store_file(page, MONTHLY)
    screenshot(page, "oidc-uploader-stored")
    assert page.get_by_role("navigation", name="Pages").get_by_role("link", name="Users").count() == 0
    refused(page, url, "users", "Users")


def test_admin_group_reaches_users_and_sees_identities_and_clients(site: tuple[str, Provider, Path], page) -> None:  # type: ignore[no-untyped-def]
    url, _, _ = site
    sign_in_at_provider(page, url, "admin")
    expect(page.get_by_text("Signed in as Fictional admin (admin)")).to_be_visible()
    go(page, "Users")
    expect(page.get_by_role("heading", name="Users")).to_be_visible()
    go(page, "Audit log")
    wait_for_app(page)
    table = page.locator("[data-testid='stDataFrame']").first
    expect(table).to_be_visible()
    csv = page.get_by_role("button", name="Download these entries (CSV)")
    with page.expect_download() as download:
        csv.click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    admin_row = next(line for line in text.splitlines() if ",sign_in," in line and f"entra:{TENANT}/" in line)
    assert "admin@fictional-council.example" in admin_row and "127.0.0.1 Mozilla/" in admin_row
    screenshot(page, "oidc-admin-audit")


def test_no_group_gets_the_configured_fallback(site: tuple[str, Provider, Path], page) -> None:  # type: ignore[no-untyped-def]
    url, _, _ = site
    sign_in_at_provider(page, url, "nogroup")
    expect(page.get_by_text("Signed in as Fictional nogroup (viewer)")).to_be_visible()
    refused(page, url, "upload", "Upload the month's data")


def test_sign_out_ends_the_session(site: tuple[str, Provider, Path], page) -> None:  # type: ignore[no-untyped-def]
    url, idp, _ = site
    sign_in_at_provider(page, url, "admin")
    expect(page.get_by_text("Signed in as Fictional admin (admin)")).to_be_visible()
    page.goto(f"{url}/sign-in")
    wait_for_app(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(re.escape(idp.issuer) + "/session/end"))
    page.get_by_role("button", name=re.compile("Yes, sign me out", re.I)).click()
    expect(page).to_have_url(re.compile(re.escape(url)))
    wait_for_app(page)
    expect(page.get_by_text("Not signed in.")).to_be_visible()
    refused(page, url, "users", "Users")


@pytest.mark.parametrize(("login", "error"), [("tampered", "BadSignatureError"), ("expired", "ExpiredTokenError")])
def test_a_tampered_or_expired_token_is_refused(site: tuple[str, Provider, Path], page, login: str, error: str) -> None:  # type: ignore[no-untyped-def]
    url, _, log = site
    before = log.read_text(errors="replace").count(error)
    sign_in_at_provider(page, url, login)
    assert log.read_text(errors="replace").count(error) > before  # Authlib refused the ID token, for this reason
    expect(page.get_by_text("Not signed in.")).to_be_visible()
    refused(page, url, "users", "Users")


def test_a_sign_in_older_than_eight_hours_must_be_renewed(site: tuple[str, Provider, Path], page) -> None:  # type: ignore[no-untyped-def]
    url, _, _ = site
    sign_in_at_provider(page, url, "stale")
    page.goto(f"{url}/sign-in")
    wait_for_app(page)
    expect(page.get_by_text("Please sign in again")).to_be_visible()
    expect(page.get_by_text("Not signed in.")).to_be_visible()
    expect(page.get_by_role("button", name="Sign in again")).to_be_visible()


def test_another_tenant_is_refused(site: tuple[str, Provider, Path], page) -> None:  # type: ignore[no-untyped-def]
    url, _, _ = site
    sign_in_at_provider(page, url, "othertenant")
    page.goto(f"{url}/sign-in")
    wait_for_app(page)
    expect(page.get_by_text("tenant")).to_be_visible()
    expect(page.get_by_text("Not signed in.")).to_be_visible()
