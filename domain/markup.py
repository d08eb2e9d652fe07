"""Text from the data shown as text, wherever it goes: Markdown, HTML, Plotly labels, PDF, matplotlib.

Plan and KPI names come from uploaded files, so they are the uploader's words, not ours. Each
place that draws text interprets some of it as markup: Streamlit's Markdown turns `[x](url)` into
a link and `![x](url)` into an image that the browser fetches; Plotly renders `<a href>`, `<b>`
and `<br>` in titles, axis labels and hover text; reportlab's paragraphs are mini-HTML; matplotlib
reads `$...$` as mathematics. One function per destination makes the text inert there, and
nothing else: what the reader sees is exactly what was uploaded.
"""

from __future__ import annotations

import html
import re

# Every ASCII punctuation character CommonMark lets a backslash escape, plus the ones Streamlit adds
# meaning to (':' for :color[...] and :material/icons:, '$' for LaTeX, '~' for strikethrough).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:&\"'=^])")
_NEWLINES = re.compile(r"\r\n|\r|\n")


def markdown(value: object) -> str:
    """Text for st.markdown, st.caption, widget labels and help: every Markdown character escaped,
    line breaks kept as spaces (a blank line would start a new block)."""
    text = _NEWLINES.sub(" ", "" if value is None else str(value))
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def html_text(value: object) -> str:
    """Text inside HTML: &, <, > and both quotes as entities."""
    return html.escape("" if value is None else str(value), quote=True)


def plotly(value: object) -> str:
    """Text for a Plotly title, axis title, tick label, annotation or hover text.

    Plotly reads a small set of tags (<a>, <b>, <i>, <br>, <sub>, <sup>, <span>) and decodes
    entities, so escaping & and < is enough: `<a href=...>` then shows as typed, with no link.
    """
    return ("" if value is None else str(value)).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def reportlab(value: object) -> str:
    """Text for a reportlab Paragraph (its markup is XML: <b>, <a href>, <img>, entities)."""
    return html.escape("" if value is None else str(value), quote=False)


def matplotlib(value: object) -> str:
    """Text for matplotlib: a '$' would start mathtext, so each is escaped."""
    return ("" if value is None else str(value)).replace("$", r"\$")
