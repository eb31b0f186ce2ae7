"""The WSGI entry point for gunicorn and the `kinga` command: `gunicorn wsgi:app`."""

from webapp import create_app

app = create_app()
