"""Reading what the caller typed from gateways that each say it a little differently.

Africa's Talking sends every input so far joined by `*` ("1*2*1990"); some gateways send only
the latest input ("1990"); some put the dialed shortcut in the first request ("*384*123*2#").
Each request is compared with the chain seen before in the same session: a chain seen before
is a replay, a longer chain carries new inputs, anything else is a latest-only input (and from
then on the session is read as latest-only).

A latest-only gateway repeating an answer ("1" then "1") looks exactly like a replay; when a
gateway is known to send only the latest input, its callback URL says so (`?input=latest`) and
every request is read as one new input. Replays are then harmless only where it matters: a
session that has ended answers every later request with its last screen.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Inputs:
    replay: bool
    new: list[str]
    chain: str  # what to compare the next request with
    latest: bool = False  # the gateway sends only the latest input


def strip_shortcut(text: str, service_code: str) -> str:
    """The inputs in a first request, without the dialed service code around them."""
    cleaned = text.strip()
    if cleaned.endswith("#"):
        cleaned = cleaned[:-1]
    code = service_code.strip().rstrip("#")
    for prefix in {code, code.lstrip("*")} - {""}:
        if cleaned == prefix:
            return ""
        if cleaned.startswith(prefix + "*"):
            return cleaned[len(prefix) + 1 :]
    return cleaned.lstrip("*") if cleaned.startswith("*") else cleaned


def read_inputs(
    text: str, previous_chain: str | None, service_code: str, latest: bool = False
) -> Inputs:
    """`previous_chain` is None on the first request of a session."""
    if previous_chain is None:
        chain = strip_shortcut(text, service_code)
        return Inputs(replay=False, new=chain.split("*") if chain else [], chain=chain)
    chain = strip_shortcut(text, service_code)
    if latest:
        return Inputs(replay=False, new=[chain], chain=chain, latest=True)
    if chain == previous_chain or (previous_chain.startswith(chain + "*")):
        return Inputs(replay=True, new=[], chain=chain)
    if not previous_chain:
        return Inputs(replay=False, new=chain.split("*") if chain else [""], chain=chain)
    if chain.startswith(previous_chain + "*"):
        return Inputs(replay=False, new=chain[len(previous_chain) + 1 :].split("*"), chain=chain)
    return Inputs(replay=False, new=[chain], chain=chain, latest=True)
