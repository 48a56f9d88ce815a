"""search_people returns exactly the people a plain substring scan would, in name order."""

from __future__ import annotations

import random
import string
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.store import PersonIn, Store
from kiosk.store.folding import fold

FIRST = ["Anna", "Annika", "Ben", "Bernard", "Carla", "Chen", "Dana", "Eli", "Fatima", "Ivan",
         "Joanna", "Li", "Marta", "Noor", "Olu", "Priya", "Quinn", "Sven", "Yusuf", "Zoe"]
LAST = ["Smith", "Smithson", "Jones", "Annan", "Li", "Garcia", "Nguyen", "Okafor", "Kowalski",
        "Ng", "O'Brien", "Perez-Lopez", "Müller", "Tanaka", "Anderson"]


def _people(n: int, seed: int = 7) -> list[PersonIn]:
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        name = f"{rnd.choice(FIRST)} {rnd.choice(LAST)}"
        out.append(PersonIn(f"S{i:05d}", name, active=rnd.random() > 0.1))
    return out


@pytest.fixture(scope="module")
def searchable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, list[PersonIn]]]:
    path: Path = tmp_path_factory.mktemp("search") / "kiosk.sqlite3"
    people = _people(1500)
    store = Store.open(path)
    store.people.upsert(people, "r1")
    yield store, people
    store.close()


def _oracle(people: list[PersonIn], text: str, include_inactive: bool = False) -> list[str]:
    """Plain Python over the same folding: every word in the folded name or id."""
    words = fold(text).split()
    hits = [
        p for p in people
        if (include_inactive or p.active)
        and all(w in fold(p.display_name) or w in fold(p.external_id) for w in words)
    ]
    hits.sort(key=lambda p: (p.display_name, int(p.external_id[1:])))
    return [p.external_id for p in hits]


QUERIES = ["a", "sm", "smi", "smith", "SMITHSON", "ann", "an li", "zoe ng", "s0001", "S00123",
           "o'b", "perez-l", "ez-", "müll", "zz", "xyz", "anna smith", "n a", "0", "12",
           "100", "li li", "Quinn Tanaka"]


@pytest.mark.parametrize("query", QUERIES)
def test_matches_a_plain_scan(searchable: tuple[Store, list[PersonIn]], query: str) -> None:
    store, people = searchable
    got = [p.external_id for p in store.people.search(query, limit=10_000)]
    assert got == _oracle(people, query)


def test_random_substrings(searchable: tuple[Store, list[PersonIn]]) -> None:
    store, people = searchable
    rnd = random.Random(3)
    for _ in range(60):
        p = rnd.choice(people)
        src = rnd.choice([p.display_name, p.external_id])
        a = rnd.randrange(len(src))
        q = src[a:a + rnd.randint(1, 7)].strip() or "a"
        if rnd.random() < 0.3:
            q = q.upper()
        got = [x.external_id for x in store.people.search(q, limit=10_000)]
        assert got == _oracle(people, q), q


def test_limit_inactive_and_empty(searchable: tuple[Store, list[PersonIn]]) -> None:
    store, people = searchable
    assert len(store.people.search("a", limit=50)) == 50
    assert [p.external_id for p in store.people.search("smith", limit=5)] == _oracle(
        people, "smith")[:5]
    got = [p.external_id for p in store.people.search("smith", 10_000, include_inactive=True)]
    assert got == _oracle(people, "smith", include_inactive=True)
    assert len(got) > len(_oracle(people, "smith"))
    assert len(store.people.search("", limit=20)) == 20


@pytest.mark.parametrize("query", ['"', 'a"b', "%", "_", "50%", "\\", "*", "NEAR(", "a OR b",
                                   "-", "'", "smith*"])
def test_special_characters_are_literal(searchable: tuple[Store, list[PersonIn]],
                                        query: str) -> None:
    store, people = searchable
    got = [p.external_id for p in store.people.search(query, limit=10_000)]
    assert got == _oracle(people, query)


def test_index_walk_plan_gives_the_same(searchable: tuple[Store, list[PersonIn]]) -> None:
    """With a tiny sort budget every FTS query takes the name-index walk instead."""
    store, people = searchable
    store.people.search_sort_max = 1
    try:
        for q in ("smith", "ann li", "s0001", "zoe", "SON", "xyz"):
            for limit in (3, 10_000):
                got = [p.external_id for p in store.people.search(q, limit)]
                assert got == _oracle(people, q)[:limit], q
    finally:
        store.people.search_sort_max = 20_000


def test_fallback_without_fts_gives_the_same(searchable: tuple[Store, list[PersonIn]]) -> None:
    store, people = searchable
    assert store.people.has_fts()
    store.people._has_fts = False
    try:
        for q in ("smith", "ann li", "s0001", "zoe"):
            assert [p.external_id for p in store.people.search(q, 10_000)] == _oracle(people, q)
    finally:
        store.people._has_fts = None


def test_unicode_case_folding_for_long_words(store: Store) -> None:
    assert [p.external_id for p in store.people.search("DÍAZ")] == ["T-100"]
    assert [p.external_id for p in store.people.search("carla díaz")] == ["T-100"]


def test_accents_and_case_are_ignored_for_every_query_length(store: Store) -> None:
    store.people.upsert([PersonIn("S-900", "Bruno Lefèvre"), PersonIn("S-901", "Éa Øster"),
                         PersonIn("S-902", "Ängel Straße")], "r1")
    for q, want in (("lefevre", ["S-900"]), ("LEFÈVRE", ["S-900"]), ("lefe", ["S-900"]),
                    ("ea", ["S-901"]), ("éa", ["S-901"]), ("ÉA", ["S-901"]),
                    ("oster", ["S-901"]), ("strasse", ["S-902"]), ("äng", ["S-902"]),
                    ("ANGEL", ["S-902"])):
        assert [p.external_id for p in store.people.search(q)] == want, q


def test_roster_updates_reach_search(store: Store) -> None:
    res = store.people.upsert(
        [PersonIn("S-001", "Anna Smith-Berg", role="student", group="1A"),
         PersonIn("S-002", "Bob Jones", role="student", group="1B"),
         PersonIn("S-003", "Dev Patel")],
        "r2", deactivate_missing=True,
    )
    assert (res.inserted, res.updated, res.unchanged, res.deactivated) == (1, 1, 1, 1)
    assert [p.external_id for p in store.people.search("berg")] == ["S-001"]
    assert store.people.search("carla") == []  # deactivated, not deleted
    carla = store.people.get("T-100")
    assert carla is not None and not carla.active
    assert store.state.get("roster_version") == "r2"


def test_random_names_with_punctuation(tmp_path: Path) -> None:
    rnd = random.Random(11)
    alphabet = string.ascii_letters + " -'.%_\"" + "äöüéñ"
    people = [PersonIn(f"X{i}", "".join(rnd.choice(alphabet) for _ in range(12)).strip() or "x")
              for i in range(300)]
    with Store.open(tmp_path / "k.sqlite3") as store:
        store.people.upsert(people, "r")
        for _ in range(80):
            p = rnd.choice(people)
            a = rnd.randrange(len(p.display_name))
            q = p.display_name[a:a + rnd.randint(1, 5)]
            got = sorted(x.external_id for x in store.people.search(q, 10_000))
            want = sorted(_oracle(people, q))
            assert got == want, repr(q)
