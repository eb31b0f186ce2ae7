"""The home page is a set of tiles; each desk's blueprint registers its own."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask

from registry.users.roles import Permission


@dataclass(frozen=True)
class Tile:
    endpoint: str
    label: str  # a msgid, marked with N_ where it is declared
    hint: str  # a msgid
    icon: str  # a symbol id in static/icons.svg
    permission: Permission
    order: int = 50


def register_tile(app: Flask, tile: Tile) -> None:
    app.extensions.setdefault("kinga_tiles", []).append(tile)


def tiles_for(app: Flask, permissions: frozenset[Permission]) -> list[Tile]:
    tiles = app.extensions.get("kinga_tiles", [])
    endpoints = set(app.view_functions)
    return sorted(
        (t for t in tiles if t.permission in permissions and t.endpoint in endpoints),
        key=lambda t: t.order,
    )
