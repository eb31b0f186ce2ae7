"""The fields an agreement may grant, each one a named part of a DCI Group record."""

from __future__ import annotations

from registry.i18n import N_

# Field name -> what an administrator reads when granting it.
FIELDS: dict[str, str] = {
    "household_number": N_("Household number"),
    "area": N_("Area code"),
    "registration_date": N_("Registration date"),
    "group_size": N_("Number of members"),
    "programs": N_("Programs and enrollment status"),
    "names": N_("Names of members"),
    "sex": N_("Sex"),
    "birth_year": N_("Birth year"),
    "birth_date": N_("Exact birth date"),
    "relation": N_("Relation to the head"),
    "disability": N_("Disability"),
    "national_id": N_("National ID"),
    "phone": N_("Phone number"),
}

# Without these the answer cannot say which household it speaks of.
DEFAULT_FIELDS = ("household_number", "area", "registration_date", "group_size", "programs")
