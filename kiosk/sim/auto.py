"""A scripted, cooperative person at the virtual sensor (``kiosk-sim --auto FINGER``)."""

from __future__ import annotations

from kiosk.sim.core import VirtualR307


class AutoPerson:
    """Places ``finger`` when the host polls for one, lifts it after each accepted capture.

    The host asks for a finger by polling GenImg; the poll that finds the glass empty still
    answers 0x02 and the finger is on the glass for the next poll. After Img2Tz accepts a
    capture the finger is lifted, so a host that waits for "finger removed" and then "finger
    placed" (it never reuses a resting finger) completes an enrollment unattended.
    """

    def __init__(self, sim: VirtualR307, finger: str) -> None:
        if not finger:
            raise ValueError("finger label must not be empty")
        self.sim = sim
        self.finger = finger
        self.placements = 0
        self.lifts = 0

    def install(self) -> AutoPerson:
        self.sim.on_wait_for_finger = self._host_waits
        self.sim.on_capture_accepted = self._capture_accepted
        self.sim.on_finger_resting = self._capture_accepted
        return self

    def uninstall(self) -> None:
        if self.sim.on_wait_for_finger == self._host_waits:
            self.sim.on_wait_for_finger = None
        if self.sim.on_capture_accepted == self._capture_accepted:
            self.sim.on_capture_accepted = None
        if self.sim.on_finger_resting == self._capture_accepted:
            self.sim.on_finger_resting = None

    def _host_waits(self, sim: VirtualR307) -> None:
        if not sim.finger_present:
            sim.place(self.finger)
            self.placements += 1

    def _capture_accepted(self, sim: VirtualR307) -> None:
        sim.lift()
        self.lifts += 1
