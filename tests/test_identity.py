"""Identity and role rules for provider sign-ins, bounds on typed input, and markup escaping.

Pure functions, table-driven: the claims are what an ID token carries (Entra ID's `tid`/`oid`,
any provider's `iss`/`sub`), and the settings are what README tells council IT to write.
"""

from __future__ import annotations

import html
import time

import pytest
from markdown_it import MarkdownIt

from domain import identity as bounds
from domain import markup
from store.accounts import Account
from ui import identity

NOW = time.time()
ISS = "https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0"
ENTRA = {"iss": ISS, "sub": "pairwise-sub", "tid": "11111111-2222-3333-4444-555555555555",
         "oid": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", "name": "Ann Officer", "iat": NOW - 60}  # fmt: skip
ROLES = {"claim": "groups", "admin": ["g-admin"], "uploader": ["g-upload", "pat@council.example"]}


def decide(claims: dict, roles: dict | None = None, sign_in: dict | None = None, accounts=None):  # type: ignore[no-untyped-def]
    found = accounts or {}
    return identity.decide(claims, identity.settings(roles or ROLES, sign_in or {}), found.get, NOW)


def account(name: str, role: str = "admin", password: bool = False, disabled: bool = False) -> Account:
    return Account(name, name, role, disabled, 7 if password else None, 1)  # type: ignore[arg-type]


def test_entra_identity_is_tenant_and_object_id_not_email() -> None:
    verdict = decide({**ENTRA, "email": "x@y", "preferred_username": "root", "groups": ["g-upload"]})
    assert verdict.identity == "entra:11111111-2222-3333-4444-555555555555/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
    assert verdict.role == "uploader" and verdict.display == "Ann Officer"


def test_other_providers_are_issuer_and_subject() -> None:
    verdict = decide({"iss": "https://idp.example", "sub": "42", "iat": NOW, "groups": "g-admin"})
    assert verdict.identity == "oidc:https://idp.example#42" and verdict.role == "admin"
    assert decide({"sub": "42", "iat": NOW}).role is None  # no issuer: refused


@pytest.mark.parametrize(
    ("extra", "role"),
    [
        ({"email": "pat@council.example", "email_verified": True}, "uploader"),
        ({"email": "pat@council.example", "email_verified": "true"}, "uploader"),
        ({"email": "pat@council.example", "email_verified": False}, "viewer"),
        ({"email": "pat@council.example"}, "viewer"),  # Entra sends no email_verified: groups decide
        ({"preferred_username": "pat@council.example"}, "viewer"),
    ],
)
def test_email_lists_count_only_when_verified(extra: dict, role: str) -> None:
    assert decide({"iss": "https://idp.example", "sub": "7", "iat": NOW, **extra}).role == role


def test_a_local_account_is_never_matched_by_a_provider_sign_in() -> None:
    claims = {"iss": "https://idp.example", "sub": "7", "iat": NOW, "email": "root@council.example",
              "email_verified": True}  # fmt: skip
    local = {"root@council.example": account("root@council.example", "admin", password=True)}
    assert decide(claims, accounts=local).role == "viewer"
    provider_only = {"root@council.example": account("root@council.example", "admin")}
    assert decide(claims, accounts=provider_only).role == "admin"
    disabled = {"root@council.example": account("root@council.example", "admin", disabled=True)}
    assert decide(claims, accounts=disabled).role is None
    unverified = {**claims, "email_verified": False}
    assert decide(unverified, accounts=provider_only).role == "viewer"


def test_tenant_allow_list() -> None:
    allowed = {"tenants": ["11111111-2222-3333-4444-555555555555"]}
    assert decide({**ENTRA, "groups": ["g-admin"]}, sign_in=allowed).role == "admin"
    other = {**ENTRA, "tid": "99999999-0000-0000-0000-000000000000", "groups": ["g-admin"]}
    verdict = decide(other, sign_in=allowed)
    assert verdict.role is None and "tenant" in verdict.reason
    by_issuer = {"tenants": ["https://idp.example"]}
    assert decide({"iss": "https://idp.example", "sub": "1", "iat": NOW}, sign_in=by_issuer).role == "viewer"


@pytest.mark.parametrize(
    ("age_hours", "max_age", "renew"),
    [(1, None, False), (7.9, None, False), (8.1, None, True), (2, 1, True), (30 * 24, None, True)],
)
def test_sign_in_age_must_be_renewed(age_hours: float, max_age: float | None, renew: bool) -> None:
    sign_in = {} if max_age is None else {"max_age_hours": max_age}
    verdict = decide({**ENTRA, "iat": NOW - age_hours * 3600, "groups": ["g-admin"]}, sign_in=sign_in)
    assert verdict.renew is renew and (verdict.role is None) is renew


def test_auth_time_beats_iat_and_no_time_means_renew() -> None:
    assert decide({**ENTRA, "iat": NOW, "auth_time": NOW - 9 * 3600}).renew
    claims = {k: v for k, v in ENTRA.items() if k != "iat"}
    assert decide(claims).renew


@pytest.mark.parametrize(
    ("roles", "sign_in", "role"),
    [
        (ROLES, {}, "viewer"),
        (ROLES, {"fallback": "none"}, None),
        ({**ROLES, "viewer": ["g-view"]}, {}, None),  # a viewer list means: only those listed
        ({**ROLES, "viewer": ["g-view"]}, {"fallback": "viewer"}, "viewer"),
        (ROLES, {"fallback": "superuser"}, None),  # a mistyped fallback refuses, never grants
    ],
)
def test_someone_in_no_group_gets_the_fallback(roles: dict, sign_in: dict, role: str | None) -> None:
    assert decide({**ENTRA, "groups": ["g-unrelated"]}, roles, sign_in).role == role


def test_highest_listed_role_wins() -> None:
    assert decide({**ENTRA, "groups": ["g-upload", "g-admin"]}).role == "admin"


@pytest.mark.parametrize(
    ("typed", "name", "ok"),
    [
        ("Ann@Council.example", "ann@council.example", True),
        ("  bob  ", "bob", True),
        ("a" * 100, "a" * 100, True),
        ("a" * 101, "", False),
        ("x" * 200_000, "", False),
        ("entra:tid/oid", "", False),  # an identity-provider identity can never be a local name
        ("ann smith", "", False),
        ("ann\x00", "", False),
    ],
)
def test_usernames_are_bounded(typed: str, name: str, ok: bool) -> None:
    checked = bounds.check_username(typed)
    assert checked.name == name and (checked.problem == "") is ok


def test_audit_fields_are_clipped_once_with_the_length() -> None:
    fields = bounds.audit_fields(username="x" * 200_000, action="sign in!", detail="d" * 5000, client="1.2.3.4\x1b[31m")
    assert len(fields["username"]) == bounds.AUDIT_LIMITS["username"]
    assert fields["username"].endswith("(200,000 characters)")
    assert len(fields["detail"]) == bounds.AUDIT_LIMITS["detail"]
    assert fields["action"] == "sign_in_" and "\x1b" not in fields["client"]


def test_display_names_are_bounded() -> None:
    assert bounds.check_display_name("  Åsa Öberg ") == "Åsa Öberg"
    for bad in ("n" * 101, "evil\u202ename", "tab\there"):
        with pytest.raises(bounds.InputTooLong):
            bounds.check_display_name(bad)


HOSTILE = [
    "[click](https://evil.example)",
    "![x](https://evil.example/pixel.png)",
    "<img src=x onerror=alert(1)>",
    '<a href="https://evil.example">KPI</a>',
    ":red[alarm] $x^2$ **bold**",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_markup_escapes_every_destination(text: str) -> None:
    rendered = MarkdownIt("commonmark").render(markup.markdown(text))
    assert "<a" not in rendered and "<img" not in rendered and "<strong" not in rendered
    assert html.unescape(rendered.removeprefix("<p>").removesuffix("</p>\n")) == text  # shown exactly as typed
    for escaped in (markup.plotly(text), markup.html_text(text), markup.reportlab(text)):
        assert "<" not in escaped and html.unescape(escaped) == text
    assert "$" not in markup.matplotlib(text).replace("\\$", "")
