from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from forms.engine import FormContext


@pytest.fixture()
def make_ctx(db_session: Session):  # type: ignore[no-untyped-def]
    def make(channel: str = "web", language: str = "en", country: str = "KE", **kw):  # type: ignore[no-untyped-def]
        kw.setdefault("today", date(2026, 6, 15))
        return FormContext(db_session, language, channel, country, **kw)

    return make


@pytest.fixture()
def ctx(make_ctx):  # type: ignore[no-untyped-def]
    return make_ctx()
