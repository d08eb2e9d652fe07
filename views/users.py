"""Users (admins): accounts and roles, who may view, and a backup of everything.

Each change is a new version of the account, recorded in the audit log; it takes effect on
the person's next click.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from store import accounts, backup, history
from store.queries import setting
from store.writes import submit_settings
from ui import auth, flash
from ui.auth import User
from ui.data import cached, connection
from ui.guard import guarded

user = auth.require_role("admin")
st.title("Users")
flash.show("users")
if auth.oidc_configured():
    st.info(
        "People sign in with the council's identity provider. An account here with no password, named by the "
        "person's email, sets their role (or shuts them out when disabled), but only when the provider vouches "
        "for the email (email_verified); otherwise the [roles] lists in secrets.toml decide."
    )

conn = connection()
listing = accounts.listing(conn).rename(
    columns={
        "username": "Username",
        "display_name": "Name",
        "role": "Role",
        "disabled": "Disabled",
        "has_password": "Local password",
        "last_changed_at": "Last changed (UTC)",
        "last_changed_by": "By",
        "last_change": "Change",
    }
)
st.dataframe(listing, hide_index=True, width="stretch", key="users.table")


def admin_change(who: User, action: str, target: str, change: Callable[[str], object], done: str) -> None:
    """Run one account change for the admin clicking now, record it, and say how it went."""
    try:
        change(who.username)
    except accounts.AccountError as exc:
        auth.log(action, target, "refused", exc.message)
        flash.error("users", f"{exc.title}: {exc.message}")
        return
    auth.log(action, target, "ok")
    flash.ok("users", done)


@guarded("admin", "account_add", page="users", refused="Only an admin can change accounts.")
def add_account(who: User) -> None:
    state = st.session_state
    name, role = state.get("users.new_name", ""), state.get("users.new_role", "viewer")
    display = state.get("users.new_display", "")
    password = state.get("users.new_password", "") or None
    state["users.new_password"] = ""
    admin_change(
        who,
        "account_add",
        f"{name} as {role}",
        lambda by: accounts.add(connection(), name, role, password, by=by, display_name=display),
        f"Account {accounts.normalise_username(name)} added as {role}.",
    )


@guarded("admin", "account_change", page="users", refused="Only an admin can change accounts.")
def change_account(who: User) -> None:
    state = st.session_state
    name, what = state.get("users.target"), state.get("users.change")
    if not name or not what:
        return
    if what == "Set role":
        role = state.get("users.role", "viewer")
        admin_change(
            who,
            "role_change",
            f"{name} to {role}",
            lambda by: accounts.set_role(connection(), name, role, by=by),
            f"{name} is now {role}.",
        )
    elif what == "Disable":
        admin_change(who, "disable", name, lambda by: accounts.disable(connection(), name, by=by), f"{name} disabled.")
    elif what == "Enable":
        admin_change(who, "enable", name, lambda by: accounts.enable(connection(), name, by=by), f"{name} enabled.")
    elif what == "Reset password":
        password = state.get("users.password", "")
        state["users.password"] = ""
        admin_change(
            who,
            "password_reset",
            name,
            lambda by: accounts.reset_password(connection(), name, password, by=by),
            f"Password of {name} reset; they are signed out everywhere.",
        )


st.header("Add an account")
with st.form("users.add_form", clear_on_submit=False):
    st.text_input("Username (an email address works)", key="users.new_name", max_chars=101)
    st.text_input("Name (optional)", key="users.new_display", max_chars=101)
    st.selectbox("Role", accounts.ROLES, key="users.new_role")
    st.text_input(
        f"Password (at least {accounts.MIN_PASSWORD} characters; leave empty for someone who signs in "
        "through the council's identity provider)",
        type="password",
        key="users.new_password",
    )
    st.form_submit_button("Add account", on_click=add_account)

if not listing.empty:
    st.header("Change an account")
    with st.form("users.change_form"):
        st.selectbox("Account", list(listing["Username"]), key="users.target")
        st.radio("Change", ["Set role", "Disable", "Enable", "Reset password"], key="users.change", horizontal=True)
        st.selectbox("New role (for Set role)", accounts.ROLES, key="users.role")
        st.text_input("New password (for Reset password)", type="password", key="users.password")
        st.form_submit_button("Apply", on_click=change_account)


@guarded("admin", "setting_change", page="users")
def set_viewing(who: User) -> None:
    value = st.session_state.get("users.viewing", "open")
    submit_settings(connection(), {"viewing": value}, who.username)
    auth.log("setting_change", "viewing", "ok", value)
    flash.ok("users", f"Viewing is now: {value}.")


st.header("Who may view the dashboard")
current = cached(setting)("viewing", "open")
with st.form("users.viewing_form"):
    st.radio(
        "Viewing",
        ["open", "sign-in"],
        index=0 if current != "sign-in" else 1,
        format_func=lambda v: "Anyone with the link" if v == "open" else "Signed-in people only",
        key="users.viewing",
        horizontal=True,
    )
    st.form_submit_button("Save", on_click=set_viewing)


@guarded("admin", "backup", page="users")
def take_backup(who: User) -> None:
    folder = Path(os.environ.get("DASHBOARD_BACKUP_DIR") or Path(__file__).resolve().parent.parent / "data" / "backups")
    try:
        written = backup.backup(connection(), folder, by=who.username, role=who.role)
    except (OSError, history.StoreError) as exc:
        auth.log("backup", str(folder), "error", f"{type(exc).__name__}: {exc}")
        flash.error("users", "The backup could not be written. Details are in the audit log.")
        return
    flash.ok("users", f"Backup written to {written} on the server.")


st.header("Backup")
st.caption(
    "Writes every table as Parquet plus each original upload into a new folder on the server "
    "(DASHBOARD_BACKUP_DIR, default data/backups). Restore with: python -m store restore FOLDER --db NEW_FILE"
)
st.button("Back up now", key="users.backup", on_click=take_backup)
