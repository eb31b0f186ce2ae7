"""The forms Kinga ships, by name. Other issues add theirs with `register_form`."""

from __future__ import annotations

from forms.definitions import consent, grievance, registration, status_check, verification
from forms.engine import Form

_FORMS: dict[str, Form] = {
    form.name: form
    for form in (
        registration.FORM,
        verification.FORM,
        grievance.FORM,
        status_check.FORM,
        consent.FORM,
    )
}


def get_form(name: str) -> Form:
    """The form called `name`; KeyError when there is none."""
    return _FORMS[name]


def register_form(form: Form) -> None:
    _FORMS[form.name] = form


def form_names() -> list[str]:
    return sorted(_FORMS)
