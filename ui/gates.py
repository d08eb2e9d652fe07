"""The checks a page makes at its top, on every rerun: may this person see it at all?

Navigation hides sections a role cannot use, but that is only a convenience: a page opened by
its address runs these gates itself, so the role as it stands now decides.
"""

from __future__ import annotations

import streamlit as st

from store.accounts import Role
from ui.auth import User, can, current_user, log, viewing_requires_sign_in

# The lowest role that may open a page in each navigation section; sections not listed are for viewers.
SECTION_ROLE: dict[str, Role] = {"Data": "uploader", "Admin": "admin"}


def require_viewer() -> User | None:
    """Stop the page unless viewing is open or someone is signed in."""
    user = current_user()
    if user is None and viewing_requires_sign_in():
        st.warning("Please sign in to view the dashboard (Account, Sign in, in the menu).")
        st.stop()
    return user


def require_role(role: Role) -> User:
    """Stop the page unless the signed-in person has at least `role`."""
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
