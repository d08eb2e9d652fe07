"""Account: sign in (local password, or the council's identity provider), sign out, or create the
first admin with the one-time setup code the server printed when it started."""

from __future__ import annotations

import streamlit as st

from domain.identity import USERNAME_MAX
from domain.markup import markdown
from store import accounts
from ui import auth, credentials
from ui.data import connection

# Streamlit itself cuts a typed value at max_chars, on the server; one more than the limit lets the
# callback say plainly that the name is too long instead of trying a silently shortened one.
TYPED_MAX = USERNAME_MAX + 1

st.title("Account")
message = st.session_state.pop(auth.MESSAGE_KEY, None)
if message:
    st.error(message)  # the app's own words (never the typed name), so no escaping needed
user = auth.current_user()
if user is not None:
    st.text(f"Signed in as {user.label} ({user.role}).")
    st.button("Sign out", key="auth.sign_out", on_click=auth.sign_out)
elif auth.oidc_configured():
    verdict = auth.oidc_verdict()
    if verdict is not None and verdict.renew:
        st.warning(f"**Please sign in again**: {markdown(verdict.reason)}.")
        st.button("Sign in again", key="auth.oidc_sign_in", on_click=credentials.oidc_login, type="primary")
    elif verdict is not None:
        st.error(
            f"**No access**: you are signed in as {markdown(verdict.display)}, but {markdown(verdict.reason)}. "
            "Ask an admin to add you."
        )
        st.button("Sign out", key="auth.sign_out", on_click=auth.sign_out)
    else:
        st.write("Sign in with your council account.")
        st.button("Sign in", key="auth.oidc_sign_in", on_click=credentials.oidc_login, type="primary")
elif accounts.count(connection()) == 0:
    st.info(
        "No accounts exist yet. Create the first admin with the one-time setup code the server "
        "printed in its console (log) when it started, or run "
        "`.venv/bin/board users add NAME --role admin` in the checkout (the dashboard may keep running)."
    )
    with st.form("auth.setup_form"):
        st.text_input("One-time setup code", key="auth.setup_code", max_chars=40)
        st.text_input("Admin username", key="auth.setup_username", max_chars=TYPED_MAX)
        st.text_input("Password", type="password", key="auth.setup_password", max_chars=1000)
        st.text_input("Password again", type="password", key="auth.setup_password2", max_chars=1000)
        st.form_submit_button("Create the first admin", on_click=credentials.create_first_admin)
else:
    with st.form("auth.sign_in_form"):
        st.text_input("Username", key="auth.username", autocomplete="username", max_chars=TYPED_MAX)
        st.text_input("Password", type="password", key="auth.password", autocomplete="current-password", max_chars=1000)
        st.form_submit_button("Sign in", on_click=credentials.sign_in)
