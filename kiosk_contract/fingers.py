"""The finger vocabulary: one definition for the station, the wire and central.

Names are the contract's (``right-index``); codes are the ISO/IEC 19794-2 finger positions
(1–10) the station database stores. Every layer uses :class:`Finger`; nobody re-spells a name
or keeps a code table of its own.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

Hand = Literal["right", "left"]


class Finger(StrEnum):
    RIGHT_THUMB = "right-thumb"
    RIGHT_INDEX = "right-index"
    RIGHT_MIDDLE = "right-middle"
    RIGHT_RING = "right-ring"
    RIGHT_LITTLE = "right-little"
    LEFT_THUMB = "left-thumb"
    LEFT_INDEX = "left-index"
    LEFT_MIDDLE = "left-middle"
    LEFT_RING = "left-ring"
    LEFT_LITTLE = "left-little"

    @property
    def code(self) -> int:
        """ISO/IEC 19794-2 finger position (right thumb = 1 … left little = 10)."""
        return _CODES[self]

    @property
    def hand(self) -> Hand:
        return "right" if self.value.startswith("right") else "left"

    @property
    def digit(self) -> str:
        """``thumb``, ``index``, ``middle``, ``ring`` or ``little``."""
        return self.value.split("-", 1)[1]

    @classmethod
    def from_code(cls, code: int) -> Finger:
        """The finger of an ISO code; raises ``ValueError`` outside 1–10."""
        if isinstance(code, bool) or not isinstance(code, int) or not 1 <= code <= 10:
            raise ValueError(f"finger code {code!r} is not 1–10")
        return _BY_CODE[code]

    @classmethod
    def parse(cls, value: str | int) -> Finger:
        """A name (``right-index``) or an ISO code; raises ``ValueError`` for anything else."""
        if isinstance(value, int):
            return cls.from_code(value)
        try:
            return cls(value)
        except ValueError:
            raise ValueError(
                f"unknown finger {value!r}; use one of: {', '.join(names())}"
            ) from None


_CODES: dict[Finger, int] = {f: n for n, f in enumerate(Finger, start=1)}
_BY_CODE: dict[int, Finger] = {n: f for f, n in _CODES.items()}


def names() -> tuple[str, ...]:
    """All finger names in ISO order (for argument choices and schemas)."""
    return tuple(f.value for f in Finger)


def is_finger(value: object) -> bool:
    return isinstance(value, str) and value in _NAMES


_NAMES = frozenset(names())

__all__ = ["Finger", "Hand", "is_finger", "names"]
