"""Property: whatever the compiler wraps, cardsim unwraps, and back again.

Random sequences of STORE DATA (random BER-TLV objects into the ISD) and
GET DATA (reading them back) go through `secure_transceive` at every security
level against an in-process cardsim. The card only stores what it could
unwrap (C-MAC, C-DEC), and the host only returns what it could unwrap (R-MAC,
R-ENC), so equal values prove both directions agree on every padding length.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend_stub.compiler import tlv
from backend_stub.compiler.keys import CardKeys
from backend_stub.compiler.script import CardContext, secure_transceive
from cardsim.card import VirtualCard
from cardsim.profile import CardProfile
from tests.helpers.script_runner import run_script

ISD = bytes.fromhex("A000000151000000")
KEY = bytes.fromhex("404142434445464748494A4B4C4D4E4F")

CARDS = {
    (3, 0x70): VirtualCard.create(None, profile=CardProfile(scp=3, scp_i=0x70)),
    (3, 0x00): VirtualCard.create(None, profile=CardProfile(scp=3, scp_i=0x00)),
    (2, 0x55): VirtualCard.create(None, profile=CardProfile(scp=2, scp_i=0x55)),
}
LEVELS = {(3, 0x70): [0x01, 0x03, 0x11, 0x13, 0x33], (3, 0x00): [0x01, 0x03],
          (2, 0x55): [0x01, 0x03]}

objects = st.lists(
    st.tuples(st.integers(0xDF01, 0xDF7E), st.binary(min_size=0, max_size=200)),
    min_size=1, max_size=5, unique_by=lambda o: o[0],
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(card_key=st.sampled_from(sorted(CARDS)), data=st.data(), objs=objects)
def test_store_then_read_back_through_the_secure_channel(card_key, data, objs):
    card = CARDS[card_key]
    level = data.draw(st.sampled_from(LEVELS[card_key]))
    card.power_on()
    commands = []
    for tag, value in objs:
        body = tlv.build(tag, value)
        commands.append(bytes([0x80, 0xE2, 0x90, 0x00, len(body)]) + body)  # last block, BER-TLV
    for tag, _ in objs:
        commands.append(bytes([0x80, 0xCA, tag >> 8, tag & 0xFF, 0x00]))
    ctx = CardContext(CardKeys.single(KEY), security_level=level)
    result = run_script(secure_transceive(ctx=ctx, sd_aid=ISD, commands=commands), card.transmit)
    answers = [bytes.fromhex(r) for r in result["responses"]][len(objs):]
    for (tag, value), answer in zip(objs, answers, strict=True):
        assert answer[-2:] == b"\x90\x00"
        assert answer[:-2] == tlv.build(tag, value)
