"""Reading a registrar's roster export (CSV) without guessing silently.

Registrars export in many spellings, encodings and delimiters. This reader accepts the common
header spellings (``id``/``student_id``/…, ``name`` or ``first_name`` + ``last_name``, …) and
says which columns it mapped; it accepts ``,``, ``;``, tab or ``|`` delimiters. Everything it
cannot read for certain is an error that names the line and what to do — a file that is not
UTF-8 (Latin-1, UTF-16), binary data, NUL bytes, a quote that is never closed (which would
swallow the following rows into one name), a row with extra fields, a duplicate id — and
then nothing is imported.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import kiosk_contract as c
from kiosk_contract.roster import GROUP_MAX, ID_MAX, NAME_MAX, ROLE_MAX

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_ERRORS = 10

SYNONYMS: dict[str, tuple[str, ...]] = {
    "external_id": ("external_id", "id", "student_id", "studentid", "student_number",
                    "person_id", "employee_id", "employee_number", "staff_id", "pupil_id",
                    "member_id", "user_id", "userid", "matricule", "upn", "badge_id"),
    "display_name": ("display_name", "name", "full_name", "fullname", "student_name",
                     "person_name", "displayname"),
    "first_name": ("first_name", "firstname", "given_name", "givenname", "forename", "first"),
    "last_name": ("last_name", "lastname", "surname", "family_name", "familyname", "last"),
    "active": ("active", "is_active", "enabled", "status"),
    "group": ("group", "group_name", "class", "form", "homeroom", "department", "dept",
              "cohort", "year_group", "team"),
    "role": ("role", "type", "category", "person_type"),
}
_TRUE = {"", "1", "true", "yes", "y", "active", "enabled", "t"}
_FALSE = {"0", "false", "no", "n", "inactive", "disabled", "f", "left", "gone"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class RosterFileError(Exception):
    """The file cannot be imported; the message says why, where and what to do."""


@dataclass
class CsvRoster:
    people: list[c.RosterPerson]
    mapping: dict[str, str]
    ignored: list[str]
    delimiter: str
    encoding: str
    blank_rows: int = 0
    notes: list[str] = field(default_factory=list)


def _norm(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", header.strip().lower()).strip("_")


def _decode(raw: bytes, path: Path, encoding: str | None) -> tuple[str, str]:
    if encoding:
        try:
            return raw.decode(encoding), encoding
        except LookupError:
            raise RosterFileError(f"unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as exc:
            raise RosterFileError(f"{path} is not valid {encoding} at byte {exc.start}") from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise RosterFileError(f"{path} is UTF-16 text; save it as CSV UTF-8, or import it "
                              "with --encoding utf-16")
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise RosterFileError(f"{path} contains NUL bytes (first on line {line}): it is a "
                              "binary file (a spreadsheet rather than CSV?) or UTF-16 without "
                              "a byte-order mark; export it as CSV UTF-8")
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise RosterFileError(
            f"{path} is not UTF-8 (line {line}, byte 0x{raw[exc.start]:02x}); it looks like "
            "Latin-1/Windows-1252 or a binary file. Save it as CSV UTF-8, or import it with "
            "--encoding latin-1 if that is what it is") from None


def _delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _map_header(header: list[str], path: Path) -> tuple[dict[str, int], dict[str, str],
                                                       list[str]]:
    cols: dict[str, int] = {}
    shown: dict[str, str] = {}
    ignored = []
    for i, h in enumerate(header):
        key = _norm(h)
        target = next((f for f, names in SYNONYMS.items() if key in names), None)
        if target is None:
            if h.strip():
                ignored.append(h.strip())
            continue
        if target in cols:
            raise RosterFileError(f"{path}: both {header[cols[target]]!r} and {h!r} could be "
                                  f"the {target}; rename or remove one of them")
        cols[target], shown[target] = i, h.strip()
    if "external_id" not in cols:
        raise RosterFileError(
            f"{path}: no id column in the header {[h.strip() for h in header][:8]}; name it "
            f"one of: {', '.join(SYNONYMS['external_id'][:8])}")
    if "display_name" not in cols and not {"first_name", "last_name"} <= cols.keys():
        raise RosterFileError(
            f"{path}: no name column; give display_name (or name, full_name) or both "
            "first_name and last_name")
    mapping = {"external_id": shown["external_id"]}
    if "display_name" in cols:
        mapping["display_name"] = shown["display_name"]
        for f in ("first_name", "last_name"):
            if f in cols:
                ignored.append(shown.pop(f))
                del cols[f]
    else:
        mapping["display_name"] = f"{shown['first_name']} + {shown['last_name']}"
    mapping.update({f: shown[f] for f in ("active", "group", "role") if f in cols})
    return cols, mapping, ignored


def _active(value: str, line: int) -> bool:
    v = value.strip().lower()
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    raise RosterFileError(f"line {line}: active is {value[:20]!r}; use yes/no, true/false or "
                          "1/0")


def read_roster_csv(path: Path, encoding: str | None = None) -> CsvRoster:
    """Parse ``path`` completely or raise :class:`RosterFileError` (nothing half-read)."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise RosterFileError(f"{path} is larger than {MAX_FILE_BYTES // 2**20} MiB")
        raw = path.read_bytes()
    except OSError as exc:
        raise RosterFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    text, enc = _decode(raw, path, encoding)
    if not text.strip():
        raise RosterFileError(f"{path} is empty")
    if _CONTROL.search(text):
        line = text[: _CONTROL.search(text).start()].count("\n") + 1  # type: ignore[union-attr]
        raise RosterFileError(f"{path} holds control characters (first on line {line}); it "
                              "is not a plain-text CSV export")
    delim = _delimiter(text.splitlines()[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True)
    errors: list[str] = []
    out: list[c.RosterPerson] = []
    seen: dict[str, int] = {}
    blank = 0
    try:
        header = next(reader)
        cols, mapping, ignored = _map_header(header, path)
        start = reader.line_num + 1
        for row in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in row):
                blank += 1
                continue
            try:
                person = _row(row, cols, len(header), line, reader.line_num)
            except RosterFileError as exc:
                errors.append(str(exc))
                if len(errors) >= MAX_ERRORS:
                    break
                continue
            if person.external_id in seen:
                errors.append(f"line {line}: id {person.external_id!r} already appears on "
                              f"line {seen[person.external_id]}")
                continue
            seen[person.external_id] = line
            out.append(person)
    except csv.Error as exc:
        raise RosterFileError(f"{path}: a quoted field starting on line {start} is never "
                              f"closed ({exc}); fix the stray quote — nothing was "
                              "imported") from None
    if errors:
        more = " (and possibly more)" if len(errors) >= MAX_ERRORS else ""
        raise RosterFileError(f"{path}: {len(errors)} bad row(s){more}, nothing imported:\n  "
                              + "\n  ".join(errors))
    if not out:
        raise RosterFileError(f"{path} has a header but no people")
    return CsvRoster(out, mapping, ignored, delim, enc, blank)


def _row(row: list[str], cols: dict[str, int], width: int, line: int,
         end_line: int) -> c.RosterPerson:
    if end_line > line:
        raise RosterFileError(f"line {line}: a quoted field runs on to line {end_line} (a "
                              "stray quote?); names cannot span lines")
    if len(row) > width:
        raise RosterFileError(f"line {line} has {len(row)} fields but the header has {width} "
                              "(an unquoted delimiter inside a name?)")

    def get(f: str) -> str:
        i = cols.get(f)
        return row[i].strip() if i is not None and i < len(row) else ""

    ext = get("external_id")
    name = get("display_name") or " ".join(p for p in (get("first_name"), get("last_name"))
                                           if p)
    for what, value, limit in (("id", ext, ID_MAX), ("name", name, NAME_MAX),
                               ("group", get("group"), GROUP_MAX),
                               ("role", get("role"), ROLE_MAX)):
        if what in ("id", "name") and not value:
            raise RosterFileError(f"line {line}: the {what} is empty")
        if len(value) > limit:
            raise RosterFileError(f"line {line}: the {what} is longer than {limit} characters")
    return c.RosterPerson(ext, name, _active(get("active"), line), get("group"), get("role"))
