"""Consent recorded by a field worker: given or not, how, and on which day."""

from __future__ import annotations

from forms.definitions.registration import CONSENT_METHODS, CONSENT_QUESTION, said_yes
from forms.engine import Form
from forms.fields import WEB_ONLY, ChoiceField, DateField, YesNoField
from registry.i18n import N_

FORM = Form(
    name="household_consent",
    title=N_("Record consent"),
    items=(
        YesNoField(
            "consent",
            CONSENT_QUESTION,
            icon="consent",
            channels=WEB_ONLY,
            group="consent",
        ),
        ChoiceField(
            "consent_method",
            N_("How did they agree?"),
            icon="consent",
            options=CONSENT_METHODS,
            channels=WEB_ONLY,
            group="consent",
            ask_if=said_yes("consent"),
        ),
        DateField("consent_date", N_("Date"), channels=WEB_ONLY, max_days_ago=60, group="consent"),
    ),
    groups=(("consent", N_("Consent"), "consent"),),
)
