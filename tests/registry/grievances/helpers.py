"""Test helpers for grievances: the demo categories, officers per region, a lodged grievance."""

from __future__ import annotations

from sqlalchemy.orm import Session

from registry.grievances.demo import load_categories
from registry.grievances.models import Grievance
from registry.grievances.queries import Viewer
from registry.grievances.service import GrievanceData, lodge_grievance
from registry.origin import Channel, Origin
from registry.scope import Scope
from registry.users.models import User
from registry.users.service import origin_for, scope_of
from tests.factories import community, make_user, region

PHONE = "+254711000111"


def setup_categories(session: Session) -> None:
    load_categories(session, Origin.system("tests"))


def officer(session: Session, region_index: int = 0, roles: set[str] | None = None) -> User:
    return make_user(session, roles or {"grievance_officer"}, [region(session, region_index).code])


def country_officer(session: Session) -> User:
    country = region(session, 0).parent
    assert country is not None
    return make_user(session, {"grievance_officer"}, [country.code])


def viewer_of(user: User) -> Viewer:
    return Viewer.of(scope_of(user), origin_for(user, Channel.WEB, "en"))


def origin_of(user: User) -> Origin:
    return origin_for(user, Channel.WEB, "en")


def lodge(
    session: Session,
    *,
    region_index: int = 0,
    category: str = "payment_missing",
    phone: str | None = PHONE,
    language: str = "sw",
    channel: Channel = Channel.SMS,
    anonymous: bool = False,
    consent: bool = True,
    text: str = "Sijapokea malipo ya mwezi huu.",
) -> Grievance:
    return lodge_grievance(
        session,
        GrievanceData(
            category_code=category,
            text=text,
            area_code=community(session, region_index).code,
            complainant_phone=phone,
            person_id=None,
            anonymous=anonymous,
            consent_to_contact=consent,
            language=language,
        ),
        origin=Origin(channel=channel, language=language, phone=phone),
        scope=Scope.unrestricted(),
    )
