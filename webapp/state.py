"""What the app holds for its lifetime: settings, the engine, the session factory, the kv store."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from registry.kvstore import KeyValueStore
from registry.settings import Settings


@dataclass
class KingaState:
    settings: Settings
    engine: Engine
    sessionmaker: sessionmaker[Session]
    kv: KeyValueStore


def state(app: Flask | None = None) -> KingaState:
    return (app or current_app).extensions["kinga"]
