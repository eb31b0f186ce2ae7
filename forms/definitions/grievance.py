"""A grievance: what it is about, what happened, where, and how to reach the complainant."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from forms.engine import Form
from forms.fields import WEB_ONLY, AreaField, ChoiceField, PhoneField, TextField, YesNoField
from forms.grievance_categories import category_choices
from registry.i18n import N_


def not_anonymous(answers: Mapping[str, Any]) -> bool:
    return answers.get("anonymous") is False


not_anonymous.when = ("anonymous", "no")  # type: ignore[attr-defined]


FORM = Form(
    name="grievance",
    title=N_("Report a problem"),
    items=(
        ChoiceField(
            "category",
            N_("What is the problem about?"),
            short=N_("Problem about?"),
            icon="list",
            provider=category_choices,
            group="about",
        ),
        TextField(
            "text",
            N_("Tell us what happened"),
            short=N_("What happened?"),
            icon="talk",
            max_length=480,
            multiline=True,
            group="about",
        ),
        AreaField("area", N_("Community where it happened"), short=N_("Community?"), group="where"),
        YesNoField(
            "anonymous",
            N_("Keep the complainant's name secret?"),
            short=N_("Stay anonymous?"),
            icon="lock",
            group="who",
        ),
        PhoneField(
            "complainant_phone",
            N_("Phone number to reach the complainant"),
            required=False,
            channels=WEB_ONLY,
            ask_if=not_anonymous,
            group="who",
        ),
        YesNoField(
            "consent_to_contact",
            N_("May an officer call or text back about it?"),
            short=N_("May we contact you?"),
            icon="phone",
            ask_if=not_anonymous,
            group="who",
        ),
    ),
    groups=(
        ("about", N_("The problem"), "talk"),
        ("where", N_("Where"), "place"),
        ("who", N_("Contact"), "phone"),
    ),
)
