"""Phone numbers in E.164, read the way people write them in the deployment's country."""

from __future__ import annotations

import phonenumbers


def normalize_phone(raw: str, default_country: str = "KE") -> str | None:
    """E.164 form of `raw`, or None when it is not a plausible, valid number."""
    raw = (raw or "").strip()
    if not raw or len(raw) > 32:
        return None
    try:
        parsed = phonenumbers.parse(raw, default_country)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def mask_phone(phone: str | None) -> str:
    """Only the last three digits: enough to confirm with the person, too little to misuse."""
    if not phone:
        return ""
    return "•" * max(len(phone) - 3, 0) + phone[-3:]
