"""QR symbols as the `qrcode` package makes them, several times faster.

`qrcode` spends its time in three places: fitting the version (it encodes the data several
times), Reed-Solomon codes (polynomial objects in pure Python) and choosing the mask (it
places the data eight times and scores each result in pure Python). For our one-segment
alphanumeric payloads, `FastQRCode` encodes once (`qr_data`), places the data once, applies
the eight masks as array operations and scores them with the standard's penalty rules
(ISO/IEC 18004, 7.8.3) in numpy. The symbols are identical to `qrcode`'s (tests check it).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import qrcode
from qrcode import util as qr_util

from registry.cards.qr_data import create_data, fit_version

_FINDER_BITS = 0b10111010000  # dark, light, 3 dark, light, dark, then four light
_FINDER_BITS_REVERSED = 0b00001011101
# The eight data masks of the standard, as functions of row i and column j (arrays).
_MASKS = (
    lambda i, j: (i + j) % 2 == 0,
    lambda i, j: i % 2 == 0,
    lambda i, j: j % 3 == 0,
    lambda i, j: (i + j) % 3 == 0,
    lambda i, j: (i // 2 + j // 3) % 2 == 0,
    lambda i, j: (i * j) % 2 + (i * j) % 3 == 0,
    lambda i, j: ((i * j) % 2 + (i * j) % 3) % 2 == 0,
    lambda i, j: ((i * j) % 3 + (i + j) % 2) % 2 == 0,
)


def _runs_penalty(stack: np.ndarray) -> np.ndarray:
    """Rule 1: each run of five or more same-coloured modules in a row or column."""
    count, size = stack.shape[0], stack.shape[1]
    scores = np.zeros(count, dtype=np.int64)
    for grid in (stack, stack.transpose(0, 2, 1)):
        framed = np.full((count, size, size + 1), 2, dtype=np.int8)
        framed[:, :, :-1] = grid
        flat = framed.ravel()
        starts = np.concatenate(([0], np.flatnonzero(np.diff(flat)) + 1))
        lengths = np.diff(np.concatenate((starts, [flat.size])))
        keep = (flat[starts] != 2) & (lengths >= 5)
        owner = starts[keep] // (size * (size + 1))
        scores += np.bincount(owner, weights=lengths[keep] - 2, minlength=count).astype(np.int64)
    return scores


def _blocks_penalty(stack: np.ndarray) -> np.ndarray:
    """Rule 2: each 2x2 block of one colour."""
    top_left = stack[:, :-1, :-1]
    same = (
        (top_left == stack[:, 1:, :-1])
        & (top_left == stack[:, :-1, 1:])
        & (top_left == stack[:, 1:, 1:])
    )
    return 3 * same.sum(axis=(1, 2))


def _finder_penalty(stack: np.ndarray) -> np.ndarray:
    """Rule 3: each 1:1:3:1:1 pattern with four light modules on one side."""
    found = np.zeros(stack.shape[0], dtype=np.int64)
    for grid in (stack, stack.transpose(0, 2, 1)):
        width = grid.shape[2] - 10
        # Each window of eleven modules read as an 11-bit number, first module highest.
        windows = np.zeros(grid.shape[:2] + (width,), dtype=np.int16)
        for k in range(11):
            windows |= grid[:, :, k : k + width].astype(np.int16) << (10 - k)
        found += ((windows == _FINDER_BITS) | (windows == _FINDER_BITS_REVERSED)).sum(axis=(1, 2))
    return 40 * found


def _balance_penalty(stack: np.ndarray) -> np.ndarray:
    """Rule 4: distance of the dark share from 50%, in steps of 5%."""
    percent = 100.0 * stack.sum(axis=(1, 2)) / (stack.shape[1] * stack.shape[2])
    return 10 * (np.abs(percent - 50) // 5).astype(np.int64)


@lru_cache(maxsize=48)
def _placement_order(version: int, free_bytes: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Data module coordinates in the standard's two-column zigzag, right to left."""
    size = version * 4 + 17
    free = np.frombuffer(free_bytes, dtype=bool).reshape(size, size)
    order_rows, order_cols = [], []
    direction, row = -1, size - 1
    for col in range(size - 1, 0, -2):
        if col <= 6:
            col -= 1  # skip the vertical timing pattern
        while True:
            for c in (col, col - 1):
                if free[row, c]:
                    order_rows.append(row)
                    order_cols.append(c)
            row += direction
            if row < 0 or row >= size:
                row -= direction
                direction = -direction
                break
    return np.array(order_rows), np.array(order_cols)


def penalties(stack: np.ndarray) -> np.ndarray:
    """The penalty score of each symbol in a (count, size, size) stack of 0/1 modules."""
    stack = stack.astype(np.int8)
    return (
        _runs_penalty(stack)
        + _blocks_penalty(stack)
        + _finder_penalty(stack)
        + _balance_penalty(stack)
    )


class FastQRCode(qrcode.QRCode):  # type: ignore[misc]
    """`qrcode.QRCode` with the fast paths above; other data falls back to the package."""

    _unmasked: np.ndarray
    _free: np.ndarray

    def make(self, fit: bool = True) -> None:
        chunks = self.data_list
        if len(chunks) != 1 or chunks[0].mode != qr_util.MODE_ALPHA_NUM:
            super().make(fit)
            return
        text = chunks[0].data.decode("ascii")
        if fit or self._version is None:  # the `version` property would run best_fit
            self.version = fit_version(text, self.error_correction, start=self._version or 1)
        self.data_cache = create_data(text, self.version, self.error_correction)
        mask = self.mask_pattern if self.mask_pattern is not None else self.best_mask_pattern()
        self.makeImpl(False, mask)

    def map_data(self, data: list[int], mask_pattern: int) -> None:
        """Places the codewords with numpy (same order and remainder bits as `qrcode`)."""
        free = np.array([[value is None for value in row] for row in self.modules], dtype=bool)
        rows, cols = _placement_order(self.version, free.tobytes())
        bits = np.unpackbits(np.array(data, dtype=np.uint8)).astype(bool)
        placed = min(len(bits), len(rows))
        unmasked = np.zeros(free.shape, dtype=bool)
        unmasked[rows[:placed], cols[:placed]] = bits[:placed]
        self._unmasked, self._free = unmasked, free
        grid_rows, grid_cols = np.indices(free.shape)
        values = unmasked ^ (_MASKS[mask_pattern](grid_rows, grid_cols) & free)
        fixed = np.array([[bool(value) for value in row] for row in self.modules], dtype=bool)
        self.modules = np.where(free, values, fixed).tolist()

    def best_mask_pattern(self) -> int:
        self.makeImpl(True, 0)  # function patterns with blank format info, as `qrcode` scores
        base = np.array(self.modules, dtype=bool) ^ self._unmasked
        base ^= _MASKS[0](*np.indices(base.shape)) & self._free  # function patterns only
        rows, cols = np.indices(base.shape)
        stack = np.stack(
            [base | (self._unmasked ^ (mask(rows, cols) & self._free)) for mask in _MASKS]
        )
        return int(np.argmin(penalties(stack)))
