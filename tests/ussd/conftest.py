"""`ussd_dial()`: whole USSD sessions through the HTTP endpoint, the way a gateway sends them."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from flask.testing import FlaskClient

from registry.kvstore import KeyValueStore
from ussd.screens import LIMIT
from ussd.state import load_state

SERVICE_CODE = "*384*123#"
ENDPOINT = "/ussd/africastalking/test-at-token"
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


TEXT_ANSWERS = {
    "given_name": "Amina",
    "family_name": "Otieno",
    "birth_year": "1980",
    "other_members": "1",
}
CHOICE_ANSWERS = {"sex": "F", "disability": "no", "has_id": "no", "consent": "yes"}


def answer_for(kv: KeyValueStore, call: UssdCall) -> str:
    """What a caller would type on the current question of the real registration form."""
    state = load_state(kv, "africastalking", call.session_id)
    if state.screen == "register_confirm":
        return "1"
    step = state.data["form"]["step"]
    name = step["field"].rsplit(".", 1)[-1]
    shown = [value for value, _ in step["choices"] if value != "more"]
    if not shown:
        if name == "birth_year" and step["field"].startswith("members"):
            return "2012"
        return TEXT_ANSWERS[name.removeprefix("head_")]
    wanted = CHOICE_ANSWERS.get(name.removeprefix("head_"))
    return str(shown.index(wanted) + 1) if wanted in shown else "1"


def fill_registration(kv: KeyValueStore, call: UssdCall, until: str = "register_confirm") -> str:
    """Answers the real registration form until the screen `until` shows; returns its reply."""
    for _ in range(40):
        if load_state(kv, "africastalking", call.session_id).screen == until:
            return call.last
        call.send(answer_for(kv, call))
    raise AssertionError(f"never reached {until}: {call.replies[-3:]}")


def current_field(kv: KeyValueStore, call: UssdCall) -> str:
    return str(load_state(kv, "africastalking", call.session_id).data["form"]["step"]["field"])
