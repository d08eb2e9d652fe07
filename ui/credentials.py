"""Local sign-in and the first admin: every password or setup code goes through the limiter first.

The order is the defence: bound the typed username (a 200 kB name is refused and logged once,
truncated), ask the limiter (which counts the attempt *before* the hash, under its lock), only
then check the argon2 hash, and tell the limiter how it went. Refusals by the limiter are
audited once per lockout, so hammering an account does not grow the audit log either.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

import streamlit as st

from domain.identity import USERNAME_MAX, check_username, clip
from store import accounts, audit
from ui.auth import MESSAGE_KEY, STAMP_KEY, USER_KEY, client, client_address, oidc_configured
from ui.data import connection
from ui.limiter import Decision, Limiter, Limits

_SETUP_TARGET = "#setup-code"  # never a valid username, so it cannot share a budget with an account


@st.cache_resource(show_spinner=False)
def limiter() -> Limiter:
    """One limiter per server process, shared by every session (it holds no per-user secrets)."""
    return Limiter(Limits(concurrent=max(1, int(os.environ.get("DASHBOARD_SIGN_IN_CONCURRENT", "2")))))


def _refusal(decision: Decision, target: str, role: str = "") -> str:
    if decision.log:
        audit.record(
            connection(), target, role, "sign_in", target, "refused",
            f"limiter ({decision.why}): {decision.wait} s to wait", client(),
        )  # fmt: skip
    if decision.why == "busy":
        return f"Many people are signing in right now. Try again in {decision.wait} seconds."
    return f"Too many failed sign-ins. Try again in {decision.wait} seconds."


def sign_in() -> None:
    """The sign-in form's callback (local accounts)."""
    conn = connection()
    state = st.session_state
    typed = str(state.get("auth.username", ""))
    password = str(state.get("auth.password", ""))
    state["auth.password"] = ""
    checked = check_username(typed)
    name = checked.name or clip(typed.strip().lower(), USERNAME_MAX)
    decision = limiter().attempt(checked.name or "#invalid", client_address())
    if decision.ticket is None:
        state[MESSAGE_KEY] = _refusal(decision, name)
        return
    ok = False
    try:
        if checked.problem:
            audit.record(conn, name, "", "sign_in", name, "failed", f"username not valid: {checked.problem}", client())
            state[MESSAGE_KEY] = f"That username is not valid: {checked.problem}"
            return
        account = accounts.verify(conn, checked.name, password)
        if account is None:
            audit.record(
                conn, name, "", "sign_in", name, "failed", "wrong username or password, or account disabled", client()
            )
            state[MESSAGE_KEY] = "That username and password do not match an active account."
            return
        ok = True
    finally:
        decision.ticket.finish(ok)
    state[USER_KEY] = account.username
    state[STAMP_KEY] = account.password_version
    audit.record(conn, account.username, account.role, "sign_in", account.username, "ok", "", client())


# --- the first admin -------------------------------------------------------------------------


@dataclass
class _SetupCode:
    hashed: str


@st.cache_resource(show_spinner=False)
def _setup_code() -> _SetupCode:
    """Made once per server process and printed to its console; only its hash is kept."""
    code, hashed = accounts.new_setup_code()
    print(
        "\n" + "=" * 72 + "\nImprovement Board: no accounts exist yet.\n"
        f"One-time setup code for the first admin: {code}\n"
        "Open the dashboard, choose Sign in, and enter this code to create the first admin.\n"
        "(Or, in the checkout, while the dashboard runs: .venv/bin/board users add NAME --role admin)\n" + "=" * 72,
        file=sys.stderr,
        flush=True,
    )
    return _SetupCode(hashed)


def announce_first_start() -> None:
    """With local accounts and none yet, print the one-time setup code (once per process)."""
    if not oidc_configured() and accounts.count(connection()) == 0:
        _setup_code()


def create_first_admin() -> None:
    """The setup form's callback: the code is limited like a password."""
    conn = connection()
    state = st.session_state
    code, typed = str(state.get("auth.setup_code", "")), str(state.get("auth.setup_username", ""))
    password, again = state.get("auth.setup_password", ""), state.get("auth.setup_password2", "")
    state["auth.setup_password"] = state["auth.setup_password2"] = ""
    name = clip(typed.strip().lower(), USERNAME_MAX)
    decision = limiter().attempt(_SETUP_TARGET, client_address())
    if decision.ticket is None:
        state[MESSAGE_KEY] = _refusal(decision, _SETUP_TARGET)
        return
    right = False
    try:
        right = len(code) <= 100 and accounts.check_setup_code(_setup_code().hashed, code)
    finally:
        decision.ticket.finish(right)
    if not right:
        audit.record(conn, name or "anonymous", "", "sign_in", "setup code", "failed", "wrong setup code", client())
        state[MESSAGE_KEY] = "That setup code is not right. Copy it from the server's console."
        return
    if password != again:
        state[MESSAGE_KEY] = "The two passwords differ."
        return
    if accounts.count(conn) > 0:
        state[MESSAGE_KEY] = "An admin already exists; sign in instead."
        return
    try:
        account = accounts.add(conn, typed, "admin", password, by="setup code")
    except accounts.AccountError as exc:
        state[MESSAGE_KEY] = f"{exc.title}: {exc.message}"
        return
    audit.record(
        conn, account.username, "admin", "account_add", account.username, "ok", "first admin, setup code", client()
    )
    state[USER_KEY] = account.username
    state[STAMP_KEY] = account.password_version
    audit.record(conn, account.username, "admin", "sign_in", account.username, "ok", "", client())


def oidc_login() -> None:
    """The provider's sign-in button: off to the identity provider (st.login redirects)."""
    try:
        st.login()
    except Exception as exc:  # noqa: BLE001 - Streamlit raises several types for a bad [auth] section
        audit.record(connection(), "anonymous", "", "sign_in", "identity provider", "error", repr(exc), client())
        st.session_state[MESSAGE_KEY] = "Sign-in is not set up correctly on this server. Please tell your admin."
