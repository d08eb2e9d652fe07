"""The only package that imports Streamlit besides the pages: connection, cached reads, pickers, display."""
