"""Household verification: a field worker checks a self-registration (USSD/SMS) in person.

The registration questions, pre-filled with what the household sent, plus the worker's
statement that they met the household and checked the details.
"""

from __future__ import annotations

from forms.definitions.registration import FORM as REGISTRATION
from forms.definitions.registration import GROUPS
from forms.engine import Form
from forms.fields import WEB_ONLY, YesNoField
from registry.i18n import N_

FORM = Form(
    name="household_verification",
    title=N_("Verify a household"),
    items=(
        *REGISTRATION.items,
        YesNoField(
            "checked_in_person",
            N_("I met the household and checked these details"),
            icon="check",
            channels=WEB_ONLY,
            group="verify",
        ),
    ),
    groups=(*GROUPS, ("verify", N_("Verification"), "check")),
)
