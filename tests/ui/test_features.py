"""Issue #15's features on the real station: the check after enrollment, group queues and
sounds."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from kiosk.app import Station, VerifyOutcome
from kiosk.config import Config, EnrollmentPolicy, UiConfig
from kiosk.paths import DataPaths
from kiosk.ui import sounds
from kiosk.ui.main_window import MainWindow

from .conftest import (
    WAIT_MS,
    cell,
    cooperative,
    enroll_directly,
    find,
    make_window,
    open_station,
    ready_to_place,
    sign_in,
    sim,
    three_presses,
    to_capture,
)

CHEN = "S-1003"


@pytest.fixture
def stations() -> Iterator[list[Station]]:
    opened: list[Station] = []
    yield opened
    for st in opened:
        st.close()


def _second_finger(qtbot: QtBot, w: MainWindow, station: Station) -> None:
    """Chen has the right index: open him and capture the suggested second finger."""
    enroll_directly(station, CHEN, "right-index")
    sign_in(qtbot, w)
    find(qtbot, w, "Chen")
    w.search.primary.click()
    qtbot.waitUntil(lambda: w.current() is w.fingers, timeout=WAIT_MS)
    assert w.fingers.hands.chosen() == "left-index"
    w.fingers.primary.click()
    qtbot.waitUntil(lambda: w.current() is w.capture, timeout=WAIT_MS)
    three_presses(qtbot, w, station, f"{CHEN}:left-index")


def _checks(station: Station) -> list[dict[str, object]]:
    return [e.after for e in station.store.audit.entries() if e.action == "verify"]


# -- the check after enrollment ---------------------------------------------------------------


def test_the_last_finger_is_checked_and_the_check_is_recorded(qtbot: QtBot, window: MainWindow,
                                                              station: Station) -> None:
    w = window
    _second_finger(qtbot, w, station)
    qtbot.waitUntil(lambda: w.capture.verifying and ready_to_place(w, 0), timeout=WAIT_MS)
    assert w.capture.title.text() == "Chen Wei — checking the left index finger"
    assert w.capture.countdown.text().endswith("s left to place the finger")
    assert w.capture.secondary.text() == "Skip the check"
    with cooperative(station, f"{CHEN}:left-index"):
        qtbot.waitUntil(lambda: w.current() is w.result, timeout=WAIT_MS)
    assert w.result.big.text() == "Fingerprint saved and checked"
    assert "found the left index finger again" in w.result.check.text()
    [check] = _checks(station)
    tpl = station.desk.person(CHEN).fingers[1]
    assert (check["outcome"], check["template_uuid"], check["finger"]) == (
        "matched", tpl.template_uuid, "left-index")


def test_a_failed_check_offers_to_enroll_the_finger_again(qtbot: QtBot, window: MainWindow,
                                                          station: Station) -> None:
    w = window
    _second_finger(qtbot, w, station)
    qtbot.waitUntil(lambda: w.capture.verifying and ready_to_place(w, 0), timeout=WAIT_MS)
    with cooperative(station, f"{CHEN}:left-index:other"):  # not the finger just saved
        qtbot.waitUntil(lambda: w.current() is w.message, timeout=WAIT_MS)
    m = w.message
    assert m.kind == "check-failed"
    assert m.headline.text() == "The check did not recognise this finger"
    assert m.primary.text() == "Check once more"
    assert m.third.text() == "Enroll this finger again"
    old = station.desk.person(CHEN).fingers[1].template_uuid
    m.third.click()
    assert m.asking()  # it deletes the finger just saved: asked first
    m.confirm.yes.click()
    qtbot.waitUntil(lambda: w.current() is w.capture and not w.capture.verifying,
                    timeout=WAIT_MS)
    three_presses(qtbot, w, station, f"{CHEN}:left-index")
    qtbot.waitUntil(lambda: w.capture.verifying and ready_to_place(w, 0), timeout=WAIT_MS)
    with cooperative(station, f"{CHEN}:left-index"):
        qtbot.waitUntil(lambda: w.current() is w.result, timeout=WAIT_MS)
    assert w.result.big.text() == "Fingerprint saved and checked"
    fingers = station.desk.person(CHEN).fingers
    assert len(fingers) == 2 and fingers[1].template_uuid != old
    assert [c["outcome"] for c in _checks(station)] == ["matched", "not-found"]
    deleted = [e for e in station.store.audit.entries() if e.action == "biometrics-deleted"]
    assert deleted[0].after["reason"] == "The check after enrollment failed"


def test_the_check_can_be_skipped_and_the_finger_stays(qtbot: QtBot, window: MainWindow,
                                                       station: Station) -> None:
    w = window
    _second_finger(qtbot, w, station)
    qtbot.waitUntil(lambda: w.capture.verifying and ready_to_place(w, 0), timeout=WAIT_MS)
    w.capture.activate_secondary()  # Esc: skip
    qtbot.waitUntil(lambda: w.current() is w.result, timeout=WAIT_MS)
    assert w.result.big.text() == "Fingerprint saved, not checked"
    assert len(station.desk.person(CHEN).fingers) == 2
    assert [c["outcome"] for c in _checks(station)] == [VerifyOutcome.CANCELLED.value]


def test_no_check_when_the_policy_is_off(qtbot: QtBot, paths: DataPaths,
                                         stations: list[Station]) -> None:
    st = open_station(paths, Config(enrollment=EnrollmentPolicy(verify="off")))
    stations.append(st)
    w = make_window(qtbot, st)
    _second_finger(qtbot, w, st)
    qtbot.waitUntil(lambda: w.current() is w.result, timeout=WAIT_MS)
    assert w.result.big.text() == "Fingerprint saved" and not w.result.check.isVisible()
    assert _checks(st) == []


def test_every_finger_is_checked_when_asked(qtbot: QtBot, paths: DataPaths,
                                            stations: list[Station]) -> None:
    st = open_station(paths, Config(enrollment=EnrollmentPolicy(verify="every-finger")))
    stations.append(st)
    w = make_window(qtbot, st)
    to_capture(qtbot, w)
    three_presses(qtbot, w, st, f"{CHEN}:right-index")
    qtbot.waitUntil(lambda: w.capture.verifying, timeout=WAIT_MS)  # already the first


# -- group queues ------------------------------------------------------------------------------


def test_a_group_is_worked_through_with_enter(qtbot: QtBot, window: MainWindow,
                                              station: Station) -> None:
    w = window
    enroll_directly(station, "S-1005", "right-index", "left-index")  # Emil is done
    sign_in(qtbot, w)
    qtbot.waitUntil(lambda: w.search.group.count() > 1, timeout=WAIT_MS)
    assert w.search.group.findData("Year 12") > 0
    w.search.set_group("Year 12")
    qtbot.waitUntil(lambda: w.search.is_settled() and w.search.result_count() == 2,
                    timeout=WAIT_MS)
    assert w.search.summary.text() == "Year 12: 1 done · 1 to go"
    assert w.search.selected() is not None
    assert w.search.selected().name == "Fatima Zahra Benali"  # type: ignore[union-attr]
    w.search.activate_primary()  # Enter: the next one not enrolled
    qtbot.waitUntil(lambda: w.current() is w.consent, timeout=WAIT_MS)
    w.consent.method_buttons["on-screen"].click()
    w.consent.primary.click()
    qtbot.waitUntil(lambda: w.current() is w.fingers, timeout=WAIT_MS)
    for finger in ("right-index", "left-index"):
        w.fingers.primary.click()
        qtbot.waitUntil(lambda: w.current() is w.capture, timeout=WAIT_MS)
        with cooperative(station, f"S-1006:{finger}"):
            qtbot.waitUntil(lambda: w.current() is w.result, timeout=WAIT_MS)
        w.result.primary.click()  # next finger, then next person
        if finger == "right-index":
            qtbot.waitUntil(lambda: w.current() is w.fingers, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: w.current() is w.search and w.search.is_settled(),
                    timeout=WAIT_MS)
    qtbot.waitUntil(lambda: w.search.summary.text() == "Year 12: 2 done · everyone is done",
                    timeout=WAIT_MS)
    assert not w.search.next_open.isEnabled()
    assert cell(w.search.table, 1, 3).startswith("Done: 2 of 2")


def test_next_not_enrolled_skips_the_done_and_the_refused(qtbot: QtBot, window: MainWindow,
                                                          station: Station) -> None:
    from kiosk.app import ConsentMethod

    w = window
    enroll_directly(station, "S-1001", "right-index", "left-index")  # Amara: done
    station.desk.record_consent("S-1002", ConsentMethod.REFUSED, "Admin")  # Bruno: refused
    sign_in(qtbot, w)
    w.search.set_group("Year 10")
    qtbot.waitUntil(lambda: w.search.is_settled() and w.search.result_count() == 2,
                    timeout=WAIT_MS)
    assert w.search.summary.text() == "Year 10: 1 done · 1 refused · everyone is done"
    assert w.search.selected() is None and not w.search.primary.isEnabled()


# -- sounds --------------------------------------------------------------------------------------


def test_the_sound_files_are_the_ones_the_desk_makes() -> None:
    for name in sounds.SOUNDS:
        assert sounds.sound_file(name).read_bytes() == sounds.synthesize(name), name


def test_sounds_mark_each_accepted_capture_success_and_failure(qtbot: QtBot, paths: DataPaths,
                                                               stations: list[Station]) -> None:
    st = open_station(paths, Config(ui=UiConfig(sounds=True),
                                    enrollment=EnrollmentPolicy(verify="off")))
    stations.append(st)
    w = make_window(qtbot, st)
    to_capture(qtbot, w)
    three_presses(qtbot, w, st, f"{CHEN}:right-index")
    qtbot.waitUntil(lambda: w.current() is w.result, timeout=WAIT_MS)
    assert w.sounds.played == ["accepted", "accepted", "success"]
    assert w.sounds.backend  # a way to play them was chosen (or "none", said so in the log)
    w.result.primary.click()
    qtbot.waitUntil(lambda: w.current() is w.fingers, timeout=WAIT_MS)
    w.fingers.primary.click()
    qtbot.waitUntil(lambda: ready_to_place(w, 0), timeout=WAIT_MS)
    sim(st).unplug()
    qtbot.waitUntil(lambda: w.current() is w.message, timeout=WAIT_MS)
    assert w.sounds.played[-1] == "failure"
    sim(st).replug()


def test_no_sounds_unless_asked(qtbot: QtBot, window: MainWindow, station: Station) -> None:
    to_capture(qtbot, window)
    three_presses(qtbot, window, station, f"{CHEN}:right-index")
    qtbot.waitUntil(lambda: window.current() is window.result, timeout=WAIT_MS)
    assert window.sounds.played == []
