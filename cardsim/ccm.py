"""Card content management: INSTALL, LOAD, DELETE, SET STATUS, GET STATUS (GP 2.3.1 ch. 11).

Every handler validates the whole command before it touches the registry, so
an error status word always means nothing changed.
"""

from __future__ import annotations

import hashlib

from cardsim.apdu import CommandAPDU
from cardsim.applets import behaviour_for
from cardsim.cap import CapError, parse_lfdb, split_load_file
from cardsim.context import Context, PendingLoad
from cardsim.errors import (
    SW_CONDITIONS_NOT_SATISFIED,
    SW_INCORRECT_P1P2,
    SW_OK,
    SW_REFERENCED_DATA_NOT_FOUND,
    SW_WARNING_MORE_DATA,
    SW_WRONG_DATA,
    SWError,
)
from cardsim.registry import (
    LC_INSTALLED,
    LC_LOCKED_BIT,
    LC_SELECTABLE,
    PRIV2_AUTHORIZED_MANAGEMENT,
    PRIV_SECURITY_DOMAIN,
    Application,
    DomainData,
    LoadFile,
    Registry,
)
from cardsim.tlv import TLVError, decode_length, parse, tlv

HASH_LENGTHS = {20: "sha1", 32: "sha256", 48: "sha384", 64: "sha512"}
CONFIRMATION = b"\x00"  # INSTALL/LOAD/DELETE answer a single 00 byte when there is no receipt


def _fields(
    data: bytes, names: tuple[str, ...], ber: tuple[int, ...] = (), optional_last: bool = True
) -> list[bytes]:
    """Reads LV fields; the last one (token) may be missing. Raises 6A80 on malformed data."""
    out: list[bytes] = []
    off = 0
    for i, name in enumerate(names):
        if off == len(data) and optional_last and i == len(names) - 1:
            out.append(b"")
            break
        try:
            if i in ber:
                length, off = decode_length(data, off)
            else:
                if off >= len(data):
                    raise TLVError("missing")
                length, off = data[off], off + 1
        except TLVError as exc:
            raise SWError(SW_WRONG_DATA, f"{name}: {exc}") from exc
        if off + length > len(data):
            raise SWError(SW_WRONG_DATA, f"{name}: truncated")
        out.append(data[off : off + length])
        off += length
    if off != len(data):
        raise SWError(SW_WRONG_DATA, "trailing bytes after the last field")
    return out


def _check_aid(aid: bytes, name: str) -> None:
    if not 5 <= len(aid) <= 16:
        raise SWError(SW_WRONG_DATA, f"{name}: an AID is 5..16 bytes")


def _require_management(ctx: Context, sd: Application) -> None:
    if sd is ctx.state.registry.isd:
        return
    if not sd.privileges[1] & PRIV2_AUTHORIZED_MANAGEMENT:
        raise SWError(SW_CONDITIONS_NOT_SATISFIED, "security domain lacks Authorized Management")


def _sd(registry: Registry, aid: bytes) -> Application:
    sd = registry.app(aid)
    if sd is None or not sd.is_sd or sd.locked:
        raise SWError(SW_REFERENCED_DATA_NOT_FOUND, f"no security domain {aid.hex().upper()}")
    return sd


# --- INSTALL ---------------------------------------------------------------------------------


def install(ctx: Context, sd: Application, apdu: CommandAPDU) -> bytes:
    p1 = apdu.p1 & 0x7F
    if p1 == 0x02:
        return _install_for_load(ctx, sd, apdu.data)
    if p1 in (0x04, 0x0C):
        return _install_for_install(ctx, sd, apdu.data, selectable=bool(p1 & 0x08))
    if p1 == 0x08:
        return _make_selectable(ctx, sd, apdu.data)
    if p1 == 0x20:
        return _install_for_personalization(ctx, sd, apdu.data)
    if p1 == 0x10:
        return _install_for_extradition(ctx, sd, apdu.data)
    raise SWError(SW_INCORRECT_P1P2, f"INSTALL P1 {apdu.p1:02X} not supported")


def _install_for_load(ctx: Context, sd: Application, data: bytes) -> bytes:
    _require_management(ctx, sd)
    ctx.t.pending_load = None
    elf_aid, sd_aid, load_hash, params, _token = _fields(
        data, ("load file AID", "security domain AID", "hash", "load parameters", "token"), ber=(3,)
    )
    _check_aid(elf_aid, "load file AID")
    registry = ctx.state.registry
    target = _sd(registry, sd_aid) if sd_aid else sd
    if target is not sd and sd is not registry.isd and target.sd != sd.aid:
        raise SWError(SW_CONDITIONS_NOT_SATISFIED, "target domain not managed by this domain")
    if load_hash and len(load_hash) not in HASH_LENGTHS:
        raise SWError(SW_WRONG_DATA, "hash length")
    try:
        parse(params)
    except TLVError as exc:
        raise SWError(SW_WRONG_DATA, f"load parameters: {exc}") from exc
    if registry.aid_in_use(elf_aid):
        raise SWError(
            SW_CONDITIONS_NOT_SATISFIED, f"AID {elf_aid.hex().upper()} already on the card"
        )
    ctx.t.pending_load = PendingLoad(elf_aid, target.aid, load_hash)
    return CONFIRMATION


def load(ctx: Context, sd: Application, apdu: CommandAPDU) -> bytes:
    pending = ctx.t.pending_load
    if pending is None:
        raise SWError(SW_CONDITIONS_NOT_SATISFIED, "LOAD without INSTALL [for load]")
    if apdu.p1 & 0x7F or apdu.p2 != pending.next_block:
        ctx.t.pending_load = None
        raise SWError(SW_INCORRECT_P1P2, f"LOAD block {apdu.p2} out of sequence; load aborted")
    pending.buffer += apdu.data
    pending.next_block += 1
    if not apdu.p1 & 0x80:
        return b""
    ctx.t.pending_load = None
    try:
        info = parse_lfdb(split_load_file(bytes(pending.buffer)))
    except CapError as exc:
        raise SWError(SW_WRONG_DATA, f"load file: {exc}") from exc
    if info.package_aid != pending.elf_aid:
        raise SWError(SW_WRONG_DATA, "package AID differs from INSTALL [for load]")
    if pending.load_hash:
        digest = hashlib.new(HASH_LENGTHS[len(pending.load_hash)], info.lfdb).digest()
        if digest != pending.load_hash:
            raise SWError(SW_WRONG_DATA, "load file data block hash mismatch")
    if len(set(info.applet_aids)) != len(info.applet_aids):
        raise SWError(SW_WRONG_DATA, "duplicate applet AIDs")
    registry = ctx.state.registry
    if registry.aid_in_use(pending.elf_aid):
        raise SWError(SW_CONDITIONS_NOT_SATISFIED, "AID already on the card")
    registry.elfs.append(
        LoadFile(pending.elf_aid, pending.sd_aid, list(info.applet_aids), info.version, info.lfdb)
    )
    ctx.mark_dirty()
    return CONFIRMATION


def _install_for_install(ctx: Context, sd: Application, data: bytes, *, selectable: bool) -> bytes:
    _require_management(ctx, sd)
    elf_aid, module_aid, app_aid, privileges, params, _token = _fields(
        data,
        ("load file AID", "module AID", "application AID", "privileges", "parameters", "token"),
        ber=(4,),
    )
    _check_aid(elf_aid, "load file AID")
    _check_aid(module_aid, "module AID")
    app_aid = app_aid or module_aid
    _check_aid(app_aid, "application AID")
    if len(privileges) == 1:
        privileges += bytes(2)
    if len(privileges) != 3:
        raise SWError(SW_WRONG_DATA, "privileges are 1 or 3 bytes")
    try:
        c9 = next((v for t, v in parse(params) if t == 0xC9), b"")
    except TLVError as exc:
        raise SWError(SW_WRONG_DATA, f"install parameters: {exc}") from exc
    registry = ctx.state.registry
    elf = registry.elf(elf_aid)
    if elf is None or module_aid not in elf.modules:
        raise SWError(SW_REFERENCED_DATA_NOT_FOUND, "load file or module not on the card")
    if registry.aid_in_use(app_aid):
        raise SWError(
            SW_CONDITIONS_NOT_SATISFIED, f"AID {app_aid.hex().upper()} already on the card"
        )
    # Instances of a load file kept by a supplementary domain belong to that domain.
    owner = elf.sd if elf.sd != registry.isd.aid else sd.aid
    lifecycle = LC_SELECTABLE if selectable else LC_INSTALLED
    if privileges[0] & PRIV_SECURITY_DOMAIN:
        # Simplification: a new SSD starts with a copy of the ISD's static key sets.
        isd_domain = registry.isd.domain
        assert isd_domain is not None
        domain = DomainData(isd_domain.scp, isd_domain.scp_i, isd_domain.copy().keysets)
        app = Application(app_aid, elf_aid, module_aid, owner, lifecycle, privileges, domain=domain)
    else:
        state: dict[str, object] = {}
        behaviour_for(elf_aid)(app_aid, state, ctx.card_info).install(c9)
        app = Application(
            app_aid, elf_aid, module_aid, owner, lifecycle, privileges, applet_state=state
        )
    registry.apps.append(app)
    ctx.mark_dirty()
    return CONFIRMATION


def _app_from_fields(ctx: Context, data: bytes) -> tuple[Application, list[bytes]]:
    fields = _fields(
        data,
        ("load file AID", "module AID", "application AID", "privileges", "parameters", "token"),
        ber=(4,),
    )
    app = ctx.state.registry.app(fields[2])
    if app is None:
        raise SWError(SW_REFERENCED_DATA_NOT_FOUND, "no such application")
    return app, fields


def _make_selectable(ctx: Context, sd: Application, data: bytes) -> bytes:
    _require_management(ctx, sd)
    app, _ = _app_from_fields(ctx, data)
    if app.system or app.lifecycle != LC_INSTALLED:
        raise SWError(SW_CONDITIONS_NOT_SATISFIED, "application is not in state INSTALLED")
    app.lifecycle = LC_SELECTABLE
    ctx.mark_dirty()
    return CONFIRMATION


def _install_for_personalization(ctx: Context, sd: Application, data: bytes) -> bytes:
    app, _ = _app_from_fields(ctx, data)
    if app.is_sd or app.system or app.locked:
        raise SWError(SW_CONDITIONS_NOT_SATISFIED, "application cannot be personalized")
    if sd is not ctx.state.registry.isd and app.sd != sd.aid:
        raise SWError(SW_CONDITIONS_NOT_SATISFIED, "application not associated with this domain")
    ctx.t.perso_target = app.aid
    ctx.t.store_block = 0
    return CONFIRMATION


def _install_for_extradition(ctx: Context, sd: Application, data: bytes) -> bytes:
    if sd is not ctx.state.registry.isd:
        raise SWError(SW_CONDITIONS_NOT_SATISFIED, "only the ISD extradites")
    target_aid, _empty, aid, _privs, _params, _token = _fields(
        data,
        ("security domain AID", "reserved", "AID", "privileges", "parameters", "token"),
        ber=(4,),
    )
    registry = ctx.state.registry
    target = _sd(registry, target_aid)
    obj: Application | LoadFile | None = registry.app(aid) or registry.elf(aid)
    if obj is None:
        raise SWError(SW_REFERENCED_DATA_NOT_FOUND, "no such application or load file")
    if obj.system or obj is target or (isinstance(obj, Application) and obj.sd is None):
        raise SWError(SW_CONDITIONS_NOT_SATISFIED, "cannot extradite this object")
    obj.sd = target.aid
    ctx.mark_dirty()
    return CONFIRMATION


# --- DELETE ----------------------------------------------------------------------------------


def _related(registry: Registry, root: Application | LoadFile) -> list[Application | LoadFile]:
    """root plus, for a load file, its instances; for a domain, everything associated with it."""
    out: list[Application | LoadFile] = []
    todo: list[Application | LoadFile] = [root]
    while todo:
        obj = todo.pop()
        if any(o is obj for o in out):
            continue
        out.append(obj)
        if isinstance(obj, LoadFile):
            todo.extend(registry.instances_of(obj.aid))
        elif obj.is_sd:
            todo.extend(registry.associated_with(obj.aid))
    return out


def delete(ctx: Context, sd: Application, apdu: CommandAPDU) -> bytes:
    _require_management(ctx, sd)
    if apdu.p2 & 0x7F or apdu.p1 & 0x7F:
        raise SWError(SW_INCORRECT_P1P2, "DELETE P1 must be 00/80 and P2 00/80")
    try:
        items = parse(apdu.data)
    except TLVError as exc:
        raise SWError(SW_WRONG_DATA, f"DELETE data: {exc}") from exc
    aids = [v for t, v in items if t == 0x4F]
    key_ids = [v for t, v in items if t == 0xD0]
    key_versions = [v for t, v in items if t == 0xD2]
    if len(aids) > 1 or (not aids and not key_versions and not key_ids):
        raise SWError(SW_WRONG_DATA, "DELETE needs one 4F AID or a D0/D2 key reference")
    if not aids:
        return _delete_keys(ctx, sd, key_ids, key_versions)
    registry = ctx.state.registry
    aid = aids[0]
    root: Application | LoadFile | None = registry.app(aid) or registry.elf(aid)
    if root is None:
        raise SWError(SW_REFERENCED_DATA_NOT_FOUND, f"{aid.hex().upper()} not on the card")
    if apdu.p2 & 0x80:
        victims = _related(registry, root)
    else:
        victims = [root]
        dependants = (
            registry.instances_of(root.aid)
            if isinstance(root, LoadFile)
            else list(registry.associated_with(root.aid))
            if root.is_sd
            else []
        )
        if dependants:
            raise SWError(SW_CONDITIONS_NOT_SATISFIED, "object still has dependants")
    if any(v.system for v in victims):
        raise SWError(SW_CONDITIONS_NOT_SATISFIED, "system objects cannot be deleted")
    if sd is not registry.isd and any(v.sd != sd.aid for v in victims):
        raise SWError(SW_CONDITIONS_NOT_SATISFIED, "object not associated with this domain")
    ids = {id(v) for v in victims}
    registry.apps = [a for a in registry.apps if id(a) not in ids]
    registry.elfs = [e for e in registry.elfs if id(e) not in ids]
    if ctx.t.perso_target is not None and registry.app(ctx.t.perso_target) is None:
        ctx.t.perso_target = None
    ctx.mark_dirty()
    return CONFIRMATION


def _delete_keys(
    ctx: Context, sd: Application, key_ids: list[bytes], versions: list[bytes]
) -> bytes:
    """DELETE of key sets by version (D2); single keys (D0 alone) are not supported."""
    domain = sd.domain
    assert domain is not None
    if not versions or any(len(v) != 1 for v in versions + key_ids):
        raise SWError(SW_WRONG_DATA, "key deletion needs D2 key version references")
    kvns = {v[0] for v in versions}
    if not kvns <= {k.kvn for k in domain.keysets}:
        raise SWError(SW_REFERENCED_DATA_NOT_FOUND, "no such key set")
    remaining = [k for k in domain.keysets if k.kvn not in kvns]
    if not remaining:
        raise SWError(SW_CONDITIONS_NOT_SATISFIED, "cannot delete the last key set")
    domain.keysets = remaining
    ctx.mark_dirty()
    return CONFIRMATION


# --- SET STATUS ------------------------------------------------------------------------------


def set_status(ctx: Context, sd: Application, apdu: CommandAPDU) -> None:
    """P1 40 application/SSD, 60 SSD and its applications; P2 80 lock, 00 unlock."""
    if apdu.p1 not in (0x40, 0x60):
        raise SWError(SW_INCORRECT_P1P2, "SET STATUS P1 must be 40 or 60")
    if apdu.p2 not in (0x00, 0x80):
        raise SWError(SW_WRONG_DATA, "only lock (80) and unlock (00) are supported")
    _check_aid(apdu.data, "application AID")
    registry = ctx.state.registry
    app = registry.app(apdu.data)
    if app is None:
        raise SWError(SW_REFERENCED_DATA_NOT_FOUND, "no such application")
    if app.system or app.sd is None:
        raise SWError(SW_CONDITIONS_NOT_SATISFIED, "system application")
    if sd is not registry.isd and app.sd != sd.aid:
        raise SWError(SW_CONDITIONS_NOT_SATISFIED, "application not associated with this domain")
    targets = [app]
    if apdu.p1 == 0x60:
        if not app.is_sd:
            raise SWError(SW_WRONG_DATA, "P1 60 needs a security domain")
        targets += [a for a in registry.apps if a.sd == app.aid]
    for a in targets:
        a.lifecycle = (a.lifecycle | LC_LOCKED_BIT) if apdu.p2 else (a.lifecycle & ~LC_LOCKED_BIT)
    ctx.mark_dirty()


# --- GET STATUS ------------------------------------------------------------------------------


def _encode_app(app: Application, tagged: bool, isd_aid: bytes) -> bytes:
    if not tagged:
        return bytes([len(app.aid)]) + app.aid + bytes([app.lifecycle, app.privileges[0]])
    body = tlv(0x4F, app.aid) + tlv(0x9F70, bytes([app.lifecycle])) + tlv(0xC5, app.privileges)
    if app.sd is not None:
        body += tlv(0xC4, app.elf)
    body += tlv(0xCC, app.sd if app.sd is not None else isd_aid)
    return tlv(0xE3, body)


def _encode_elf(elf: LoadFile, tagged: bool, modules: bool) -> bytes:
    if not tagged:
        out = bytes([len(elf.aid)]) + elf.aid + bytes([elf.lifecycle, 0])
        if modules:
            out += bytes([len(elf.modules)]) + b"".join(bytes([len(m)]) + m for m in elf.modules)
        return out
    body = tlv(0x4F, elf.aid) + tlv(0x9F70, bytes([elf.lifecycle])) + tlv(0xCE, bytes(elf.version))
    if modules:
        body += b"".join(tlv(0x84, m) for m in elf.modules)
    body += tlv(0xCC, elf.sd)
    return tlv(0xE3, body)


def get_status(ctx: Context, sd: Application, apdu: CommandAPDU, budget: int) -> tuple[bytes, int]:
    key = (apdu.p1, apdu.p2 & 0xFE)
    if apdu.p2 & 0x01:
        if ctx.t.status_key != key or not ctx.t.status_pages:
            raise SWError(SW_INCORRECT_P1P2, "no GET STATUS in progress")
        return _page(ctx, key, ctx.t.status_pages, budget)
    if apdu.p1 not in (0x80, 0x40, 0x20, 0x10) or apdu.p2 not in (0x00, 0x02):
        raise SWError(SW_INCORRECT_P1P2, "GET STATUS P1/P2")
    try:
        criteria = parse(apdu.data)
    except TLVError as exc:
        raise SWError(SW_WRONG_DATA, f"search criteria: {exc}") from exc
    prefixes = [v for t, v in criteria if t == 0x4F] if apdu.data else [b""]  # no criteria: all
    if len(prefixes) != 1:
        raise SWError(SW_WRONG_DATA, "search criteria need one 4F")
    prefix = prefixes[0]
    tagged = apdu.p2 == 0x02
    registry = ctx.state.registry
    isd = registry.isd
    visible = (lambda sd_aid: True) if sd is isd else (lambda sd_aid: sd_aid == sd.aid)
    entries: list[bytes] = []
    if apdu.p1 == 0x80:
        if sd is isd and isd.aid.startswith(prefix):
            entries.append(_encode_app(isd, tagged, isd.aid))
    elif apdu.p1 == 0x40:
        entries = [
            _encode_app(a, tagged, isd.aid)
            for a in registry.apps[1:]
            if a.aid.startswith(prefix) and (visible(a.sd) or a is sd)
        ]
    else:
        entries = [
            _encode_elf(e, tagged, apdu.p1 == 0x10)
            for e in registry.elfs
            if e.aid.startswith(prefix) and visible(e.sd)
        ]
    if not entries:
        ctx.t.status_pages, ctx.t.status_key = [], None
        raise SWError(SW_REFERENCED_DATA_NOT_FOUND, "nothing matches")
    return _page(ctx, key, entries, budget)


def _page(
    ctx: Context, key: tuple[int, int], entries: list[bytes], budget: int
) -> tuple[bytes, int]:
    out = b""
    taken = 0
    for entry in entries:
        if out and len(out) + len(entry) > budget:
            break
        out += entry
        taken += 1
    rest = entries[taken:]
    ctx.t.status_pages, ctx.t.status_key = (rest, key) if rest else ([], None)
    return out, (SW_WARNING_MORE_DATA if rest else SW_OK)
