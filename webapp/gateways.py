"""Who may call a gateway door: the secret path token and the optional allow-list of addresses.

Africa's Talking does not sign its callbacks; the secret token in the path (and, when set, the
allow-list of its addresses) is what keeps others out. The SMS and USSD doors both check their
callers here, so the rule is written once. `request.remote_addr` is the client's address as
ProxyFix gives it (see `KINGA_TRUSTED_PROXIES`), never a header the caller chose.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging

from flask import abort, request

from webapp.state import state

log = logging.getLogger(__name__)


def address_allowed(remote: str | None, allowed: tuple[str, ...]) -> bool:
    """True when no allow-list is set, or the caller's address is in one of its networks."""
    if not allowed:
        return True
    try:
        address = ipaddress.ip_address(remote or "")
    except ValueError:
        return False
    for entry in allowed:
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            log.warning("KINGA_AT_ALLOWED_IPS: ignoring %r", entry)
    return False


def token_matches(token: str) -> bool:
    expected = state().settings.at_callback_token
    return bool(expected) and hmac.compare_digest(token.encode(), expected.encode())


def check_africastalking_caller(values: dict | None, refusal: int) -> None:  # type: ignore[type-arg]
    """For a blueprint's `url_value_preprocessor`: takes `token` out of the URL values and
    refuses (`refusal`: 403 or 404) a wrong token or an address outside the allow-list."""
    token = (values or {}).pop("token", "")
    if not token_matches(token):
        abort(refusal)
    if not address_allowed(request.remote_addr, state().settings.at_allowed_ips):
        log.warning("Africa's Talking callback from %s refused", request.remote_addr)
        abort(refusal)
