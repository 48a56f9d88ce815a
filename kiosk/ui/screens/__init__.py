"""The screens of the enrollment flow, one task each (one module per screen)."""

from kiosk.ui.screens.base import ConfirmPanel, Screen, label
from kiosk.ui.screens.capture import CaptureScreen
from kiosk.ui.screens.consent import ConsentScreen
from kiosk.ui.screens.duplicate import DuplicateScreen
from kiosk.ui.screens.fingers import FingerScreen, suggest_finger
from kiosk.ui.screens.forget import ForgetPersonScreen
from kiosk.ui.screens.manage import ManageFingerScreen
from kiosk.ui.screens.message import MessageScreen
from kiosk.ui.screens.person import PersonScreen
from kiosk.ui.screens.result import ResultScreen
from kiosk.ui.screens.search import SearchScreen
from kiosk.ui.screens.signin import SignInScreen

__all__ = [
    "CaptureScreen", "ConfirmPanel", "ConsentScreen", "DuplicateScreen", "FingerScreen",
    "ForgetPersonScreen", "ManageFingerScreen", "MessageScreen", "PersonScreen", "ResultScreen",
    "Screen", "SearchScreen", "SignInScreen", "label", "suggest_finger",
]
