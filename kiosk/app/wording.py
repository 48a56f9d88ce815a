"""Every sentence the station says about an enrollment, once, in a translatable form.

The domain emits kinds with parameters (:mod:`kiosk.enrollment.events`); this catalogue turns
them into :class:`Text` — an English template marked for translation plus its parameters —
and the front ends render it: the GUI through Qt's translator (``kiosk.ui.text.render``), the
CLI in English (:meth:`Text.english`). No front end re-spells a sentence, and no sentence is
interpolated before it reaches the front end, so each one can be translated whole.

``QT_TRANSLATE_NOOP`` only marks a string for ``pyside6-lupdate``; this module imports no Qt.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from kiosk.app.sensor_service import SensorProblem
from kiosk.enrollment.engine import VerifyOutcome, VerifyResult
from kiosk.enrollment.events import FailReason, Outcome, PromptKind, Result, RetryReason
from kiosk.store.reconcile import ReconcileReport, RepairFailure, RepairResult
from kiosk_contract.fingers import Finger

#: The translation context of every catalogue string.
CONTEXT = "kiosk"


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:
    """Mark ``source`` for translation in ``context``; returns it unchanged."""
    return source


@dataclass(frozen=True)
class Text:
    """A sentence to show: an English template (``{name}`` placeholders) and its values.

    Values may be :class:`Finger` (rendered as the finger's words) or other :class:`Text`.
    """

    template: str
    params: Mapping[str, object] = field(default_factory=dict)

    def english(self) -> str:
        return self.template.format(**{k: english(v) for k, v in self.params.items()})

    def __bool__(self) -> bool:
        return bool(self.template)


EMPTY = Text("")


def joined(texts: Iterable[Text], sep: str = " ") -> Text:
    """Several sentences shown as one (each still translated on its own)."""
    items = list(texts)
    return Text(sep.join(f"{{p{i}}}" for i in range(len(items))),
                {f"p{i}": t for i, t in enumerate(items)})


def english(value: object) -> str:
    if isinstance(value, Text):
        return value.english()
    if isinstance(value, Finger):
        return finger_words(value).english()
    return str(value)


_FINGER_WORDS: dict[Finger, str] = {
    Finger.RIGHT_THUMB: QT_TRANSLATE_NOOP("kiosk", "right thumb"),
    Finger.RIGHT_INDEX: QT_TRANSLATE_NOOP("kiosk", "right index finger"),
    Finger.RIGHT_MIDDLE: QT_TRANSLATE_NOOP("kiosk", "right middle finger"),
    Finger.RIGHT_RING: QT_TRANSLATE_NOOP("kiosk", "right ring finger"),
    Finger.RIGHT_LITTLE: QT_TRANSLATE_NOOP("kiosk", "right little finger"),
    Finger.LEFT_THUMB: QT_TRANSLATE_NOOP("kiosk", "left thumb"),
    Finger.LEFT_INDEX: QT_TRANSLATE_NOOP("kiosk", "left index finger"),
    Finger.LEFT_MIDDLE: QT_TRANSLATE_NOOP("kiosk", "left middle finger"),
    Finger.LEFT_RING: QT_TRANSLATE_NOOP("kiosk", "left ring finger"),
    Finger.LEFT_LITTLE: QT_TRANSLATE_NOOP("kiosk", "left little finger"),
}


def finger_words(finger: Finger) -> Text:
    """'right index finger', 'left thumb'."""
    return Text(_FINGER_WORDS[finger])


# -- prompts ------------------------------------------------------------------------------


def prompt(kind: PromptKind, capture: int, finger: Finger) -> Text:
    """The big instruction on the capture screen (same verbs everywhere: place, lift, again)."""
    if kind is PromptKind.LIFT:
        return Text(QT_TRANSLATE_NOOP("kiosk", "Lift your finger"))
    if kind is PromptKind.WORKING:
        return Text(QT_TRANSLATE_NOOP("kiosk", "Saving…"))
    if kind is PromptKind.RESTART:
        return Text(QT_TRANSLATE_NOOP("kiosk", "Let's start this finger again. Lift your "
                                               "{finger}."), {"finger": finger})
    if kind is PromptKind.PLACE:
        return Text(QT_TRANSLATE_NOOP("kiosk", "Place your {finger} on the sensor"),
                    {"finger": finger})
    if capture == 2:
        return Text(QT_TRANSLATE_NOOP("kiosk", "Place your {finger} again"), {"finger": finger})
    if capture == 3:
        return Text(QT_TRANSLATE_NOOP("kiosk", "Place your {finger} one last time"),
                    {"finger": finger})
    return Text(QT_TRANSLATE_NOOP("kiosk", "Again: place your {finger}"), {"finger": finger})


_RETRY: dict[RetryReason, str] = {
    RetryReason.IMAGE_FAILED: QT_TRANSLATE_NOOP(
        "kiosk", "The sensor could not read the finger. Place it flat and still."),
    RetryReason.TOO_DRY: QT_TRANSLATE_NOOP(
        "kiosk", "The print is too faint. Press a little harder."),
    RetryReason.TOO_WET: QT_TRANSLATE_NOOP(
        "kiosk", "The print is smudged. Dry the finger and wipe the glass."),
    RetryReason.MESSY: QT_TRANSLATE_NOOP(
        "kiosk", "The print is unclear. Wipe the glass and place the finger again."),
    RetryReason.TOO_FEW_FEATURES: QT_TRANSLATE_NOOP(
        "kiosk", "Press flatter so the finger covers the window."),
    RetryReason.NOT_SAME_FINGER: QT_TRANSLATE_NOOP(
        "kiosk", "That was a different finger. Use the same finger each time."),
    RetryReason.LOW_QUALITY: QT_TRANSLATE_NOOP(
        "kiosk", "The print was not clear enough. Place the finger again, flat."),
    RetryReason.MERGE_FAILED: QT_TRANSLATE_NOOP(
        "kiosk", "The presses did not fit together. Use the same finger each time."),
}


def retry(reason: RetryReason) -> Text:
    """What to do differently on the next press."""
    return Text(_RETRY[reason])


# -- outcomes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeText:
    """A terminal result in words: a headline, what happened and was kept, the next step.

    The three never repeat each other; ``headline`` may be shown to the person being enrolled,
    so it never names anybody else.
    """

    headline: Text
    body: Text
    next_step: Text = EMPTY


_NOTHING_SAVED = QT_TRANSLATE_NOOP("kiosk", "Nothing was saved for this finger.")


def outcome(result: Result, finger: Finger, *, idle_timeout_s: float = 60) -> OutcomeText:
    """The words for ``result``, for the person at the desk and the clerk."""
    r = result.reason
    nothing = Text(_NOTHING_SAVED)
    if result.outcome is Outcome.COMPLETED:
        return OutcomeText(Text(QT_TRANSLATE_NOOP("kiosk", "Fingerprint saved")),
                            Text(QT_TRANSLATE_NOOP("kiosk", "The {finger} is saved on this "
                                                            "station."), {"finger": finger}))
    if result.outcome is Outcome.DUPLICATE:
        return OutcomeText(
            Text(QT_TRANSLATE_NOOP("kiosk", "This finger is already registered")),
            nothing,
            Text(QT_TRANSLATE_NOOP("kiosk", "Please ask the supervisor.")))
    if result.outcome is Outcome.CANCELLED:
        return OutcomeText(Text(QT_TRANSLATE_NOOP("kiosk", "Cancelled")), nothing)
    if r is FailReason.NO_FINGER:
        return OutcomeText(
            Text(QT_TRANSLATE_NOOP("kiosk", "No finger was placed")),
            Text(QT_TRANSLATE_NOOP("kiosk", "The sensor waited {seconds} seconds for the "
                                            "finger. Nothing was saved for this finger."),
                 {"seconds": round(idle_timeout_s)}),
            Text(QT_TRANSLATE_NOOP("kiosk", "Start again when the person is ready.")))
    if r is FailReason.FINGER_NOT_LIFTED:
        return OutcomeText(
            Text(QT_TRANSLATE_NOOP("kiosk", "The finger stayed on the sensor")),
            Text(QT_TRANSLATE_NOOP("kiosk", "Each press needs the finger lifted in between. "
                                            "Nothing was saved for this finger.")),
            Text(QT_TRANSLATE_NOOP("kiosk", "Lift the finger, then start again.")))
    if r is FailReason.UNPLUGGED:
        return OutcomeText(
            Text(QT_TRANSLATE_NOOP("kiosk", "The sensor was unplugged")), nothing,
            Text(QT_TRANSLATE_NOOP("kiosk", "“Try again” turns on as soon as the sensor is "
                                            "back.")))
    if r is FailReason.NOT_CONNECTED:
        return OutcomeText(
            Text(QT_TRANSLATE_NOOP("kiosk", "The sensor is not connected")), nothing,
            Text(QT_TRANSLATE_NOOP("kiosk", "Plug the sensor in; “Try again” turns on as soon "
                                            "as the station sees it.")))
    return _failure(result, finger, nothing)


def _failure(result: Result, finger: Finger, nothing: Text) -> OutcomeText:
    r = result.reason
    headline = Text(QT_TRANSLATE_NOOP("kiosk", "This finger could not be enrolled"))
    if r is FailReason.RETRIES_EXHAUSTED:
        why = retry(result.retry_reason) if result.retry_reason else EMPTY
        return OutcomeText(
            headline,
            Text(QT_TRANSLATE_NOOP("kiosk", "Too many unclear presses. {why} Nothing was saved "
                                            "for this finger."), {"why": why}),
            Text(QT_TRANSLATE_NOOP("kiosk", "Try another finger, or clean the sensor glass.")))
    if r is FailReason.VERIFICATION_FAILED:
        return OutcomeText(
            headline,
            Text(QT_TRANSLATE_NOOP("kiosk", "The {finger} did not give the same print three "
                                            "times. Nothing was saved for this finger."),
                 {"finger": finger}),
            Text(QT_TRANSLATE_NOOP("kiosk", "Try another finger.")))
    if r is FailReason.LIBRARY_FULL:
        return OutcomeText(
            Text(QT_TRANSLATE_NOOP("kiosk", "The sensor's memory is full")), nothing,
            Text(QT_TRANSLATE_NOOP("kiosk", "Ask an administrator to remove old templates.")))
    if r is FailReason.DISK_FULL:
        return OutcomeText(
            Text(QT_TRANSLATE_NOOP("kiosk", "The station's disk is full")),
            Text(QT_TRANSLATE_NOOP("kiosk", "This fingerprint was not saved. Everything saved "
                                            "before is safe.")),
            Text(QT_TRANSLATE_NOOP("kiosk", "Ask an administrator to free space on the "
                                            "station's disk, then enroll this finger again.")))
    if r is FailReason.COMMIT_FAILED:
        return OutcomeText(
            Text(QT_TRANSLATE_NOOP("kiosk", "The fingerprint could not be saved")),
            Text(QT_TRANSLATE_NOOP("kiosk", "The station could not write to its database. "
                                            "Nothing was saved for this finger.")),
            Text(QT_TRANSLATE_NOOP("kiosk", "Check the disk, then try again.")))
    if r is FailReason.READBACK_MISMATCH:
        return OutcomeText(
            headline,
            Text(QT_TRANSLATE_NOOP("kiosk", "The sensor did not read the saved print back "
                                            "correctly. Nothing was saved for this finger.")),
            Text(QT_TRANSLATE_NOOP("kiosk", "Start the finger again.")))
    return OutcomeText(
        Text(QT_TRANSLATE_NOOP("kiosk", "The sensor had a problem")), nothing,
        Text(QT_TRANSLATE_NOOP("kiosk", "Try again. If it happens again, unplug the sensor and "
                                        "plug it back in.")))


def sensor_back() -> Text:
    """The unplugged screen once the sensor is connected again (it no longer says "plug")."""
    return Text(QT_TRANSLATE_NOOP("kiosk", "The sensor is back. Press “Try again” when the "
                                           "person is ready."))


# -- the check after enrollment -----------------------------------------------------------


def verify_prompt(kind: PromptKind, finger: Finger) -> Text:
    """The big instruction while the station checks a finger just enrolled."""
    if kind in (PromptKind.LIFT, PromptKind.RESTART):
        return Text(QT_TRANSLATE_NOOP("kiosk", "Lift your finger"))
    if kind is PromptKind.WORKING:
        return Text(QT_TRANSLATE_NOOP("kiosk", "Checking…"))
    if kind is PromptKind.PLACE:
        return Text(QT_TRANSLATE_NOOP("kiosk", "Place your {finger} once more to check it"),
                    {"finger": finger})
    return Text(QT_TRANSLATE_NOOP("kiosk", "Again: place your {finger}"), {"finger": finger})


def verify_outcome(result: VerifyResult) -> OutcomeText:
    """The check's verdict: a headline, what it means for the saved finger, what to do."""
    finger = result.request.finger
    o = result.outcome
    if o is VerifyOutcome.MATCHED:
        return OutcomeText(
            Text(QT_TRANSLATE_NOOP("kiosk", "Fingerprint saved and checked")),
            Text(QT_TRANSLATE_NOOP("kiosk", "The sensor found the {finger} again, as a reader "
                                            "will."), {"finger": finger}))
    if o in (VerifyOutcome.NOT_FOUND, VerifyOutcome.OTHER_TEMPLATE):
        return OutcomeText(
            Text(QT_TRANSLATE_NOOP("kiosk", "The check did not recognise this finger")),
            Text(QT_TRANSLATE_NOOP("kiosk", "The {finger} is saved, but the sensor did not "
                                            "find it again. A reader could fail the same way."),
                 {"finger": finger}),
            Text(QT_TRANSLATE_NOOP("kiosk", "Check once more, or enroll this finger again.")))
    if o is VerifyOutcome.UNREADABLE:
        return OutcomeText(
            Text(QT_TRANSLATE_NOOP("kiosk", "The check could not read the finger")),
            Text(QT_TRANSLATE_NOOP("kiosk", "The {finger} is saved; the presses for the check "
                                            "were unclear."), {"finger": finger}),
            Text(QT_TRANSLATE_NOOP("kiosk", "Check once more, or enroll this finger again.")))
    why = {
        VerifyOutcome.TIMED_OUT: QT_TRANSLATE_NOOP(
            "kiosk", "No finger was placed for the check. The {finger} is saved."),
        VerifyOutcome.CANCELLED: QT_TRANSLATE_NOOP(
            "kiosk", "The check was skipped. The {finger} is saved."),
        VerifyOutcome.DISCONNECTED: QT_TRANSLATE_NOOP(
            "kiosk", "The sensor was unplugged during the check. The {finger} is saved."),
    }.get(o, QT_TRANSLATE_NOOP(
        "kiosk", "The sensor had a problem during the check. The {finger} is saved."))
    return OutcomeText(Text(QT_TRANSLATE_NOOP("kiosk", "Fingerprint saved, not checked")),
                       Text(why, {"finger": finger}))


def duplicate_detail(result: Result) -> Text:
    """For an administrator only (after a PIN): whose finger the sensor found."""
    owner = result.duplicate_of
    if owner is None:
        return Text(QT_TRANSLATE_NOOP(
            "kiosk", "The sensor holds this finger in slot {slot}, but this station's records "
                     "do not say whose it is. Reconcile the sensor on the Sensor page."),
            {"slot": result.duplicate_slot if result.duplicate_slot is not None else "?"})
    return Text(QT_TRANSLATE_NOOP("kiosk", "Already enrolled as {name} ({id}), {finger}."),
                {"name": owner.name, "id": owner.external_id, "finger": owner.finger})


# -- sensor ----------------------------------------------------------------------------


def _slots(slots: Iterable[int]) -> str:
    return ", ".join(str(s) for s in sorted(slots))


def reconcile_summary(report: ReconcileReport) -> list[Text]:
    """What differs between the sensor and the database, one sentence per kind of problem."""
    if report.ok:
        return [Text(QT_TRANSLATE_NOOP("kiosk", "The sensor and the database agree."))]
    out: list[Text] = []
    if report.missing:
        out.append(Text(QT_TRANSLATE_NOOP(
            "kiosk", "{n} template(s) recorded here are missing on the sensor (slots "
                     "{slots}); those people are not recognised until the templates are "
                     "loaded back."), {"n": len(report.missing), "slots": _slots(report.missing)}))
    if report.orphans:
        out.append(Text(QT_TRANSLATE_NOOP(
            "kiosk", "The sensor holds {n} template(s) this station has no record of (slots "
                     "{slots}); they should be cleared."),
            {"n": len(report.orphans), "slots": _slots(report.orphans)}))
    if report.to_release:
        out.append(Text(QT_TRANSLATE_NOOP(
            "kiosk", "{n} deleted template(s) are still on the sensor (slots {slots}) and must "
                     "be cleared."),
            {"n": len(report.to_release), "slots": _slots(report.to_release)}))
    return out


def repair_summary(result: RepairResult) -> list[Text]:
    out = [Text(QT_TRANSLATE_NOOP("kiosk", "Loaded back {restored}, cleared {cleared}."),
                {"restored": len(result.restored), "cleared": len(result.cleared)})]
    for slot, why in result.failed:
        if why is RepairFailure.SHREDDED:
            out.append(Text(QT_TRANSLATE_NOOP(
                "kiosk", "Slot {slot}: the template was erased here after central received it; "
                         "enroll the person again."), {"slot": slot}))
        else:
            out.append(Text(QT_TRANSLATE_NOOP(
                "kiosk", "Slot {slot}: no template is recorded for it any more."),
                {"slot": slot}))
    return out


_SENSOR_PROBLEM: dict[SensorProblem, str] = {
    SensorProblem.NOT_FOUND: QT_TRANSLATE_NOOP(
        "kiosk", "No sensor found yet. Check the USB cable and that the sensor's light is on."),
    SensorProblem.UNPLUGGED: QT_TRANSLATE_NOOP(
        "kiosk", "The sensor is unplugged. Plug it back in; work resumes by itself."),
    SensorProblem.NOT_ANSWERING: QT_TRANSLATE_NOOP(
        "kiosk", "The sensor stopped answering. Unplug it and plug it back in."),
    SensorProblem.PORT_MISSING: QT_TRANSLATE_NOOP(
        "kiosk", "The sensor's port is not there. Check the USB cable and the port setting."),
    SensorProblem.PORT_BUSY: QT_TRANSLATE_NOOP(
        "kiosk", "Another program is using the sensor's port. Close it; the station keeps "
                 "trying."),
    SensorProblem.NO_PERMISSION: QT_TRANSLATE_NOOP(
        "kiosk", "This user may not open the sensor's port. Ask IT to grant serial access."),
}


def sensor_problem(problem: SensorProblem) -> Text:
    return Text(_SENSOR_PROBLEM[problem])


__all__ = [
    "CONTEXT",
    "EMPTY",
    "QT_TRANSLATE_NOOP",
    "OutcomeText",
    "Text",
    "duplicate_detail",
    "english",
    "finger_words",
    "outcome",
    "prompt",
    "reconcile_summary",
    "repair_summary",
    "retry",
    "sensor_back",
    "sensor_problem",
    "verify_outcome",
    "verify_prompt",
]
