"""The product's rules, with one home each: no I/O, no Streamlit, no database.

Every other package takes the RAG scale, KPI status, movement, "changed", "overdue", month labels
and number formats from here; SQL that needs a rule gets it generated from here.
"""
