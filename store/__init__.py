"""The store: schema and migrations, the one write path, versioned writes and read queries, on a
DuckDB file (store/live.py) or PostgreSQL (store/pg.py); store/backend.py opens either. No Streamlit here."""

from store.db import connect, default_db_path

__all__ = ["connect", "default_db_path"]
