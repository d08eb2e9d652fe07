"""The board pack as a PDF (reportlab), with its charts drawn offline by matplotlib.

Plotly's static export needs a browser (kaleido drives Chromium); the pack must build on a
server with none, so its charts are drawn with matplotlib's Agg renderer straight to PNG.
Headings become PDF bookmarks (the outline a reader or screen reader navigates by); reportlab
cannot write tagged PDF, so every chart also gets a sentence under it that says what it shows.
Text from the data is escaped before reportlab's paragraph markup sees it.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import matplotlib
import pandas as pd
from matplotlib.figure import Figure
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from domain.rag import RAG_NAMES, RAG_ORDER
from domain.spc import MIN_POINTS
from reports.board_pack import BoardPack, PriorityPart, records
from reports.excel import RAG_COLOURS, STATUS_COLOURS
from reports.pdf_charts import kpi_chart, movement_chart, rating_chart
from reports.spc_tables import summary_matrix

_FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
_PAGE = landscape(A4)
_MARGIN = 1.5 * cm
_WIDTH = _PAGE[0] - 2 * _MARGIN
_GUTTER = 0.8 * cm


def _register_fonts() -> None:
    """DejaVu Sans (shipped with matplotlib) prints the Cyrillic and Greek letters real plans contain."""
    if "DejaVu" in pdfmetrics.getRegisteredFontNames():
        return
    pdfmetrics.registerFont(TTFont("DejaVu", str(_FONTS / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("DejaVu-Bold", str(_FONTS / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily("DejaVu", normal="DejaVu", bold="DejaVu-Bold")


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["BodyText"], fontName="DejaVu", fontSize=10, leading=13)
    return {
        "body": body,
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5),
        "cellbold": ParagraphStyle("cellbold", parent=body, fontName="DejaVu-Bold", fontSize=8.5, leading=10.5),
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=colors.HexColor("#595959")),
        "title": ParagraphStyle("title", parent=body, fontName="DejaVu-Bold", fontSize=26, leading=32),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontSize=14, leading=19),
        "h1": ParagraphStyle("h1", parent=body, fontName="DejaVu-Bold", fontSize=16, leading=20, spaceAfter=6),
        "h2": ParagraphStyle(
            "h2", parent=body, fontName="DejaVu-Bold", fontSize=12, leading=15, spaceBefore=8, spaceAfter=4
        ),
    }


def _text(value: object) -> str:
    """Data text made safe for reportlab's paragraph markup (which reads <, > and & as tags)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[call-overload]
        return ""
    return escape(str(value))


class _Heading(Paragraph):
    """A heading that becomes a PDF bookmark at `level` (0 = section, 1 = subsection)."""

    def __init__(self, text: str, style: ParagraphStyle, level: int, key: str) -> None:
        super().__init__(escape(text), style)
        self.outline = (text, level, key)


class _Doc(BaseDocTemplate):
    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, _Heading):
            text, level, key = flowable.outline
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(text, key, level=level, closed=level > 0)


class _NumberedCanvas(Canvas):
    """Writes 'Page N of M' on every page once the page count is known."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont("DejaVu", 8)
            self.setFillColor(colors.HexColor("#595959"))
            self.drawRightString(_PAGE[0] - _MARGIN, 0.8 * cm, f"Page {self._pageNumber} of {total}")
            super().showPage()
        super().save()


def _png(fig: Figure, room: float = _WIDTH) -> Image:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=130)
    width, height = fig.get_size_inches()
    scale = min(1.0, room / (width * 72))
    return Image(io.BytesIO(out.getvalue()), width=width * 72 * scale, height=height * 72 * scale)


def _table(rows: list[list[Any]], widths: Sequence[float], styles: list[tuple[Any, ...]]) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), "DejaVu", 8.5),
                ("FONT", (0, 0), (-1, 0), "DejaVu-Bold", 8.5),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#D9E1F2")),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#A6A6A6")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                *styles,
            ]
        )
    )
    return table


def _rag_style(col: int, row: int, code: object) -> list[tuple[Any, ...]]:
    if not isinstance(code, str) or code not in RAG_COLOURS:
        return []
    fill, font = RAG_COLOURS[code]
    return [
        ("BACKGROUND", (col, row), (col, row), colors.HexColor("#" + fill)),
        ("TEXTCOLOR", (col, row), (col, row), colors.HexColor("#" + font)),
        ("FONT", (col, row), (col, row), "DejaVu-Bold", 8.5),
    ]


def _rag_label(code: object) -> str:
    return RAG_NAMES.get(code, "Not yet rated") if isinstance(code, str) else "Not yet rated"


def _table1(pack: BoardPack, s: dict[str, ParagraphStyle]) -> Table:
    head = ["Priority"] + [_rag_label(c) for c in RAG_ORDER for _ in range(2)]
    sub = [""] + [label for _ in RAG_ORDER for label in (pack.compare_label, pack.period_label)]
    rows: list[list[Any]] = [head, sub]
    for record in pack.table1.to_numpy().tolist():
        style = s["cellbold"] if record[0] == "Totals" else s["cell"]
        rows.append([Paragraph(_text(record[0]), style), *[int(v) for v in record[1:]]])
    styles: list[tuple[Any, ...]] = [
        ("FONT", (0, 1), (-1, 1), "DejaVu-Bold", 8),
        ("BACKGROUND", (0, 1), (-1, 1), colors.HexColor("#D9E1F2")),
        ("ALIGN", (1, 0), (-1, -1), "CENTER"),
        ("SPAN", (0, 0), (0, 1)),
        ("FONT", (0, -1), (-1, -1), "DejaVu-Bold", 8.5),
    ]
    for i, code in enumerate(RAG_ORDER):
        styles += [("SPAN", (1 + 2 * i, 0), (2 + 2 * i, 0)), *_rag_style(1 + 2 * i, 0, code)]
    table = _table(rows, [_WIDTH - 10 * 1.9 * cm] + [1.9 * cm] * 10, styles)
    table.repeatRows = 2
    return table


def _actions(frame: pd.DataFrame, s: dict[str, ParagraphStyle], columns: Sequence[tuple[str, str]]) -> Table:
    """Action, description, then `columns` (heading, field); fields named like ratings are coloured."""
    rows: list[list[Any]] = [["Action", "Description", *[heading for heading, _ in columns]]]
    last = 1 + len(columns)
    styles: list[tuple[Any, ...]] = [("ALIGN", (2, 0), (last, -1), "CENTER")]
    for r, record in enumerate(frame.to_dict("records"), start=1):
        ofsted = _text(record.get("ofsted_ref"))
        cells: list[Any] = [
            Paragraph(_text(record["action_ref"]) + (f"<br/>{ofsted}" if ofsted else ""), s["cellbold"]),
            Paragraph(_text(record["description"]), s["cell"]),
        ]
        for c, (_, name) in enumerate(columns, start=2):
            if name in _RATING_FIELDS:
                cells.append(_rag_label(record[name]))
                styles += _rag_style(c, r, record[name])
            else:
                cells.append(Paragraph(_text(record[name]), s["cell"]))
        rows.append(cells)
    extra = [_COLUMN_CM.get(name, 3.0) * cm for _, name in columns]
    widths = [2.6 * cm, _WIDTH - 2.6 * cm - sum(extra), *extra]
    return _table(rows, widths, styles)


_RATING_FIELDS = ("previous", "current")
_COLUMN_CM = {"lead": 5.0, "timescale_text": 2.2}


def _priority(pack: BoardPack, part: PriorityPart, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    title = f"Priority {part.priority}: {part.title}"
    out: list[Flowable] = [_Heading(title, s["h1"], 1, f"p{part.priority}")]
    out += [Paragraph(_text(p), s["body"]) for p in part.narrative.split("\n") if p.strip()]
    for heading, frame, empty in (
        ("Actions whose rating changed", part.changed, "No action in this priority changed rating."),
        (f"Actions rated Red or Amber at {pack.period_label}", part.red_amber, "No action is Red or Amber."),
    ):
        table = _actions(frame, s, [(pack.compare_label, "previous"), (pack.period_label, "current")])
        body = Paragraph(empty, s["body"]) if frame.empty else table
        out.append(KeepTogether([Paragraph(heading, s["h2"]), body]))
    return out


def _kpi_rows(pack: BoardPack, s: dict[str, ParagraphStyle]) -> Table:
    rows: list[list[Any]] = [["KPI", "Latest", "Value", "Target", "Status", "Commentary"]]
    styles: list[tuple[Any, ...]] = [("ALIGN", (2, 0), (4, -1), "CENTER")]
    for r, k in enumerate(records(pack.kpis), start=1):
        suffix = "%" if k["unit"] == "%" else ""
        latest = "" if pd.isna(k["latest_period"]) else f"{pd.Timestamp(k['latest_period']):%b %Y}"
        value = "" if pd.isna(k["latest_value"]) else f"{k['latest_value']:g}{suffix}"
        target = "" if pd.isna(k["target"]) else f"{k['target']:g}{suffix}"
        rows.append(
            [Paragraph(_text(k["name"]), s["cell"]), latest, value, target, k["status"],
             Paragraph(_text(k["commentary"]), s["cell"])]
        )  # fmt: skip
        if k["status"] in STATUS_COLOURS:
            fill, font = STATUS_COLOURS[k["status"]]
            styles += [("BACKGROUND", (4, r), (4, r), colors.HexColor("#" + fill)),
                       ("TEXTCOLOR", (4, r), (4, r), colors.HexColor("#" + font))]  # fmt: skip
    return _table(rows, [8 * cm, 2.2 * cm, 2 * cm, 2 * cm, 2.3 * cm, _WIDTH - 16.5 * cm], styles)


def _kpi_charts(pack: BoardPack, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    out: list[Flowable] = []
    for k in records(pack.kpis):
        series = pack.kpi_series.get(str(k["kpi_code"]))
        if series is None:
            continue
        target = None if pd.isna(k["target"]) else float(k["target"])
        suffix = "%" if k["unit"] == "%" else ""
        said = "; ".join(
            f"{pd.Timestamp(p):%b %Y} {v:g}{suffix}" for p, v in zip(series["period"], series["value"], strict=True)
        )
        aim = f" Target {target:g}{suffix} ({k['polarity']} is better)." if target is not None else " No target set."
        block: list[Flowable] = [
            _Heading(str(k["name"]), s["h2"], 2, f"kpi-{k['kpi_code']}"),
            _png(kpi_chart(series, str(k["unit"]), target), (_WIDTH - _GUTTER) / 2),
            Paragraph(_text(f"Values: {said}.{aim} Status: {k['status']}."), s["small"]),
        ]
        if k["commentary"]:
            block.append(Paragraph(f"<b>Commentary:</b> {_text(k['commentary'])}", s["body"]))
        out.append(KeepTogether(block))
    missing = pack.kpis.loc[~pack.kpis["kpi_code"].isin(list(pack.kpi_series)), "name"]
    if len(missing):
        heading = Paragraph(f"No values recorded up to {pack.period_label} for:", s["h2"])
        out.append(KeepTogether([heading, Paragraph(_text("; ".join(map(str, missing))) + ".", s["body"])]))
    return out


def _spc(pack: BoardPack, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    """The Making Data Count summary: KPIs by variation (rows) and assurance (columns), in words."""
    out: list[Flowable] = [_Heading("Making Data Count summary", s["h1"], 0, "spc")]
    if pack.spc.empty:
        return [*out, Paragraph("No KPI has observations up to this period.", s["body"])]
    out.append(
        Paragraph(
            _text(
                f"Statistical process control up to {pack.period_label}: rows say whether the latest point shows "
                "a real change (variation), columns whether the process can be relied on to meet its target "
                f"(assurance). SPC needs {MIN_POINTS} points; KPIs with fewer are listed as too few points."
            ),
            s["small"],
        )
    )
    matrix = summary_matrix(pack.spc)
    rows: list[list[Any]] = [["Variation", *matrix.columns]]
    for label, cells in matrix.iterrows():
        rows.append([Paragraph(_text(label), s["cell"]), *(Paragraph(_text(c), s["cell"]) for c in cells)])
    first = 4 * cm
    rest = (_WIDTH - first) / max(len(matrix.columns), 1)
    out.append(_table(rows, [first, *[rest] * len(matrix.columns)], [("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return out


def _estimates(pack: BoardPack, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    """The ratings, actions and KPI values the source implies rather than prints, with why."""
    story: list[Flowable] = [Spacer(1, 0.5 * cm), _Heading("Inferred or estimated figures", s["h1"], 0, "estimates")]
    if not len(pack.estimates):
        return [*story, Paragraph("Nothing in this pack is inferred or estimated.", s["body"])]
    rows = [[Paragraph(_text(v), s["small"]) for v in row] for row in pack.estimates.itertuples(index=False)]
    head = [Paragraph(f"<b>{h}</b>", s["small"]) for h in pack.estimates.columns]
    return [*story, _table([head, *rows], [0.28 * _WIDTH, 0.12 * _WIDTH, 0.60 * _WIDTH], [])]


def _story(pack: BoardPack, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    council = pack.council_name or "Council"
    story: list[Flowable] = [
        Spacer(1, 4 * cm),
        _Heading(f"{council} Improvement Plan: board pack", s["title"], 0, "title"),
        Spacer(1, 0.6 * cm),
        Paragraph(f"Progress from {pack.compare_label} to {pack.period_label}", s["subtitle"]),
        Paragraph(_text(f"Council: {council} ({pack.council_code})"), s["subtitle"]),
        Paragraph(f"Generated {pack.generated_at:%d %B %Y at %H:%M} UTC", s["subtitle"]),
        Spacer(1, 1 * cm),
        Paragraph(_text(pack.headline_text), s["body"]),
        PageBreak(),
        _Heading("Overview", s["h1"], 0, "overview"),
        Paragraph(
            f"Table 1: RAG rating assigned to actions by priority, {pack.compare_label} and {pack.period_label}",
            s["h2"],
        ),
        _table1(pack, s),
        PageBreak(),
        _Heading("Actions by rating in each priority", s["h2"], 1, "chart-ratings"),
        _png(rating_chart(pack)),
        KeepTogether([_Heading("How ratings moved", s["h2"], 1, "chart-moves"), _png(movement_chart(pack))]),
        PageBreak(),
        _Heading("Priorities", s["h1"], 0, "priorities"),
    ]
    for index, part in enumerate(pack.priorities):
        story += [Spacer(1, 0.5 * cm)] if index else []
        story += _priority(pack, part, s)
    story += [PageBreak(), _Heading("Actions added to the plan", s["h1"], 0, "new")]
    new = pack.new_actions
    story.append(_actions(new, s, [("Rating", "current")]) if len(new) else Paragraph("None.", s["body"]))
    story += [Spacer(1, 0.5 * cm), _Heading("Overdue actions", s["h1"], 0, "overdue")]
    story.append(
        Paragraph(
            f"Timescale before {pack.period_label} and not yet Dark Green or Completed. "
            "The timescale is shown as written in the plan.",
            s["small"],
        )
    )
    columns = [("Lead", "lead"), ("Timescale", "timescale_text"), ("Rating", "current")]
    overdue = pack.overdue
    story.append(_actions(overdue, s, columns) if len(overdue) else Paragraph("None.", s["body"]))
    story += [PageBreak(), _Heading("Key performance indicators", s["h1"], 0, "kpis"), _kpi_rows(pack, s)]
    story += [PageBreak(), *_spc(pack, s)]
    story += _estimates(pack, s)
    story += [NextPageTemplate("columns"), PageBreak(), _Heading("KPI charts", s["h1"], 1, "kpi-charts")]
    story += _kpi_charts(pack, s)
    return story


def _footer(canvas: Canvas, doc: BaseDocTemplate) -> None:
    canvas.saveState()
    canvas.setFont("DejaVu", 8)
    canvas.setFillColor(colors.HexColor("#595959"))
    canvas.drawString(_MARGIN, 0.8 * cm, doc.title)
    canvas.restoreState()


def to_pdf(pack: BoardPack) -> bytes:
    """The PDF's bytes."""
    _register_fonts()
    out = io.BytesIO()
    title = f"{pack.council_name} Improvement Plan board pack, {pack.period_label}"
    doc = _Doc(
        out,
        pagesize=_PAGE,
        leftMargin=_MARGIN,
        rightMargin=_MARGIN,
        topMargin=_MARGIN,
        bottomMargin=_MARGIN,
        title=title,
        author=pack.council_name,
        subject=f"Improvement Plan progress, {pack.compare_label} to {pack.period_label}",
        creator="Improvement Board dashboard",
        lang="en-GB",
    )
    height = _PAGE[1] - 2 * _MARGIN
    half = (_WIDTH - _GUTTER) / 2
    doc.addPageTemplates(
        [
            PageTemplate(id="page", frames=[Frame(_MARGIN, _MARGIN, _WIDTH, height)], onPage=_footer),
            PageTemplate(
                id="columns",
                frames=[Frame(_MARGIN, _MARGIN, half, height), Frame(_MARGIN + half + _GUTTER, _MARGIN, half, height)],
                onPage=_footer,
            ),
        ]
    )
    doc.build(_story(pack, _styles()), canvasmaker=_NumberedCanvas)
    return out.getvalue()
