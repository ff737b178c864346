"""Streamlit dashboard over a built equity database (see streamlit_app.py)."""
