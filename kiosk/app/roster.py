"""The roster without central: importing a registrar's CSV export, listing, the demo roster.

A registrar's export is rarely tidy: it may be UTF-8 with or without a byte-order mark, UTF-16
(Excel's "Unicode text"), or Windows-1252; it may use ``;`` or tabs; its header may say
``name`` or ``first_name, last_name`` and ``student_id``. Everything is checked before anything
is written, every problem carries its line number, and nothing is imported while any row is
bad (unless the caller asks to skip bad rows). A file that is not text, or whose quoting is
broken (a quote never closed swallows the rows after it), is refused outright.
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.store import KEY_ROSTER_VERSION, Person, PersonIn, Store, UpsertResult

MAX_ID, MAX_NAME, MAX_TEXT = 128, 200, 100
MAX_FILE_BYTES = 64 * 1024 * 1024
TRUE = {"", "1", "true", "yes", "y", "active"}
FALSE = {"0", "false", "no", "n", "inactive"}

#: Header spellings seen in registrar and HR exports → our column.
ALIASES: dict[str, str] = {
    "external_id": "external_id", "id": "external_id", "student_id": "external_id",
    "studentid": "external_id", "student_number": "external_id", "person_id": "external_id",
    "employee_id": "external_id", "staff_id": "external_id", "badge": "external_id",
    "display_name": "display_name", "name": "display_name", "full_name": "display_name",
    "fullname": "display_name",
    "first_name": "first_name", "firstname": "first_name", "given_name": "first_name",
    "last_name": "last_name", "lastname": "last_name", "surname": "last_name",
    "family_name": "last_name",
    "role": "role", "type": "role",
    "group": "group", "class": "group", "form": "group", "department": "group",
    "active": "active", "status": "active", "enabled": "active",
}
TARGETS = ("external_id", "display_name", "role", "group", "active")


class RosterFileError(ValueError):
    """The file cannot be read as a roster at all; ``code`` for scripts."""

    def __init__(self, message: str, code: str = "bad-csv") -> None:
        super().__init__(message)
        self.code = code


@dataclass
class ParsedRoster:
    rows: list[PersonIn] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    #: How the header was understood, e.g. ``{"student_id": "external_id"}`` (renamed only).
    mapped: dict[str, str] = field(default_factory=dict)
    #: The text encoding the file was read with.
    encoding: str = "utf-8"


def _decode(raw: bytes) -> tuple[str, str]:
    if raw.startswith(codecs.BOM_UTF8):
        return raw[3:].decode("utf-8"), "utf-8"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise RosterFileError("The file says it is UTF-16 but is damaged.") from exc
    if b"\x00" in raw:
        raise RosterFileError("This is not a text file (it contains NUL bytes). Export the "
                              "roster as CSV.", "not-text")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    text = raw.decode("cp1252", errors="replace")
    if "\ufffd" in text:
        raise RosterFileError("The file is neither UTF-8 nor Windows-1252 text. Save it as "
                              "“CSV UTF-8”.", "not-text")
    return text, "windows-1252"


def _delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _map_header(header: list[str]) -> tuple[list[str], dict[str, str], str]:
    """Our column per header cell ("" = ignored), what was renamed, and a problem or ""."""
    cols: list[str] = []
    mapped: dict[str, str] = {}
    unknown: list[str] = []
    for h in header:
        key = h.strip().lower().replace(" ", "_").replace("-", "_")
        target = ALIASES.get(key, "")
        if not target:
            unknown.append(h.strip())
        elif key != target:
            mapped[h.strip()] = target
        cols.append(target)
    have = set(cols)
    if "external_id" not in have:
        return cols, mapped, "no column for the person's id (external_id, id or student_id)"
    if "display_name" not in have and not {"first_name", "last_name"} <= have:
        return cols, mapped, ("no column for the name (display_name, name, or first_name and "
                              "last_name)")
    if unknown:
        return cols, mapped, f"unknown column(s) {', '.join(unknown)}"
    if len(set(c for c in cols if c)) != len([c for c in cols if c]):
        return cols, mapped, "two columns mean the same thing"
    return cols, mapped, ""


def _bad_text(value: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" for ch in value)


def _row(values: list[str], cols: list[str]) -> tuple[dict[str, str], str]:
    if len(values) > len(cols):
        return {}, "more values than columns in the header"
    if len(values) < len(cols):
        return {}, "fewer values than columns in the header"
    rec = {c: v.strip() for c, v in zip(cols, values, strict=True) if c}
    if any("\n" in v or "\r" in v for v in rec.values()):
        return {}, "a value spans several lines (a quote that was never closed?)"
    if any(_bad_text(v) for v in rec.values()):
        return {}, "a value contains control characters"
    if "display_name" not in rec:
        rec["display_name"] = " ".join(x for x in (rec.pop("first_name", ""),
                                                   rec.pop("last_name", "")) if x)
    return rec, ""


def _check(rec: dict[str, str], seen: dict[str, int]) -> str:
    ext, name = rec.get("external_id", ""), rec.get("display_name", "")
    if not ext:
        return "the id is empty"
    if not name:
        return "the name is empty"
    if len(ext) > MAX_ID:
        return f"the id is longer than {MAX_ID} characters"
    if len(name) > MAX_NAME:
        return f"the name is longer than {MAX_NAME} characters"
    for col in ("role", "group"):
        if len(rec.get(col, "")) > MAX_TEXT:
            return f"{col} is longer than {MAX_TEXT} characters"
    active = rec.get("active", "").lower()
    if active not in TRUE | FALSE:
        return f"active must be true or false, not {active[:20]!r}"
    if ext in seen:
        return f"the id {ext!r} is already on line {seen[ext]}"
    return ""


def read_roster_csv(path: Path) -> ParsedRoster:
    """Every row checked; errors carry the file's line number (header = line 1)."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise RosterFileError(f"{path.name} is larger than {MAX_FILE_BYTES >> 20} MB.")
        raw = path.read_bytes()
    except OSError as exc:
        raise RosterFileError(f"Cannot read {path}: {exc.strerror or exc}.",
                              "unreadable") from exc
    text, encoding = _decode(raw)
    out = ParsedRoster(encoding=encoding)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    try:
        header = next(reader, None)
        if not header:
            raise RosterFileError(f"{path.name} is empty.")
        cols, out.mapped, problem = _map_header(header)
        if problem:
            raise RosterFileError(f"{path.name}: line 1: {problem}. The header must name the "
                                  "columns external_id, display_name (or first_name, last_name) "
                                  "and optionally role, group, active.")
        seen: dict[str, int] = {}
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            rec, problem = _row(values, cols)
            problem = problem or _check(rec, seen)
            if problem:
                out.errors.append((line, problem))
                continue
            seen[rec["external_id"]] = line
            out.rows.append(PersonIn(rec["external_id"], rec["display_name"],
                                     rec.get("role", ""), rec.get("group", ""),
                                     rec.get("active", "").lower() not in FALSE))
    except csv.Error as exc:
        raise RosterFileError(f"{path.name}: line {reader.line_num}: the CSV quoting is broken "
                              f"({exc}); a quote that is never closed swallows the rows after "
                              "it. Nothing was imported.") from exc
    return out


def preview(store: Store | None, rows: list[PersonIn]) -> dict[str, int]:
    """What an import would do, without doing it (``store`` None: no database yet)."""
    new = changed = same = 0
    for r in rows:
        old = store.people.get(r.external_id) if store is not None else None
        if old is None:
            new += 1
        elif (old.display_name, old.role, old.group, old.active) == (
                r.display_name, r.role, r.group, r.active):
            same += 1
        else:
            changed += 1
    return {"inserted": new, "updated": changed, "unchanged": same}


class RosterAdmin:
    """The roster as the technician and the administrator handle it (blocking calls)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def preview(self, rows: list[PersonIn]) -> dict[str, int]:
        return preview(self._store, rows)

    def import_rows(self, rows: list[PersonIn], *, actor: str) -> UpsertResult:
        """Import ``rows``; the roster version (central's counter) is left as it is: a local
        CSV is not a central snapshot."""
        version = self._store.state.get(KEY_ROSTER_VERSION) or "0"
        return self._store.people.upsert(rows, version, actor=actor)

    def list(self, search: str = "", limit: int = 50, *,
             include_inactive: bool = False) -> list[Person]:
        return self._store.people.search(search, limit, include_inactive=include_inactive)


__all__ = [
    "ALIASES",
    "ParsedRoster",
    "RosterAdmin",
    "RosterFileError",
    "preview",
    "read_roster_csv",
]
