"""Issue #15, defects 1–6: each as a clerk met it, on the real station (store, sensor worker,
virtual R307). Defects 7–11 are in ``test_defects_more.py``."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from kiosk.app import ConsentStatus, Finger, OutboxKind, OutboxState, Station
from kiosk.config import Config, EnrollmentPolicy
from kiosk.paths import DataPaths
from kiosk.store.payloads import DeletionReceiptEvent
from kiosk.ui.main_window import MainWindow

from .conftest import (
    ADMIN,
    ADMIN_PIN,
    WAIT_MS,
    activate,
    cell,
    cooperative,
    enroll_directly,
    find,
    focused_key,
    make_window,
    open_station,
    ready_to_place,
    sign_in,
    sim,
    three_presses,
    to_capture,
)

CHEN = "S-1003:right-index"


@pytest.fixture
def stations() -> Iterator[list[Station]]:
    opened: list[Station] = []
    yield opened
    for st in opened:
        st.close()


def visible_text(root: QWidget) -> str:
    """Every word a person standing at the desk can read on ``root``."""
    parts = [w.text() for w in root.findChildren(QLabel) + root.findChildren(QPushButton)
             if w.isVisibleTo(root) and w.text()]
    return " ".join(parts)


def sentences(*texts: str) -> list[str]:
    return [s.strip() for t in texts for s in re.split(r"(?<=[.!?])\s+", t) if s.strip()]


def assert_says_each_thing_once(headline: str, *texts: str) -> None:
    """A stop screen's words never repeat themselves (and the headline is not in the body)."""
    said = sentences(*texts)
    assert len(said) == len(set(said)), said
    assert all(headline.rstrip(".") not in s for s in said), (headline, said)


def open_person(qtbot: QtBot, w: MainWindow, text: str) -> None:
    find(qtbot, w, text)
    qtbot.waitUntil(w.search.primary.isEnabled, timeout=WAIT_MS)
    w.search.primary.click()


# -- 1: sign-out during a capture ----------------------------------------------------------


def test_1_sign_out_waits_while_a_capture_runs(qtbot: QtBot, window: MainWindow) -> None:
    to_capture(qtbot, window)
    assert window.capture.running
    assert not window.topbar.sign_out.isEnabled()  # it would abort the capture unasked
    window.topbar.sign_out.click()
    assert window.current() is window.capture and window.operator is not None
    window.capture.secondary.click()  # cancel: sign out is back
    qtbot.waitUntil(lambda: window.current() is window.fingers, timeout=WAIT_MS)
    assert window.topbar.sign_out.isEnabled()


def test_1_a_sign_out_during_a_capture_never_signs_out_the_next_operator(
        qtbot: QtBot, window: MainWindow, station: Station) -> None:
    w = window
    w._signout_guard.setInterval(800)  # the grace a cancelled capture gets (10 s on a desk)
    to_capture(qtbot, w)
    w.idle.set_times(300, 100)
    w.idle.start()  # the desk signs out by itself, mid-capture
    qtbot.waitUntil(lambda: w.current() is w.signin, timeout=WAIT_MS)
    assert station.desk.running is None
    sign_in(qtbot, w)
    w.idle.set_times(600_000)
    w.idle.start()
    qtbot.wait(1500)  # longer than the grace: nothing may happen now
    assert w.current() is w.search and w.operator is not None


# -- 2: fully enrolled people; fingers managed from the hand diagram --------------------------


def test_2_a_person_with_every_finger_is_shown_as_done(qtbot: QtBot, window: MainWindow,
                                                       station: Station) -> None:
    enroll_directly(station, "S-1003", "right-index", "left-index")
    w = window
    sign_in(qtbot, w)
    find(qtbot, w, "Chen")
    assert cell(w.search.table, 0, 3).startswith("Done: 2 of 2 fingers")
    qtbot.keyClick(w.search.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.current() is w.person_screen, timeout=WAIT_MS)
    assert "Already enrolled: 2 of 2 fingers" in w.person_screen.big.text()
    assert w.person_screen.hands.done() == {"right-index", "left-index"}
    w.person_screen.activate_primary()  # Enter: next person, not a third finger
    assert w.current() is w.search
    # a third finger is a deliberate choice, with nothing preselected
    qtbot.keyClick(w.search.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.current() is w.person_screen, timeout=WAIT_MS)
    w.person_screen.another.click()
    assert w.current() is w.fingers
    assert w.fingers.hands.chosen() is None and not w.fingers.primary.isEnabled()
    assert "extra finger" in w.fingers.title.text()


def test_2_an_enrolled_finger_is_enrolled_again_with_a_reason(
        qtbot: QtBot, window: MainWindow, station: Station) -> None:
    [first] = enroll_directly(station, "S-1003", "right-index")
    w = window
    sign_in(qtbot, w)
    open_person(qtbot, w, "Chen")
    qtbot.waitUntil(lambda: w.current() is w.fingers, timeout=WAIT_MS)
    w.fingers.hands.buttons[Finger.RIGHT_INDEX].click()  # the green finger
    qtbot.waitUntil(lambda: w.current() is w.manage, timeout=WAIT_MS)
    assert not w.manage.primary.isEnabled()  # a reason first
    w.manage.reason_buttons["wrong-finger"].click()
    w.manage.primary.click()
    assert w.manage.asking()  # and a confirmation
    w.manage.confirm.yes.click()
    qtbot.waitUntil(lambda: w.current() is w.capture, timeout=WAIT_MS)
    assert w.finger == "right-index"
    three_presses(qtbot, w, station, CHEN)
    qtbot.waitUntil(lambda: w.current() is w.result, timeout=WAIT_MS)
    status = station.desk.person("S-1003")
    assert status.enrolled_fingers == ("right-index",)
    assert status.fingers[0].template_uuid != first.template_uuid
    receipts = [r.payload for r in station.store.outbox.rows()
                if isinstance(r.payload, DeletionReceiptEvent)]
    # One deletion, receipted as its places complete (the sensor's slot last): every receipt
    # names the same tombstone, cause, reason and template, and the last one is complete.
    assert {(p.tombstone_uuid, p.cause, p.reason, p.template_uuids) for p in receipts} == {
        (receipts[0].tombstone_uuid, "finger-removed", "The wrong finger was enrolled",
         (first.template_uuid,))}
    assert receipts[-1].sensor == "done"
    audit = [e for e in station.store.audit.entries() if e.action == "biometrics-deleted"]
    assert audit and audit[0].actor == ADMIN


def test_2_an_enrolled_finger_is_removed_and_central_receives_the_deletion(
        qtbot: QtBot, online_station: Station) -> None:
    from .conftest import CENTRAL_PERSON

    w = make_window(qtbot, online_station)
    qtbot.waitUntil(lambda: "online" in w.statusbar.central.text(), timeout=WAIT_MS)
    find(qtbot, w, "Person 1")  # central's roster is here
    enroll_directly(online_station, CENTRAL_PERSON, "right-index", "left-index")
    sign_in(qtbot, w)
    open_person(qtbot, w, CENTRAL_PERSON)
    qtbot.waitUntil(lambda: w.current() is w.person_screen, timeout=WAIT_MS)
    w.person_screen.hands.buttons[Finger.LEFT_INDEX].click()
    qtbot.waitUntil(lambda: w.current() is w.manage, timeout=WAIT_MS)
    w.manage.reason_buttons["other"].click()
    assert not w.manage.remove_button.isEnabled()  # "other" needs the words
    w.manage.other.setText("Left hand in plaster for a month")
    w.manage.remove_button.click()
    w.manage.confirm.yes.click()
    qtbot.waitUntil(lambda: w.current() is w.message and w.message.kind == "removed",
                    timeout=WAIT_MS)
    assert "cleared" in w.message.detail.text()
    assert online_station.desk.person(CENTRAL_PERSON).enrolled_fingers == ("right-index",)

    def receipt_acked() -> bool:
        rows = online_station.store.outbox.rows(states=(OutboxState.ACKED,))
        return any(r.kind is OutboxKind.DELETION_RECEIPT for r in rows)

    qtbot.waitUntil(receipt_acked, timeout=30_000)  # central has applied it
    w.message.activate_primary()  # back to the person: one finger now, not done
    qtbot.waitUntil(lambda: w.current() is w.fingers, timeout=WAIT_MS)


# -- 3: search ignores accents and case -----------------------------------------------------


@pytest.mark.parametrize("query", ["lefevre", "LEFÈVRE", "Lefè", "lÈ", "bruno lef"])
def test_3_search_ignores_accents_and_case(qtbot: QtBot, window: MainWindow,
                                           query: str) -> None:
    sign_in(qtbot, window)
    find(qtbot, window, query)
    names = [cell(window.search.table, r, 0) for r in range(window.search.result_count())]
    assert "Bruno Lefèvre" in names


# -- 4: the duplicate gate --------------------------------------------------------------------


def _duplicate(qtbot: QtBot, w: MainWindow, station: Station) -> None:
    enroll_directly(station, "S-1003", "right-index")
    sign_in(qtbot, w)
    open_person(qtbot, w, "Emil")
    qtbot.waitUntil(lambda: w.current() is w.consent, timeout=WAIT_MS)
    w.consent.method_buttons["signed-paper"].click()
    w.consent.primary.click()
    qtbot.waitUntil(lambda: w.current() is w.fingers, timeout=WAIT_MS)
    w.fingers.primary.click()
    qtbot.waitUntil(lambda: ready_to_place(w, 0), timeout=WAIT_MS)
    sim(station).place(CHEN)  # Chen's finger, on Emil's enrollment
    qtbot.waitUntil(lambda: w.current() is w.duplicate, timeout=WAIT_MS)
    sim(station).lift()


def test_4_duplicate_screen_is_neutral_for_the_person(qtbot: QtBot, window: MainWindow,
                                                      station: Station) -> None:
    _duplicate(qtbot, window, station)
    d = window.duplicate
    shown = visible_text(d)
    assert "Chen" not in shown and "S-1003" not in shown
    assert "already registered" in d.headline.text() and "supervisor" in d.detail.text()
    assert_says_each_thing_once(d.headline.text(), d.text.text(), d.detail.text())
    assert d.primary.text() == "Next person"
    assert "Choose another finger" not in shown  # no invitation to a second identity
    d.activate_primary()
    assert window.current() is window.search


def test_4_an_administrator_sees_who_after_a_pin_and_may_override_with_a_reason(
        qtbot: QtBot, window: MainWindow, station: Station) -> None:
    _duplicate(qtbot, window, station)
    d = window.duplicate
    d.supervisor.click()
    qtbot.waitUntil(lambda: d.admin.count() == 1, timeout=WAIT_MS)
    d.pin.setText("9999")
    qtbot.keyClick(d.pin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Wrong PIN" in d.pin_message.text(), timeout=WAIT_MS)
    assert not d.details_visible() and "Chen" not in visible_text(d)
    d.pin.setText(ADMIN_PIN)
    qtbot.keyClick(d.pin, Qt.Key.Key_Return)
    qtbot.waitUntil(d.details_visible, timeout=WAIT_MS)
    assert "Chen Wei (S-1003)" in d.details.text()
    assert not d.enroll_anyway.isEnabled()
    d.reason.setText("Same student, two records; the registrar merges them")
    d.enroll_anyway.click()
    d.confirm.yes.click()
    qtbot.waitUntil(lambda: window.current() is window.capture, timeout=WAIT_MS)
    three_presses(qtbot, window, station, CHEN)
    qtbot.waitUntil(lambda: window.current() is window.result, timeout=WAIT_MS)
    assert station.desk.person("S-1005").enrolled_fingers == ("right-index",)
    [entry] = [e for e in station.store.audit.entries() if e.action == "duplicate-override"]
    assert entry.actor == ADMIN and entry.subject == "S-1005"
    assert entry.after["reason"] == "Same student, two records; the registrar merges them"


def test_4_the_details_are_gone_when_the_screen_comes_back(
        qtbot: QtBot, window: MainWindow, station: Station) -> None:
    _duplicate(qtbot, window, station)
    d = window.duplicate
    d.supervisor.click()
    qtbot.waitUntil(lambda: d.admin.count() == 1, timeout=WAIT_MS)
    d.pin.setText(ADMIN_PIN)
    qtbot.keyClick(d.pin, Qt.Key.Key_Return)
    qtbot.waitUntil(d.details_visible, timeout=WAIT_MS)
    d.activate_primary()  # next person
    window.search.query.clear()
    open_person(qtbot, window, "Emil")
    qtbot.waitUntil(lambda: window.current() is window.fingers, timeout=WAIT_MS)
    window.fingers.primary.click()
    qtbot.waitUntil(lambda: ready_to_place(window, 0), timeout=WAIT_MS)
    sim(station).place(CHEN)
    qtbot.waitUntil(lambda: window.current() is window.duplicate, timeout=WAIT_MS)
    sim(station).lift()
    assert not d.details_visible() and "Chen" not in visible_text(d)


# -- 5: stop screens never contradict or repeat themselves -------------------------------------


def _short_waits(paths: DataPaths, stations: list[Station]) -> Station:
    st = open_station(paths, Config(enrollment=EnrollmentPolicy(idle_timeout_s=1.5)))
    stations.append(st)
    return st


def test_5_finger_kept_on_the_sensor(qtbot: QtBot, paths: DataPaths,
                                     stations: list[Station]) -> None:
    st = _short_waits(paths, stations)
    w = make_window(qtbot, st)
    to_capture(qtbot, w)
    qtbot.waitUntil(lambda: ready_to_place(w, 0), timeout=WAIT_MS)
    sim(st).place(CHEN)  # and keep it there for the whole wait
    qtbot.waitUntil(lambda: w.current() is w.message, timeout=WAIT_MS)
    m = w.message
    assert m.headline.text() == "The finger stayed on the sensor"
    assert "No finger was placed" not in visible_text(m)
    assert m.secondary.text() == "Next person"
    assert_says_each_thing_once(m.headline.text(), m.text.text(), m.detail.text())


def test_5_no_finger_in_time(qtbot: QtBot, paths: DataPaths, stations: list[Station]) -> None:
    st = _short_waits(paths, stations)
    w = make_window(qtbot, st)
    to_capture(qtbot, w)
    qtbot.waitUntil(lambda: w.current() is w.message, timeout=WAIT_MS)
    m = w.message
    assert m.headline.text() == "No finger was placed"
    assert "lifted" not in m.text.text()
    assert m.secondary.text() == "Next person"
    assert_says_each_thing_once(m.headline.text(), m.text.text(), m.detail.text())


def test_5_unplugged_says_it_once_and_follows_the_sensor(qtbot: QtBot, window: MainWindow,
                                                         station: Station) -> None:
    to_capture(qtbot, window)
    sim(station).unplug()
    qtbot.waitUntil(lambda: window.current() is window.message, timeout=WAIT_MS)
    m = window.message
    qtbot.waitUntil(lambda: not m.primary.isEnabled(), timeout=WAIT_MS)
    assert_says_each_thing_once(m.headline.text(), m.text.text(), m.detail.text())
    assert m.secondary.text() == "Next person"
    sim(station).replug()
    qtbot.waitUntil(m.primary.isEnabled, timeout=WAIT_MS)
    words = m.text.text() + " " + m.detail.text()
    assert "plug" not in words.lower() and "turns on" not in words  # no stale promise
    assert "The sensor is back" in m.detail.text() and m.primary.text() == "Try again"
    assert_says_each_thing_once(m.headline.text(), m.text.text(), m.detail.text())


# -- 6: no single key does something for good ----------------------------------------------------


def test_6_space_during_a_capture_does_not_cancel_it(qtbot: QtBot, window: MainWindow,
                                                     station: Station) -> None:
    activate(qtbot, window)
    to_capture(qtbot, window)
    assert QApplication.focusWidget() is not window.capture.secondary
    focused_key(qtbot, Qt.Key.Key_Space)
    focused_key(qtbot, Qt.Key.Key_Return)
    assert window.current() is window.capture and window.capture.running
    assert station.desk.running is not None
    qtbot.keyClick(window, Qt.Key.Key_Escape)  # Esc is Cancel, on purpose
    qtbot.waitUntil(lambda: window.current() is window.fingers, timeout=WAIT_MS)


def test_6_after_the_self_test_the_focus_is_not_on_close_the_program(
        qtbot: QtBot, window: MainWindow) -> None:
    activate(qtbot, window)
    sign_in(qtbot, window)
    window.open_admin("selftest")
    page = window.admin.selftest
    page.run_tests.setFocus()
    focused_key(qtbot, Qt.Key.Key_Space)  # runs the self-test
    qtbot.waitUntil(lambda: len(page.checks) >= 6, timeout=WAIT_MS)
    assert QApplication.focusWidget() is page.run_tests
    focused_key(qtbot, Qt.Key.Key_Return)  # again: the self-test, not the exit
    assert window.isVisible()
    window.admin.exit_button.click()  # even a deliberate click asks first
    assert window.admin.asking() and window.isVisible()
    assert QApplication.focusWidget() is window.admin.confirm.no
    focused_key(qtbot, Qt.Key.Key_Return)  # Enter on the focused "No"
    assert not window.admin.asking() and window.isVisible()


def test_6_enter_in_the_operator_form_adds_the_operator(qtbot: QtBot, window: MainWindow,
                                                        station: Station) -> None:
    activate(qtbot, window)
    sign_in(qtbot, window)
    window.open_admin("operators")
    page = window.admin.operators
    page.op_name.setFocus()
    qtbot.keyClicks(page.op_name, "Sam")
    qtbot.keyClick(page.op_name, Qt.Key.Key_Return)  # on to the PIN
    assert QApplication.focusWidget() is page.op_pin
    qtbot.keyClicks(page.op_pin, "5555")
    qtbot.keyClick(page.op_pin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Sam can now sign in" in page.op_result.text(), timeout=WAIT_MS)
    assert window.current() is window.admin  # Enter did not press "Done"
    assert "Sam" in station.operators.names()


def test_6_a_refusal_is_confirmed_and_shows_on_the_roster(qtbot: QtBot, window: MainWindow,
                                                          station: Station) -> None:
    activate(qtbot, window)
    sign_in(qtbot, window)
    open_person(qtbot, window, "Dalia")
    qtbot.waitUntil(lambda: window.current() is window.consent, timeout=WAIT_MS)
    window.consent.refuse.click()
    assert window.consent.asking() and window.current() is window.consent
    focused_key(qtbot, Qt.Key.Key_Return)  # "No" has the focus: nothing recorded
    assert not window.consent.asking()
    assert station.desk.person("S-1004").consent_status is ConsentStatus.NONE
    window.consent.refuse.click()
    window.consent.confirm.yes.click()
    qtbot.waitUntil(lambda: window.current() is window.message, timeout=WAIT_MS)
    assert station.desk.person("S-1004").consent_status is ConsentStatus.REFUSED
    window.message.activate_primary()
    find(qtbot, window, "Dalia")
    assert cell(window.search.table, 0, 3) == "Refused · alternative offered"
    # asked again later: the consent screen says they said no before
    window.search.primary.click()
    qtbot.waitUntil(lambda: window.current() is window.consent, timeout=WAIT_MS)
    assert "refused before" in window.consent.before.text()


def test_6_a_cooperative_person_needs_no_key_during_the_capture(
        qtbot: QtBot, window: MainWindow, station: Station) -> None:
    """The other side of "Space does nothing": a capture completes with no key at all."""
    to_capture(qtbot, window)
    with cooperative(station, CHEN):
        qtbot.waitUntil(lambda: window.current() is window.result, timeout=WAIT_MS)
