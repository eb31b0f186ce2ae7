"""The words shown for each verification reason code."""

from __future__ import annotations

from registry.cards.verify import Reason
from registry.i18n import N_

REASON_TEXT = {
    Reason.OK: N_("Valid card."),
    Reason.BAD_PREFIX: N_("This is not a Kinga card code."),
    Reason.OVERSIZED: N_("This code is too long to be a Kinga card."),
    Reason.BAD_BASE45: N_("The code is damaged and cannot be read."),
    Reason.BAD_COSE: N_("The code is damaged and cannot be read."),
    Reason.UNSUPPORTED_ALG: N_("The card is signed in a way Kinga does not accept."),
    Reason.UNKNOWN_KID: N_("The card was signed with an unknown key. Sync and try again."),
    Reason.BAD_SIGNATURE: N_("The signature does not match: the card may be forged."),
    Reason.BAD_CLAIMS: N_("The card content is not in the expected form."),
    Reason.BAD_NUMBER: N_("The card number is not valid. Check the digits."),
    Reason.NOT_YET_VALID: N_("The card is not valid yet."),
    Reason.EXPIRED: N_("The card has expired."),
    Reason.REVOKED: N_("The card has been revoked."),
    Reason.UNKNOWN_CARD: N_("No card has this number."),
}
