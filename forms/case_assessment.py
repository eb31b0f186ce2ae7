"""The assessment of a case type as a form of the engine, so that it runs on the field phone
(and offline) like every other form: built from the case type's data, labelled in the
reader's language (the labels are in the case-type file, in every shipped language)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from forms.engine import Form, FormContext
from forms.fields import ChoiceField, DateField, Field, NumberField, TextField, YesNoField
from registry.cases.models import CaseType
from registry.cases.types import RISK_FIELD, choices, entries, label
from registry.i18n import N_

RISK_LABEL = N_("Risk level after this assessment")


def _field(question: Mapping[str, Any], language: str) -> Field:
    text = label(question, language)
    common: dict[str, Any] = {"required": question.get("required", True), "group": "assessment"}
    kind = question["type"]
    if kind == "yesno":
        return YesNoField(question["name"], text, **common)
    if kind == "number":
        return NumberField(
            question["name"], text, min_value=question["min"], max_value=question["max"], **common
        )
    if kind == "date":
        return DateField(question["name"], text, **common)
    if kind == "choice":
        options = tuple((o["value"], label(o, language)) for o in question["options"])
        return ChoiceField(question["name"], text, options=options, **common)
    return TextField(question["name"], text, max_length=480, multiline=True, **common)


def assessment_form(case_type: CaseType, language: str) -> Form:
    """The case type's assessment as a form of the engine, labelled in `language`; the risk
    level is always the last question (it sets how often the case is visited)."""
    questions = [_field(q, language) for q in entries(case_type, "assessment")]
    risk_options = tuple(choices(case_type, "risk_levels", language))

    def risk_choices(ctx: FormContext) -> list[tuple[str, str]]:
        return list(risk_options)

    risk = ChoiceField(RISK_FIELD, RISK_LABEL, provider=risk_choices, group="risk", icon="access")
    return Form(
        name=f"case_assessment:{case_type.code}:{case_type.version}",
        title=N_("Assessment"),
        items=(*questions, risk),
        groups=(("assessment", N_("Assessment"), "list"), ("risk", N_("Risk"), "access")),
    )


def display_answers(
    case_type: CaseType, answers: Mapping[str, Any], language: str
) -> list[tuple[str, str]]:
    """(question, answer) pairs of a saved assessment, in `language`."""
    form = assessment_form(case_type, language)
    ctx = FormContext(None, language, "web")  # type: ignore[arg-type]
    rows = []
    for item in form.items:
        if isinstance(item, Field) and item.name in answers:
            shown = item.display(answers[item.name], ctx)
            rows.append((ctx.translate(item.label), shown))
    return rows
