"""One indicator on the page: its definition, its chart and its table, in the reader's words."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from registry.i18n import translate
from registry.indicators.definitions import Indicator
from registry.indicators.labels import Labeller, format_figure
from registry.indicators.read import Board
from registry.indicators.tables import VALUE, Table, build_table
from webapp.dashboards.charts import bar_chart


@dataclass(frozen=True)
class Panel:
    indicator: Indicator
    table: Table
    headers: list[str]
    rows: list[tuple[str, str | None, list[str]]]  # area name, drill-down code, cells
    chart: Markup


def build_panel(
    board: Board, indicator: Indicator, labeller: Labeller, *, currency: str = "", drill: bool
) -> Panel:
    language = labeller.language
    table = build_table(board, indicator.code, suppress=False)
    unit = indicator.unit.value

    def cell_text(column: str, value: object) -> str:
        column_unit = unit if column == VALUE else "count"
        return format_figure(value, column_unit, language, currency)  # type: ignore[arg-type]

    headers = [labeller.column(indicator.dimension, c, unit) for c in table.columns]
    rows = [
        (
            row.area.name_in(language),
            row.area.code if drill and not row.is_parent else None,
            [cell_text(c, v) for c, v in zip(table.columns, row.cells, strict=True)],
        )
        for row in table.rows
    ]
    title = translate(language, indicator.title)
    value_index = table.columns.index(VALUE)
    if indicator.dimension and len(table.columns) > 1:
        parent = table.parent
        bars = [
            (
                labeller.dimension(indicator.dimension, column),
                value,
                cell_text(column, value),
            )
            for column, value in zip(table.columns[:-1], parent.cells[:-1], strict=True)
        ]
    else:
        shown = table.children or table.rows
        bars = [
            (
                row.area.name_in(language),
                row.cells[value_index],
                cell_text(VALUE, row.cells[value_index]),
            )
            for row in shown
        ]
    return Panel(indicator, table, headers, rows, bar_chart(title, bars))
