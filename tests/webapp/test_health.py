from pathlib import Path

from flask.testing import FlaskClient

from registry.db import make_engine
from registry.settings import Settings


def test_healthz_ok(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_an_unreachable_database(settings: Settings, tmp_path: Path) -> None:
    from webapp import create_app

    engine = make_engine(f"sqlite:///{tmp_path}/missing/dir/kinga.db")
    app = create_app({"TESTING": True, "KINGA_SETTINGS": settings, "KINGA_ENGINE": engine})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_pages_with_a_database_down_say_so_in_the_users_language(
    settings: Settings, tmp_path: Path
) -> None:
    from webapp import create_app

    engine = make_engine(f"sqlite:///{tmp_path}/missing/dir/kinga.db")
    app = create_app({"TESTING": True, "KINGA_SETTINGS": settings, "KINGA_ENGINE": engine})
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(
        "/login",
        data={"username": "a", "password": "b", "csrf_token": token},
        headers={"Accept-Language": "sw"},
    )
    assert response.status_code == 503
    assert "Hifadhidata haipatikani" in response.get_data(as_text=True)


def test_security_headers_on_every_page(client: FlaskClient) -> None:
    response = client.get("/login")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "same-origin"
