"""Keystroke-to-results time of the desk's people search over a generated roster.

    .venv/bin/python -m bench.bench_search [--mode full|quick|smoke] [--db FILE]

``roster_search_ms``: names and ids typed one keystroke at a time (each prefix is one search,
the way the search box asks after each keystroke), plus 1–2 letter queries, rare and mid-word
substrings, and non-ASCII queries (accents, Polish, Danish, Cyrillic, Chinese, Vietnamese).
Each search is the call the desk makes per keystroke (``EnrollmentDesk.search``: the people
with their fingers and consent, 20 rows, one read transaction) on 100,000 people (smoke:
2,000). Value: p95 in ms; p50 and the slowest queries in the detail. The search box's
debounce (a deliberate wait for the next keystroke) is not included.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import Figure, Mode, emit, mode_arg, pct, progress
from kiosk.app.desk import SEARCH_ROWS
from kiosk.store import PersonIn, Store

SYLLABLES = ["an", "be", "ca", "do", "el", "fi", "ga", "ha", "in", "jo", "ka", "li", "ma", "no",
             "ol", "pa", "qu", "ri", "sa", "ta", "ul", "vi", "wa", "xe", "yo", "zu", "th", "sh",
             "ch", "ber", "son", "ton", "ska", "ova", "ez", "ic", "ung", "ard", "ø", "æ", "ł"]
FIRST = ["Anna", "Ben", "Carla", "Chen", "Dana", "Elif", "Fatima", "Giulia", "Hana", "Ivan",
         "Joanna", "Kwame", "Li", "Marta", "Noor", "Olu", "Priya", "Quinn", "Rosa", "Sven",
         "Tariq", "Uma", "Viktor", "Wei", "Yusuf", "Zoë", "José", "Siobhan", "Mateo", "Aisha",
         "Łukasz", "Søren", "Ōta", "Иван", "Мария", "李明", "Nguyễn", "Çağla", "Ängel", "Ðorđe"]

SIZES: dict[Mode, tuple[int, int]] = {  # people, timed repeats per query
    "full": (100_000, 20),
    "quick": (100_000, 2),
    "smoke": (2_000, 1),
}


def _name(rnd: random.Random) -> str:
    last = "".join(rnd.choice(SYLLABLES) for _ in range(rnd.randint(2, 4))).capitalize()
    return f"{rnd.choice(FIRST)} {last}"


def generate(n: int, seed: int = 1) -> list[PersonIn]:
    rnd = random.Random(seed)
    return [
        PersonIn(f"S{i:06d}", _name(rnd), role=rnd.choice(["student", "instructor"]),
                 group=f"G{rnd.randint(1, 400)}")
        for i in range(n)
    ]


def keystrokes(text: str) -> list[str]:
    return [text[:i] for i in range(1, len(text) + 1)]


def queries(people: list[PersonIn]) -> list[str]:
    rnd = random.Random(2)
    typed: list[str] = []
    for p in rnd.sample(people, 6):
        typed += keystrokes(p.display_name)
    for p in rnd.sample(people, 3):
        typed += keystrokes(p.external_id)
    typed += ["a", "n", "e", "zq", "xq", "an", "be", "qqq", "zzzz", "ova", "ber", "ton ska",
              "anna ber", "12", "0099"]
    typed += ["ü", "é", "ł", "ø", "и", "李", "zoë", "josé", "jose", "łu", "łukasz", "sø",
              "søren", "ōta", "ota", "ив", "иван", "李明", "nguy", "nguyễn", "çağ", "ðor"]
    return typed


def run(mode: Mode, db: Path | None = None) -> list[Figure]:
    n, repeat = SIZES[mode]
    tmp = tempfile.TemporaryDirectory()
    path = db or Path(tmp.name) / "bench.sqlite3"
    people = generate(n)
    store = Store.open(path)
    progress(f"search: importing {n} people")
    t0 = time.perf_counter()
    store.people.upsert(people, "bench")
    import_s = time.perf_counter() - t0
    typed = queries(people)
    times: dict[str, list[float]] = {}
    hits: dict[str, int] = {}
    progress(f"search: {len(typed)} queries x {repeat}")
    for q in typed:
        store.people.search_status(q, SEARCH_ROWS)  # the first keystroke warms the page cache
        samples = []
        for _ in range(repeat):
            t = time.perf_counter()
            res = store.people.search_status(q, SEARCH_ROWS)
            samples.append((time.perf_counter() - t) * 1000)
        times[q] = samples
        hits[q] = len(res)
    store.close()
    tmp.cleanup()
    all_ms = [x for v in times.values() for x in v]
    short = [x for q, v in times.items() if len(q) <= 2 for x in v]
    ascii_q = {q for q in times if q.isascii()}
    non_ascii = [x for q, v in times.items() if q not in ascii_q for x in v]
    worst = sorted(times, key=lambda q: statistics.median(times[q]), reverse=True)[:3]
    p95 = pct(all_ms, 95)
    return [Figure(
        "roster_search_ms", "ms", p95, None, goal="p95 ≤ 20 ms", met=p95 <= 20,
        detail={"p50": statistics.median(all_ms), "p95": p95, "max": max(all_ms),
                "p95_1_2_letters": pct(short, 95), "p95_non_ascii": pct(non_ascii, 95),
                "people": n, "queries": len(typed), "searches": len(all_ms),
                "import_s": import_s},
        note=f"{n} people, {SEARCH_ROWS} rows with fingers and consent; slowest (median ms, "
             "hits): " + ", ".join(f"{q!r} {statistics.median(times[q]):.1f} ({hits[q]})"
                                   for q in worst))]


def main(argv: Sequence[str] | None = None) -> int:
    import argparse

    mode, rest = mode_arg(argv, __doc__ or "")
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, default=None, help="database file (default: temporary)")
    args = ap.parse_args(rest)
    for fig in run(mode, args.db):
        emit(fig)
    return 0


if __name__ == "__main__":
    sys.exit(main())
