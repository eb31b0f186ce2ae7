"""The conversation of one phone call: keypad answers in, sentences out.

It decides nothing about the domain: statuses, complaints and tracking come from the same
registry services as USSD and SMS; this module only walks the caller through them by voice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from registry.errors import InvalidInput
from registry.grievances.models import Grievance
from registry.grievances.recordings import attach_recording, find_recording
from registry.grievances.service import (
    GrievanceData,
    list_categories,
    lodge_grievance,
    track_for_caller,
)
from registry.households.models import Household
from registry.i18n import N_, translate
from registry.kvstore import KeyValueStore
from registry.numbers import is_valid, normalize
from registry.origin import Channel, Origin
from registry.programs.status import household_status
from registry.scope import Scope
from registry.selfservice.lookup import find_household_for_status, is_lookup_number
from registry.selfservice.sessions import remember_language
from registry.settings import Settings
from voice.prompts import say
from voice.speech import digit_by_digit, spoken_amount, spoken_date
from voice.state import CallState
from voice.turn import Gather, Record, Speech, Turn

MENU_CHOICES = 5  # the keypad menus keep to five choices, like USSD
OLDEST_BIRTH_YEAR = 1900
LOOKUP_DIGITS = 12
TRACKING_DIGITS = 10
MIN_RECORDING_SECONDS = 1
SPOKEN_TEXT = N_("Spoken message (%(seconds)s s): listen to the recording.")


@dataclass(frozen=True)
class Recording:
    """A caller's message as the gateway reported it (audio fetched by the door)."""

    provider: str
    recording_id: str
    duration_seconds: int | None
    audio: bytes | None
    content_type: str
    missing_reason: str | None = None


class Call:
    def __init__(
        self,
        state: CallState,
        session: Session,
        kv: KeyValueStore,
        settings: Settings,
        allow_lookup: Callable[[str], bool] | None = None,
    ) -> None:
        self.state = state
        self.session = session
        self.kv = kv
        self.settings = settings
        # Asked before each real lookup of a household (per phone and gateway limits): only
        # the lookup is refused when they are spent, never the rest of the call.
        self._allow_lookup = allow_lookup

    # -- helpers ----------------------------------------------------------------------------

    @property
    def lang(self) -> str:
        return self.state.language or self.settings.default_language

    def _say(self, key: str, **params: object) -> Speech:
        return Speech(say(self.lang, key, **params), self.lang, None if params else key)

    def _text(self, text: str) -> Speech:
        return Speech(text, self.lang)

    def _ask(self, step: str, speech: list[Speech], gather: Gather) -> Turn:
        self.state.step = step
        return Turn(speech, gather)

    def _end(self, speech: list[Speech]) -> Turn:
        self.state.ended = True
        self.state.step = "ended"
        return Turn([*speech, self._say("goodbye")], None)

    def origin(self) -> Origin:
        return Origin(
            channel=Channel.VOICE, language=self.lang, phone=self.state.phone, actor_name="voice"
        )

    # -- the conversation ---------------------------------------------------------------------

    def begin(self, *, callback: bool = False) -> Turn:
        """The first words; a call back (after a missed call) says why the phone rang."""
        before = [self._say("callback")] if callback else []
        if self.state.language is None:
            return self._language_menu(before)
        return self._menu([*before, self._say("welcome")])

    def _language_menu(self, before: list[Speech]) -> Turn:
        speech = list(before)
        for digit, language in enumerate(self.settings.languages, start=1):
            speech.append(
                Speech(say(language, "language", digit=digit), language, f"language_{digit}")
            )
        return self._ask("language", speech, Gather(1))

    def _menu(self, before: list[Speech]) -> Turn:
        return self._ask("menu", [*before, self._say("menu")], Gather(1))

    def repeat(self, before: list[Speech]) -> Turn:
        """The current question again (no key pressed, or a wrong one)."""
        step = self.state.step
        if step == "language":
            return self._language_menu(before)
        if step in ("menu", ""):
            return self._menu(before)
        if step == "category":
            return self._categories(before)
        if step == "record":
            return self._record(before)
        asks = {
            "status_number": ("status_number", Gather(LOOKUP_DIGITS, True)),
            "status_year": ("status_year", Gather(4, True)),
            "consent": ("consent", Gather(1)),
            "track_number": ("track_number", Gather(TRACKING_DIGITS, True)),
        }
        key, gather = asks[step]
        return self._ask(step, [*before, self._say(key)], gather)

    def answer(self, digits: str | None) -> Turn:
        """The caller pressed `digits` (None or "" when the gateway heard none)."""
        digits = (digits or "").strip().rstrip("#")
        if not digits:
            return self.repeat([self._say("no_input")])
        handler = getattr(self, f"_on_{self.state.step}", None)
        if handler is None:
            return self._menu([])
        return handler(digits)

    def _choice(self, digits: str, count: int) -> int | None:
        if len(digits) == 1 and digits.isdigit() and 1 <= int(digits) <= count:
            return int(digits) - 1
        return None

    def _on_language(self, digits: str) -> Turn:
        index = self._choice(digits, len(self.settings.languages))
        if index is None:
            return self.repeat([self._say("invalid")])
        self.state.language = self.settings.languages[index]
        remember_language(self.session, self.state.phone, self.state.language)
        return self._menu([self._say("welcome")])

    def _on_menu(self, digits: str) -> Turn:
        index = self._choice(digits, 3)
        if index == 0:
            return self._begin_status()
        if index == 1:
            return self._categories([])
        if index == 2:
            return self._ask("track_number", [self._say("track_number")], Gather(10, True))
        return self.repeat([self._say("invalid")])

    # -- status ------------------------------------------------------------------------------

    def _lookup_allowed(self) -> bool:
        return self._allow_lookup is None or self._allow_lookup(self.state.phone)

    def _begin_status(self) -> Turn:
        if not self._lookup_allowed():
            return self._end([self._say("too_many")])
        household = find_household_for_status(self.session, self.kv, caller_phone=self.state.phone)
        if household is not None:
            return self._end(self._status_of(household))
        return self._ask("status_number", [self._say("status_number")], Gather(LOOKUP_DIGITS, True))

    def _on_status_number(self, digits: str) -> Turn:
        number = normalize(digits)
        if not is_lookup_number(number):
            return self.repeat([self._say("number_mistake")])
        self.state.data["status_number"] = number
        return self._ask("status_year", [self._say("status_year")], Gather(4, True))

    def _on_status_year(self, digits: str) -> Turn:
        if not (
            digits.isdigit()
            and len(digits) == 4
            and OLDEST_BIRTH_YEAR <= int(digits) <= date.today().year
        ):
            return self.repeat([self._say("year_mistake")])
        if not self._lookup_allowed():
            return self._end([self._say("too_many")])
        household = find_household_for_status(
            self.session,
            self.kv,
            caller_phone=self.state.phone,
            number=self.state.data.get("status_number"),
            head_birth_year=int(digits),
        )
        if household is None:
            return self._end([self._say("not_found")])
        return self._end(self._status_of(household))

    def _status_of(self, household: Household) -> list[Speech]:
        household = self.session.scalar(
            select(Household)
            .options(selectinload(Household.members))
            .where(Household.id == household.id)
        )
        assert household is not None
        view = household_status(self.session, household, self.lang)
        speech = [
            self._say("household", digits=digit_by_digit(view.household_number)),
            self._say("registration", label=view.registration_label),
        ]
        for line in view.enrollments:
            speech.append(
                self._say("program_line", program=line.program_name, status=line.status_label)
            )
            if line.reason:
                speech.append(self._text(line.reason))
        payment = view.next_payment
        if payment is not None:
            what = payment.items or (
                spoken_amount(payment.amount, payment.currency, self.lang)
                if payment.amount is not None
                else ""
            )
            speech.append(
                self._say("next_payment", date=spoken_date(payment.due_date, self.lang), what=what)
            )
        return speech

    # -- report a problem ----------------------------------------------------------------------

    def _categories(self, before: list[Speech]) -> Turn:
        categories = list(list_categories(self.session, self.lang))[:MENU_CHOICES]
        speech = [*before, self._say("category")]
        for digit, category in enumerate(categories, start=1):
            speech.append(self._say("category_choice", name=category.name, digit=digit))
        self.state.data["categories"] = [c.code for c in categories]
        return self._ask("category", speech, Gather(1))

    def _on_category(self, digits: str) -> Turn:
        codes = self.state.data.get("categories") or []
        index = self._choice(digits, len(codes))
        if index is None:
            return self.repeat([self._say("invalid")])
        self.state.data["category"] = codes[index]
        return self._ask("consent", [self._say("consent")], Gather(1))

    def _on_consent(self, digits: str) -> Turn:
        index = self._choice(digits, 2)
        if index is None:
            return self.repeat([self._say("invalid")])
        self.state.data["anonymous"] = index == 1
        return self._record([])

    def _record(self, before: list[Speech]) -> Turn:
        self.state.step = "record"
        return Turn([*before, self._say("record")], Record())

    def recorded(self, recording: Recording) -> Turn:
        """The gateway reports the caller's message: it becomes a grievance, once."""
        if self.state.step != "record":
            return self.repeat([])
        done = find_recording(self.session, recording.provider, recording.recording_id)
        if done is not None:  # the same recording reported again: the same answer
            number = self.session.get(Grievance, done.grievance_id).number  # type: ignore[union-attr]
            return self._received(number)
        too_short = (recording.duration_seconds or 0) < MIN_RECORDING_SECONDS
        if too_short and not self.state.data.get("asked_again"):
            self.state.data["asked_again"] = True
            return self._record([self._say("record_again")])
        data = self.state.data
        try:
            grievance = lodge_grievance(
                self.session,
                GrievanceData(
                    category_code=data["category"],
                    text=translate(
                        self.settings.default_language,
                        SPOKEN_TEXT,
                        seconds=recording.duration_seconds or 0,
                    ),
                    area_code=None,  # the grievance service finds it from the phone
                    complainant_phone=self.state.phone,
                    person_id=None,
                    anonymous=bool(data.get("anonymous")),
                    consent_to_contact=not data.get("anonymous"),
                    language=self.lang,
                ),
                origin=self.origin(),
                # The complainant's own phone (checked by the gateway): anywhere in the registry.
                scope=Scope.unrestricted(),
            )
        except InvalidInput as exc:
            return self._end([self._text(translate(self.lang, exc.msgid, **exc.params))])
        attach_recording(
            self.session,
            grievance,
            provider=recording.provider,
            provider_recording_id=recording.recording_id,
            audio=recording.audio,
            content_type=recording.content_type,
            duration_seconds=recording.duration_seconds,
            missing_reason=recording.missing_reason,
            origin=self.origin(),
        )
        return self._received(grievance.number)

    def _received(self, number: str) -> Turn:
        digits = digit_by_digit(number)
        return self._end(
            [
                self._say("received"),
                self._say("tracking", digits=digits),
                self._say("repeat_tracking", digits=digits),
            ]
        )

    # -- follow a complaint ----------------------------------------------------------------------

    def _on_track_number(self, digits: str) -> Turn:
        number = normalize(digits)
        if not (number.isdigit() and len(number) <= TRACKING_DIGITS and is_valid(number)):
            return self.repeat([self._say("number_mistake")])
        view = track_for_caller(self.session, self.kv, self.state.phone, number, self.lang)
        if view is None:
            return self._end([self._say("track_unknown")])
        speech = [
            self._say(
                "complaint_status", digits=digit_by_digit(view.number), status=view.status_label
            )
        ]
        if view.last_public_reply:
            speech.append(self._say("complaint_reply", text=view.last_public_reply))
        return self._end(speech)
