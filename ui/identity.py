"""Who someone signed in through the council's identity provider is, and which role they get.

Pure functions over the ID token's claims (as Streamlit keeps them in `st.user`) and the
`[roles]` / `[sign_in]` sections of secrets.toml, so every rule is tested without a browser:

- The person is their issuer and subject (`iss` + `sub`; for Microsoft Entra ID the tenant and
  object ids `tid` + `oid`), never an email or `preferred_username`, which can be edited or reused.
- `[sign_in] tenants = [...]`, when set, lists the only tenants (Entra `tid`) or issuers allowed.
- An email is used (in a `[roles]` list, or to match a password-less account on the Users page)
  only when the provider says `email_verified = true`. Accounts with a local password are never
  matched by a provider sign-in, and provider-only accounts have no password to guess.
- A sign-in older than `[sign_in] max_age_hours` (default 8) must be renewed: the roles the
  provider gave are then at most that old, though Streamlit's cookie lasts 30 days.
- Someone in no listed group gets `[sign_in] fallback`: "viewer" (the default, unless a `viewer`
  list exists) or "none" (refused).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from domain.identity import DISPLAY_NAME_MAX, clip, oidc_identity
from store.accounts import ROLES, Account, Role

DEFAULT_MAX_AGE_HOURS = 8.0


@dataclass(frozen=True)
class Settings:
    claim: str = "groups"
    lists: Mapping[str, frozenset[str]] | None = None
    fallback: Role | None = "viewer"
    tenants: frozenset[str] = frozenset()
    max_age_seconds: float = DEFAULT_MAX_AGE_HOURS * 3600


def settings(roles: Mapping[str, Any], sign_in: Mapping[str, Any]) -> Settings:
    """The `[roles]` and `[sign_in]` sections read once; unknown fallback values refuse (safer)."""
    lists: dict[str, frozenset[str]] = {
        role: frozenset(str(v).lower() for v in roles.get(role, []) or []) for role in ROLES
    }
    default_fallback = "none" if roles.get("viewer") else "viewer"
    fallback = str(sign_in.get("fallback", roles.get("fallback", default_fallback))).lower()
    return Settings(
        claim=str(roles.get("claim", "groups")),
        lists=lists,
        fallback=_role(fallback),
        tenants=frozenset(str(t).lower() for t in sign_in.get("tenants", []) or []),
        max_age_seconds=float(sign_in.get("max_age_hours", DEFAULT_MAX_AGE_HOURS)) * 3600,
    )


@dataclass(frozen=True)
class Verdict:
    """`role` None means refused; `reason` says why in words fit for the person and the audit log."""

    identity: str
    role: Role | None
    display: str
    reason: str = ""
    renew: bool = False


def verified_email(claims: Mapping[str, Any]) -> str:
    """The email, only when the provider vouches for it (`email_verified` exactly true)."""
    if claims.get("email_verified") is True or str(claims.get("email_verified")).lower() == "true":
        return str(claims.get("email") or "").strip().lower()
    return ""


def signed_in_at(claims: Mapping[str, Any]) -> float | None:
    for key in ("auth_time", "iat"):
        value = claims.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    return None


def decide(
    claims: Mapping[str, Any],
    config: Settings,
    find_account: Callable[[str], Account | None],
    now: float,
) -> Verdict:
    """The role for these claims now. `find_account(email)` looks up a Users-page account by name."""
    identity = oidc_identity(dict(claims))
    display = clip(
        claims.get("name") or claims.get("email") or claims.get("preferred_username") or "", DISPLAY_NAME_MAX
    )
    if identity is None:
        return Verdict("", None, display, "the identity provider sent no issuer and subject")
    display = display or identity
    if config.tenants:
        tenant = str(claims.get("tid") or "").lower()
        issuer = str(claims.get("iss") or "").lower()
        if tenant not in config.tenants and issuer not in config.tenants:
            return Verdict(identity, None, display, "this organisation (tenant) is not allowed here")
    started = signed_in_at(claims)
    if started is None or now - started > config.max_age_seconds:
        hours = config.max_age_seconds / 3600
        return Verdict(identity, None, display, f"sign-ins last {hours:g} hours; please sign in again", renew=True)
    email = verified_email(claims)
    if email:
        account = find_account(email)
        if account is not None and account.password_version is None:
            if account.disabled:
                return Verdict(identity, None, display, "your account here is disabled")
            return Verdict(identity, account.role, display)
    names = _claim_values(claims.get(config.claim)) | ({email} if email else set())
    for role in reversed(ROLES):
        if names & (config.lists or {}).get(role, frozenset()):
            return Verdict(identity, _role(role), display)
    if config.fallback is None:
        return Verdict(identity, None, display, "this dashboard has not given you a role")
    return Verdict(identity, config.fallback, display)


def _role(name: str) -> Role | None:
    return next((role for role in ROLES if role == name), None)


def _claim_values(value: object) -> set[str]:
    if value is None:
        return set()
    if isinstance(value, str):
        return {value.lower()}
    if isinstance(value, list | tuple):
        return {str(v).lower() for v in value[:1000]}
    return set()
