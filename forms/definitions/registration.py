"""Household registration: the head, where they live, the other members, consent.

Field workers fill it on the web; beneficiaries register themselves by USSD or SMS with a
shorter walk through the same definition (web-only questions take their defaults).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from forms.engine import Form
from forms.fields import (
    WEB_ONLY,
    AreaField,
    BirthYearField,
    ChoiceField,
    Field,
    NameField,
    NationalIdField,
    NumberField,
    PhoneField,
    RepeatGroup,
    TextField,
    YesNoField,
)
from forms.languages import language_choices
from registry.households.models import Relation, Sex
from registry.i18n import N_

SEX_OPTIONS = ((Sex.FEMALE.value, N_("Female")), (Sex.MALE.value, N_("Male")))
RELATION_OPTIONS = (
    (Relation.SPOUSE.value, N_("Spouse")),
    (Relation.CHILD.value, N_("Child")),
    (Relation.GRANDCHILD.value, N_("Grandchild")),
    (Relation.PARENT.value, N_("Parent")),
    (Relation.SIBLING.value, N_("Brother or sister")),
    (Relation.OTHER_RELATIVE.value, N_("Other relative")),
    (Relation.NON_RELATIVE.value, N_("Not related")),
)
CONSENT_METHODS = (
    ("spoken", N_("Said yes aloud")),
    ("signed", N_("Signed")),
    ("thumbprint", N_("Thumbprint")),
)
MAX_OTHER_MEMBERS = 19
CONSENT_QUESTION = N_("The head agrees that Kinga keeps these details to decide on support")


def said_yes(name: str) -> Any:
    def condition(answers: Mapping[str, Any]) -> bool:
        return answers.get(name) is True

    condition.when = (name, "yes")  # type: ignore[attr-defined]  # lets the web hide it live
    return condition


def channel_method(ctx: Any) -> str:
    return "spoken" if ctx.channel == "web" else ctx.channel


HEAD_FIELDS: tuple[Field, ...] = (
    NameField(
        "head_given_name",
        N_("First name of the head of household"),
        short=N_("Head's first name?"),
        group="head",
    ),
    NameField(
        "head_family_name",
        N_("Family name of the head of household"),
        short=N_("Head's family name?"),
        group="head",
    ),
    ChoiceField(
        "head_sex",
        N_("Woman or man?"),
        short=N_("Head is:"),
        icon="sex",
        options=SEX_OPTIONS,
        group="head",
    ),
    BirthYearField(
        "head_birth_year",
        N_("Year of birth of the head"),
        short=N_("Head's year of birth?"),
        min_age=14,
        group="head",
    ),
    YesNoField(
        "head_disability",
        N_("Does the head live with a disability?"),
        short=N_("Head has a disability?"),
        icon="access",
        group="head",
    ),
    YesNoField(
        "head_has_phone",
        N_("Does the head have a phone?"),
        short=N_("Head has a phone?"),
        icon="phone",
        group="contact",
    ),
    PhoneField(
        "head_phone",
        N_("Phone number of the head"),
        short=N_("Head's phone number?"),
        ask_if=said_yes("head_has_phone"),
        group="contact",
    ),
    ChoiceField(
        "head_language",
        N_("Language for messages"),
        icon="language",
        provider=language_choices,
        channels=WEB_ONLY,
        group="contact",
        default=lambda ctx: ctx.language,
    ),
    YesNoField(
        "head_has_id",
        N_("Does the head have a national ID card?"),
        short=N_("Head has an ID card?"),
        icon="id",
        group="contact",
    ),
    NationalIdField(
        "head_national_id",
        N_("National ID number of the head"),
        short=N_("Head's ID number?"),
        ask_if=said_yes("head_has_id"),
        group="contact",
    ),
)

PLACE_FIELDS: tuple[Field, ...] = (
    AreaField(
        "area", N_("Community where the household lives"), short=N_("Community?"), group="place"
    ),
    TextField(
        "address",
        N_("Address or landmark"),
        icon="home",
        required=False,
        channels=WEB_ONLY,
        max_length=200,
        group="place",
    ),
)

MEMBER_FIELDS: tuple[Field, ...] = (
    NameField("given_name", N_("First name"), short=N_("First name?")),
    NameField("family_name", N_("Family name"), channels=WEB_ONLY, required=False),
    ChoiceField("sex", N_("Woman or man?"), short=N_("Sex?"), icon="sex", options=SEX_OPTIONS),
    BirthYearField("birth_year", N_("Year of birth"), short=N_("Year of birth?")),
    ChoiceField(
        "relation",
        N_("Relation to the head"),
        short=N_("Relation to head?"),
        icon="people",
        options=RELATION_OPTIONS,
    ),
    YesNoField(
        "disability",
        N_("Lives with a disability?"),
        icon="access",
        channels=WEB_ONLY,
        default=lambda ctx: False,
    ),
)

MEMBERS: tuple[Field | RepeatGroup, ...] = (
    NumberField(
        "other_members",
        N_("How many other people live in the household?"),
        short=N_("Other members (0-19)?"),
        icon="people",
        min_value=0,
        max_value=MAX_OTHER_MEMBERS,
        group="members_count",
    ),
    RepeatGroup(
        "members",
        N_("Other members"),
        MEMBER_FIELDS,
        count_field="other_members",
        max_items=MAX_OTHER_MEMBERS,
    ),
)

CONSENT_FIELDS: tuple[Field, ...] = (
    YesNoField(
        "consent",
        CONSENT_QUESTION,
        short=N_("Agree that Kinga keeps your details?"),
        icon="consent",
        group="consent",
    ),
    ChoiceField(
        "consent_method",
        N_("How did they agree?"),
        icon="consent",
        options=CONSENT_METHODS,
        channels=WEB_ONLY,
        ask_if=said_yes("consent"),
        group="consent",
        default=channel_method,
    ),
)

GROUPS = (
    ("head", N_("Head of household"), "person"),
    ("contact", N_("Phone and ID"), "phone"),
    ("place", N_("Where they live"), "place"),
    ("members_count", N_("Household size"), "people"),
    ("members", N_("Other members"), "people"),
    ("consent", N_("Consent"), "consent"),
)

FORM = Form(
    name="household_registration",
    title=N_("Register a household"),
    items=(*HEAD_FIELDS, *PLACE_FIELDS, *MEMBERS, *CONSENT_FIELDS),
    groups=GROUPS,
)
