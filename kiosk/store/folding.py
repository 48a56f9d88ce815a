"""Search folding: "Lefèvre", "LEFEVRE" and "lefevre" are the same search.

A clerk types names as they hear them, without accents and in any case, so the roster is
searched on a folded key: Unicode compatibility decomposition, combining marks removed, case
folded (``ß`` → ``ss``), and the few Latin letters that do not decompose (``ø``, ``ł``, ``æ``…)
mapped by hand. Query words are folded the same way. Changing this function needs a
migration that recomputes ``people.search_key``.
"""

from __future__ import annotations

import unicodedata

_EXTRA = str.maketrans({
    "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i",
    "ħ": "h", "ŧ": "t", "ŋ": "n", "ĸ": "k", "ſ": "s",
})


def fold(text: str) -> str:
    """The folded form of ``text`` (lower case, no accents, single spaces)."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().translate(_EXTRA).split())


def search_key(display_name: str, external_id: str) -> str:
    """What a person is found by: their folded name and id."""
    return f"{fold(display_name)} {fold(external_id)}"


__all__ = ["fold", "search_key"]
