"""Consent withdrawn and prints deleted from the desk (issue #13): on the real station, the
clerk's choice reaches the biometrics service, which records the withdrawal, deletes every
template here and on the sensor, and queues the receipt for central — each step audited."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from kiosk.app import ConsentMethod, Station
from kiosk.store import DeletionCause
from kiosk.store.payloads import ConsentEvent, DeletionReceiptEvent
from kiosk.ui.main_window import MainWindow

from .conftest import ADMIN, WAIT_MS, enroll_directly, find, sign_in


def _open(qtbot: QtBot, w: MainWindow, text: str) -> None:
    sign_in(qtbot, w)
    find(qtbot, w, text)
    qtbot.waitUntil(w.search.primary.isEnabled, timeout=WAIT_MS)
    w.search.primary.click()


def _sensor_slots(station: Station) -> set[int]:
    slots: set[int] = station.sensor_service.call(lambda s: s.index_table())
    return slots


def test_a_withdrawal_at_the_desk_deletes_every_print_everywhere(
        qtbot: QtBot, window: MainWindow, station: Station) -> None:
    enrolled = enroll_directly(station, "S-1003", "right-index", "left-index")
    uuids = {r.template_uuid for r in enrolled}
    assert len(_sensor_slots(station)) == 2
    w = window
    _open(qtbot, w, "Chen")
    qtbot.waitUntil(lambda: w.current() is w.person_screen, timeout=WAIT_MS)
    w.person_screen.forget.click()
    qtbot.waitUntil(lambda: w.current() is w.forget, timeout=WAIT_MS)
    f = w.forget
    assert not f.primary.isEnabled()  # what and why first
    f.withdraw.click()
    assert not f.primary.isEnabled()
    f.reason_buttons["other"].click()
    assert not f.primary.isEnabled()  # "other" needs the words
    f.other.setText("Leaves the school at the end of the week")
    assert f.primary.isEnabled()
    f.primary.click()
    assert f.asking()  # and a confirmation
    assert station.desk.person("S-1003").fingers  # nothing changed before "yes"
    f.confirm.yes.click()
    qtbot.waitUntil(lambda: w.current() is w.message, timeout=WAIT_MS)
    assert w.message.kind == "forgotten"
    assert "Consent withdrawn" in w.message.headline.text()

    person = station.desk.person("S-1003")
    assert person.fingers == () and person.consent is None
    assert _sensor_slots(station) == set()
    payloads = [r.payload for r in station.store.outbox.rows()]
    withdrawn = [p for p in payloads if isinstance(p, ConsentEvent) and p.event == "withdrawn"]
    assert [(p.external_id, p.operator) for p in withdrawn] == [("S-1003", ADMIN)]
    receipts = [p for p in payloads if isinstance(p, DeletionReceiptEvent)]
    assert receipts and {(p.cause, p.reason, frozenset(p.template_uuids)) for p in receipts} == {
        (DeletionCause.WITHDRAWAL, "Other: Leaves the school at the end of the week",
         frozenset(uuids))}
    actions = {(e.action, e.actor) for e in station.store.audit.entries()
               if e.subject == "S-1003"}
    assert {("consent-withdrawn", ADMIN), ("biometrics-deleted", ADMIN)} <= actions


def test_deleting_the_prints_keeps_the_consent_and_back_changes_nothing(
        qtbot: QtBot, window: MainWindow, station: Station) -> None:
    enroll_directly(station, "S-1003", "right-index")
    w = window
    _open(qtbot, w, "Chen")
    qtbot.waitUntil(lambda: w.current() is w.fingers, timeout=WAIT_MS)
    assert w.fingers.forget.isVisible()
    w.fingers.forget.click()
    qtbot.waitUntil(lambda: w.current() is w.forget, timeout=WAIT_MS)
    w.forget.secondary.click()  # Back
    qtbot.waitUntil(lambda: w.current() is w.fingers, timeout=WAIT_MS)
    assert station.desk.person("S-1003").enrolled_fingers

    w.fingers.forget.click()
    qtbot.waitUntil(lambda: w.current() is w.forget, timeout=WAIT_MS)
    w.forget.only_prints.click()
    w.forget.reason_buttons["wrong-person"].click()
    w.forget.primary.click()
    w.forget.confirm.yes.click()
    qtbot.waitUntil(lambda: w.current() is w.message, timeout=WAIT_MS)
    assert "Prints deleted" in w.message.headline.text()
    person = station.desk.person("S-1003")
    assert person.fingers == () and person.consent is not None
    receipts = [r.payload for r in station.store.outbox.rows()
                if isinstance(r.payload, DeletionReceiptEvent)]
    assert {(p.cause, p.reason) for p in receipts} == {
        (DeletionCause.DESK, "The prints were enrolled under the wrong name")}
    assert _sensor_slots(station) == set()


def test_before_the_first_print_the_finger_screen_offers_no_deletion(
        qtbot: QtBot, window: MainWindow, station: Station) -> None:
    station.desk.record_consent("S-1003", ConsentMethod.ON_SCREEN, ADMIN)
    w = window
    _open(qtbot, w, "Chen")
    qtbot.waitUntil(lambda: w.current() is w.fingers, timeout=WAIT_MS)
    assert not w.fingers.forget.isVisibleTo(w.fingers)
    enroll_directly(station, "S-1003", "right-index")
    w.fingers.start(station.desk.person("S-1003"))
    assert w.fingers.forget.isVisibleTo(w.fingers)
