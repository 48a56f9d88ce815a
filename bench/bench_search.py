"""Keystroke-to-result time of Store.search_people over a generated roster (default 100k people).

Run:  .venv/bin/python bench/bench_search.py [--people 100000] [--repeat 20] [--db FILE]

Types a few names and ids one keystroke at a time (the way the desk search box sends them) plus
some rare and mid-word substrings, and prints median and p95 in milliseconds, overall and by
query length. Numbers only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from kiosk.store import PersonIn, Store

SYLLABLES = ["an", "be", "ca", "do", "el", "fi", "ga", "ha", "in", "jo", "ka", "li", "ma", "no",
             "ol", "pa", "qu", "ri", "sa", "ta", "ul", "vi", "wa", "xe", "yo", "zu", "th", "sh",
             "ch", "ber", "son", "ton", "ska", "ova", "ez", "ic", "ung", "ard"]
FIRST = ["Anna", "Ben", "Carla", "Chen", "Dana", "Elif", "Fatima", "Giulia", "Hana", "Ivan",
         "Joanna", "Kwame", "Li", "Marta", "Noor", "Olu", "Priya", "Quinn", "Rosa", "Sven",
         "Tariq", "Uma", "Viktor", "Wei", "Yusuf", "Zoë", "José", "Siobhan", "Mateo", "Aisha"]


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


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    k = max(0, min(len(s) - 1, round(p / 100 * (len(s) - 1))))
    return s[k]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--limit", type=int, default=50)
    ap.add_argument("--db", type=Path, default=None, help="database file (default: temporary)")
    args = ap.parse_args(argv)

    tmp = tempfile.TemporaryDirectory()
    path = args.db or Path(tmp.name) / "bench.sqlite3"
    people = generate(args.people)
    store = Store.open(path)
    t0 = time.perf_counter()
    store.people.upsert(people, "bench")
    print(f"roster import: {args.people} people in {time.perf_counter() - t0:.2f} s "
          f"({path.stat().st_size / 1e6:.1f} MB)")

    rnd = random.Random(2)
    typed: list[str] = []
    for p in rnd.sample(people, 6):
        typed += keystrokes(p.display_name)
    for p in rnd.sample(people, 3):
        typed += keystrokes(p.external_id)
    typed += ["zq", "xq", "qqq", "zzzz", "ova", "ber", "ton ska", "anna ber", "12", "0099",
              "ü", "zoë", "josé", "n", "a"]

    times: dict[str, list[float]] = {}
    hits: dict[str, int] = {}
    for q in typed:
        store.people.search(q, args.limit)  # warm the page cache for this query
        samples = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            res = store.people.search(q, args.limit)
            samples.append((time.perf_counter() - t) * 1000)
        times[q] = samples
        hits[q] = len(res)
    store.close()

    all_ms = [x for v in times.values() for x in v]
    print(f"queries: {len(typed)} distinct, {len(all_ms)} timed searches, limit {args.limit}")
    print(f"ALL              median {statistics.median(all_ms):7.2f} ms   "
          f"p95 {pct(all_ms, 95):7.2f} ms   max {max(all_ms):7.2f} ms")
    buckets: dict[str, list[float]] = {}
    for q, v in times.items():
        key = f"{len(q)} char" if len(q) < 3 else ("3-5 chars" if len(q) <= 5 else "6+ chars")
        buckets.setdefault(key, []).extend(v)
    for key in sorted(buckets, key=lambda k: (len(k), k)):
        v = buckets[key]
        print(f"  {key:<14} median {statistics.median(v):7.2f} ms   p95 {pct(v, 95):7.2f} ms")
    worst = sorted(times, key=lambda q: statistics.median(times[q]), reverse=True)[:5]
    print("slowest queries (median ms, hits): " + ", ".join(
        f"{q!r} {statistics.median(times[q]):.2f} ({hits[q]})" for q in worst))
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
