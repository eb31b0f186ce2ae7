"""Spoken messages attached to grievances: stored once per gateway recording, read through the
same scoped query as the grievance itself, removed by the retention schedule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from registry.audit.service import record
from registry.db import utcnow
from registry.errors import NotFound
from registry.grievances.models import Grievance, GrievanceRecording
from registry.grievances.queries import Viewer, get_grievance
from registry.i18n import N_
from registry.origin import Origin

if TYPE_CHECKING:
    from registry.privacy.retention import RetentionPolicy

MAX_RECORDING_BYTES = 4 * 1024 * 1024  # 2 minutes of 8 kHz 16-bit WAV is under 2 MB
AUDIO_TYPES = ("audio/wav", "audio/x-wav", "audio/mpeg", "audio/ogg", "audio/webm")


@dataclass(frozen=True)
class RecordingAudio:
    content_type: str
    audio: bytes


def find_recording(
    session: Session, provider: str, provider_recording_id: str
) -> GrievanceRecording | None:
    return session.scalar(
        select(GrievanceRecording).where(
            GrievanceRecording.provider == provider,
            GrievanceRecording.provider_recording_id == provider_recording_id,
        )
    )


def attach_recording(
    session: Session,
    grievance: Grievance,
    *,
    provider: str,
    provider_recording_id: str,
    audio: bytes | None,
    content_type: str,
    duration_seconds: int | None,
    missing_reason: str | None,
    origin: Origin,
) -> GrievanceRecording:
    """Attaches a recording (or the note that it could not be fetched) to `grievance`."""
    if audio is not None and len(audio) > MAX_RECORDING_BYTES:
        audio, missing_reason = None, "too large"
    if content_type not in AUDIO_TYPES:
        audio, missing_reason = None, missing_reason or "not audio"
    recording = GrievanceRecording(
        grievance_id=grievance.id,
        provider=provider,
        provider_recording_id=provider_recording_id[:80],
        content_type=content_type if content_type in AUDIO_TYPES else "audio/wav",
        size_bytes=len(audio or b""),
        duration_seconds=duration_seconds,
        audio=audio,
        missing_reason=None if audio is not None else (missing_reason or "not fetched")[:120],
    )
    session.add(recording)
    session.flush()
    record(
        session,
        origin,
        "grievance.recording_attached",
        target_type="grievance",
        target_id=grievance.number,
        area_code=grievance.area.code,
        details={"bytes": recording.size_bytes, "provider": provider},
    )
    return recording


def recordings_of(session: Session, grievance: Grievance) -> list[GrievanceRecording]:
    return list(
        session.scalars(
            select(GrievanceRecording)
            .where(GrievanceRecording.grievance_id == grievance.id)
            .order_by(GrievanceRecording.id)
        )
    )


def recording_audio(
    session: Session, viewer: Viewer, number: str, recording_id: int
) -> RecordingAudio:
    """The audio of one recording, for a viewer who may see its grievance; else NotFound."""
    grievance = get_grievance(session, viewer, number)  # area and clearance checked here
    recording = session.scalar(
        select(GrievanceRecording)
        .options(undefer(GrievanceRecording.audio))
        .where(
            GrievanceRecording.id == recording_id,
            GrievanceRecording.grievance_id == grievance.id,
        )
    )
    if recording is None or recording.audio is None:
        raise NotFound(N_("No grievance with this number."))
    return RecordingAudio(recording.content_type, recording.audio)


def clear_recordings(
    session: Session, policy: RetentionPolicy, now: datetime, origin: Origin
) -> int:
    """Retention step: the audio of grievances closed longer ago than the message period."""
    closed = select(Grievance.id).where(
        Grievance.closed_at.is_not(None), Grievance.closed_at < now - policy.messages_after
    )
    rows = list(
        session.scalars(
            select(GrievanceRecording).where(
                GrievanceRecording.grievance_id.in_(closed.scalar_subquery()),
                GrievanceRecording.removed_at.is_(None),
            )
        )
    )
    for row in rows:
        row.audio = None
        row.size_bytes = 0
        row.missing_reason = "removed by retention"
        row.removed_at = utcnow()
    if rows:
        record(session, origin, "retention.recordings", details={"recordings": len(rows)})
    session.flush()
    return len(rows)
