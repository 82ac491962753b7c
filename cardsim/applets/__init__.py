"""Applet behaviours, keyed by the package (load file) AID they implement.

A package without a behaviour still loads, installs, lists and deletes; its
instances use the generic `Applet` (SELECT 9000, other instructions 6D00).
"""

from __future__ import annotations

from cardsim.applets.base import Applet, CardInfo, Response, StoreDataBlock
from cardsim.applets.keystore import KeyStoreApplet
from cardsim.applets.platform import PlatformApplet

BEHAVIOURS: dict[bytes, type[Applet]] = {
    cls.package_aid: cls for cls in (KeyStoreApplet, PlatformApplet)
}


def behaviour_for(package_aid: bytes) -> type[Applet]:
    return BEHAVIOURS.get(package_aid, Applet)


def register(cls: type[Applet]) -> type[Applet]:
    """Adds a behaviour (usable as a class decorator by tests and extensions)."""
    BEHAVIOURS[cls.package_aid] = cls
    return cls


__all__ = [
    "BEHAVIOURS",
    "Applet",
    "CardInfo",
    "Response",
    "StoreDataBlock",
    "behaviour_for",
    "register",
]
