"""One APDU explained: hex dump, header fields, data and answer as trees, secure messaging parts.

The tester's detail pane (ui/tester/detail.py) shows this for the selected
trace row. Which part of a wrapped command is MAC and which ciphertext
depends on the session: the security level of the last EXTERNAL
AUTHENTICATE and the protocol named in the INITIALIZE UPDATE answer
(gp-apdu.md 1.2), so `SecureContext.before` reads the commands before it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.apdunames import command_name, sw_meaning
from app.tlvexplain import Node, lv_fields, tlv_tree
from app.trace import TraceEntry

_SELECT_P1 = {0x00: "by file identifier (MF, DF or EF)", 0x01: "child DF", 0x02: "EF under DF",
              0x03: "parent DF", 0x04: "by DF name (AID)", 0x08: "by path from MF",
              0x09: "by path from current DF"}
_SELECT_P2 = {0x00: "first or only occurrence, return FCI", 0x02: "next occurrence",
              0x04: "return FCP", 0x08: "return FMD", 0x0C: "no response data"}
_INSTALL_BITS = ((0x02, "for load"), (0x04, "for install"), (0x08, "for make selectable"),
                 (0x10, "for extradition"), (0x20, "for personalization"),
                 (0x40, "for registry update"))
_STATUS_SCOPE = {0x80: "issuer security domain", 0x40: "applications and security domains",
                 0x20: "executable load files", 0x10: "executable load files and modules"}
_SECURITY = ((0x01, "C-MAC"), (0x02, "C-DECRYPTION"), (0x10, "R-MAC"), (0x20, "R-ENCRYPTION"))
_INSTALL_LOAD = ("load file AID", "security domain AID", "load file data block hash",
                 "load parameters", "load token")
_INSTALL_INSTALL = ("load file AID", "module AID", "application AID", "privileges",
                    "install parameters", "install token")


@dataclass(frozen=True)
class SecureContext:
    """The secure channel a command travels in: protocol (2 or 3) and security level (P1 bits)."""

    scp: int | None = None
    level: int = 0

    @classmethod
    def before(cls, exchanges: Sequence[tuple[bytes, bytes | None]], index: int) -> SecureContext:
        """The session in force for exchange `index`, from the commands before it."""
        scp, level = None, 0
        for cmd, answer in exchanges[:index]:
            if len(cmd) < 4:
                continue
            ins = cmd[1]
            if ins == 0xA4 and cmd[0] & 0x80 == 0:  # a new selection ends the channel
                scp, level = None, 0
            elif ins == 0x50 and answer is not None and len(answer) >= 14:
                scp, level = answer[11], 0
            elif ins == 0x82 and answer is not None and answer[-2:] == b"\x90\x00":
                level = cmd[2]
        return cls(scp, level)

    def text(self) -> str:
        if self.scp is None:
            return "none"
        names = [n for bit, n in _SECURITY if self.level & bit] or ["being opened"]
        return f"SCP{self.scp:02d}, " + ", ".join(names)


def hex_dump(data: bytes, width: int = 16) -> str:
    """Offset, hex bytes and an ASCII column (dots for what is not printable)."""
    lines = []
    for off in range(0, len(data), width):
        chunk = data[off:off + width]
        hexes = " ".join(f"{b:02X}" for b in chunk).ljust(width * 3 - 1)
        text = "".join(chr(b) if 0x20 <= b < 0x7F else "." for b in chunk)
        lines.append(f"{off:04X}  {hexes}  |{text}|")
    return "\n".join(lines)


@dataclass(frozen=True)
class Body:
    """Lc, data and Le of a command, short or extended form."""

    lc: int | None
    data: bytes
    le: int | None
    extended: bool = False


def split_body(cmd: bytes) -> Body:
    rest = cmd[4:]
    if not rest:
        return Body(None, b"", None)
    if len(rest) == 1:
        return Body(None, b"", rest[0] or 256)
    if rest[0] == 0 and len(rest) >= 3:  # extended length
        if len(rest) == 3:
            return Body(None, b"", int.from_bytes(rest[1:3], "big") or 65536, True)
        lc = int.from_bytes(rest[1:3], "big")
        data = rest[3:3 + lc]
        tail = rest[3 + lc:]
        le = (int.from_bytes(tail, "big") or 65536) if tail else None
        return Body(lc, data, le, True)
    lc = rest[0]
    data = rest[1:1 + lc]
    tail = rest[1 + lc:]
    return Body(lc, data, (tail[0] or 256) if tail else None)


def cla_text(cla: int) -> str:
    """Class byte: interindustry or proprietary, secure messaging, logical channel, chaining."""
    if cla == 0xFF:
        return "reader pseudo-APDU (PC/SC)"
    if cla == 0x90:
        return "proprietary (MIFARE DESFire native, wrapped)"
    parts = ["proprietary (GlobalPlatform)" if cla & 0x80 else "interindustry (ISO 7816-4)"]
    if cla & 0x40:  # further interindustry coding: channels 4..19
        parts.append("secure messaging" if cla & 0x20 else "no secure messaging")
        parts.append(f"logical channel {4 + (cla & 0x0F)}")
    else:
        sm = (cla >> 2) & 0x03
        if cla & 0x80:
            parts.append("secure messaging (GP)" if sm & 0x01 else "no secure messaging")
        else:
            parts.append(("no secure messaging", "proprietary secure messaging",
                          "secure messaging, header not authenticated",
                          "secure messaging, header authenticated")[sm])
        parts.append(f"logical channel {cla & 0x03}")
    if cla & 0x10:
        parts.append("command chaining: more to come")
    return ", ".join(parts)


def p1p2_text(cmd: bytes) -> tuple[str, str]:
    """What P1 and P2 mean for the GP and ISO commands we know ("" when we do not know)."""
    cla, ins, p1, p2 = cmd[0], cmd[1], cmd[2], cmd[3]
    if cla in (0x90, 0xFF):
        return "", ""
    if ins == 0xA4:
        return _SELECT_P1.get(p1, ""), _SELECT_P2.get(p2 & 0x0F, "")
    if ins == 0xE6:
        kinds = [name for bit, name in _INSTALL_BITS if p1 & bit]
        more = "more commands follow" if p1 & 0x80 else "last (or only) command"
        return f"{' + '.join(kinds) or 'unknown'}; {more}", "00 (reserved)"
    if ins in (0xE8, 0xE2):
        last = "last block" if p1 & 0x80 else "more blocks"
        if ins == 0xE2:
            enc = {0x00: "no encryption info", 0x20: "application dependent encryption",
                   0x60: "encrypted data"}.get(p1 & 0x60, "")
            fmt = {0x00: "no structure info", 0x08: "DGI format", 0x10: "BER-TLV format"}.get(
                p1 & 0x18, "")
            last = ", ".join(x for x in (last, enc, fmt) if x)
        return last, f"block number {p2}"
    if ins == 0xE4:
        return ("last (or only) command" if not p1 & 0x80 else "more commands follow",
                "delete object and related objects" if p2 & 0x80 else "delete object only")
    if ins == 0xF2:
        scope = _STATUS_SCOPE.get(p1, "")
        form = "tagged (E3) format" if p2 & 0x02 else "legacy format"
        return scope, form + (", next occurrences" if p2 & 0x01 else ", first or all")
    if ins in (0xCA, 0xCB):
        return f"tag {p1:02X}{p2:02X}", "(with P1)"
    if ins == 0x50:
        return f"key version {p1:02X}" + (" (any)" if p1 == 0 else ""), f"key identifier {p2:02X}"
    if ins == 0x82 and cla & 0x80:
        names = [n for bit, n in _SECURITY if p1 & bit] or ["no security"]
        return "security level: " + ", ".join(names), "00 (reserved)"
    if ins == 0xF0:
        target = {0x80: "issuer security domain", 0x40: "application or security domain",
                  0x60: "security domain and its applications"}.get(p1, "")
        return target, f"new state {p2:02X}"
    if ins == 0xD8:
        return ("new key set" if p1 == 0 else f"replace key version {p1 & 0x7F:02X}",
                f"key identifier {p2 & 0x7F:02X}" + (", several keys" if p2 & 0x80 else ""))
    if ins == 0x70:
        return "open" if p1 == 0 else "close", f"channel {p2}" if p2 else "card assigns"
    if ins in (0xB0, 0xD6):
        return "offset (high)", "offset (low)"
    if ins in (0xB2, 0xDC):
        return f"record {p1}", f"P2 {p2:02X}"
    return "", ""


def _mac_len(ctx: SecureContext, ins: int) -> int:
    return 8 if ctx.scp is not None and (ctx.level & 0x01 or ins == 0x82) else 0


def command_parts(cmd: bytes, ctx: SecureContext) -> tuple[bytes, bytes, bytes]:
    """(clear data, ciphertext, C-MAC) of the command's data field."""
    data = split_body(cmd).data
    wrapped = cmd[0] & 0x80 and cmd[0] & 0x04 and cmd[0] != 0x90 and cmd[0] != 0xFF
    if not wrapped:
        return data, b"", b""
    if ctx.scp is None:  # wrapped but the session is not in the trace: GP puts the MAC last
        return b"", data[:-8], data[-8:]
    mac = data[-_mac_len(ctx, cmd[1]):] if _mac_len(ctx, cmd[1]) else b""
    body = data[:len(data) - len(mac)]
    if ctx.level & 0x02 and cmd[1] != 0x82 and body:
        return b"", body, mac
    return body, b"", mac


def _data_tree(cmd: bytes, data: bytes) -> tuple[Node, ...]:
    ins, p1 = cmd[1], cmd[2]
    if not data:
        return ()
    if ins == 0xE6 and p1 & 0x02:
        return lv_fields(data, _INSTALL_LOAD)
    if ins == 0xE6 and p1 & 0x0C:
        return lv_fields(data, _INSTALL_INSTALL)
    if ins == 0xE8 and cmd[3] != 0:
        return (Node("load file data (continued)", f"{len(data)} bytes"),)
    if ins == 0xE8 and data[:1] == b"\xC4":
        n, pos = data[1], 2
        if n & 0x80:
            size = n & 0x7F
            n, pos = int.from_bytes(data[2:2 + size], "big"), 2 + size
        return (Node(f"C4 load file data block [{n}]",
                     f"{len(data) - pos} bytes in this block"),)
    if ins == 0xA4 and p1 == 0x04:
        return (Node("AID", data.hex().upper()),)
    if ins in (0x50, 0x82):
        return (Node("host challenge" if ins == 0x50 else "host cryptogram", data.hex().upper()),)
    return tlv_tree(data, p1 if ins == 0xF2 else None)


def _answer_tree(cmd: bytes, data: bytes) -> tuple[Node, ...]:
    if not data:
        return ()
    if cmd[1] == 0x50 and len(data) >= 28:
        seq = data[12:14] if data[11] == 0x02 else b""
        nodes = [Node("key diversification data", data[:10].hex().upper()),
                 Node("key version", f"{data[10]:02X}"),
                 Node("secure channel protocol", f"{data[11]:02X}")]
        if data[11] == 0x03:
            nodes += [Node("i parameter", f"{data[12]:02X}"),
                      Node("card challenge", data[13:21].hex().upper()),
                      Node("card cryptogram", data[21:29].hex().upper())]
            if len(data) >= 32:
                nodes.append(Node("sequence counter", data[29:32].hex().upper()))
        else:
            nodes += [Node("sequence counter", seq.hex().upper()) if seq else Node("-", ""),
                      Node("card challenge", data[14:20].hex().upper() if seq
                           else data[12:20].hex().upper()),
                      Node("card cryptogram", data[20:28].hex().upper())]
        return tuple(n for n in nodes if n.label != "-")
    return tlv_tree(data, cmd[2] if cmd[1] == 0xF2 else None)


@dataclass(frozen=True)
class Explained:
    """Everything the detail pane shows for one exchange."""

    name: str
    command: bytes
    answer: bytes | None
    header: tuple[Node, ...]
    command_tree: tuple[Node, ...]
    answer_tree: tuple[Node, ...]
    session: str


def explain(cmd: bytes, answer: bytes | None, ctx: SecureContext | None = None) -> Explained:
    """The whole exchange decoded; never raises on odd bytes."""
    ctx = ctx or SecureContext()
    if len(cmd) < 4:
        return Explained("malformed APDU", cmd, answer,
                         (Node("malformed", f"{len(cmd)} bytes, a header has 4"),), (), (), "")
    body = split_body(cmd)
    p1t, p2t = p1p2_text(cmd)
    header = [Node("CLA", f"{cmd[0]:02X} {cla_text(cmd[0])}"),
              Node("INS", f"{cmd[1]:02X} {command_name(cmd)}"),
              Node("P1", f"{cmd[2]:02X} {p1t}".strip()), Node("P2", f"{cmd[3]:02X} {p2t}".strip())]
    if body.lc is not None:
        header.append(Node("Lc", f"{body.lc}" + (" (extended)" if body.extended else "")))
    if body.le is not None:
        header.append(Node("Le", f"{body.le}"))
    clear, cipher, mac = command_parts(cmd, ctx)
    ctree: list[Node] = []
    if cipher:
        ctree.append(Node(f"ciphertext [{len(cipher)}]", cipher.hex().upper()))
    if clear:
        ctree.extend(_data_tree(cmd, clear))
    if mac:
        ctree.append(Node(f"C-MAC [{len(mac)}]", mac.hex().upper()))
    atree: list[Node] = []
    if answer is not None and len(answer) >= 2:
        rdata, sw = answer[:-2], int.from_bytes(answer[-2:], "big")
        rmac = b""
        if ctx.scp is not None and ctx.level & 0x10 and len(rdata) >= 8 and cmd[0] & 0x04:
            rdata, rmac = rdata[:-8], rdata[-8:]
        if ctx.scp is not None and ctx.level & 0x20 and rdata and cmd[0] & 0x04:
            atree.append(Node(f"encrypted answer [{len(rdata)}]", rdata.hex().upper()))
        else:
            atree.extend(_answer_tree(cmd, rdata))
        if rmac:
            atree.append(Node(f"R-MAC [{len(rmac)}]", rmac.hex().upper()))
        atree.append(Node("SW", f"{sw:04X} {sw_meaning(sw)}"))
    elif answer is not None:
        atree.append(Node("no status word", answer.hex().upper()))
    return Explained(command_name(cmd), cmd, answer, tuple(header),
                     tuple(ctree), tuple(atree), ctx.text())


def exchange_at(entries: Sequence[TraceEntry], row: int) -> Explained | None:
    """The exchange a trace row belongs to (its command or its answer), explained in the
    session the commands before it opened; None for a note or a row out of range."""
    if not 0 <= row < len(entries) or entries[row].direction == "--":
        return None
    if entries[row].direction == "<<":
        row -= 1
        if row < 0 or entries[row].direction != ">>":
            return None
    pairs: list[tuple[bytes, bytes | None]] = []
    for i, e in enumerate(entries[:row + 2]):
        if e.direction != ">>":
            continue
        nxt = entries[i + 1] if i + 1 < len(entries) else None
        answer = nxt.data if nxt is not None and nxt.direction == "<<" and nxt.sw is not None \
            else None
        pairs.append((e.data, answer))
    cmd, answer = pairs[-1]
    return explain(cmd, answer, SecureContext.before(pairs, len(pairs) - 1))
