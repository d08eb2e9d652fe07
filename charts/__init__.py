"""Pure chart builders: DataFrame in, plotly Figure out. No Streamlit here."""

from charts.kpi import kpi_small_multiples, kpi_trend
from charts.rag import movement_matrix, movement_summary, rag_by_priority, rag_timeline

__all__ = [
    "kpi_small_multiples",
    "kpi_trend",
    "movement_matrix",
    "movement_summary",
    "rag_by_priority",
    "rag_timeline",
]
