"""Bounds on what people type or send about themselves: usernames, display names, audit fields.

The audit log is append-only, so anything written there stays for good: a visitor who could send
a 200 kB username a hundred times would grow the store by 50 MB that can never be removed. Every
such field therefore has a length limit and a character pattern here, checked before anything is
written; over-long input is refused with a plain message and recorded once, truncated.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

USERNAME_MAX = 100
DISPLAY_NAME_MAX = 100
PASSWORD_MIN = 10
PASSWORD_MAX = 1000
# Local usernames never contain ':' and OIDC identities always start with a scheme and ':', so the two can
# never be confused (see `oidc_identity`).
USERNAME_PATTERN = re.compile(rf"^[a-z0-9][a-z0-9._@+-]{{0,{USERNAME_MAX - 1}}}$")
# Letters (any script), digits, spaces and ordinary punctuation; no control or format characters.
_DISPLAY_BAD = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")

AUDIT_LIMITS: dict[str, int] = {
    "username": 300,
    "role": 20,
    "action": 40,
    "target": 300,
    "outcome": 40,
    "detail": 2000,
    "client": 200,
}
ACTION_PATTERN = re.compile(r"^[a-z_]{1,40}$")
_OIDC_PART_MAX = 255


class InputTooLong(ValueError):
    """Input refused before anything is stored; `message` is plain words for the person."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class UsernameCheck:
    """A typed username: `name` when it is a possible local username; `problem` says why not otherwise."""

    name: str
    problem: str = ""


def normalise_username(username: str) -> str:
    return username.strip().lower()


def check_username(username: str) -> UsernameCheck:
    """Length first (so a huge name is never pattern-matched or stored), then the pattern."""
    name = normalise_username(username)
    if len(name) > USERNAME_MAX:
        return UsernameCheck("", f"a username has at most {USERNAME_MAX} characters.")
    if not USERNAME_PATTERN.match(name):
        return UsernameCheck(
            "", "a username is 1 to 100 characters: letters, digits and . _ @ + - (an email address works)."
        )
    return UsernameCheck(name)


def check_display_name(name: str) -> str:
    """A display name as stored: stripped, at most DISPLAY_NAME_MAX characters, no control characters."""
    text = unicodedata.normalize("NFC", name).strip()
    if len(text) > DISPLAY_NAME_MAX:
        raise InputTooLong(f"a name has at most {DISPLAY_NAME_MAX} characters.", "display_name")
    if _DISPLAY_BAD.search(text):
        raise InputTooLong("a name cannot contain control characters.", "display_name")
    return text


def clip(value: object, limit: int) -> str:
    """Text safe to store in an audit field: control characters shown as '?', cut at `limit` with a note
    of the original length, so an over-long value is recorded once, truncated, never in full."""
    text = _DISPLAY_BAD.sub("?", str(value))
    if len(text) <= limit:
        return text
    note = f"… ({len(text):,} characters)"
    return text[: max(0, limit - len(note))] + note


def audit_fields(**fields: str) -> dict[str, str]:
    """Every audit field clipped to its limit; an action is a plain lower-case word (others become '_')."""
    out = {key: clip(value, AUDIT_LIMITS[key]) for key, value in fields.items()}
    if "action" in out and not ACTION_PATTERN.match(out["action"]):
        out["action"] = re.sub(r"[^a-z_]", "_", out["action"].lower())[:40] or "unknown"
    return out


def oidc_identity(claims: dict[str, object]) -> str | None:
    """Who someone signed in through the identity provider is: issuer and subject, which never change
    or get reused, rather than an email or username they or an admin can edit.

    Microsoft Entra ID: `entra:<tid>/<oid>` (the tenant and the object id, the same for every app in
    the tenant); any other provider: `oidc:<iss>#<sub>`. None when the claims lack them or they are
    implausibly long.
    """
    tid, oid = str(claims.get("tid") or ""), str(claims.get("oid") or "")
    if tid and oid:
        if len(tid) > 64 or len(oid) > 64:
            return None
        return f"entra:{tid.lower()}/{oid.lower()}"
    iss, sub = str(claims.get("iss") or ""), str(claims.get("sub") or "")
    if not iss or not sub or len(iss) > _OIDC_PART_MAX or len(sub) > _OIDC_PART_MAX:
        return None
    return f"oidc:{iss}#{sub}"


def is_oidc_identity(name: str) -> bool:
    return name.startswith(("entra:", "oidc:"))
