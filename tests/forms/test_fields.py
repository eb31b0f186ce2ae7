"""Every field type, with ordinary and hostile input."""

from __future__ import annotations

import pytest

from forms.fields import (
    AreaField,
    BirthYearField,
    ChoiceField,
    DateField,
    FieldError,
    NameField,
    NationalIdField,
    NumberField,
    PhoneField,
    TextField,
    YesNoField,
)
from registry.i18n import N_
from tests.factories import community, make_user

HOSTILE = [
    "",
    "   ",
    "x" * 10_000,
    "\u202eenimA",  # right-to-left override hiding the real text
    "Ami\x00na",
    "'; DROP TABLE households; --",
    "<script>alert(1)</script>",
    "Robert'); DELETE FROM persons WHERE ('1'='1",
    "1 OR 1=1",
    "<img src=x onerror=alert(1)>",
]

FIELDS = [
    NameField("n", "Name"),
    TextField("t", "Text"),
    PhoneField("p", "Phone"),
    NationalIdField("i", "ID"),
    DateField("d", "Date"),
    BirthYearField("y", "Year"),
    NumberField("c", "Count", max_value=19),
    ChoiceField("s", "Sex", options=(("F", N_("Female")), ("M", N_("Male")))),
    YesNoField("b", "Yes or no"),
    AreaField("a", "Community"),
]


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: type(f).__name__)
@pytest.mark.parametrize("raw", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_input_is_refused_with_a_reason(field, raw, ctx) -> None:  # type: ignore[no-untyped-def]
    if isinstance(field, TextField) and raw.strip() and len(raw) < 300 and "\x00" not in raw:
        if "\u202e" not in raw:
            # free text keeps SQL and HTML fragments verbatim: they are data, escaped on output
            assert field.clean(raw, ctx) == raw.strip()
            return
    with pytest.raises(FieldError) as refused:
        field.clean(raw, ctx)
    assert ctx.translate(refused.value.msgid, **refused.value.params)


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: type(f).__name__)
def test_empty_optional_answer_is_none(field, ctx) -> None:  # type: ignore[no-untyped-def]
    optional = type(field)(**{**field.__dict__, "required": False})
    assert optional.clean("  ", ctx) is None
    with pytest.raises(FieldError, match="Please answer"):
        field.clean("", ctx)


class TestName:
    field = NameField("n", "Name")

    @pytest.mark.parametrize(
        ("raw", "clean"),
        [
            ("  Amina   Otieno ", "Amina Otieno"),
            ("N'Golo", "N'Golo"),
            ("Jean-Baptiste", "Jean-Baptiste"),
            ("أمينة", "أمينة"),  # Arabic, right to left
            ("Amina أمينة", "Amina أمينة"),  # mixed scripts
            ("Zoë", "Zoë"),
            ("Zoe\u0308", "Zoë"),  # combining mark normalized to NFC
        ],
    )
    def test_accepts_names_in_any_script(self, raw, clean, ctx) -> None:  # type: ignore[no-untyped-def]
        assert self.field.clean(raw, ctx) == clean

    @pytest.mark.parametrize("raw", ["Amina2", "---", "a" * 61, "Amina\u200fX", "Ami\tna"])
    def test_refuses_digits_punctuation_only_and_invisible_marks(self, raw, ctx) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(FieldError):
            self.field.clean(raw, ctx)


class TestText:
    def test_multiline_keeps_newlines_single_line_squashes(self, ctx) -> None:  # type: ignore[no-untyped-def]
        assert TextField("t", "T", multiline=True).clean("a\nb", ctx) == "a\nb"
        assert TextField("t", "T").clean("a \n b", ctx) == "a b"

    def test_length_limit(self, ctx) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(FieldError, match="at most"):
            TextField("t", "T", max_length=5).clean("abcdef", ctx)


class TestPhone:
    field = PhoneField("p", "Phone")

    @pytest.mark.parametrize(
        "raw", ["0712345678", "0712 345 678", "+254712345678", "254712345678", "٠٧١٢٣٤٥٦٧٨"]
    )
    def test_local_and_international_forms(self, raw, ctx) -> None:  # type: ignore[no-untyped-def]
        assert self.field.clean(raw, ctx) == "+254712345678"

    def test_uses_the_deployment_country(self, make_ctx) -> None:  # type: ignore[no-untyped-def]
        assert self.field.clean("0821234567", make_ctx(country="ZA")) == "+27821234567"
        with pytest.raises(FieldError):
            self.field.clean("0821234567", make_ctx(country="KE"))

    @pytest.mark.parametrize("raw", ["12", "07123", "+99912345678", "07l2345678", "0712345678" * 4])
    def test_refuses_invalid(self, raw, ctx) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(FieldError):
            self.field.clean(raw, ctx)


class TestNationalId:
    field = NationalIdField("i", "ID")

    def test_kenya_format(self, ctx) -> None:  # type: ignore[no-untyped-def]
        assert self.field.clean("1234 5678", ctx) == "12345678"
        with pytest.raises(FieldError):
            self.field.clean("123456", ctx)

    def test_south_africa_checksum_via_stdnum(self, make_ctx) -> None:  # type: ignore[no-untyped-def]
        za = make_ctx(country="ZA")
        assert self.field.clean("7503305044089", za) == "7503305044089"
        with pytest.raises(FieldError):
            self.field.clean("7503305044088", za)  # check digit wrong

    def test_generic_rule_elsewhere(self, make_ctx) -> None:  # type: ignore[no-untyped-def]
        other = make_ctx(country="MZ")
        assert self.field.clean("ab-12345", other) == "AB12345"
        with pytest.raises(FieldError):
            self.field.clean("ab#12345", other)


class TestDate:
    def test_formats(self, ctx) -> None:  # type: ignore[no-untyped-def]
        field = DateField("d", "Date")
        for raw in ("1980-12-31", "31/12/1980", "31.12.1980", "31121980", "٣١/١٢/١٩٨٠"):
            assert field.clean(raw, ctx) == "1980-12-31"

    def test_ranges(self, ctx) -> None:  # type: ignore[no-untyped-def]
        field = DateField("d", "Date")
        with pytest.raises(FieldError, match="future"):
            field.clean("2026-06-16", ctx)
        with pytest.raises(FieldError, match="past"):
            field.clean("1890-01-01", ctx)
        with pytest.raises(FieldError, match="does not exist"):
            field.clean("31/02/2000", ctx)
        consent = DateField("d", "Date", max_days_ago=30)
        with pytest.raises(FieldError, match="past"):
            consent.clean("2026-01-01", ctx)

    def test_display_uses_babel(self, make_ctx) -> None:  # type: ignore[no-untyped-def]
        field = DateField("d", "Date")
        assert field.display("1980-12-31", make_ctx(language="fr")) == "31 déc. 1980"


class TestYears:
    def test_birth_year_plausible_range(self, ctx) -> None:  # type: ignore[no-untyped-def]
        field = BirthYearField("y", "Year", min_age=14)
        assert field.clean("1980", ctx) == 1980
        assert field.clean("١٩٨٠", ctx) == 1980
        for raw in ("1905", "2013", "80", "19800", "2027"):
            with pytest.raises(FieldError, match="from 1906 to 2012"):
                field.clean(raw, ctx)

    def test_number_range(self, ctx) -> None:  # type: ignore[no-untyped-def]
        field = NumberField("c", "Count", max_value=19)
        assert field.clean("0", ctx) == 0
        assert field.clean("19", ctx) == 19
        for raw in ("20", "-1", "1.5", "1e3", "9" * 5000):
            with pytest.raises(FieldError):
                field.clean(raw, ctx)


class TestChoices:
    field = ChoiceField("s", "Sex", options=(("F", N_("Female")), ("M", N_("Male"))))

    def test_value_position_or_label(self, make_ctx) -> None:  # type: ignore[no-untyped-def]
        fr = make_ctx(language="fr")
        assert self.field.clean("M", fr) == "M"
        assert self.field.clean("1", fr) == "F"
        assert self.field.clean("homme", fr) == "M"
        assert self.field.choices(fr) == [("F", "Femme"), ("M", "Homme")]
        with pytest.raises(FieldError):
            self.field.clean("3", fr)

    def test_yes_no_in_every_language(self, make_ctx) -> None:  # type: ignore[no-untyped-def]
        field = YesNoField("b", "B")
        assert field.clean("1", make_ctx()) is True
        assert field.clean("2", make_ctx()) is False
        assert field.clean("ndiyo", make_ctx(language="sw")) is True
        assert field.clean("نعم", make_ctx(language="ar")) is True
        assert field.clean("Não", make_ctx(language="pt")) is False
        with pytest.raises(FieldError):
            field.clean("maybe", make_ctx())


class TestArea:
    field = AreaField("a", "Community")

    def test_community_code_in_scope(self, db_session, make_ctx) -> None:  # type: ignore[no-untyped-def]
        from registry.users.service import scope_of

        mine, theirs = community(db_session, 0), community(db_session, 1)
        user = make_user(db_session, {"field_worker"}, [mine.parent.parent.code])
        ctx = make_ctx(scope=scope_of(user))
        assert self.field.clean(mine.code, ctx) == mine.code
        with pytest.raises(FieldError):
            self.field.clean(theirs.code, ctx)  # exists, but not in this worker's areas
        with pytest.raises(FieldError):
            self.field.clean(mine.parent.code, ctx)  # a district is not a community
