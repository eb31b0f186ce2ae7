"""Every SMS text the door sends, with sample values: tests measure each in every language."""

from __future__ import annotations

from registry.i18n import N_

HELP = N_(
    "Kinga: send %(status)s, %(register)s to register, %(complain)s and your text, "
    "%(track)s and a number, %(language)s, %(stop)s. Send %(help)s %(register)s for how to "
    "register."
)
HELP_REGISTER = N_(
    "Send %(register)s and answer one question at a time. Or send %(register)s with all the "
    "answers in order, separated by *: %(register)s answer1*answer2*..."
)
UNKNOWN = N_(
    "Kinga did not understand. Send %(status)s, %(register)s, %(complain)s, %(track)s or "
    "%(stop)s. Send %(help)s for more."
)
OPTED_OUT = N_("You will get no more SMS from Kinga. Send %(start)s to receive them again.")
OPTED_IN = N_("You will receive SMS from Kinga again. Send %(stop)s to end them.")
LANGUAGE_MENU = N_("Send %(language)s and a code: %(choices)s")
LANGUAGE_SET = N_("Kinga will now write to you in English.")
STATUS_NOT_FOUND = N_(
    "No household found. Send %(status)s, your household number and the year of birth of the "
    "head, e.g. %(status)s 123456782 1980"
)
STATUS_HOUSEHOLD = N_("Household %(number)s: %(registration)s.")
STATUS_PROGRAM = N_("%(program)s: %(status)s.")
STATUS_PAYMENT = N_("Next payment %(date)s: %(amount)s.")
STATUS_LAST_PAYMENT = N_("Last payment %(date)s: %(amount)s.")
COMPLAIN_USAGE = N_("Send %(complain)s followed by your complaint in a few words.")
TRACK_USAGE = N_("Send %(track)s followed by your complaint number.")
TRACK_NOT_FOUND = N_("No complaint with number %(number)s. Check the number and try again.")
TRACK_RESULT = N_("Complaint %(number)s: %(status)s.")
TRACK_REPLY = N_("Reply: %(reply)s")

# Sample values as long as real ones get (names of programs and statuses come localized).
SAMPLES: dict[str, dict[str, object]] = {
    STATUS_HOUSEHOLD: {"number": "123456782", "registration": "Pending verification"},
    STATUS_PROGRAM: {"program": "Cash for families with children", "status": "Enrolled"},
    STATUS_PAYMENT: {"date": "2026-12-15", "amount": "12,500.00 KES"},
    STATUS_LAST_PAYMENT: {"date": "2026-11-15", "amount": "12,500.00 KES"},
    TRACK_NOT_FOUND: {"number": "12345674"},
    TRACK_RESULT: {"number": "12345674", "status": "In progress"},
    TRACK_REPLY: {"reply": "x" * 40},
    LANGUAGE_MENU: {
        "choices": "EN English, FR Français, SW Kiswahili, PT Português, AR العربية",
    },
}
