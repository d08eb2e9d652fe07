"""Who is signed in and with which role; the sign-in page; the check every page makes on every rerun.

Two ways in. When `.streamlit/secrets.toml` has an `[auth]` section, people sign in with the
council's identity provider through `st.login` (OIDC, e.g. Microsoft Entra ID) and their role
comes from a `[roles]` allow-list of groups (a claim such as `groups`) or email addresses, or
from an account of the same name on the Users page. Otherwise accounts are local: usernames
and argon2 password hashes in the store, managed on the Users page or with
`python -m store users ...`. The role is read again from the store on every rerun, so a
disabled account, a changed role or a reset password takes effect on the person's next click.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st

from store import accounts, audit
from store.accounts import RANK, Role
from store.queries import setting
from ui.data import cached, connection

_USER = "auth.user"
_STAMP = "auth.stamp"
_MESSAGE = "auth.message"
_OIDC_SEEN = "auth.oidc_seen"
# The lowest role that may open a page in each navigation section; sections not listed are for viewers.
SECTION_ROLE: dict[str, Role] = {"Data": "uploader", "Admin": "admin"}


@dataclass(frozen=True)
class User:
    username: str
    role: Role
    source: str  # "local" or "oidc"
    display_name: str = ""


def can(user: User | None, role: Role) -> bool:
    return user is not None and RANK[user.role] >= RANK[role]


# --- configuration ---------------------------------------------------------------------------


def _secrets() -> Mapping[str, Any]:
    try:
        return {key: st.secrets[key] for key in st.secrets}
    except FileNotFoundError:  # no secrets.toml at all: local accounts
        return {}


def oidc_configured() -> bool:
    return "auth" in _secrets()


def viewing_requires_sign_in() -> bool:
    """The `viewing` setting: 'open' (default: anyone with the link may view) or 'sign-in'."""
    return cached(setting)("viewing", "open") == "sign-in"


# --- the current user ------------------------------------------------------------------------


def current_user() -> User | None:
    """The signed-in person with their role as it stands now, or None."""
    if oidc_configured():
        return _oidc_user()
    name = st.session_state.get(_USER)
    if not name:
        return None
    account = accounts.get(connection(), name)
    if account is None or account.disabled or account.password_version != st.session_state.get(_STAMP):
        _forget()
        return None
    return User(account.username, account.role, "local", account.display_name)


def role_from_claims(
    claims: Mapping[str, Any], config: Mapping[str, Any], account: accounts.Account | None
) -> Role | None:
    """The role for someone signed in through the identity provider.

    An account of the same name (their email) on the Users page decides, and a disabled one
    shuts them out; otherwise the highest `[roles]` list naming one of their groups (the claim
    named by `claim`, default `groups`) or their email; otherwise viewer, unless a `viewer`
    list exists and does not name them.
    """
    if account is not None:
        return None if account.disabled else account.role
    claim = str(config.get("claim", "groups"))
    values = claims.get(claim) or []
    if isinstance(values, str):
        values = [values]
    email = str(claims.get("email") or "").lower()
    names = {str(v).lower() for v in values} | ({email} if email else set())
    for role in ("admin", "uploader", "viewer"):
        allowed = {str(v).lower() for v in config.get(role, [])}
        if names & allowed:
            return role  # type: ignore[return-value]
    return None if config.get("viewer") else "viewer"


def _oidc_user() -> User | None:
    if not st.user.get("is_logged_in"):
        return None
    claims = st.user.to_dict()
    name = str(claims.get("email") or claims.get("preferred_username") or claims.get("sub") or "").lower()
    if not name:
        return None
    role = role_from_claims(claims, _secrets().get("roles", {}), accounts.get(connection(), name))
    if st.session_state.get(_OIDC_SEEN) != name:
        st.session_state[_OIDC_SEEN] = name
        audit.record(connection(), name, role or "", "sign_in", name, "ok" if role else "no role", "identity provider")
    if role is None:
        return None
    return User(name, role, "oidc", str(claims.get("name") or name))


def _forget() -> None:
    for key in (_USER, _STAMP):
        st.session_state.pop(key, None)


def log(action: str, target: str = "", outcome: str = "ok", detail: str = "") -> None:
    """Record an action of the current user in the audit log."""
    user = current_user()
    audit.record(
        connection(),
        user.username if user else "anonymous",
        user.role if user else "",
        action,
        target,
        outcome,
        detail,
    )


# --- checks pages make -----------------------------------------------------------------------


def require_viewer() -> User | None:
    """Stop the page unless viewing is open or someone is signed in."""
    user = current_user()
    if user is None and viewing_requires_sign_in():
        st.warning("Please sign in to view the dashboard (Account, Sign in, in the menu).")
        st.stop()
    return user


def require_role(role: Role) -> User:
    """Stop the page unless the signed-in person has at least `role`; checked on every rerun."""
    user = current_user()
    if user is None:
        st.warning(f"Please sign in (Account, Sign in, in the menu). This page needs the {role} role.")
        st.stop()
    if not can(user, role):
        log("access_denied", role, "refused", "page needs a higher role")
        st.error(f"**Not allowed**: this page needs the {role} role; you are signed in as a {user.role}.")
        st.stop()
    return user


def allowed_section(section: str, user: User | None) -> bool:
    needed = SECTION_ROLE.get(section)
    if needed is None:
        return user is not None or not viewing_requires_sign_in()
    return can(user, needed)


# --- sign-in page ----------------------------------------------------------------------------


def sign_in_page_object(default: bool = False, signed_in: bool = False) -> Any:
    title = "Account" if signed_in else "Sign in"
    return st.Page(sign_in_page, title=title, icon=":material/login:", url_path="sign-in", default=default)


def sign_in_page() -> None:
    """Sign in, sign out, or create the first admin with the one-time setup code."""
    st.title("Account")
    message = st.session_state.pop(_MESSAGE, None)
    if message:
        st.error(message)
    user = current_user()
    if user is not None:
        st.text(f"Signed in as {user.username} ({user.role}).")
        st.button("Sign out", key="auth.sign_out", on_click=_sign_out)
        return
    if oidc_configured():
        _oidc_sign_in()
        return
    if accounts.count(connection()) == 0:
        _first_admin_form()
        return
    with st.form("auth.sign_in_form"):
        st.text_input("Username", key="auth.username", autocomplete="username")
        st.text_input("Password", type="password", key="auth.password", autocomplete="current-password")
        st.form_submit_button("Sign in", on_click=_sign_in)


def _oidc_sign_in() -> None:
    if st.user.get("is_logged_in"):
        st.error(
            f"**No access**: you are signed in as {st.user.get('email') or 'an unknown user'}, "
            "but this dashboard has not given you a role. Ask an admin to add you."
        )
        st.button("Sign out", key="auth.sign_out", on_click=_sign_out)
        return
    st.write("Sign in with your council account.")
    st.button("Sign in", key="auth.oidc_sign_in", on_click=_oidc_login, type="primary")


def _oidc_login() -> None:
    try:
        st.login()
    except Exception as exc:  # noqa: BLE001 - Streamlit raises several types for a bad [auth] section
        audit.record(connection(), "anonymous", "", "sign_in", "identity provider", "error", repr(exc))
        st.session_state[_MESSAGE] = "Sign-in is not set up correctly on this server. Please tell your admin."


def _sign_in() -> None:
    conn = connection()
    name = accounts.normalise_username(st.session_state.get("auth.username", ""))
    password = st.session_state.get("auth.password", "")
    st.session_state["auth.password"] = ""
    wait = audit.sign_in_wait(conn, name)
    if wait:
        audit.record(conn, name, "", "sign_in", name, "refused", f"too many failures; {wait} s to wait")
        st.session_state[_MESSAGE] = f"Too many failed sign-ins for this username. Try again in {wait} seconds."
        return
    account = accounts.verify(conn, name, password)
    if account is None:
        audit.record(conn, name, "", "sign_in", name, "failed", "wrong username or password, or account disabled")
        st.session_state[_MESSAGE] = "That username and password do not match an active account."
        return
    st.session_state[_USER] = account.username
    st.session_state[_STAMP] = account.password_version
    audit.record(conn, account.username, account.role, "sign_in", account.username, "ok")


def _sign_out() -> None:
    log("sign_out")
    _forget()
    if oidc_configured():
        st.session_state.pop(_OIDC_SEEN, None)
        st.logout()


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
        "(Or stop the dashboard and run: python -m store users add NAME --role admin)\n" + "=" * 72,
        file=sys.stderr,
        flush=True,
    )
    return _SetupCode(hashed)


def announce_first_start() -> None:
    """With local accounts and none yet, print the one-time setup code (once per process)."""
    if not oidc_configured() and accounts.count(connection()) == 0:
        _setup_code()


def _first_admin_form() -> None:
    st.info(
        "No accounts exist yet. Create the first admin with the one-time setup code the server "
        "printed in its console (log) when it started. Or stop the dashboard and run "
        "`python -m store users add NAME --role admin`."
    )
    with st.form("auth.setup_form"):
        st.text_input("One-time setup code", key="auth.setup_code")
        st.text_input("Admin username", key="auth.setup_username")
        st.text_input("Password", type="password", key="auth.setup_password")
        st.text_input("Password again", type="password", key="auth.setup_password2")
        st.form_submit_button("Create the first admin", on_click=_create_first_admin)


def _create_first_admin() -> None:
    conn = connection()
    state = st.session_state
    code, name = state.get("auth.setup_code", ""), state.get("auth.setup_username", "")
    password, again = state.get("auth.setup_password", ""), state.get("auth.setup_password2", "")
    state["auth.setup_password"] = state["auth.setup_password2"] = ""
    if wait := audit.sign_in_wait(conn, "setup code"):
        state[_MESSAGE] = f"Too many wrong codes. Try again in {wait} seconds."
        return
    if not accounts.check_setup_code(_setup_code().hashed, code):
        audit.record(conn, name or "anonymous", "", "sign_in", "setup code", "failed", "wrong setup code")
        state[_MESSAGE] = "That setup code is not right. Copy it from the server's console."
        return
    if password != again:
        state[_MESSAGE] = "The two passwords differ."
        return
    if accounts.count(conn) > 0:
        state[_MESSAGE] = "An admin already exists; sign in instead."
        return
    try:
        account = accounts.add(conn, name, "admin", password, by="setup code")
    except accounts.AccountError as exc:
        state[_MESSAGE] = f"{exc.title}: {exc.message}"
        return
    audit.record(conn, account.username, "admin", "account_add", account.username, "ok", "first admin, setup code")
    state[_USER] = account.username
    state[_STAMP] = account.password_version
    audit.record(conn, account.username, "admin", "sign_in", account.username, "ok")
