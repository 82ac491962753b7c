"""How long a real card takes: timing profiles for the virtual card.

The virtual card answers in a tenth of a millisecond, no real card does. A
profile makes each command take what a real card needs: the card's processing
time for that kind of command plus the transmission time of the command and
response bytes on the link (contact T=1, or ISO 14443 contactless).

Every processing time comes from a published round trip (the figure a host
saw for one command, link included) together with the sizes of that command
and its answer: the processing time is that round trip minus what this
module's link model computes for those sizes. So a command of the measured
size takes exactly the measured time, and a longer or shorter one the same
card time plus its own transmission time.

Sources (see /work/shared/reference/gp-apdu.md, section 5):
  [GPP255] github.com/martinpaljak/GlobalPlatformPro/issues/255: NXP JCOP4, contact T=1
  [GPP355] GlobalPlatformPro issue 355: ACR1252 PICC reader + NXP card, contactless
  [GPP15]  GlobalPlatformPro issue 15: INITIALIZE UPDATE 44 ms
  [YK45]   github.com/Yubico/ykneo-openpgp/issues/45: INSTALL 250 ms (contact)
  [SO115]  stackoverflow.com/questions/26480780: F=372, D=12 at 3.571 MHz is ~115 kbaud
  [ATR]    microissuer.com/code/static/0048-atr-20220707-en.html: a character is 10 etu, and
           ATR characters start at least 12 etu apart; the initial etu is 372/f
  [ISO14443] gp-apdu.md section 5: 13.56 MHz carrier, 106 kbit/s = fc/128 ... 848 = fc/16,
           Type A sends 9 bits per byte (8 data + parity)
  [SO506]  stackoverflow.com/questions/50622564: MIFARE DESFire EV1 on a PN532 at 106 kbit/s,
           SelectApplication + 3 x GetVersion + SelectApplication in 92.77 ms
  [DFEV2]  MIFARE DESFire EV2 data sheet (copy at smartcardamerica.com): "Fast programming
           cycles (erase/write) 1 ms", 106 to 848 kbit/s (EV2 is the EV1's successor)
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

FC_HZ = 13.56e6  # ISO 14443 carrier [ISO14443]
CONTACT_CLOCK_HZ = 3.5712e6  # the usual reader clock, 9600 bit/s at F=372, D=1 [SO115][ATR]


@dataclass(frozen=True)
class Link:
    """Bytes on the wire: `byte_s` seconds per byte, `overhead` framing bytes per block,
    blocks of at most `block` payload bytes (longer APDUs are chained: each further block
    costs an acknowledgement of `overhead` bytes from the other side)."""

    name: str
    byte_s: float
    overhead: int
    block: int

    def _one_way(self, n: int) -> float:
        blocks = max(1, math.ceil(n / self.block))
        return (n + blocks * self.overhead + (blocks - 1) * self.overhead) * self.byte_s

    def seconds(self, command_len: int, response_len: int) -> float:
        return self._one_way(command_len) + self._one_way(response_len)


# T=1 at TA1 = 18 (F=372, D=12; JCOP cards announce it, e.g. JCOP31's ATR 3B F8 18 ... in
# github.com/vletoux/GidsApplet/issues/10): etu = 372/12/3.5712 MHz = 8.7 us, ~115 kbit/s
# [SO115]; a character is 10 etu plus at least one guard etu (T=1's character guard time);
# a block has 3 prologue bytes (NAD PCB LEN) and 1 epilogue byte (LRC); IFSC 254 (TA3 = FE,
# ETSI TS 102 221's sample ATR, tech-invite.com copy).
T1_115K = Link("contact T=1, 115.2 kbit/s", 11 * (372 / 12) / CONTACT_CLOCK_HZ, 4, 254)
# ISO 14443-4 (ISO-DEP) I-blocks: PCB + 2 CRC bytes; 9 bits per byte [ISO14443]; FSC 256
# (FSCI 8, the most a JCOP announces before the later amendments; gp-apdu.md section 5).
ISO14443_848K = Link("ISO 14443 848 kbit/s", 9 * 16 / FC_HZ, 3, 256 - 3)
# 106 kbit/s = fc/128 [ISO14443]; FSC 64 (FSCI 5, DESFire EV1's ATS 75 77 81 02 80 as libnfc
# lists it).
ISO14443_106K = Link("ISO 14443 106 kbit/s", 9 * 128 / FC_HZ, 3, 64 - 3)


@dataclass(frozen=True)
class Measured:
    """A published round trip of one command, with the sizes it was measured at."""

    round_trip_s: float
    command_len: int
    response_len: int
    source: str

    def processing_s(self, link: Link) -> float:
        return max(0.0, self.round_trip_s - link.seconds(self.command_len, self.response_len))


# -- the published figures (round trip, command bytes, response bytes incl. SW) --------
SELECT = Measured(0.012, 4 + 1 + 8 + 1, 2 + 20, "[GPP355] SELECT 12 ms")
GET_DATA = Measured(0.010, 4 + 1, 2 + 10, "[GPP355] GET DATA 9-10 ms")
INIT_UPDATE = Measured(0.044, 4 + 1 + 8 + 1, 2 + 29, "[GPP15] INITIALIZE UPDATE 44 ms")
EXT_AUTH = Measured(0.020, 4 + 1 + 16, 2, "[GPP255] EXTERNAL AUTHENTICATE 20 ms")
GET_STATUS = Measured(0.032, 4 + 1 + 2 + 1, 2 + 30, "[GPP255] GET STATUS 22-42 ms (middle)")
LOAD_CONTACT = Measured(0.047, 4 + 1 + 255, 2 + 1, "[GPP255] LOAD 255-byte block 46-48 ms")
LOAD_LAST = Measured(0.692, 4 + 1 + 255, 2 + 1, "[GPP255] last LOAD block 692 ms (linking)")
LOAD_CONTACTLESS = Measured(0.129, 4 + 1 + 255, 2 + 1, "[GPP355] LOAD 255-byte block 129 ms")
INSTALL = Measured(0.250, 4 + 1 + 30, 2 + 1, "[YK45] INSTALL 250 ms")
# No published figure for these; each is taken as the nearest measured kind, said here:
INSTALL_LOAD = Measured(0.032, 4 + 1 + 20, 2 + 1,
                        "INSTALL [for load]: as GET STATUS [GPP255] (short, writes little)")
STORE_DATA = Measured(0.047, 4 + 1 + 255, 2,
                      "STORE DATA: as a LOAD block [GPP255] (one EEPROM write of <= 255 bytes)")
DELETE = Measured(0.250, 4 + 1 + 12, 2 + 1,
                  "DELETE: as INSTALL [YK45] (objects destroyed instead of created)")
OTHER = EXT_AUTH  # anything else: a short command, as EXTERNAL AUTHENTICATE [GPP255]
# DESFire: 5 native commands in 92.77 ms [SO506], ~9-byte commands and answers
DESFIRE = Measured(0.09277 / 5, 4 + 1 + 3 + 1, 2 + 7, "[SO506] 92.77 ms / 5 commands")
DESFIRE_WRITE = Measured(0.09277 / 5 + 0.001, 4 + 1 + 3 + 1, 2 + 7,
                         "[SO506] plus one 1 ms erase/write cycle [DFEV2]")

# DESFire native commands that write EEPROM (libfreefare / gp-apdu.md section 3 codes)
DESFIRE_WRITES = frozenset({0xCA, 0xDA, 0xCD, 0xCB, 0xCC, 0xC1, 0xC0, 0xDF, 0x3D, 0x3B,
                            0x0C, 0xDC, 0x1C, 0xC7, 0xC4, 0x54, 0x5F, 0xFC, 0x5C})


def command_kind(apdu: bytes) -> str:
    """The kind of a command APDU, from its header (a secured CLA keeps the INS)."""
    if len(apdu) < 4:
        return "other"
    cla, ins, p1 = apdu[0], apdu[1], apdu[2]
    if cla == 0x90:
        return "desfire-write" if ins in DESFIRE_WRITES else "desfire"
    kinds = {0xA4: "select", 0x50: "initialize-update", 0x82: "external-authenticate",
             0xF2: "get-status", 0xCA: "get-data", 0xCB: "get-data", 0xE2: "store-data",
             0xE4: "delete"}
    if ins == 0xE8:
        return "load-last" if p1 & 0x80 else "load"
    if ins == 0xE6:
        return "install-load" if p1 & 0x02 and not p1 & 0x0C else "install"
    return kinds.get(ins, "other")


@dataclass(frozen=True)
class TimingProfile:
    """A card's processing time per kind of command, and its link."""

    name: str
    link: Link | None
    costs: Mapping[str, Measured] = field(default_factory=dict)
    activation_s: float = 0.0  # from power on to the first command (ATR / anticollision)

    def command_s(self, apdu: bytes, response: bytes) -> float:
        """Seconds a real card needs for this command and its answer."""
        if self.link is None:
            return 0.0
        cost = self.costs.get(command_kind(apdu), self.costs.get("other", OTHER))
        return cost.processing_s(self.link) + self.link.seconds(len(apdu), len(response))


def _contact_activation(atr_len: int = 20) -> float:
    # ATR characters >= 12 etu apart at the initial etu 372/f [ATR], then PPS (4 bytes each
    # way) at the same speed before switching to D=12
    etu = 372 / CONTACT_CLOCK_HZ
    return (atr_len + 8) * 12 * etu


def _contactless_activation() -> float:
    # ISO 14443-3 Type A at 106 kbit/s [ISO14443]: REQA/ATQA (1+2), 2 cascade levels of
    # ANTICOLLISION (2+5) and SELECT (9+3), RATS/ATS (4+6), PPS (5+3): 63 bytes
    return 63 * ISO14443_106K.byte_s


_GP_CONTACT = {"select": SELECT, "get-data": GET_DATA, "initialize-update": INIT_UPDATE,
               "external-authenticate": EXT_AUTH, "get-status": GET_STATUS,
               "load": LOAD_CONTACT, "load-last": LOAD_LAST, "install": INSTALL,
               "install-load": INSTALL_LOAD, "store-data": STORE_DATA, "delete": DELETE,
               "other": OTHER, "desfire": DESFIRE, "desfire-write": DESFIRE_WRITE}
_GP_CONTACTLESS = {**_GP_CONTACT, "load": LOAD_CONTACTLESS}

PROFILES: dict[str, TimingProfile] = {
    "none": TimingProfile("none", None),
    "jcop4-contact": TimingProfile("jcop4-contact", T1_115K, _GP_CONTACT,
                                   _contact_activation()),
    "jcop4-contactless": TimingProfile("jcop4-contactless", ISO14443_848K, _GP_CONTACTLESS,
                                       _contactless_activation()),
    # a DESFire EV1 at the base rate; its GlobalPlatform side (cardsim's card has both)
    # costs what the contactless JCOP's does
    "desfire-ev1": TimingProfile("desfire-ev1", ISO14443_106K, _GP_CONTACTLESS,
                                 _contactless_activation()),
}
TIMING_ENV = "CARDSIM_TIMING"  # the in-process virtual reader's profile (app/readers/virtual.py)


class TimingError(ValueError):
    pass


def get_profile(name: str | None) -> TimingProfile:
    """The profile called `name` (None or "" is `none`); a clear error for an unknown one."""
    key = (name or "none").strip().lower()
    try:
        return PROFILES[key]
    except KeyError:
        raise TimingError(f"unknown card timing profile {name!r}; profiles: "
                          f"{', '.join(PROFILES)}") from None


class CardTimer:
    """Spends a profile's time for each command (thread-safe; `sleep` injectable)."""

    def __init__(self, profile: TimingProfile | str | None = None, *,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self._profile = profile if isinstance(profile, TimingProfile) else get_profile(profile)
        self._sleep = sleep
        self._lock = threading.Lock()
        self.total_s = 0.0  # everything spent so far (benches, tests)

    @property
    def profile(self) -> TimingProfile:
        return self._profile

    def set_profile(self, profile: TimingProfile | str | None) -> None:
        self._profile = profile if isinstance(profile, TimingProfile) else get_profile(profile)

    def _spend(self, seconds: float) -> None:
        if seconds <= 0:
            return
        with self._lock:
            self.total_s += seconds
        self._sleep(seconds)

    def command(self, apdu: bytes, response: bytes) -> None:
        self._spend(self._profile.command_s(apdu, response))

    def activation(self) -> None:
        self._spend(self._profile.activation_s)
