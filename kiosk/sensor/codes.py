"""R30x instruction and confirmation codes, each confirmation with an operator message.

Codes follow the R307/ZFM-20 family (see the protocol reference, A2/A3). Codes above 0x1F
differ between families; only the R30x meanings are given here.
"""

from __future__ import annotations

from enum import IntEnum


class Instruction(IntEnum):
    GEN_IMG = 0x01
    IMG2TZ = 0x02
    MATCH = 0x03
    SEARCH = 0x04
    REG_MODEL = 0x05
    STORE = 0x06
    LOAD_CHAR = 0x07
    UP_CHAR = 0x08
    DOWN_CHAR = 0x09
    UP_IMAGE = 0x0A
    DOWN_IMAGE = 0x0B
    DELET_CHAR = 0x0C
    EMPTY = 0x0D
    SET_SYS_PARA = 0x0E
    READ_SYS_PARA = 0x0F
    SET_PWD = 0x12
    VFY_PWD = 0x13
    GET_RANDOM_CODE = 0x14
    SET_ADDER = 0x15
    PORT_CONTROL = 0x17
    WRITE_NOTEPAD = 0x18
    READ_NOTEPAD = 0x19
    HIGH_SPEED_SEARCH = 0x1B
    TEMPLETE_NUM = 0x1D
    READ_INDEX_TABLE = 0x1F


class Confirmation(IntEnum):
    OK = 0x00
    PACKET_RECEIVE_ERROR = 0x01
    NO_FINGER = 0x02
    IMAGE_FAIL = 0x03
    IMAGE_TOO_DRY = 0x04
    IMAGE_TOO_WET = 0x05
    IMAGE_MESSY = 0x06
    FEATURE_FAIL = 0x07
    NO_MATCH = 0x08
    NOT_FOUND = 0x09
    ENROLL_MISMATCH = 0x0A
    BAD_LOCATION = 0x0B
    DB_READ_FAIL = 0x0C
    UPLOAD_FEATURE_FAIL = 0x0D
    PACKET_RESPONSE_FAIL = 0x0E
    UPLOAD_IMAGE_FAIL = 0x0F
    DELETE_FAIL = 0x10
    DB_CLEAR_FAIL = 0x11
    WRONG_PASSWORD = 0x13
    INVALID_IMAGE = 0x15
    FLASH_ERROR = 0x18
    NO_DEFINITION = 0x19
    INVALID_REGISTER = 0x1A
    BAD_REGISTER_CONFIG = 0x1B
    BAD_NOTEPAD_PAGE = 0x1C
    PORT_OP_FAIL = 0x1D
    LIBRARY_FULL = 0x1F
    ADDRESS_CODE_ERROR = 0x20
    PASSWORD_REQUIRED = 0x21


_MESSAGES: dict[int, str] = {
    0x00: "Done.",
    0x01: "The sensor did not understand the last request. Try again.",
    0x02: "No finger detected. Place the finger on the glass.",
    0x03: "The image could not be captured. Place the finger flat and try again.",
    0x04: "The image is too dry or faint. Press a little harder, or breathe on the finger.",
    0x05: "The image is too wet or smudged. Dry the finger and clean the glass.",
    0x06: "The image is too messy. Clean the glass and place the finger again.",
    0x07: "Too few features. Press flatter so the finger covers the window.",
    0x08: "The prints do not match. Use the same finger each time.",
    0x09: "This finger is not enrolled on the sensor.",
    0x0A: "The captures could not be combined. Use the same finger each time.",
    0x0B: "That storage slot does not exist on this sensor.",
    0x0C: "A stored template could not be read or is invalid.",
    0x0D: "The sensor could not send the template. Try again.",
    0x0E: "The sensor could not receive the data. Try again.",
    0x0F: "The sensor could not send the image. Try again.",
    0x10: "The sensor could not delete the template(s).",
    0x11: "The sensor could not clear its library.",
    0x13: "The sensor password is wrong. Check the sensor password setting.",
    0x15: "No valid image to process. Place the finger again.",
    0x18: "The sensor could not write its memory. The sensor may need replacing.",
    0x19: "The sensor reported an undefined error.",
    0x1A: "Invalid sensor setting number.",
    0x1B: "Invalid sensor setting value.",
    0x1C: "Invalid notepad page.",
    0x1D: "The sensor could not switch its port.",
    0x1F: "The sensor's library is full. Remove old templates or use another sensor.",
    0x20: "The sensor address is wrong.",
    0x21: "The sensor needs its password first.",
}


def describe(code: int) -> str:
    """Plain-language operator message for a confirmation code (never just a hex number)."""
    return _MESSAGES.get(code, f"The sensor reported an unknown problem (code 0x{code:02X}).")
