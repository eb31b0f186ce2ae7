"""Following a job a test started through the web: run the queue, then fetch its file."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from registry.jobs.running import run_queued_jobs

FILE_LINK = re.compile(r'href="(/jobs/\d+/files/[^"]+)"')


def job_url(response: TestResponse) -> str:
    assert response.status_code == 303, response.status_code
    location = response.headers["Location"]
    assert re.search(r"/jobs/\d+$", location), location
    return location


def run_jobs(client: FlaskClient) -> list[int]:
    return run_queued_jobs(client.application.extensions["kinga"].sessionmaker, heartbeat=False)


def download_result(client: FlaskClient, started: TestResponse) -> TestResponse:
    """Runs the queued jobs, opens the started job's page and downloads its (first) file."""
    url = job_url(started)
    run_jobs(client)
    page = client.get(url).get_data(as_text=True)
    link = FILE_LINK.search(page)
    assert link, f"no result file on {url}"
    return client.get(link.group(1))
