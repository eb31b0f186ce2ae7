"""`docs/indicators.md`, written from the definitions (a test fails when the page is stale).

python -m registry.indicators.document > docs/indicators.md
"""

from __future__ import annotations

from registry.indicators.definitions import INDICATORS, NOT_YET, SECTION_LABELS, Scope, Unit
from registry.privacy.statistics import THRESHOLD

UNITS = {
    Unit.COUNT: "count",
    Unit.PERCENT: "percent (numerator / denominator x 100)",
    Unit.MONEY: "money (program currency)",
    Unit.MEDIAN: "median (denominator = number of cases)",
}
INTRO = f"""# Indicators

Every figure on the dashboards (`/dashboards/`), in the API (`GET /api/v1/indicators`) and in the
monthly report (`kinga reports monthly`) is one of the indicators below. This page is written from
`registry/indicators/definitions.py`, the same definitions the page and the API show
(`python -m registry.indicators.document > docs/indicators.md`).

How the figures are made:

- **Snapshots.** A refresh (a job: `kinga indicators refresh` nightly from cron, the "Count
  this month again" button of the desk, or `kinga indicators refresh --period YYYY-MM`) counts a
  month once, where the data live (the
  household's community, the grievance's area), adds the counts up community > district > region >
  country, and replaces that month's rows of `indicator_snapshots` in one transaction. Pages, the
  API and the report read those rows only; they never scan the registry.
- **Drill-down adds up.** Counts and the numerators and denominators of percentages are added up
  from the bottom, so an area's figure is the sum of its sub-areas' figures (budgets set on a
  region are the exception: they are not split among its districts). Medians are computed from
  the cases of each area, not added.
- **Period.** Months (`YYYY-MM`, UTC). "Cumulative" figures count everything up to the end of the
  month; "within the period" figures count what happened in the month. The registry keeps the
  current enrollment status, not its history: a past month refreshed again shows enrollment
  statuses as they are now; keep past months' snapshots rather than refreshing them.
- **Programs.** Targeting and money figures are per program; "all programs" adds the programs'
  targeting figures (a household assessed in two programs counts twice there). Money is shown
  per program only, because programs may pay in different currencies; it is counted by
  `registry.payments.picture` (the payments desk's money picture), so that for every area and
  funding source committed = paid + failed + uncollected.
- **Scoping.** A user sees the figures of their own areas and below, nothing else; USSD and SMS
  figures carry no area and are shown at the country level only.
- **Suppression.** Wherever figures leave the desk (CSV downloads, the API, the monthly
  report, the public statistics page), counts from 1 to {THRESHOLD - 1} are hidden, and so is one
  more cell in every row or column (with its total) that would otherwise hide a single cell,
  repeated until no hidden cell can be found by subtraction
  (`registry.privacy.statistics.suppress_table`). For percentages the numerator and the remainder
  (denominator minus numerator) are protected the same way; a median of fewer than
  {THRESHOLD} cases is hidden with its count.
"""


def markdown() -> str:
    parts = [INTRO]
    for section, label in SECTION_LABELS.items():
        members = [i for i in INDICATORS if i.section == section]
        if not members:
            continue
        parts.append(f"\n## {label}\n")
        parts.append("| code | indicator | counts | out of | period | unit | breakdown |")
        parts.append("| --- | --- | --- | --- | --- | --- | --- |")
        for i in members:
            unit = UNITS[i.unit] + (", per program" if i.per_program else "")
            if i.scope == Scope.NATIONAL:
                unit += ", country only"
            parts.append(
                f"| `{i.code}` | {i.title} | {i.numerator} | {i.denominator or '—'} | "
                f"{i.period} | {unit} | {i.dimension or '—'} |"
            )
    if NOT_YET:
        parts.append("\n## Not yet measured\n")
        parts.extend(f"- {line}" for line in NOT_YET)
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
