"""Status words and the exception that carries one out of a command handler.

Handlers raise `SWError` instead of returning error codes so that a failing
command can never fall through to code that mutates state.
"""

from __future__ import annotations

SW_OK = 0x9000
SW_WARNING_MORE_DATA = 0x6310
SW_WRONG_LENGTH = 0x6700
SW_CHANNEL_NOT_SUPPORTED = 0x6881
SW_CHAINING_NOT_SUPPORTED = 0x6884
SW_SECURITY_NOT_SATISFIED = 0x6982
SW_AUTH_METHOD_BLOCKED = 0x6983
SW_CONDITIONS_NOT_SATISFIED = 0x6985
SW_WRONG_DATA = 0x6A80
SW_FUNCTION_NOT_SUPPORTED = 0x6A81
SW_FILE_NOT_FOUND = 0x6A82
SW_NOT_ENOUGH_MEMORY = 0x6A84
SW_INCORRECT_P1P2 = 0x6A86
SW_REFERENCED_DATA_NOT_FOUND = 0x6A88
SW_INS_NOT_SUPPORTED = 0x6D00
SW_CLA_NOT_SUPPORTED = 0x6E00
SW_UNKNOWN = 0x6F00


class SWError(Exception):
    """A command failed with status word `sw`; nothing it touched is kept."""

    def __init__(self, sw: int, reason: str = "") -> None:
        super().__init__(f"{sw:04X} {reason}".strip())
        self.sw = sw
        self.reason = reason


def is_success(sw: int) -> bool:
    """9000, 61xx, 62xx and 63xx: answers after which the card keeps what the command did."""
    return sw == SW_OK or (sw >> 8) in (0x61, 0x62, 0x63)
