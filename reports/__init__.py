"""Exports built from store queries (board pack, downloads). No Streamlit here."""
