"""DuckDB store: schema, versioned writes and read queries. No Streamlit here."""

from store.db import connect, default_db_path

__all__ = ["connect", "default_db_path"]
