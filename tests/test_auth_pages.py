"""Sign-in through the real dashboard script (AppTest): local accounts, the first admin, the gate,
bounded input, and the callback guard that re-checks a role when a click arrives."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from store import accounts, audit
from store.queries import setting
from store.writes import submit_settings
from tests.helpers import Pages

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")
PASSWORD = "correct horse battery"


def app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    return at


def nav_titles(at: AppTest) -> set[str]:
    """The page titles dashboard.py put in the menu (ui.a11y draws it as HTML links in the sidebar)."""
    return {title for menu in at.sidebar.get("html") for title in re.findall(r">([^<>]+)</a>", menu.value)}


def sign_in(at: AppTest, username: str, password: str = PASSWORD) -> AppTest:
    at.switch_page("views/sign_in.py").run()
    at.text_input(key="auth.username").set_value(username)
    at.text_input(key="auth.password").set_value(password)
    at.button[0].click()
    return at.run()


def add_account(pages: Pages, name: str, role: str) -> None:
    pages.call(accounts.add, name, role, PASSWORD, by="test")


def change(pages: Pages, fn, *args) -> None:  # type: ignore[no-untyped-def]
    pages.call(fn, *args)


def audit_rows(pages: Pages, action: str) -> list[tuple[str, str, str]]:
    frame = pages.call(audit.entries, action=action)
    return list(zip(frame["username"], frame["target"], frame["outcome"], strict=True))


def test_open_viewing_lists_board_pages_only(pages: Pages) -> None:
    add_account(pages, "root", "admin")
    at = app()
    assert not at.exception
    titles = nav_titles(at)
    assert "Overview" in titles and "Sign in" in titles


def test_sign_in_wrong_then_right(pages: Pages) -> None:
    add_account(pages, "ann", "uploader")
    at = sign_in(app(), "ann", "not the password")
    assert "do not match" in at.error[0].value
    assert at.text_input(key="auth.password").value == ""
    at = sign_in(at, "Ann")
    assert not at.exception
    assert any("Signed in as ann (uploader)" in t.value for t in at.text)
    assert audit_rows(pages, "sign_in") == [("ann", "ann", "ok"), ("ann", "ann", "failed")]


def test_repeated_failures_lock_the_username(pages: Pages) -> None:
    add_account(pages, "ann", "uploader")
    at = app()
    for _ in range(5):
        at = sign_in(at, "ann", "wrong password!")
    at = sign_in(at, "ann")  # the right password, but too soon
    assert "Too many failed sign-ins" in at.error[0].value
    assert not any("Signed in as ann" in t.value for t in at.text)
    assert audit_rows(pages, "sign_in")[0][2] == "refused"


def test_disabled_user_loses_access_on_next_click(pages: Pages) -> None:
    add_account(pages, "root", "admin")
    add_account(pages, "ann", "uploader")
    at = sign_in(app(), "ann")
    assert any("Signed in as ann" in t.value for t in at.text)
    change(pages, accounts.disable, "ann", "root")
    at.run()
    assert any(t.value == "Not signed in." for t in at.text)


def test_password_reset_signs_out_other_sessions(pages: Pages) -> None:
    add_account(pages, "ann", "uploader")
    at = sign_in(app(), "ann")
    change(pages, accounts.reset_password, "ann", "a brand new password", "ann")
    at.run()
    assert any(t.value == "Not signed in." for t in at.text)


def test_first_admin_with_one_time_code(pages: Pages, monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    code = "AAAAAA-BBBBBB-CCCCCC"
    monkeypatch.setattr(accounts, "new_setup_code", lambda: (code, PasswordHasher().hash(code)))
    at = app()
    assert code in capsys.readouterr().err
    at.switch_page("views/sign_in.py").run()
    assert "No accounts exist yet" in at.info[0].value
    at.text_input(key="auth.setup_code").set_value("WRONG")
    at.text_input(key="auth.setup_username").set_value("chief")
    at.text_input(key="auth.setup_password").set_value(PASSWORD)
    at.text_input(key="auth.setup_password2").set_value(PASSWORD)
    at.button[0].click()
    at.run()
    assert "setup code is not right" in at.error[0].value
    at.text_input(key="auth.setup_code").set_value(code.lower())
    at.text_input(key="auth.setup_password").set_value(PASSWORD)
    at.text_input(key="auth.setup_password2").set_value(PASSWORD)
    at.button[0].click()
    at.run()
    assert not at.exception
    assert any("Signed in as chief (admin)" in t.value for t in at.text)
    chief = pages.call(accounts.get, "chief")
    assert chief is not None and chief.role == "admin"


def test_viewing_can_require_sign_in(pages: Pages) -> None:
    add_account(pages, "vic", "viewer")
    change(pages, submit_settings, {"viewing": "sign-in"}, "test")
    at = app()
    assert nav_titles(at) - {"Accessibility statement"} == {"Sign in"}
    assert not at.metric
    at = sign_in(at, "vic")
    assert "Overview" in nav_titles(at)


def test_an_over_long_username_is_refused_plainly_and_logged_once_truncated(pages: Pages) -> None:
    add_account(pages, "ann", "uploader")
    at = sign_in(app(), "x" * 200_000, "whatever password")
    assert "at most 100 characters" in at.error[0].value
    assert len(at.session_state["auth.username"]) == 101  # Streamlit cut it on the server, at max_chars
    rows = audit_rows(pages, "sign_in")
    assert len(rows) == 1 and rows[0][2] == "failed" and len(rows[0][0]) <= 100


def test_sign_in_events_carry_the_client(pages: Pages) -> None:
    add_account(pages, "ann", "uploader")
    sign_in(app(), "ann")
    with pages.store() as store:
        entry = audit.entries(store, action="sign_in").iloc[0]
    assert entry["client"].startswith("local")  # AppTest has no address: Streamlit reports None


def test_a_role_removed_before_the_click_is_refused_and_audited(pages: Pages) -> None:
    add_account(pages, "root", "admin")
    add_account(pages, "chief", "admin")
    at = sign_in(app(), "chief")
    at.switch_page("views/users.py").run()
    assert not at.exception
    at.radio(key="users.viewing").set_value("sign-in")
    change(pages, accounts.set_role, "chief", "viewer", "root")  # demoted while the page is open
    next(b for b in at.button if b.label == "Save").click()
    at.run()
    refused = [r for r in audit_rows(pages, "setting_change") if r[2] == "refused"]
    assert refused == [("chief", "needs admin", "refused")]
    with pages.store() as store:
        entry = audit.entries(store, action="setting_change").iloc[0]
        assert entry["role"] == "viewer"  # the role they had when the click arrived
        assert setting(store, "viewing", "open") == "open"
