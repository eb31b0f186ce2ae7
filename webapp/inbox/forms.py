"""Reading the inbox's query string and forms into the registry's types."""

from __future__ import annotations

from collections.abc import Mapping

from registry.grievances.queries import InboxFilter


def inbox_filter(args: Mapping[str, str]) -> InboxFilter:
    return InboxFilter(
        status=args.get("status") or None,
        category_code=args.get("category") or None,
        area_code=args.get("area") or None,
        overdue=args.get("overdue") == "1",
        mine=args.get("mine") == "1",
        number=(args.get("q") or "").strip()[:20] or None,
    )


def as_int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None
