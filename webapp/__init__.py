"""The composition root: builds the Flask app and plugs in every door."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from registry.db import make_engine, make_sessionmaker
from registry.kvstore import make_store
from registry.settings import Settings
from webapp.state import KingaState, state

csrf = CSRFProtect()


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    test_config = dict(test_config or {})
    settings: Settings = test_config.pop("KINGA_SETTINGS", None) or Settings.from_env()
    https = settings.public_url.startswith("https://")
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=https,
        SESSION_COOKIE_NAME="kinga_session",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
        PREFERRED_URL_SCHEME="https" if https else "http",
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=None,
        KINGA_DEMO=settings.demo,
    )
    app.config.update(test_config)
    engine = test_config.get("KINGA_ENGINE") or make_engine(settings.database_url)
    app.extensions["kinga"] = KingaState(
        settings=settings,
        engine=engine,
        sessionmaker=make_sessionmaker(engine),
        kv=test_config.get("KINGA_KV") or make_store(engine, settings.redis_url),
    )
    _configure_logging(app)
    if settings.trusted_proxies:
        # Only the last N hops of X-Forwarded-For/-Proto are believed: the addresses that rate
        # limits, allow-lists and the audit log see are the clients', not the proxy's, and
        # nobody can pick theirs by sending the header directly.
        hops = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]

    _configure_jobs(app, settings, test_config)

    from webapp import (
        database,
        errors,
        i18n,
        limits,
        logmask,
        logs,
        metrics,
        request_id,
        security,
    )
    from webapp.auth import bp as auth_bp
    from webapp.auth import login_manager
    from webapp.health import bp as health_bp
    from webapp.home import bp as home_bp

    request_id.init_app(app)
    metrics.init_app(app)
    logs.init_app(app)
    database.init_app(app)
    i18n.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    security.init_app(app)
    limits.init_app(app, settings.redis_url)
    errors.init_app(app)
    logmask.init_app(app)
    app.register_blueprint(health_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(home_bp)
    _register_doors(app)
    limits.apply_limits(app)
    return app


def _register_doors(app: Flask) -> None:
    """Each door package exposes `init_app(app)`; this is the one place that wires them in."""
    import importlib

    for module_name in app.config.get("KINGA_DOORS", DOORS):
        importlib.import_module(module_name).init_app(app)


# Doors added by later work register here, in the order their routes should be matched.
DOORS: tuple[str, ...] = (
    "webapp.field",
    "webapp.programs",
    "webapp.payments",
    "webapp.distribution",
    "webapp.inbox",
    "webapp.cases",
    "ussd",
    "sms",
    "voice",
    "webapp.cards",
    "webapp.audit",
    "webapp.privacy",
    "webapp.duplicates",
    "webapp.dashboards",
    "webapp.api",
    "webapp.admin",
    "webapp.partners_api",
    "webapp.partners",
    "webapp.jobs",
)


def _configure_jobs(app: Flask, settings: Settings, test_config: dict[str, Any]) -> None:
    """Binds this process's jobs to the queue (huey) and to the app's session factory."""
    from registry.jobs.queue import configure, make_huey
    from registry.settings import instance_dir

    instance = instance_dir()
    huey = test_config.get("KINGA_HUEY") or make_huey(
        settings.redis_url, instance, memory=bool(app.testing)
    )
    configure(
        huey, lambda: state(app).sessionmaker, Path(test_config.get("KINGA_JOB_FILES") or instance)
    )


def _configure_logging(app: Flask) -> None:
    if not app.debug and not app.testing:
        from webapp.logs import configure_json_logging

        configure_json_logging()
