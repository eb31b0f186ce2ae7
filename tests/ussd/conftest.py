"""`ussd_dial()`: whole USSD sessions through the HTTP endpoint, the way a gateway sends them."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from flask.testing import FlaskClient

from tests.ussd.fakes import FakeForms, FakeGrievances, fake_household_status
from ussd import ports
from ussd.screens import LIMIT

SERVICE_CODE = "*384*123#"
ENDPOINT = "/ussd/africastalking"
LANGUAGE_KEYS = {"en": "1", "fr": "2", "sw": "3", "pt": "4", "ar": "5"}
_sessions = itertools.count(1)
_phones = itertools.count(1)


def new_phone() -> str:
    return f"+2547{next(_phones) + 10000000:08d}"


@dataclass
class UssdCall:
    """One USSD session: `send()` one input at a time; every reply is checked for length."""

    client: FlaskClient
    phone: str
    session_id: str = field(default_factory=lambda: f"ATUid_test_{next(_sessions)}")
    inputs: list[str] = field(default_factory=list)
    replies: list[str] = field(default_factory=list)
    mode: str = "accumulated"  # or "latest": only the latest input, or "full": the dial string
    endpoint: str = ENDPOINT

    def post(self, text: str) -> str:
        response = self.client.post(
            self.endpoint,
            data={
                "sessionId": self.session_id,
                "serviceCode": SERVICE_CODE,
                "phoneNumber": self.phone,
                "networkCode": "63902",
                "text": text,
            },
        )
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.mimetype == "text/plain"
        body = response.get_data(as_text=True)
        assert body.startswith(("CON ", "END ")), body
        assert len(body) <= LIMIT, f"{len(body)} characters:\n{body}"
        self.replies.append(body)
        return body

    def text(self) -> str:
        if self.mode == "latest":
            return self.inputs[-1] if self.inputs else ""
        chain = "*".join(self.inputs)
        if self.mode == "full":
            return SERVICE_CODE[:-1] + ("*" + chain if chain else "") + "#"
        return chain

    def send(self, *inputs: str) -> str:
        body = ""
        for value in inputs:
            self.inputs.append(value)
            body = self.post(self.text())
        return body

    @property
    def last(self) -> str:
        return self.replies[-1]

    def end_event(self, status: str) -> None:
        response = self.client.post(
            ENDPOINT + "/events",
            data={
                "sessionId": self.session_id,
                "serviceCode": SERVICE_CODE,
                "phoneNumber": self.phone,
                "networkCode": "63902",
                "status": status,
                "durationInMillis": "41000",
                "input": self.text(),
            },
        )
        assert response.status_code == 200


def ussd_dial(
    client: FlaskClient,
    phone: str | None = None,
    *inputs: str,
    mode: str = "accumulated",
    endpoint: str = ENDPOINT,
) -> UssdCall:
    """Dials the service (first request, empty text) and sends `inputs` one by one."""
    call = UssdCall(client, phone or new_phone(), mode=mode, endpoint=endpoint)
    call.post(SERVICE_CODE if mode == "full" else "")
    call.send(*inputs)
    return call


@dataclass
class Fakes:
    forms: FakeForms
    grievances: FakeGrievances


@pytest.fixture()
def fakes(monkeypatch: pytest.MonkeyPatch) -> Iterator[Fakes]:
    forms, grievances = FakeForms(), FakeGrievances()
    monkeypatch.setattr(ports, "registration_form", forms.registration_form)
    monkeypatch.setattr(ports, "form_context", forms.form_context)
    monkeypatch.setattr(ports, "to_household_data", forms.to_household_data)
    monkeypatch.setattr(ports, "household_status", fake_household_status)
    monkeypatch.setattr(ports, "list_categories", grievances.list_categories)
    monkeypatch.setattr(ports, "lodge_grievance", grievances.lodge_grievance)
    monkeypatch.setattr(ports, "track_grievance", grievances.track_grievance)
    yield Fakes(forms, grievances)
