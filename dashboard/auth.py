"""Optional sign-in through Streamlit's OIDC login (st.login), active only when an [auth]
section is configured in .streamlit/secrets.toml (see README: "Sign-in"). Without it the
dashboard is open to whoever can reach it - which is why it binds to 127.0.0.1 by default."""

from __future__ import annotations

import streamlit as st


def auth_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: Streamlit raises rather than returning empty
        return False


def require_sign_in() -> None:
    """Stop the page with a sign-in button unless the user is signed in (when configured)."""
    if not auth_configured():
        return
    if not st.user.get("is_logged_in", False):  # absent outside a real server session
        st.title("Equity metrics")
        st.markdown("This dashboard shows confidential workforce figures. Sign in to continue.")
        st.button("Sign in", on_click=st.login, type="primary")
        st.stop()
    with st.sidebar:
        st.caption(f"Signed in as {st.user.get('name') or st.user.get('email') or 'user'}")
        st.button("Sign out", on_click=st.logout)
