"""The platform applet A00000061702000900010101: tells a touch point who the card is."""

from __future__ import annotations

from cardsim.applets.base import Applet
from cardsim.registry import PLATFORM_PACKAGE_AID
from cardsim.tlv import tlv


class PlatformApplet(Applet):
    """SELECT answers `45 len CIN 42 03 batch-id` (top level, as fdsm parses it)."""

    package_aid = PLATFORM_PACKAGE_AID
    name = "platform"

    def select(self) -> bytes:
        return tlv(0x45, self.card.cin) + tlv(0x42, self.card.batch_id.to_bytes(3, "big"))
