"""The monthly report: a PDF of an area's key indicators for a program and month.

Built from snapshots only, with small cells suppressed (the report leaves the desk): the
key figures beside last month's, a short text of what changed, charts by sub-area.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from sqlalchemy.orm import Session

from registry.areas.models import Area
from registry.cards.fonts import pdf_fonts, visual
from registry.db import utcnow
from registry.i18n import N_, translate
from registry.indicators.definitions import BY_CODE
from registry.indicators.labels import format_figure
from registry.indicators.periods import Period
from registry.indicators.read import Board, read_board
from registry.indicators.tables import VALUE, build_table
from registry.programs.models import Program
from registry.scope import Scope

KEY_INDICATORS = (
    "households_registered",
    "households_verified",
    "people_verified",
    "assessed",
    "eligible",
    "enrolled",
    "coverage",
    "take_up",
    "exits",
    "needs_review",
    "grievances_channel",
    "grievances_sla",
    "grievances_overdue",
    "completeness",
)
CHARTS = ("households_registered", "enrolled", "grievances_channel")
GREEN = colors.HexColor("#0b6e4f")


@dataclass(frozen=True)
class KeyFigure:
    code: str
    title: str
    now: Decimal | None
    before: Decimal | None
    unit: str

    @property
    def change(self) -> Decimal | None:
        if self.now is None or self.before is None:
            return None
        return self.now - self.before


def _parent_value(board: Board, code: str) -> Decimal | None:
    table = build_table(board, code, suppress=True)
    return table.parent.cells[table.columns.index(VALUE)]


def key_figures(now: Board, before: Board, language: str) -> list[KeyFigure]:
    figures = []
    for code in KEY_INDICATORS:
        indicator = BY_CODE[code]
        title = translate(language, indicator.title)
        if code == "grievances_channel":
            title = translate(language, N_("Grievances received"))
        figures.append(
            KeyFigure(
                code,
                title,
                _parent_value(now, code),
                _parent_value(before, code),
                indicator.unit.value,
            )
        )
    return figures


def _changes(figures: list[KeyFigure], language: str, previous: Period, currency: str) -> list[str]:
    lines = []
    for figure in figures:
        value = format_figure(figure.now, figure.unit, language, currency)
        if figure.change is None:
            lines.append(
                translate(
                    language,
                    N_("%(indicator)s: %(value)s (no comparable figure for %(previous)s)."),
                    indicator=figure.title,
                    value=value,
                    previous=str(previous),
                )
            )
            continue
        change = format_figure(abs(figure.change), figure.unit, language, currency)
        if figure.change == 0:
            msgid = N_("%(indicator)s: %(value)s, unchanged since %(previous)s.")
        elif figure.change > 0:
            msgid = N_("%(indicator)s: %(value)s, up %(change)s since %(previous)s.")
        else:
            msgid = N_("%(indicator)s: %(value)s, down %(change)s since %(previous)s.")
        lines.append(
            translate(
                language,
                msgid,
                indicator=figure.title,
                value=value,
                change=change,
                previous=str(previous),
            )
        )
    return lines


def _chart(board: Board, code: str, language: str, font: str) -> Drawing | None:
    table = build_table(board, code, suppress=True)
    rows = table.children
    if not rows:
        return None
    index = table.columns.index(VALUE)
    values = [float(row.cells[index] or 0) for row in rows]
    names = [
        visual(row.area.name_in(language)[:28] + (" (–)" if row.cells[index] is None else ""))
        for row in rows
    ]
    height = 18 * len(rows) + 40
    drawing = Drawing(170 * mm, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 60 * mm, 10
    chart.width, chart.height = 100 * mm, height - 30
    chart.data = [values]
    chart.categoryAxis.categoryNames = names
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = GREEN
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 8
    drawing.add(chart)
    title = translate(language, BY_CODE[code].title)
    drawing.add(String(0, height - 10, visual(title), fontName=font, fontSize=10))
    return drawing


MONEY = {
    "budget": N_("Budget"),
    "committed": N_("Committed"),
    "paid": N_("Paid"),
    "failed": N_("Failed"),
    "uncollected": N_("Uncollected"),
}


def _money_table(
    board: Board, language: str, currency: str, regular: str, bold: str
) -> list[object]:
    """Budget and the month's cycles by funding source (rows) and measure (columns)."""
    tables = {code: build_table(board, code, suppress=True) for code in MONEY}
    sources = sorted({c for t in tables.values() for c in t.columns if c != VALUE})
    if not sources:
        return []
    header = [visual(translate(language, N_("Funding source")))] + [
        visual(translate(language, label)) for label in MONEY.values()
    ]
    rows = [header]
    for source in [*sources, VALUE]:
        name = translate(language, N_("Total")) if source == VALUE else source
        cells = []
        for code in MONEY:
            table = tables[code]
            value = (
                table.parent.cells[table.columns.index(source)] if source in table.columns else None
            )
            cells.append(format_figure(value or Decimal(0), "money", language, currency))
        rows.append([visual(name), *cells])
    table = Table(rows, colWidths=[44 * mm] + [25 * mm] * len(MONEY), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), regular, 8),
                ("FONT", (0, 0), (-1, 0), bold, 8),
                ("FONT", (0, -1), (-1, -1), bold, 8),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#d5dae1")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6efe9")),
            ]
        )
    )
    title = ParagraphStyle("money", fontName=bold, fontSize=12, leading=15, spaceAfter=4)
    heading = Paragraph(visual(translate(language, N_("Money this month"))), title)
    return [Spacer(1, 4 * mm), heading, table]


def build_monthly_report(
    session: Session,
    scope: Scope,
    *,
    area: Area,
    period: Period,
    program: str = "",
    language: str = "en",
) -> bytes:
    regular, bold = pdf_fonts()
    now = read_board(session, scope, area=area, period=period, program=program)
    before = read_board(session, scope, area=area, period=period.previous(), program=program)
    program_row = (
        session.query(Program).filter(Program.code == program).one_or_none() if program else None
    )
    currency = program_row.currency if program_row else ""
    program_name = (
        program_row.name_in(language) if program_row else translate(language, N_("All programs"))
    )

    def style(name: str, size: float, font: str = regular, space: float = 4) -> ParagraphStyle:
        return ParagraphStyle(
            name, fontName=font, fontSize=size, leading=size * 1.3, spaceAfter=space
        )

    h1, h2, body, small = (
        style("h1", 17, bold, 6),
        style("h2", 12, bold),
        style("b", 9.5),
        style("s", 8),
    )

    def p(text: str, st: ParagraphStyle = body) -> Paragraph:
        return Paragraph(visual(text).replace("&", "&amp;").replace("<", "&lt;"), st)

    story: list[object] = [
        p(translate(language, N_("Monthly report")) + f" {period}", h1),
        p(f"{area.name_in(language)} · {program_name}", h2),
    ]
    refreshed = now.refreshed_at.strftime("%Y-%m-%d %H:%M") if now.refreshed_at else "—"
    story.append(
        p(
            translate(
                language,
                N_("Figures as of %(when)s (UTC); report made %(made)s (UTC)."),
                when=refreshed,
                made=utcnow().strftime("%Y-%m-%d %H:%M"),
            ),
            small,
        )
    )
    story.append(
        p(
            translate(
                language,
                N_(
                    "Counts under 5, and counts that would reveal them, are shown as a dash "
                    "(–) to protect the people behind them."
                ),
            ),
            small,
        )
    )
    figures = key_figures(now, before, language)
    story.append(p(translate(language, N_("What changed since last month")), h2))
    for line in _changes(figures, language, period.previous(), currency):
        story.append(p("• " + line))
    story.append(Spacer(1, 4 * mm))
    story.append(p(translate(language, N_("Key indicators")), h2))
    header = [
        visual(translate(language, N_("Indicator"))),
        str(period),
        str(period.previous()),
        visual(translate(language, N_("Difference"))),
    ]
    rows = [header] + [
        [
            visual(f.title),
            format_figure(f.now, f.unit, language, currency),
            format_figure(f.before, f.unit, language, currency),
            format_figure(f.change, f.unit, language, currency) if f.change is not None else "–",
        ]
        for f in figures
    ]
    table = Table(rows, colWidths=[80 * mm, 30 * mm, 30 * mm, 30 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), regular, 9),
                ("FONT", (0, 0), (-1, 0), bold, 9),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#d5dae1")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6efe9")),
            ]
        )
    )
    story.append(table)
    if program:
        story += _money_table(now, language, currency, regular, bold)
    for code in CHARTS:
        drawing = _chart(now, code, language, regular)
        if drawing is not None:
            story.append(Spacer(1, 5 * mm))
            story.append(drawing)
    out = io.BytesIO()
    SimpleDocTemplate(
        out,
        pagesize=A4,
        title=f"Kinga monthly report {period} {area.code} {program}".strip(),
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
    ).build(story)  # type: ignore[arg-type]
    return out.getvalue()
