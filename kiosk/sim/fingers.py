"""The simulated finger model: identities, noisy captures, character files and scores.

A finger is a label ("alice:right-index"). Its identity is a feature vector derived from the
label alone, so any simulator instance knows the same finger. Each capture adds noise to that
vector. Character files carry the (noisy) vector itself plus a keyed integrity tag, so a
template uploaded from one simulator and downloaded into another can be matched from its bytes
alone, while garbage bytes are recognised as an invalid template.

Character-file layout (``half`` = template_size / 2 bytes, zero-filled after the tag)::

    0  03 01            format header (as on real R307 dumps)
    2  kind             01 = single capture, 02 = merged template
    3  quality          0..255, informational
    4  identity (4)     first bytes of a hash of the label, for status displays only
    8  features (48)    signed bytes
    56 tag (8)          keyed BLAKE2b over bytes 0..55

A buffer/template is two halves; bytes after the tag must be zero. After Img2Tz the second
half is all zeros; after RegModel both halves are valid character files (merged, then the
second capture).
"""

from __future__ import annotations

import hashlib
import math
import random
import struct
from dataclasses import dataclass
from functools import lru_cache

FEATURES = 48
#: Template sizes of the R30x family (character file = half of it).
TEMPLATE_SIZES = (512, 768, 1536)
_HEADER = b"\x03\x01"
_TAG_KEY = b"kiosk-sim finger model v1"
_BODY = 8 + FEATURES
_TAG_LEN = 8
KIND_CAPTURE = 0x01
KIND_MERGED = 0x02
#: Spread of identity features and default per-capture noise (in feature units).
_ID_SIGMA = 40.0
DEFAULT_NOISE = 8.0
#: Score scale: same finger ~150–300, different fingers ~0.
_SCORE_MAX = 320.0
_SCORE_WIDTH = 22.0

IMAGE_WIDTH = 256
IMAGE_HEIGHT = 288
IMAGE_BYTES = IMAGE_WIDTH * IMAGE_HEIGHT // 2  # two 4-bit pixels per byte
_IMAGE_MAGIC = b"\x5a\xa5"


def _clip8(v: float) -> int:
    return max(-127, min(127, round(v)))


def identity_hash(label: str) -> bytes:
    return hashlib.blake2b(label.encode("utf-8"), digest_size=4, person=b"fp-ident").digest()


@lru_cache(maxsize=256)
def identity_vector(label: str) -> tuple[int, ...]:
    """The finger's true features: stable for a label, independent of any simulator state."""
    seed = int.from_bytes(hashlib.sha256(b"finger:" + label.encode("utf-8")).digest()[:8], "big")
    rng = random.Random(seed)
    return tuple(_clip8(rng.gauss(0.0, _ID_SIGMA)) for _ in range(FEATURES))


@dataclass(frozen=True)
class Features:
    """One decoded character file."""

    ident: bytes
    vector: tuple[int, ...]
    kind: int = KIND_CAPTURE
    quality: int = 200


def capture(label: str, rng: random.Random, noise: float = DEFAULT_NOISE) -> Features:
    """One noisy reading of ``label`` (what GenImg + Img2Tz would extract)."""
    base = identity_vector(label)
    vec = tuple(_clip8(v + rng.gauss(0.0, noise)) for v in base)
    quality = max(0, min(255, round(255 - 6 * noise + rng.uniform(-10, 10))))
    return Features(identity_hash(label), vec, KIND_CAPTURE, quality)


def _tag(body: bytes) -> bytes:
    return hashlib.blake2b(body, key=_TAG_KEY, digest_size=_TAG_LEN).digest()


def encode_char(f: Features, half: int) -> bytes:
    body = _HEADER + bytes((f.kind, f.quality)) + f.ident + struct.pack(f">{FEATURES}b", *f.vector)
    out = body + _tag(body)
    return out + bytes(half - len(out))


def decode_char(data: bytes) -> Features | None:
    """Features of a character file, or ``None`` if it is not one of ours (garbage, zeros)."""
    if len(data) < _BODY + _TAG_LEN or not data.startswith(_HEADER):
        return None
    body = bytes(data[:_BODY])
    if _tag(body) != bytes(data[_BODY : _BODY + _TAG_LEN]):
        return None
    if data[2] not in (KIND_CAPTURE, KIND_MERGED) or any(data[_BODY + _TAG_LEN :]):
        return None
    vec = struct.unpack_from(f">{FEATURES}b", body, 8)
    return Features(body[4:8], tuple(vec), body[2], body[3])


def encode_buffer(first: Features, second: Features | None, template_size: int) -> bytes:
    half = template_size // 2
    tail = encode_char(second, half) if second is not None else bytes(half)
    return encode_char(first, half) + tail


def decode_buffer(data: bytes) -> Features | None:
    """The primary features of a buffer/template; ``None`` when the bytes are not valid.

    Valid means: first half is a tagged character file and the second half is either another
    one or all zeros. Anything else (bit flips, truncation, random data) is invalid.
    """
    if len(data) not in TEMPLATE_SIZES:
        return None
    half = len(data) // 2
    first = decode_char(data[:half])
    if first is None:
        return None
    tail = data[half:]
    if any(tail) and decode_char(tail) is None:
        return None
    return first


def merge(a: Features, b: Features) -> Features:
    vec = tuple(_clip8((x + y) / 2) for x, y in zip(a.vector, b.vector, strict=True))
    return Features(a.ident, vec, KIND_MERGED, min(a.quality, b.quality))


def score(a: Features, b: Features) -> int:
    """Similarity 0..~320: a Gaussian of the RMS feature distance."""
    d2 = sum((x - y) ** 2 for x, y in zip(a.vector, b.vector, strict=True)) / FEATURES
    return round(_SCORE_MAX * math.exp(-d2 / (_SCORE_WIDTH**2)))


#: Minimum score per security level (1 loosest … 5 strictest).
THRESHOLDS: dict[int, int] = {1: 30, 2: 40, 3: 50, 4: 65, 5: 80}
#: RegModel refuses pairs scoring below this (independent of the security level).
MERGE_THRESHOLD = 40


# --- images -------------------------------------------------------------------------------


@lru_cache(maxsize=32)
def _ridge_image(ident: bytes) -> bytes:
    """A synthetic ridge pattern unique to the identity (only built on UpImage)."""
    seed = int.from_bytes(ident, "big")
    rng = random.Random(seed)
    cx, cy = rng.uniform(90, 166), rng.uniform(100, 188)
    freq = rng.uniform(0.35, 0.5)
    twist = rng.uniform(-0.02, 0.02)
    out = bytearray(IMAGE_BYTES)
    i = 0
    for y in range(IMAGE_HEIGHT):
        dy = y - cy
        for x in range(0, IMAGE_WIDTH, 2):
            px = []
            for xx in (x, x + 1):
                dx = xx - cx
                r = math.sqrt(dx * dx + dy * dy)
                inside = (dx / 110) ** 2 + (dy / 135) ** 2 < 1.0
                v = 8 + 7 * math.sin(freq * r + twist * dx * dy / 10) if inside else 15
                px.append(max(0, min(15, int(v))))
            out[i] = (px[0] << 4) | px[1]
            i += 1
    return bytes(out)


def render_image(f: Features) -> bytes:
    """UpImage payload: the ridge pattern, with the capture's features embedded in row 0.

    Embedding the features lets an image uploaded from one simulator and downloaded into
    another (DownImage → Img2Tz) still yield the same finger.
    """
    img = bytearray(_ridge_image(f.ident))
    blob = _IMAGE_MAGIC + encode_char(f, _BODY + _TAG_LEN)
    img[: len(blob)] = blob
    return bytes(img)


def features_from_image(img: bytes, rng: random.Random) -> Features | None:
    """Img2Tz on an arbitrary image buffer; ``None`` = too few features (blank image)."""
    if len(img) != IMAGE_BYTES:
        return None
    if img.startswith(_IMAGE_MAGIC):
        f = decode_char(img[len(_IMAGE_MAGIC) : len(_IMAGE_MAGIC) + _BODY + _TAG_LEN])
        if f is not None:
            return f
    if len(set(img)) < 4:
        return None
    # A foreign image: derive stable pseudo-features from its content.
    digest = hashlib.sha256(img).digest()
    label = "image:" + digest.hex()
    return capture(label, rng, noise=0.0)
