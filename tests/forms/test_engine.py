"""Walking forms step by step (USSD/SMS) and checking pages (web): skip logic, repeat groups."""

from __future__ import annotations

import json

import pytest

from forms.catalog import form_names, get_form
from forms.engine import answer, render_text, start, validate_page
from forms.households import to_household_data
from registry.households.service import register_household
from registry.messaging.encoding import fit_for_sms, segments
from registry.origin import Channel, Origin
from tests.factories import community

SHIPPED = ["grievance", "household_registration", "household_verification", "status_check"]


def walk(form, ctx, answers, prefill=None):  # type: ignore[no-untyped-def]
    step = start(form, ctx, prefill)
    for raw in answers:
        assert not step.done, f"form ended before {raw!r}"
        json.dumps(step.state)  # the door stores it between requests
        step = answer(form, ctx, step.state, raw)
        assert step.error is None, (raw, step.error)
    return step


def area_path(db_session, area):  # type: ignore[no-untyped-def]
    """The menu positions that pick `area` on USSD (regions and districts are name-sorted)."""
    from forms.areas import children
    from forms.engine import FormContext

    ctx = FormContext(db_session, "en", "ussd")
    district, region = area.parent, area.parent.parent
    picks = []
    for parent, level, target in (
        (None, 1, region),
        (region.code, 2, district),
        (district.code, 3, area),
    ):
        codes = [code for code, _ in children(ctx, parent, level)]
        index = codes.index(target.code)
        picks += ["5"] * (index // 4) if len(codes) > 5 else []
        picks.append(str(index % 4 + 1) if len(codes) > 5 else str(index + 1))
    return picks


def test_catalog_ships_the_agreed_forms() -> None:
    assert set(SHIPPED) <= set(form_names())
    with pytest.raises(KeyError):
        get_form("nope")


def test_ussd_registration_with_skip_logic_and_members(db_session, make_ctx) -> None:  # type: ignore[no-untyped-def]
    form = get_form("household_registration")
    ctx = make_ctx("ussd", "sw")
    place = community(db_session, 0, 3)
    answers = ["Amina", "Otieno", "1", "1980", "2", "1", "0712345678", "2"]
    answers += area_path(db_session, place)
    answers += ["2", "Juma", "2", "2010", "2", "Neema", "1", "2012", "2", "1"]
    step = walk(form, ctx, answers)
    assert step.done
    data = step.data
    assert data["head_phone"] == "+254712345678"
    assert data["head_national_id"] is None  # skipped: said no ID card
    assert data["head_language"] == "sw"  # web-only question takes its default
    assert data["area"] == place.code
    assert [m["given_name"] for m in data["members"]] == ["Juma", "Neema"]
    assert data["consent"] is True and data["consent_method"] == "ussd"
    household = register_household(
        db_session, to_household_data(data), origin=Origin(Channel.USSD, "sw")
    )
    assert household.status == "pending_verification"
    assert [m.relation for m in household.members] == ["head", "child", "child"]
    assert household.members[1].family_name == "Otieno"


def test_invalid_answer_repeats_the_question_with_a_localized_reason(make_ctx) -> None:  # type: ignore[no-untyped-def]
    form = get_form("household_registration")
    ctx = make_ctx("ussd", "fr")
    step = start(form, ctx)
    step = answer(form, ctx, step.state, "Amina")
    step = answer(form, ctx, step.state, "Otieno")
    step = answer(form, ctx, step.state, "1")
    refused = answer(form, ctx, step.state, "3000")
    assert not refused.done and refused.field == "head_birth_year"
    assert refused.error and "%(" not in refused.error
    assert refused.error != "Type a year from 1906 to 2012."  # French, not English
    assert refused.state["answers"] == step.state["answers"]


def test_prefill_is_not_asked_again_and_bad_prefill_is(make_ctx) -> None:  # type: ignore[no-untyped-def]
    form = get_form("household_registration")
    ctx = make_ctx("ussd")
    step = start(form, ctx, prefill={"head_given_name": "Amina", "head_family_name": "<b>"})
    assert step.field == "head_family_name"


def test_paged_menu_of_relations(make_ctx) -> None:  # type: ignore[no-untyped-def]
    form = get_form("household_registration")
    ctx = make_ctx("ussd")
    prefill = {
        "head_given_name": "A",
        "head_family_name": "B",
        "head_sex": "F",
        "head_birth_year": 1980,
        "head_disability": False,
        "head_has_phone": False,
        "head_has_id": False,
        "area": None,
        "other_members": 1,
        "members": [{"given_name": "C", "sex": "M", "birth_year": 2000}],
    }
    step = start(form, ctx, prefill)
    assert step.field == "area"
    form_steps = [s for s in (step,)]
    assert len(form_steps[0].choices) <= 5


def test_relation_menu_pages_with_more(db_session, make_ctx) -> None:  # type: ignore[no-untyped-def]
    form = get_form("household_registration")
    ctx = make_ctx("ussd")
    prefill = {
        "head_given_name": "A",
        "head_family_name": "B",
        "head_sex": "F",
        "head_birth_year": 1980,
        "head_disability": False,
        "head_has_phone": False,
        "head_has_id": False,
        "area": community(db_session).code,
        "other_members": 1,
        "members": [{"given_name": "C", "sex": "M", "birth_year": 2000}],
    }
    step = start(form, ctx, prefill)
    assert step.field == "members.0.relation"
    assert [v for v, _ in step.choices] == ["spouse", "child", "grandchild", "parent", "more"]
    step = answer(form, ctx, step.state, "5")
    # the last page offers "more" again, which goes back to the first page
    assert [v for v, _ in step.choices] == ["sibling", "other_relative", "non_relative", "more"]
    step = answer(form, ctx, step.state, "2")
    assert step.field == "consent"
    assert step.state["answers"]["members"][0]["relation"] == "other_relative"


@pytest.mark.parametrize("language", ["en", "fr", "sw", "pt", "ar"])
@pytest.mark.parametrize("name", SHIPPED)
def test_every_ussd_screen_fits_182_characters(db_session, make_ctx, name, language) -> None:  # type: ignore[no-untyped-def]
    """Walks each form answering '1' (or a valid typed answer) and measures every screen."""
    form = get_form(name)
    ctx = make_ctx("ussd", language)
    typed = {
        "number": "123456782",
        "head_birth_year": "1980",
        "other_members": "2",
        "members.0.birth_year": "2010",
        "members.1.birth_year": "2011",
        "head_phone": "0712345678",
        "head_national_id": "12345678",
        "text": "x" * 10,
    }
    step = start(form, ctx)
    seen = 0
    while not step.done and seen < 60:
        error_step = answer(form, ctx, step.state, "x" * 3)  # a refused answer shows the error
        for screen in (step, error_step):
            text = render_text(screen)
            assert len(text) <= 182 - 4, (screen.field, text)  # "CON " prefix
        key = step.field or ""
        raw = typed.get(key) or typed.get(key.split(".")[-1]) or ("1" if step.choices else "Ana")
        step = answer(form, ctx, step.state, raw)
        assert step.error is None, (key, step.error)
        seen += 1
    assert step.done


def test_web_page_validation_reports_every_error(make_ctx, db_session) -> None:  # type: ignore[no-untyped-def]
    form = get_form("household_registration")
    ctx = make_ctx("web")
    result = validate_page(
        form,
        ctx,
        {
            "head_given_name": "Amina",
            "head_family_name": "",
            "head_sex": "F",
            "head_birth_year": "3000",
            "head_has_phone": "yes",
            "head_phone": "12",
            "other_members": "2",
            "members.given_name": ["Juma", "J0ma"],
            "members.sex": ["M", "M"],
            "members.birth_year": ["2010", "2011"],
            "members.relation": ["child", "head"],
        },
    )
    assert result.clean is None
    assert {
        "head_family_name",
        "head_birth_year",
        "head_phone",
        "members.1.given_name",
        "members.1.relation",
        "area",
        "consent",
    } <= set(result.errors)
    assert "members.0.given_name" not in result.errors


def test_web_page_groups_limit_the_errors_reported(make_ctx) -> None:  # type: ignore[no-untyped-def]
    form = get_form("household_registration")
    result = validate_page(form, make_ctx(), {"head_given_name": "Amina"}, groups=["head"])
    assert set(result.errors) == {
        "head_family_name",
        "head_sex",
        "head_birth_year",
        "head_disability",
    }


def test_web_and_ussd_produce_the_same_clean_data(db_session, make_ctx) -> None:  # type: ignore[no-untyped-def]
    form = get_form("status_check")
    page = validate_page(
        form, make_ctx("web"), {"number": "1234 5678 2", "head_birth_year": "1980"}
    )
    step = walk(form, make_ctx("sms"), ["123-456-782", "1980"])
    assert page.clean == step.data == {"number": "123456782", "head_birth_year": 1980}


def test_status_check_refuses_a_mistyped_number(make_ctx) -> None:  # type: ignore[no-untyped-def]
    form = get_form("status_check")
    step = start(form, make_ctx("ussd"))
    step = answer(form, make_ctx("ussd"), step.state, "123456781")
    assert step.error and step.field == "number"


def test_grievance_anonymous_skips_contact_questions(db_session, make_ctx) -> None:  # type: ignore[no-untyped-def]
    form = get_form("grievance")
    ctx = make_ctx("ussd")
    place = community(db_session, 1, 7)
    step = walk(form, ctx, ["1", "My payment did not come", *area_path(db_session, place), "1"])
    assert step.done
    assert step.data["anonymous"] is True
    assert step.data["consent_to_contact"] is None
    assert step.data["area"] == place.code
    assert step.data["category"] == "targeting"  # "1": the desk's first category


def test_grievance_on_web_asks_for_a_phone_when_named(make_ctx, db_session) -> None:  # type: ignore[no-untyped-def]
    form = get_form("grievance")
    result = validate_page(
        form,
        make_ctx(),
        {
            "category": "payment_missing",
            "text": "<script>x</script>",
            "area": community(db_session).code,
            "anonymous": "no",
            "complainant_phone": "0712345678",
            "consent_to_contact": "yes",
        },
    )
    assert result.errors == {}
    assert result.clean["complainant_phone"] == "+254712345678"
    assert result.clean["category"] == "payment_missing"
    assert result.clean["text"] == "<script>x</script>"  # kept verbatim; escaped on output


def test_verification_form_prefilled_from_a_household(db_session, make_ctx) -> None:  # type: ignore[no-untyped-def]
    from forms.households import from_household
    from tests.factories import make_household

    household = make_household(db_session, community(db_session), channel=Channel.USSD)
    for member, name in zip(household.members[1:], ("Juma", "Neema"), strict=True):
        member.given_name = name
    form = get_form("household_verification")
    data = from_household(household)
    posted = {k: v for k, v in data.items() if k != "members"}
    for key in ("given_name", "family_name", "sex", "birth_year", "relation", "disability"):
        posted[f"members.{key}"] = [str(m[key]) for m in data["members"]]  # as a browser posts
    posted["consent"] = "yes"
    posted["consent_method"] = "signed"
    posted["checked_in_person"] = "yes"
    result = validate_page(form, make_ctx(), {k: v for k, v in posted.items() if v is not None})
    assert result.errors == {}
    assert result.clean["head_phone"] == "+254712345678"
    assert len(result.clean["members"]) == 2


@pytest.mark.parametrize("language", ["en", "fr", "sw", "pt", "ar"])
@pytest.mark.parametrize("name", SHIPPED)
def test_every_sms_prompt_fits_two_segments(db_session, make_ctx, name, language) -> None:  # type: ignore[no-untyped-def]
    form = get_form(name)
    ctx = make_ctx("sms", language)
    typed = {
        "number": "123456782",
        "head_birth_year": "1980",
        "other_members": "1",
        "birth_year": "2010",
        "head_phone": "0712345678",
        "text": "x" * 10,
        "head_national_id": "12345678",
    }
    step = start(form, ctx)
    seen = 0
    while not step.done and seen < 60:
        refused = answer(form, ctx, step.state, "x" * 3)
        for screen in (step, refused):
            # As sent: Latin-script text is transliterated to GSM-7 (registry.messaging.encoding).
            text = fit_for_sms(render_text(screen), language)
            assert segments(text)[1] <= 2, (screen.field, len(text), text)
        key = step.field or ""
        raw = typed.get(key) or typed.get(key.split(".")[-1]) or ("1" if step.choices else "Ana")
        step = answer(form, ctx, step.state, raw)
        seen += 1
    assert step.done
