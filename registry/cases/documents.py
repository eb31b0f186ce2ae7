"""Documents on a case: photos of paper forms, opened with Pillow before they are kept.

Only JPEG, PNG and WebP images of at most `MAX_BYTES` and `MAX_PIXELS` are accepted; a file
that is not what it says (a script renamed .jpg, a truncated or decompression-bomb image) is
refused with a clear message and nothing is stored.
"""

from __future__ import annotations

import hashlib
import io
import warnings

from PIL import Image, UnidentifiedImageError
from sqlalchemy.orm import Session

from registry.cases.access import CaseViewer, find_case, require_actor
from registry.cases.intake import clean_text
from registry.cases.models import CaseDocument
from registry.cases.timeline import log_case_event
from registry.errors import InvalidInput, NotFound
from registry.i18n import N_
from registry.origin import Origin

MAX_BYTES = 2 * 1024 * 1024
MAX_PIXELS = 24_000_000
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def check_image(data: bytes) -> tuple[str, int, int]:
    """(content type, width, height) of an acceptable image; InvalidInput otherwise."""
    if not data:
        raise InvalidInput(N_("Choose a photo to upload."), field="file")
    if len(data) > MAX_BYTES:
        raise InvalidInput(
            N_("The photo is too large (at most %(mb)s MB)."), field="file", mb=MAX_BYTES // 2**20
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                kind, (width, height) = probe.format, probe.size
                if width * height > MAX_PIXELS:
                    raise InvalidInput(N_("The photo has too many pixels."), field="file")
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        raise InvalidInput(
            N_("This file is not a photo we can read (JPEG, PNG or WebP)."), field="file"
        ) from exc
    if kind not in FORMATS:
        raise InvalidInput(
            N_("This file is not a photo we can read (JPEG, PNG or WebP)."), field="file"
        )
    return FORMATS[kind], width, height


def attach_document(
    session: Session,
    viewer: CaseViewer,
    number: str,
    title: str,
    data: bytes,
    *,
    origin: Origin,
) -> CaseDocument:
    case = find_case(session, viewer, number)
    require_actor(viewer, case)
    content_type, width, height = check_image(data)
    document = CaseDocument(
        title=clean_text(title, "title", limit=120),
        content_type=content_type,
        size=len(data),
        width=width,
        height=height,
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        uploaded_by_id=origin.actor_id,
    )
    case.documents.append(document)
    session.flush()
    log_case_event(
        session, case, "document", origin, details={"document": document.id, "bytes": len(data)}
    )
    return document


def read_document(
    session: Session, viewer: CaseViewer, number: str, document_id: int, *, origin: Origin
) -> CaseDocument:
    """A document of a case the viewer may read; the read is audited like the case's."""
    from registry.audit.service import record

    case = find_case(session, viewer, number)
    document = next((d for d in case.documents if d.id == document_id), None)
    if document is None or document.data is None:
        raise NotFound(N_("No such document."))
    record(
        session,
        origin,
        "case.document_read",
        target_type="case",
        target_id=case.number,
        area_code=case.area.code,
        details={"document": document.id},
    )
    return document
