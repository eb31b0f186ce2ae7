"""The data codewords of an alphanumeric QR symbol, computed the way `qrcode` does, faster.

`qrcode` fits the version by encoding the data several times and computes Reed-Solomon
codes with polynomial objects in pure Python; for our one-segment alphanumeric payloads
this module does both once, with table lookups (ISO/IEC 18004, 7.4 and 7.5). The result
is byte-for-byte what `qrcode.util.create_data` returns (tests hold it to that).
"""

from __future__ import annotations

from functools import lru_cache

from qrcode import LUT
from qrcode import base as qr_base
from qrcode import util as qr_util

ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_VALUE = {char: index for index, char in enumerate(ALPHANUMERIC)}
_EXP, _LOG = qr_base.EXP_TABLE, qr_base.LOG_TABLE


def is_alphanumeric(text: str) -> bool:
    return all(char in _VALUE for char in text)


@lru_cache(maxsize=64)
def _data_bits(version: int, error_correction: int) -> int:
    return sum(block.data_count * 8 for block in qr_base.rs_blocks(version, error_correction))


def _count_bits(version: int) -> int:
    return qr_util.length_in_bits(qr_util.MODE_ALPHA_NUM, version)


def _payload_bits(text: str, version: int) -> int:
    return 4 + _count_bits(version) + 11 * (len(text) // 2) + 6 * (len(text) % 2)


def fit_version(text: str, error_correction: int, start: int = 1) -> int:
    for version in range(start, 41):
        if _payload_bits(text, version) <= _data_bits(version, error_correction):
            return version
    raise ValueError("payload too long for any QR version")


def _codewords(text: str, version: int, error_correction: int) -> list[int]:
    value, length = qr_util.MODE_ALPHA_NUM, 4
    count_bits = _count_bits(version)
    value, length = (value << count_bits) | len(text), length + count_bits
    for i in range(0, len(text) - 1, 2):
        value = (value << 11) | (_VALUE[text[i]] * 45 + _VALUE[text[i + 1]])
        length += 11
    if len(text) % 2:
        value, length = (value << 6) | _VALUE[text[-1]], length + 6
    limit = _data_bits(version, error_correction)
    terminator = min(limit - length, 4)
    value, length = value << terminator, length + terminator
    if length % 8:
        value, length = value << (8 - length % 8), length + (8 - length % 8)
    words = list(value.to_bytes(length // 8, "big"))
    pads = (qr_util.PAD0, qr_util.PAD1)
    words.extend(pads[i % 2] for i in range((limit - length) // 8))
    return words


@lru_cache(maxsize=64)
def _generator_logs(ec_count: int) -> tuple[int, ...]:
    if ec_count in LUT.rsPoly_LUT:
        generator = LUT.rsPoly_LUT[ec_count]
    else:
        poly = qr_base.Polynomial([1], 0)
        for i in range(ec_count):
            poly = poly * qr_base.Polynomial([1, qr_base.gexp(i)], 0)
        generator = [poly[i] for i in range(len(poly))]
    return tuple(_LOG[coefficient] for coefficient in generator[1:])


def _remainder(data: list[int], ec_count: int) -> list[int]:
    logs = _generator_logs(ec_count)
    remainder = [0] * ec_count
    for byte in data:
        factor = byte ^ remainder[0]
        remainder = remainder[1:]
        remainder.append(0)
        if factor:
            log_factor = _LOG[factor]
            for i, log_g in enumerate(logs):
                remainder[i] ^= _EXP[(log_g + log_factor) % 255]
    return remainder


def create_data(text: str, version: int, error_correction: int) -> list[int]:
    """Interleaved data and error correction codewords, as `qrcode.util.create_data`."""
    words = _codewords(text, version, error_correction)
    data_blocks, ec_blocks, offset = [], [], 0
    for block in qr_base.rs_blocks(version, error_correction):
        chunk = words[offset : offset + block.data_count]
        offset += block.data_count
        data_blocks.append(chunk)
        ec_blocks.append(_remainder(chunk, block.total_count - block.data_count))
    out: list[int] = []
    for blocks in (data_blocks, ec_blocks):
        for i in range(max(len(b) for b in blocks)):
            out.extend(b[i] for b in blocks if i < len(b))
    return out
