"""Every indicator, defined once: what it counts, out of what, over which period.

The dashboard page, `docs/indicators.md` (generated from this list) and the API all read these
definitions; a figure with no definition here cannot be shown anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from registry.i18n import N_


class Section(StrEnum):
    REGISTRATION = "registration"
    TARGETING = "targeting"
    MONEY = "money"
    GRIEVANCES = "grievances"
    SELFSERVICE = "selfservice"
    QUALITY = "quality"


SECTION_LABELS = {
    Section.REGISTRATION: N_("Registration"),
    Section.TARGETING: N_("Targeting"),
    Section.MONEY: N_("Money"),
    Section.GRIEVANCES: N_("Grievances"),
    Section.SELFSERVICE: N_("Self-service"),
    Section.QUALITY: N_("Data quality"),
}


class Unit(StrEnum):
    COUNT = "count"  # people or households: small cells are suppressed outside the desk
    PERCENT = "percent"  # numerator / denominator x 100; hidden when either is a small cell
    MONEY = "money"  # a sum of money in the program's currency
    MEDIAN = "median"  # a median of `denominator` cases; hidden when under the threshold


class Scope(StrEnum):
    AREA = "area"  # counted where the household (or grievance) lives; drills down
    NATIONAL = "national"  # the data carry no area (USSD sessions, SMS): country level only


@dataclass(frozen=True)
class Indicator:
    code: str
    section: Section
    title: str
    numerator: str
    denominator: str | None
    period: str
    unit: Unit = Unit.COUNT
    per_program: bool = False
    dimension: str | None = None  # the breakdown stored beside the total, e.g. "sex"
    scope: Scope = Scope.AREA


STOCK = N_("Cumulative: everything recorded up to the end of the period.")
FLOW = N_("Within the period: from the first to the last day of the month.")
END = N_("At the end of the period (for the current month: at the last refresh).")
CYCLES = N_("Payment cycles of the month (approved or closed).")

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "households_registered",
        Section.REGISTRATION,
        N_("Households registered"),
        N_("Households registered through any channel, whatever their status."),
        None,
        STOCK,
    ),
    Indicator(
        "households_verified",
        Section.REGISTRATION,
        N_("Households verified"),
        N_("Households whose registration a field worker verified."),
        None,
        STOCK,
    ),
    Indicator(
        "people_sex",
        Section.REGISTRATION,
        N_("People registered, by sex"),
        N_("Members of registered households, by recorded sex."),
        None,
        STOCK,
        dimension="sex",
    ),
    Indicator(
        "people_age",
        Section.REGISTRATION,
        N_("People registered, by age band"),
        N_("Members of registered households, by age reached in the period's year."),
        None,
        STOCK,
        dimension="age",
    ),
    Indicator(
        "people_disability",
        Section.REGISTRATION,
        N_("People registered, by disability"),
        N_("Members of registered households, with and without a recorded disability."),
        None,
        STOCK,
        dimension="disability",
    ),
    Indicator(
        "people_verified",
        Section.REGISTRATION,
        N_("People in verified households"),
        N_("Members of households whose registration was verified."),
        None,
        STOCK,
    ),
    Indicator(
        "assessed",
        Section.TARGETING,
        N_("Households assessed"),
        N_("Households with an eligibility decision in the program."),
        None,
        STOCK,
        per_program=True,
    ),
    Indicator(
        "eligible",
        Section.TARGETING,
        N_("Households eligible"),
        N_("Assessed households whose decision is eligible."),
        None,
        STOCK,
        per_program=True,
    ),
    Indicator(
        "enrolled",
        Section.TARGETING,
        N_("Households enrolled"),
        N_("Households whose place in the program is enrolled."),
        None,
        END,
        per_program=True,
    ),
    Indicator(
        "coverage",
        Section.TARGETING,
        N_("Coverage of the eligible"),
        N_("Eligible households that are enrolled."),
        N_("Eligible households."),
        END,
        unit=Unit.PERCENT,
        per_program=True,
    ),
    Indicator(
        "take_up",
        Section.TARGETING,
        N_("Take-up"),
        N_("Enrolled households that have collected at least one payment or hand-over."),
        N_("Enrolled households."),
        END,
        unit=Unit.PERCENT,
        per_program=True,
    ),
    Indicator(
        "exits",
        Section.TARGETING,
        N_("Exits"),
        N_("Households whose place in the program changed to exited."),
        None,
        FLOW,
        per_program=True,
    ),
    Indicator(
        "needs_review",
        Section.TARGETING,
        N_("Share needing review"),
        N_("Assessed households whose decision is needs review."),
        N_("Assessed households."),
        STOCK,
        unit=Unit.PERCENT,
        per_program=True,
    ),
    Indicator(
        "budget",
        Section.MONEY,
        N_("Budget, by funding source"),
        N_("Budget lines of the program for the area and the period's year."),
        None,
        N_("The calendar year the month belongs to."),
        unit=Unit.MONEY,
        per_program=True,
        dimension="funding",
    ),
    Indicator(
        "committed",
        Section.MONEY,
        N_("Committed, by funding source"),
        N_("What approved payment cycles of the month owe, with their adjustments."),
        None,
        CYCLES,
        unit=Unit.MONEY,
        per_program=True,
        dimension="funding",
    ),
    Indicator(
        "paid",
        Section.MONEY,
        N_("Paid, by funding source"),
        N_("What the provider confirmed paid (for goods: handed over) in the month's cycles."),
        None,
        CYCLES,
        unit=Unit.MONEY,
        per_program=True,
        dimension="funding",
    ),
    Indicator(
        "failed",
        Section.MONEY,
        N_("Failed, by funding source"),
        N_("What the provider reported failed in the month's cycles."),
        None,
        CYCLES,
        unit=Unit.MONEY,
        per_program=True,
        dimension="funding",
    ),
    Indicator(
        "uncollected",
        Section.MONEY,
        N_("Uncollected, by funding source"),
        N_("Committed in the month's cycles and neither paid nor failed yet."),
        None,
        CYCLES,
        unit=Unit.MONEY,
        per_program=True,
        dimension="funding",
    ),
    Indicator(
        "grievances_channel",
        Section.GRIEVANCES,
        N_("Grievances received, by channel"),
        N_("Grievances received, by the channel they came through."),
        None,
        FLOW,
        dimension="channel",
    ),
    Indicator(
        "grievances_category",
        Section.GRIEVANCES,
        N_("Grievances received, by category"),
        N_("Grievances received, by category (subcategories count under their category)."),
        None,
        FLOW,
        dimension="category",
    ),
    Indicator(
        "grievances_sla",
        Section.GRIEVANCES,
        N_("Resolved within the time limit"),
        N_("Grievances resolved in the period by their due time."),
        N_("Grievances resolved in the period."),
        FLOW,
        unit=Unit.PERCENT,
    ),
    Indicator(
        "grievances_median_hours",
        Section.GRIEVANCES,
        N_("Median hours to resolve"),
        N_("Median of the hours from receipt to resolution."),
        N_("Grievances resolved in the period."),
        FLOW,
        unit=Unit.MEDIAN,
    ),
    Indicator(
        "grievances_overdue",
        Section.GRIEVANCES,
        N_("Grievances overdue"),
        N_("Grievances not resolved, and not on hold, whose due time had passed."),
        None,
        END,
    ),
    Indicator(
        "ussd_started",
        Section.SELFSERVICE,
        N_("USSD sessions started, by flow"),
        N_("USSD sessions begun, by the service the caller chose."),
        None,
        FLOW,
        dimension="flow",
        scope=Scope.NATIONAL,
    ),
    Indicator(
        "ussd_completed",
        Section.SELFSERVICE,
        N_("USSD sessions completed, by flow"),
        N_("USSD sessions the service ended with its answer, by flow."),
        None,
        FLOW,
        dimension="flow",
        scope=Scope.NATIONAL,
    ),
    Indicator(
        "ussd_dropped",
        Section.SELFSERVICE,
        N_("Where USSD callers drop off"),
        N_("USSD sessions the network ended while a question waited, by flow and screen."),
        None,
        FLOW,
        dimension="screen",
        scope=Scope.NATIONAL,
    ),
    Indicator(
        "sms_sent",
        Section.SELFSERVICE,
        N_("SMS sent"),
        N_("Outgoing SMS handed to the gateway (sent or delivered)."),
        None,
        FLOW,
        scope=Scope.NATIONAL,
    ),
    Indicator(
        "sms_failed",
        Section.SELFSERVICE,
        N_("SMS failed"),
        N_("Outgoing SMS that failed for good after their retries."),
        None,
        FLOW,
        scope=Scope.NATIONAL,
    ),
    Indicator(
        "completeness",
        Section.QUALITY,
        N_("Complete records"),
        N_("Registered households whose head has a phone number and a national ID."),
        N_("Households registered."),
        STOCK,
        unit=Unit.PERCENT,
    ),
    Indicator(
        "duplicates_found",
        Section.QUALITY,
        N_("Likely duplicates found"),
        N_(
            "Pairs of people that the duplicate check at registration, or a registry-wide run, "
            "found likely to be one person (counted where the newer household lives)."
        ),
        None,
        FLOW,
    ),
    Indicator(
        "verification_delay_days",
        Section.QUALITY,
        N_("Median days to verification"),
        N_("Median of the days from registration to verification."),
        N_("Households verified in the period."),
        FLOW,
        unit=Unit.MEDIAN,
    ),
)

BY_CODE = {indicator.code: indicator for indicator in INDICATORS}
AGE_BANDS = (("0-17", 0, 17), ("18-59", 18, 59), ("60+", 60, 200))


def indicators_of(section: Section) -> list[Indicator]:
    return [i for i in INDICATORS if i.section == section]


# Left out, and why (shown in docs/indicators.md so nobody looks for them in vain).
NOT_YET: tuple[str, ...] = ()
