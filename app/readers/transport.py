"""What every reader does around its raw exchange: short/extended form, 6Cxx, 61xx,
and the batch loop with its stop rule.

Everything here runs in the reader's worker thread. `exchange()` takes the backend's APDU
unchanged whenever the card can take it, so secure-messaging MACs stay valid:
only the length encoding may change (an extended APDU whose content fits the
short form is re-encoded short for a card that does not take extended
lengths; MACs cover the data, and SCP03's Lc in the MAC input is the real one).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence

from app.apdu import CommandApdu, get_response, split_response, sw_expected
from app.errors import ApduError
from app.readers.base import BatchCommand, BatchResult, Observer

RawTransmit = Callable[[bytes], bytes]

MAX_GET_RESPONSE = 256  # 256 x 256 bytes: far beyond any real answer; stops a looping card


def prepare(apdu: bytes, extended_ok: bool) -> bytes:
    """The bytes to send for `apdu` on a card that does (not) take extended APDUs."""
    if extended_ok or len(apdu) <= 5 or apdu[4] != 0:
        # the card takes anything, or the APDU is short already (an extended one has a
        # zero byte after P1P2 and at least 7 bytes; a 5-byte case 2 with Le 00 is short)
        return bytes(apdu)
    try:
        cmd = CommandApdu.parse(apdu)
    except ApduError:
        return bytes(apdu)  # not ISO 7816-4 framed (proprietary): send as given
    if not cmd.extended:
        return bytes(apdu)
    if len(cmd.data) > 255:
        raise ApduError(
            f"the card does not take extended APDUs and this command carries {len(cmd.data)} "
            "bytes of data (at most 255 fit a short APDU)"
        )
    if cmd.le is not None and cmd.le > 256:
        cmd = cmd.with_le(256)  # ask for 256; 61xx GET RESPONSE fetches the rest
    return cmd.to_bytes(extended=False)


def _send(raw: RawTransmit, cmd: bytes, observer: Observer | None) -> bytes:
    t0 = time.time()
    try:
        rsp = raw(cmd)
    except BaseException:
        if observer is not None:
            observer(cmd, None, t0, time.time())
        raise
    if observer is not None:
        observer(cmd, rsp, t0, time.time())
    if len(rsp) < 2:
        raise ApduError(f"the card answered {len(rsp)} bytes, no status word")
    return rsp


def exchange(
    raw: RawTransmit,
    apdu: bytes,
    *,
    extended_ok: bool = False,
    observer: Observer | None = None,
) -> bytes:
    """One logical command: the full answer (all 61xx parts joined) and the final SW.

    A 6Cxx answer repeats the command with the Le the card asked for; a 61xx
    answer is followed by GET RESPONSE until the card says something else."""
    wire = prepare(apdu, extended_ok)
    rsp = _send(raw, wire, observer)
    if rsp[-2] != 0x61 and rsp[-2] != 0x6C:
        return rsp  # complete
    data, sw = split_response(rsp)
    if sw >> 8 == 0x6C:
        try:
            cmd = CommandApdu.parse(wire)
        except ApduError:
            cmd = None
        if cmd is not None and not cmd.extended:
            wire = cmd.with_le(sw & 0xFF).to_bytes(extended=False)
            rsp = _send(raw, wire, observer)
            data, sw = split_response(rsp)
    if sw >> 8 != 0x61:
        return rsp
    collected = bytearray(data)
    cla = wire[0]
    for _ in range(MAX_GET_RESPONSE):
        le = sw & 0xFF
        rsp = _send(raw, get_response(cla, le), observer)
        part, sw = split_response(rsp)
        if sw >> 8 == 0x6C:  # GET RESPONSE with the wrong Le: ask again with the right one
            rsp = _send(raw, get_response(cla, sw & 0xFF), observer)
            part, sw = split_response(rsp)
        collected += part
        if sw >> 8 != 0x61:
            return bytes(collected) + sw.to_bytes(2, "big")
    raise ApduError(f"the card kept answering 61xx after {MAX_GET_RESPONSE} GET RESPONSE")


def exchange_batch(
    raw: RawTransmit,
    commands: Sequence[BatchCommand],
    *,
    extended_ok: bool = False,
    observer: Observer | None = None,
    cancel: threading.Event | None = None,
    on_apdu: Callable[[int], None] | None = None,
) -> BatchResult:
    """Every command through `exchange`, in order, until the first answer whose status
    word is outside the command's `expect` (the backend then fails the operation with
    the answers so far); `cancel` is looked at before each command."""
    result = BatchResult()
    for n, command in enumerate(commands, 1):
        if cancel is not None and cancel.is_set():
            result.cancelled = True
            break
        rsp = exchange(raw, command.apdu, extended_ok=extended_ok, observer=observer)
        result.responses.append(rsp)
        if on_apdu is not None:
            on_apdu(n)
        sw = int.from_bytes(rsp[-2:], "big")
        if not sw_expected(sw, command.expect):
            result.stopped_sw = sw
            break
    return result
