"""Demo data for ``kiosk --simulate --demo-roster``: a few made-up people on an empty roster."""

from __future__ import annotations

from kiosk.store import PersonIn, Store

DEMO_ROSTER: tuple[tuple[str, str, str], ...] = (
    ("S-1001", "Amara Okafor", "Year 10"),
    ("S-1002", "Bruno Lefèvre", "Year 10"),
    ("S-1003", "Chen Wei", "Year 11"),
    ("S-1004", "Dalia Haddad", "Year 11"),
    ("S-1005", "Emil Johansson", "Year 12"),
    ("S-1006", "Fatima Zahra Benali", "Year 12"),
    ("S-1007", "Gabriel Costa", "Staff"),
    ("S-1008", "Hana Suzuki", "Staff"),
)


def load_demo_roster(store: Store) -> bool:
    """Add the demo people when the roster is empty; True if it did."""
    if store.people.count(include_inactive=True):
        return False
    # Version "0": a local roster, not one of central's numbered snapshots.
    store.people.upsert([PersonIn(ext, name, group=group) for ext, name, group in DEMO_ROSTER],
                        "0", actor="demo")
    return True


__all__ = ["DEMO_ROSTER", "load_demo_roster"]
