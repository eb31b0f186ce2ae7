"""Field types: each one cleans a raw answer into a value or refuses it with a reason.

The same `clean` serves the web (a whole page at once) and USSD/SMS (one answer at a time),
so validation cannot drift between channels. Labels are message ids (`N_`), translated when a
prompt is shown. Clean values are JSON-friendly (str, int, bool, ISO dates) so that a USSD
session can keep them between steps.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from forms.ids import clean_national_id
from forms.text import ascii_digits, has_control_chars, is_name_char, squash_spaces
from registry.i18n import N_
from registry.phones import normalize_phone

if TYPE_CHECKING:
    from forms.engine import FormContext

ALL_CHANNELS = frozenset({"web", "ussd", "sms"})
WEB_ONLY = frozenset({"web"})
MAX_RAW_LENGTH = 2000

Condition = Callable[[Mapping[str, Any]], bool]
ChoiceProvider = Callable[["FormContext"], list[tuple[str, str]]]


class FieldError(Exception):
    """A refused answer: a message id and its parameters, translated by the engine."""

    def __init__(self, msgid: str, **params: object) -> None:
        super().__init__(msgid % params if params else msgid)
        self.msgid = msgid
        self.params = params


@dataclass(frozen=True)
class Field:
    """One question. `short` is the USSD/SMS wording; `ask_if` is the skip logic."""

    name: str
    label: str
    short: str | None = None
    icon: str = "edit"
    required: bool = True
    channels: frozenset[str] = ALL_CHANNELS
    ask_if: Condition | None = None
    group: str = "main"
    hint: str | None = None
    default: Callable[[FormContext], Any] | None = None

    widget = "text"
    inputmode = "text"

    def applies(self, answers: Mapping[str, Any], channel: str) -> bool:
        if channel not in self.channels:
            return False
        return self.ask_if is None or bool(self.ask_if(answers))

    def clean(self, raw: Any, ctx: FormContext) -> Any:
        """The clean value of `raw`, None when empty and optional; FieldError when refused."""
        text = _first(raw)
        if len(text) > MAX_RAW_LENGTH:
            raise FieldError(N_("This answer is too long."))
        if not text.strip():
            if self.required:
                raise FieldError(N_("Please answer this question."))
            return None
        return self.convert(text.strip(), ctx)

    def convert(self, text: str, ctx: FormContext) -> Any:
        return text

    def choices(self, ctx: FormContext) -> list[tuple[str, str]] | None:
        """(value, localized label) pairs for choice fields, None for typed answers."""
        return None

    def display(self, value: Any, ctx: FormContext) -> str:
        """How a clean value is shown back to a person (summary pages, USSD confirmations)."""
        if value is None:
            return ""
        return str(value)


def _first(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, list | tuple):
        return str(raw[0]) if raw else ""
    return str(raw)


@dataclass(frozen=True)
class TextField(Field):
    max_length: int = 300
    multiline: bool = False

    def convert(self, text: str, ctx: FormContext) -> str:
        if has_control_chars(text, allow_newlines=True):
            raise FieldError(N_("This answer contains characters that are not allowed."))
        if self.multiline:
            lines = unicodedata.normalize("NFC", text.replace("\r\n", "\n")).split("\n")
            cleaned = "\n".join(" ".join(line.split()) for line in lines).strip()
        else:
            cleaned = squash_spaces(text)
        if len(cleaned) > self.max_length:
            raise FieldError(N_("Use at most %(max)s characters."), max=self.max_length)
        return cleaned


@dataclass(frozen=True)
class NameField(Field):
    """A person's name in any script: letters, marks, spaces, hyphens, apostrophes."""

    icon: str = "person"
    max_length: int = 60

    def convert(self, text: str, ctx: FormContext) -> str:
        if has_control_chars(text):
            raise FieldError(N_("This answer contains characters that are not allowed."))
        name = squash_spaces(text)
        if len(name) > self.max_length:
            raise FieldError(N_("Use at most %(max)s characters."), max=self.max_length)
        if not all(is_name_char(c) for c in name) or not any(c.isalpha() for c in name):
            raise FieldError(N_("Use letters only."))
        return name


@dataclass(frozen=True)
class PhoneField(Field):
    """A phone number read with the deployment's country, stored in E.164."""

    icon: str = "phone"
    widget = "tel"
    inputmode = "tel"

    def convert(self, text: str, ctx: FormContext) -> str:
        if has_control_chars(text) or len(text) > 32:
            raise FieldError(N_("This is not a valid phone number."))
        digits = ascii_digits(text.lstrip("+").replace("(", "").replace(")", ""))
        if digits is None:
            raise FieldError(N_("This is not a valid phone number."))
        phone = normalize_phone(("+" if text.startswith("+") else "") + digits, ctx.default_country)
        if phone is None:
            raise FieldError(N_("This is not a valid phone number."))
        return phone


@dataclass(frozen=True)
class NationalIdField(Field):
    """A national ID: the country's format and check digit where it has one (python-stdnum)."""

    icon: str = "id"

    def convert(self, text: str, ctx: FormContext) -> str:
        if has_control_chars(text):
            raise FieldError(N_("This is not a valid ID number."))
        value = clean_national_id(text, ctx.default_country)
        if value is None:
            raise FieldError(N_("This is not a valid ID number."))
        return value


@dataclass(frozen=True)
class NumberField(Field):
    min_value: int = 0
    max_value: int = 999_999
    icon: str = "number"
    widget = "number"
    inputmode = "numeric"

    def convert(self, text: str, ctx: FormContext) -> int:
        digits = ascii_digits(text, separators="") if len(text) <= 12 else None
        if digits is None:
            raise FieldError(N_("Type a number using digits only."))
        value = int(digits)
        if not self.min_value <= value <= self.max_value:
            raise FieldError(
                N_("Type a number from %(min)s to %(max)s."),
                min=self.min_value,
                max=self.max_value,
            )
        return value


@dataclass(frozen=True)
class BirthYearField(NumberField):
    """A year of birth between `max_age` years ago and this year."""

    icon: str = "cake"
    max_age: int = 120
    min_age: int = 0

    def convert(self, text: str, ctx: FormContext) -> int:
        digits = ascii_digits(text, separators="") if len(text) <= 12 else None
        this_year = ctx.today.year
        low, high = this_year - self.max_age, this_year - self.min_age
        if digits is None or len(digits) != 4 or not low <= int(digits) <= high:
            raise FieldError(N_("Type a year from %(min)s to %(max)s."), min=low, max=high)
        return int(digits)


DATE_PATTERNS = (
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
    re.compile(r"^(?P<d>\d{1,2})[/.\- ](?P<m>\d{1,2})[/.\- ](?P<y>\d{4})$"),
    re.compile(r"^(?P<d>\d{2})(?P<m>\d{2})(?P<y>\d{4})$"),
)


@dataclass(frozen=True)
class DateField(Field):
    """A date typed as YYYY-MM-DD (browsers), DD/MM/YYYY or DDMMYYYY (keypads).

    `max_days_ago` and `max_days_ahead` bound it: a date of birth lies in the past, a consent
    date is today or a few days back.
    """

    icon: str = "calendar"
    max_days_ago: int = 120 * 366
    max_days_ahead: int = 0
    widget = "date"
    inputmode = "numeric"

    def convert(self, text: str, ctx: FormContext) -> str:
        if len(text) > 20 or has_control_chars(text):
            raise FieldError(N_("Type a date like 31/12/1980."))
        digits_only = "".join(str(int(c)) if c.isdecimal() else c for c in text)
        for pattern in DATE_PATTERNS:
            match = pattern.match(digits_only)
            if match:
                break
        else:
            raise FieldError(N_("Type a date like 31/12/1980."))
        try:
            value = date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError as exc:
            raise FieldError(N_("This date does not exist.")) from exc
        offset = (value - ctx.today).days
        if offset > self.max_days_ahead:
            raise FieldError(N_("This date is too far in the future."))
        if -offset > self.max_days_ago:
            raise FieldError(N_("This date is too far in the past."))
        return value.isoformat()

    def display(self, value: Any, ctx: FormContext) -> str:
        if not value:
            return ""
        from babel.dates import format_date

        return format_date(date.fromisoformat(value), format="medium", locale=ctx.language)


@dataclass(frozen=True)
class ChoiceField(Field):
    """One answer from a list. Values are never plain digits: a digit is a position."""

    options: Sequence[tuple[str, str]] = ()
    provider: ChoiceProvider | None = None
    widget = "radio"
    icon: str = "list"

    def choices(self, ctx: FormContext) -> list[tuple[str, str]]:
        if self.provider is not None:
            return self.provider(ctx)
        return [(value, ctx.translate(label)) for value, label in self.options]

    def convert(self, text: str, ctx: FormContext) -> str:
        choices = self.choices(ctx)
        for value, _label in choices:
            if text == value:
                return value
        for value, label in choices:
            if text.casefold() == label.casefold():
                return value
        digits = ascii_digits(text) if len(text) <= 4 else None
        if digits is not None and 1 <= int(digits) <= len(choices):
            return choices[int(digits) - 1][0]
        raise FieldError(N_("Choose one of the answers in the list."))

    def display(self, value: Any, ctx: FormContext) -> str:
        return dict(self.choices(ctx)).get(value, "") if value is not None else ""


YES_WORDS = frozenset({"yes", "y", "oui", "ndiyo", "ndio", "sim", "نعم", "true", "on"})
NO_WORDS = frozenset({"no", "n", "non", "hapana", "não", "nao", "لا", "false", "off"})


@dataclass(frozen=True)
class YesNoField(Field):
    icon: str = "check"
    widget = "yesno"

    def choices(self, ctx: FormContext) -> list[tuple[str, str]]:
        return [("yes", ctx.translate(N_("Yes"))), ("no", ctx.translate(N_("No")))]

    def convert(self, text: str, ctx: FormContext) -> bool:
        word = text.casefold()
        digits = ascii_digits(text) if len(text) <= 4 else None
        if word in YES_WORDS or digits == "1" or word == ctx.translate(N_("Yes")).casefold():
            return True
        if word in NO_WORDS or digits == "2" or word == ctx.translate(N_("No")).casefold():
            return False
        raise FieldError(N_("Answer 1 for yes or 2 for no."))

    def display(self, value: Any, ctx: FormContext) -> str:
        if value is None:
            return ""
        return ctx.translate(N_("Yes")) if value else ctx.translate(N_("No"))


@dataclass(frozen=True)
class AreaField(Field):
    """A community, picked region > district > community; only areas the caller may see."""

    icon: str = "place"
    widget = "area"

    def convert(self, text: str, ctx: FormContext) -> str:
        from forms.areas import community_in_scope

        if len(text) > 32 or has_control_chars(text):
            raise FieldError(N_("Choose a community from the list."))
        area = community_in_scope(ctx, text)
        if area is None:
            raise FieldError(N_("Choose a community from the list."))
        return area.code

    def display(self, value: Any, ctx: FormContext) -> str:
        from forms.areas import area_label

        return area_label(ctx, value) if value else ""


@dataclass(frozen=True)
class RepeatGroup:
    """Questions asked once per item (household members); `count_field` says how many."""

    name: str
    label: str
    fields: tuple[Field, ...]
    count_field: str
    item_label: str = N_("Member %(n)s")
    group: str = "members"
    icon: str = "people"
    channels: frozenset[str] = ALL_CHANNELS
    max_items: int = 20

    def applies(self, answers: Mapping[str, Any], channel: str) -> bool:
        return channel in self.channels


FormItem = Field | RepeatGroup


def field_default(item: Field, ctx: FormContext) -> Any:
    return item.default(ctx) if item.default is not None else None
