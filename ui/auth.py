"""Who is signed in now, with which role: the role policy every page and callback relies on.

Two ways in. When `.streamlit/secrets.toml` has an `[auth]` section, people sign in with the
council's identity provider through `st.login` (OIDC, e.g. Microsoft Entra ID); `ui.identity`
turns the ID token's claims into an identity (issuer and subject) and a role. Otherwise accounts
are local: usernames and argon2 password hashes in the store (`ui.credentials` checks them,
behind the limiter). The role is worked out again on every rerun, so a disabled account, a changed
role or a reset password takes effect on the person's next click.

The page gates (`require_role`, `require_viewer`) live in `ui.gates` and the sign-in page in
`views/sign_in.py`; the names are kept here too so pages need not know where they moved.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st

from domain.identity import AUDIT_LIMITS, clip
from store import accounts, audit
from store.accounts import RANK, Role
from store.queries import setting
from ui import identity
from ui.data import cached, connection

USER_KEY = "auth.user"
STAMP_KEY = "auth.stamp"
MESSAGE_KEY = "auth.message"
_OIDC_SEEN = "auth.oidc_seen"
_LAST_ROLE = "auth.last_role"  # the role this session had when the store last answered
SIGN_IN_PAGE = "views/sign_in.py"


@dataclass(frozen=True)
class User:
    """`username` is the account name (local) or the identity (`entra:tid/oid`, `oidc:iss#sub`)."""

    username: str
    role: Role
    source: str  # "local" or "oidc"
    display_name: str = ""

    @property
    def label(self) -> str:
        return self.display_name or self.username


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


def oidc_settings() -> identity.Settings:
    secrets = _secrets()
    return identity.settings(secrets.get("roles", {}), secrets.get("sign_in", {}))


def viewing_requires_sign_in() -> bool:
    """The `viewing` setting: 'open' (default: anyone with the link may view) or 'sign-in'."""
    return cached(setting)("viewing", "open") == "sign-in"


def client_address() -> str:
    """The address of this session's connection ("local" on localhost, where Streamlit reports none)."""
    address = st.context.ip_address
    return clip(address, 64) if isinstance(address, str) and address else "local"


def client() -> str:
    """The client address and browser (user agent) of this session, as the audit log keeps them."""
    agent = st.context.headers.get("User-Agent")
    return clip(f"{client_address()} {agent if isinstance(agent, str) else ''}".strip(), AUDIT_LIMITS["client"])


# --- the current user ------------------------------------------------------------------------


def current_user() -> User | None:
    """The signed-in person with their role as it stands now, or None."""
    user = _oidc_user() if oidc_configured() else _local_user()
    st.session_state[_LAST_ROLE] = None if user is None else user.role
    return user


def was_admin() -> bool:
    """Whether this session belonged to an admin when the store last answered: read without the
    store, for the page shown when it cannot be reached (only admins are told where it is)."""
    return st.session_state.get(_LAST_ROLE) == "admin"


def _local_user() -> User | None:
    name = st.session_state.get(USER_KEY)
    if not name:
        return None
    account = accounts.get(connection(), name)
    if account is None or account.disabled or account.password_version != st.session_state.get(STAMP_KEY):
        forget()
        return None
    return User(account.username, account.role, "local", account.display_name)


def oidc_verdict() -> identity.Verdict | None:
    """What `ui.identity` decides for the claims in Streamlit's sign-in cookie, or None if signed out."""
    if not st.user.get("is_logged_in"):
        return None
    return identity.decide(
        st.user.to_dict(), oidc_settings(), lambda email: accounts.get(connection(), email), time.time()
    )


def _oidc_user() -> User | None:
    verdict = oidc_verdict()
    if verdict is None:
        return None
    seen = (verdict.identity, verdict.role, verdict.reason)
    if st.session_state.get(_OIDC_SEEN) != seen:
        st.session_state[_OIDC_SEEN] = seen
        outcome = "ok" if verdict.role else ("expired" if verdict.renew else "no role")
        who = str(st.user.get("email") or verdict.display)
        audit.record(
            connection(), verdict.identity or "anonymous", verdict.role or "", "sign_in", who,
            outcome, f"identity provider; {verdict.reason}".rstrip("; "), client(),
        )  # fmt: skip
    if verdict.role is None:
        return None
    return User(verdict.identity, verdict.role, "oidc", verdict.display)


def forget() -> None:
    for key in (USER_KEY, STAMP_KEY):
        st.session_state.pop(key, None)


def log(action: str, target: str = "", outcome: str = "ok", detail: str = "") -> None:
    """Record an action of the current user in the audit log."""
    user = current_user()
    record_for(user, action, target, outcome, detail)


def record_for(user: User | None, action: str, target: str = "", outcome: str = "ok", detail: str = "") -> None:
    audit.record(
        connection(),
        user.username if user else "anonymous",
        user.role if user else "",
        action,
        target,
        outcome,
        detail,
        client(),
    )


def sign_out() -> None:
    """Forget the session's sign-in; with the identity provider, also end the provider's session."""
    log("sign_out")
    forget()
    if oidc_configured():
        st.session_state.pop(_OIDC_SEEN, None)
        st.logout()


# --- navigation and gates (kept here by name; they live in ui.gates and views/sign_in.py) -----


def sign_in_page_object(default: bool = False, signed_in: bool = False) -> Any:
    title = "Account" if signed_in else "Sign in"
    return st.Page(SIGN_IN_PAGE, title=title, icon=":material/login:", url_path="sign-in", default=default)


def require_viewer() -> User | None:
    from ui import gates

    return gates.require_viewer()


def require_role(role: Role) -> User:
    from ui import gates

    return gates.require_role(role)


def allowed_section(section: str, user: User | None) -> bool:
    from ui import gates

    return gates.allowed_section(section, user)


def announce_first_start() -> None:
    from ui import credentials

    credentials.announce_first_start()
