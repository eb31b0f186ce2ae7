"""The voice call simulator in real Chromium, in five languages: a status call, a complaint
with a recorded message (a generated tone: headless Chromium has no microphone) and a tracking
call; every prompt's clip is fetched from the app.

Saves the screenshot used by docs/voice.md (docs/screenshots/voice-simulator-*.png).
"""

from __future__ import annotations

import os
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.db import make_engine
from registry.demo.loader import load_areas
from registry.grievances.demo import load_categories
from registry.grievances.models import Grievance, GrievanceRecording
from registry.grievances.recordings import attach_recording
from registry.grievances.service import GrievanceData, lodge_grievance, track_grievance
from registry.kvstore import SqlKeyValueStore
from registry.migrate import upgrade
from registry.origin import Channel, Origin
from registry.programs.enrollment import apply_rule_set
from registry.scope import Scope
from registry.settings import ROOT, Settings
from tests.factories import PASSWORD, community, make_user, region
from tests.live import serving
from tests.registry.programs.helpers import ORIGIN, TODAY, make_family, make_program
from tests.voice.fake_gateway import tone_wav
from voice.audio import AudioLibrary
from voice.prompts import say
from voice.speech import digit_by_digit
from webapp.state import state

pytestmark = pytest.mark.browser
LANGUAGE_KEYS = {"en": "1", "fr": "2", "sw": "3", "pt": "4", "ar": "5"}
SHOTS = (
    ROOT / "docs" / "screenshots"
    if os.environ.get("KINGA_SCREENSHOTS") == "1"
    else Path(tempfile.mkdtemp(prefix="kinga-voice-screens-"))
)


@dataclass
class Live:
    url: str
    engine: object


@pytest.fixture()
def live(tmp_path: Path, settings: Settings, voice_audio_dir: Path) -> Iterator[Live]:
    from webapp import create_app

    engine = make_engine(f"sqlite:///{tmp_path / 'voice.db'}")
    upgrade(engine)
    with Session(engine) as session:
        load_areas(session)
        load_categories(session, ORIGIN)
        session.commit()
    kv = SqlKeyValueStore(lambda: Session(engine, expire_on_commit=False))
    app = create_app(
        {
            "TESTING": True,
            "KINGA_SETTINGS": replace(settings, database_url=str(engine.url), redis_url=None),
            "KINGA_ENGINE": engine,
            "KINGA_KV": kv,
        }
    )
    app.extensions["kinga_voice_audio"] = AudioLibrary(voice_audio_dir, settings.secret_key)
    with serving(app) as base_url:
        kinga = state(app)
        kinga.settings = replace(kinga.settings, public_url=base_url)  # clip URLs the page loads
        yield Live(base_url, engine)
    engine.dispose()


def _until(check, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    """Polls from Python: the page's CSP rightly forbids the eval behind wait_for_function."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


class SimulatedCall:
    def __init__(self, page, phone: str) -> None:  # type: ignore[no-untyped-def]
        self.page = page
        page.fill("#vsim-phone", phone)

    def heard(self) -> list[str]:
        return self.page.locator("#vsim-heard li").all_inner_texts()

    def _after(self, action) -> list[str]:  # type: ignore[no-untyped-def]
        first = self.heard()
        action()
        _until(lambda: self.heard() and self.heard() != first)
        for url in self.page.locator("#vsim-heard li").evaluate_all(
            "items => items.map(li => li.dataset.audio)"
        ):
            assert url, "a prompt without audio"
            with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - 127.0.0.1
                assert response.status == 200 and response.read(4) == b"RIFF"
        return self.heard()

    def dial(self) -> list[str]:
        return self._after(lambda: self.page.click("#vsim-call"))

    def press(self, keys: str) -> list[str]:
        def type_keys() -> None:
            for key in keys:
                self.page.click(f'#vsim-keypad button[data-key="{key}"]')

        return self._after(type_keys)

    def ended(self) -> bool:
        return self.page.inner_text("#vsim-state") == self.page.get_attribute("#vsim", "data-ended")


@pytest.mark.parametrize("language", list(LANGUAGE_KEYS))
def test_voice_simulator_in_five_languages(browser, live: Live, language: str):  # type: ignore[no-untyped-def]
    registered, caller = (
        f"+25471{LANGUAGE_KEYS[language]}000001",
        f"+25472{LANGUAGE_KEYS[language]}000002",
    )
    with Session(live.engine) as session:  # type: ignore[arg-type]
        household = make_family(
            session, community(session, 0), [30, 3, 1, 8], phone=registered, language=language
        )
        program = make_program(session, region(session, 0))
        apply_rule_set(session, program, origin=ORIGIN, today=TODAY)
        number = household.number
        session.commit()
    context = browser.new_context(
        viewport={"width": 360, "height": 760},
        locale=language,
        extra_http_headers={"Accept-Language": language},
    )
    try:
        page = context.new_page()
        page.goto(live.url + "/simulator/voice")

        status = SimulatedCall(page, registered)
        assert status.dial()[-1] == say(language, "menu")
        spoken = status.press("1")
        assert spoken[0] == say(language, "household", digits=digit_by_digit(number))
        assert spoken[-1] == say(language, "goodbye") and status.ended()

        complaint = SimulatedCall(page, caller)
        assert complaint.dial()[0] == say("en", "language", digit=1)
        assert complaint.press(LANGUAGE_KEYS[language])[-1] == say(language, "menu")
        complaint.press("2")
        complaint.press("1")
        assert complaint.press("1") == [say(language, "record")]
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"voice-simulator-{language}.png"))
        spoken = complaint.press("#")  # end of the message: the simulator sends it
        with Session(live.engine) as session:  # type: ignore[arg-type]
            grievance = session.scalar(
                select(Grievance).where(Grievance.complainant_phone == caller)
            )
            assert grievance is not None and grievance.channel == "voice"
            recording = session.scalar(
                select(GrievanceRecording).where(GrievanceRecording.grievance_id == grievance.id)
            )
            assert recording is not None and recording.size_bytes > 1000
            tracking_number = grievance.number
        assert say(language, "tracking", digits=digit_by_digit(tracking_number)) in spoken
        assert complaint.ended()

        track = SimulatedCall(page, caller)
        assert track.dial()[0] == say(language, "welcome")  # the language is remembered
        assert track.press("3") == [say(language, "track_number")]
        spoken = track.press(tracking_number + "#")
        with Session(live.engine) as session:  # type: ignore[arg-type]
            view = track_grievance(session, tracking_number, language)
        assert view is not None
        digits = digit_by_digit(tracking_number)
        assert spoken[0] == say(
            language, "complaint_status", digits=digits, status=view.status_label
        )
        assert track.ended()
    finally:
        context.close()
    assert (SHOTS / f"voice-simulator-{language}.png").stat().st_size < 300_000


def test_officer_plays_a_recorded_message_in_the_inbox(browser, live: Live):  # type: ignore[no-untyped-def]
    """The audio element loads and plays the recording under the page's CSP."""
    with Session(live.engine) as session:  # type: ignore[arg-type]
        make_user(session, {"grievance_officer"}, [region(session, 0).code], username="listener")
        grievance = lodge_grievance(
            session,
            GrievanceData(
                category_code="payment_missing",
                text="Spoken message (6 s): listen to the recording.",
                area_code=community(session, 0).code,
                complainant_phone="+254711000777",
                person_id=None,
                anonymous=False,
                consent_to_contact=True,
                language="sw",
            ),
            origin=Origin(channel=Channel.VOICE, language="sw", actor_name="voice"),
            scope=Scope.unrestricted(),
        )
        attach_recording(
            session,
            grievance,
            provider="twilio",
            provider_recording_id="RE-browser",
            audio=tone_wav(1.5),
            content_type="audio/wav",
            duration_seconds=6,
            missing_reason=None,
            origin=Origin(channel=Channel.VOICE, language="sw", actor_name="voice"),
        )
        number = grievance.number
        session.commit()
    context = browser.new_context(viewport={"width": 1100, "height": 760})
    try:
        page = context.new_page()
        page.goto(f"{live.url}/login")
        page.fill("#username", "listener")
        page.fill("#password", PASSWORD)
        page.click("button.primary")
        page.goto(f"{live.url}/inbox/{number}")
        audio = page.locator("figure.recording audio")
        assert audio.count() == 1
        duration = audio.evaluate(
            "a => new Promise((ok, fail) => { a.onerror = () => fail(a.error && a.error.code); "
            "a.onloadedmetadata = () => ok(a.duration); a.load(); })"
        )
        assert 1.4 < duration < 1.6
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.locator("figure.recording").scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "inbox-recording.png"))
    finally:
        context.close()
    assert (SHOTS / "inbox-recording.png").stat().st_size < 300_000
