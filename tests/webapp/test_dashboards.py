"""The dashboard desk and the indicators API through the real app: scoped, charted, suppressed."""

from __future__ import annotations

import csv
import io

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from registry.indicators.refresh import refresh_period
from registry.origin import Origin
from registry.privacy.statistics import THRESHOLD
from tests.conftest import CSRF_RE, AuthActions
from tests.factories import make_user, region
from tests.registry.indicators.world import Made, build


def _world(db_session: Session) -> Made:
    made = build(db_session)
    refresh_period(db_session, made.period, origin=Origin.system("tests"))
    make_user(db_session, {"program_manager"}, [region(db_session).parent.code], username="mgr")  # type: ignore[union-attr]
    make_user(db_session, {"grievance_officer"}, [region(db_session, 0).code], username="off1")
    make_user(db_session, {"field_worker"}, [region(db_session, 0).code], username="fw1")
    db_session.commit()
    return made


def test_manager_sees_figures_charts_and_tables(
    client: FlaskClient, auth: AuthActions, db_session: Session
) -> None:
    made = _world(db_session)
    auth.login("mgr")
    page = client.get("/dashboards/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<script" not in html and "style=" not in html
    assert page.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert html.count('<svg class="chart"') == html.count("<table>") >= 5
    assert f">{len(made.households)}<" in html  # households registered, at the country
    assert "Definition" in html and "Download CSV" in html
    for section in ("targeting", "grievances", "selfservice", "quality"):
        assert client.get(f"/dashboards/?section={section}").status_code == 200
    money = client.get("/dashboards/?section=money&program=TLY").get_data(as_text=True)
    assert "1,000.50" in money
    french = client.get("/dashboards/?section=registration", headers={"Accept-Language": "fr"})
    assert french.status_code == 200


def test_regional_officer_stays_in_the_region(
    client: FlaskClient, auth: AuthActions, db_session: Session
) -> None:
    _world(db_session)
    own, other = region(db_session, 0), region(db_session, 1)
    auth.login("off1")
    page = client.get("/dashboards/").get_data(as_text=True)
    assert own.name in page and other.name not in page
    assert client.get(f"/dashboards/?area={other.code}").status_code == 404
    assert client.get(f"/dashboards/?area={own.parent.code}").status_code == 404  # type: ignore[union-attr]
    assert client.get(f"/api/v1/indicators?area={other.code}").status_code == 404
    assert "for the whole country only" in client.get("/dashboards/?section=selfservice").get_data(
        as_text=True
    )


def test_csv_and_api_suppress_small_cells(
    client: FlaskClient, auth: AuthActions, db_session: Session
) -> None:
    _world(db_session)
    auth.login("mgr")
    body = client.get("/dashboards/grievances_channel.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:5] == ["indicator", "period", "program", "area_code", "area"]
    cells = [c for row in rows[1:] for c in row[5:]]
    assert "" in cells  # the world has small cells
    assert all(c == "" or not 0 < int(c) < THRESHOLD for c in cells)
    answer = client.get("/api/v1/indicators?indicator=grievances_category").get_json()
    assert answer["threshold"] == THRESHOLD
    (table,) = answer["indicators"]
    assert table["indicator"] == "grievances_category" and table["definition"]["numerator"]
    values = [v for row in table["rows"] for v in row["values"].values()]
    assert any(v is None for v in values)
    assert all(v is None or not 0 < v < THRESHOLD for v in values)
    assert client.get("/api/v1/indicators?period=2026-13").status_code == 400
    assert client.get("/api/v1/indicators?indicator=nope").status_code == 400
    document = client.get("/api/v1/openapi.json").get_json()
    assert "/indicators" in document["paths"]


def test_who_may_not_see_dashboards(
    client: FlaskClient, auth: AuthActions, db_session: Session
) -> None:
    _world(db_session)
    assert client.get("/api/v1/indicators").status_code == 401
    assert client.get("/dashboards/").status_code == 302
    auth.login("fw1")
    assert client.get("/dashboards/").status_code == 403
    assert client.get("/api/v1/indicators").status_code == 403


def _post(client: FlaskClient, url: str, data: dict[str, str]):  # type: ignore[no-untyped-def]
    page = client.get("/dashboards/").get_data(as_text=True)
    token = CSRF_RE.search(page)
    assert token
    return client.post(url, data={**data, "csrf_token": token.group(1)})


def test_monthly_report_and_refresh_run_as_jobs(
    client: FlaskClient, auth: AuthActions, db_session: Session, run_queued_jobs
) -> None:  # type: ignore[no-untyped-def]
    made = _world(db_session)
    own, other = region(db_session, 0), region(db_session, 1)
    auth.login("mgr")
    started = _post(client, "/dashboards/report", {"period": str(made.period), "area": own.code})
    assert started.status_code == 303 and "/jobs/" in started.headers["Location"]
    run_queued_jobs()
    page = client.get(started.headers["Location"]).get_data(as_text=True)
    name = f"kinga-monthly-{made.period}-{own.code}.pdf"
    assert name in page
    pdf = client.get(f"{started.headers['Location']}/files/{name}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    refreshed = _post(client, "/dashboards/refresh", {"period": str(made.period)})
    assert refreshed.status_code == 303
    run_queued_jobs()
    assert "Figures counted" in client.get(refreshed.headers["Location"]).get_data(as_text=True)
    bad = _post(client, "/dashboards/refresh", {"period": "2026-99"})
    assert bad.status_code == 302
    auth.logout()
    auth.login("off1")
    assert _post(client, "/dashboards/refresh", {"period": str(made.period)}).status_code == 403
    foreign = _post(client, "/dashboards/report", {"period": str(made.period), "area": other.code})
    assert foreign.status_code == 404
