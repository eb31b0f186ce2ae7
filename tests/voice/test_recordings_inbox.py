"""Officers play a caller's recorded message in the inbox, within their areas; retention
removes the audio like other personal data."""

from __future__ import annotations

from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.db import utcnow
from registry.grievances.models import GrievanceRecording
from registry.grievances.recordings import attach_recording
from registry.origin import Channel, Origin
from registry.privacy.retention import run_retention
from tests.conftest import AuthActions
from tests.factories import make_user, region
from tests.registry.grievances.helpers import lodge, setup_categories
from tests.voice.fake_gateway import tone_wav

ORIGIN = Origin(channel=Channel.VOICE, language="en", actor_name="voice")


def _with_recording(db_session: Session, region_index: int):  # type: ignore[no-untyped-def]
    grievance = lodge(db_session, region_index=region_index)
    recording = attach_recording(
        db_session,
        grievance,
        provider="twilio",
        provider_recording_id=f"RE{grievance.number}",
        audio=tone_wav(0.5),
        content_type="audio/wav",
        duration_seconds=4,
        missing_reason=None,
        origin=ORIGIN,
    )
    return grievance, recording


def test_officer_plays_the_recording_of_a_grievance_in_their_area(
    db_session: Session, client: FlaskClient, auth: AuthActions
) -> None:
    setup_categories(db_session)
    make_user(db_session, {"grievance_officer"}, [region(db_session, 0).code], username="voff1")
    own, own_recording = _with_recording(db_session, 0)
    other, other_recording = _with_recording(db_session, 1)
    db_session.commit()
    auth.login("voff1")
    page = client.get(f"/inbox/{own.number}").get_data(as_text=True)
    url = f"/inbox/{own.number}/recordings/{own_recording.id}"
    assert f'<audio controls preload="none" src="{url}">' in page
    played = client.get(url)
    assert played.status_code == 200 and played.mimetype == "audio/wav"
    assert played.data == tone_wav(0.5) and played.headers["Cache-Control"] == "no-store"
    assert "media-src 'self'" in played.headers["Content-Security-Policy"]
    # Another region's recording: not found, by its own number or under an own number.
    assert client.get(f"/inbox/{other.number}/recordings/{other_recording.id}").status_code == 404
    assert client.get(f"/inbox/{own.number}/recordings/{other_recording.id}").status_code == 404


def test_retention_removes_the_audio_of_long_closed_grievances(
    db_session: Session, client: FlaskClient, auth: AuthActions
) -> None:
    setup_categories(db_session)
    make_user(db_session, {"grievance_officer"}, [region(db_session, 0).code], username="voff2")
    old, old_recording = _with_recording(db_session, 0)
    recent, recent_recording = _with_recording(db_session, 0)
    old.closed_at = utcnow() - timedelta(days=400)
    recent.closed_at = utcnow() - timedelta(days=3)
    db_session.flush()
    report = run_retention(db_session, origin=Origin.system("retention"))
    assert report.other["registry.grievances.recordings.clear_recordings"] == 1
    db_session.commit()
    rows = {r.id: r for r in db_session.scalars(select(GrievanceRecording))}
    db_session.refresh(rows[old_recording.id])
    assert rows[old_recording.id].audio is None and rows[old_recording.id].removed_at is not None
    assert rows[recent_recording.id].audio == tone_wav(0.5)
    auth.login("voff2")
    gone = client.get(f"/inbox/{old.number}/recordings/{old_recording.id}")
    assert gone.status_code == 404
    assert "The recording is not available." in client.get(f"/inbox/{old.number}").get_data(
        as_text=True
    )
