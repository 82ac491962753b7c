"""Runs a compiled Script against a card, batch by batch, as a touch point would.

Kept deliberately small and independent of `app/`: integration tests of the
compiler and cardsim use it to carry batches over raw pyscard or in process.
"""

from __future__ import annotations

from collections.abc import Callable

from backend_stub.compiler.script import Script

Transmit = Callable[[bytes], bytes]


class BatchStopped(Exception):
    def __init__(self, name: str, sw: int, responses: list[bytes]) -> None:
        super().__init__(f"{name} answered {sw:04X}")
        self.sw = sw
        self.responses = responses


def run_script(script: Script, transmit: Transmit, trace: list[tuple[bytes, bytes]] | None = None,
               ) -> dict:
    """Carries every batch to the card; stops at the first status word outside `expect`."""
    batch = script.first_batch()
    while batch:
        responses: list[bytes] = []
        for cmd in batch:
            rapdu = transmit(cmd.apdu)
            if trace is not None:
                trace.append((cmd.apdu, rapdu))
            responses.append(rapdu)
            sw = int.from_bytes(rapdu[-2:], "big")
            if not cmd.accepts(sw):
                raise BatchStopped(cmd.name, sw, responses)
        batch = script.next_batch(responses)
    assert script.done
    return script.result()


def pyscard_transmit(conn) -> Transmit:  # type: ignore[no-untyped-def]
    """A transmit function over a pyscard connection, with GET RESPONSE on 61xx."""

    def transmit(apdu: bytes) -> bytes:
        data, sw1, sw2 = conn.transmit(list(apdu))
        out = bytes(data)
        while sw1 == 0x61:
            more, sw1, sw2 = conn.transmit([0x00, 0xC0, 0x00, 0x00, sw2])
            out += bytes(more)
        return out + bytes([sw1, sw2])

    return transmit
