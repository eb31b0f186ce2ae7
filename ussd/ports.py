"""What the USSD menus need from other parts of Kinga, by their agreed names, in one place.

Forms (`forms/`), program status (`registry.programs`) and grievances (`registry.grievances`)
are imported when first used, so this door loads without them; tests replace these functions
with stand-ins that keep the same contract.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from registry.households.models import Household
from registry.households.service import HouseholdData
from registry.origin import Origin

REGISTRATION_FORM = "household_registration"


def registration_form() -> tuple[Any, Any]:
    """The household registration form and the engine module that walks it."""
    from forms import engine
    from forms.catalog import get_form

    return get_form(REGISTRATION_FORM), engine


def form_context(session: Session, language: str, default_country: str) -> Any:
    from forms.engine import FormContext

    return FormContext(
        session=session, language=language, channel="ussd", default_country=default_country
    )


def to_household_data(clean: dict[str, Any]) -> HouseholdData:
    from forms.households import to_household_data as convert

    return convert(clean)


def household_status(session: Session, household: Household, language: str) -> Any:
    from registry.programs.status import household_status as status

    return status(session, household, language)


def list_categories(session: Session, language: str) -> list[Any]:
    from registry.grievances.service import list_categories as categories

    return list(categories(session, language))


def lodge_grievance(session: Session, fields: dict[str, Any], origin: Origin) -> str:
    """Lodges a grievance (fields of `GrievanceData`); returns its tracking number."""
    from registry.grievances.service import GrievanceData
    from registry.grievances.service import lodge_grievance as lodge

    return str(lodge(session, GrievanceData(**fields), origin=origin).number)


def track_grievance(session: Session, number: str, language: str) -> Any:
    from registry.grievances.service import track_grievance as track

    return track(session, number, language)
