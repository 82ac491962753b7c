"""Security domain commands: secure channel set-up and gating, GET DATA, PUT KEY, STORE DATA.

`process` is the entry point for any command sent while a security domain is
selected: it opens/uses the SCP session, refuses card management outside an
authenticated session (6982), hands card content management to `ccm`, and
protects the answer (R-MAC/R-ENC) when the command came protected.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable

from cardsim import ccm, identity, scp02, scp03
from cardsim.apdu import CommandAPDU
from cardsim.applets import behaviour_for
from cardsim.applets.base import FORMAT_BER, FORMAT_DGI, StoreDataBlock, parse_dgis
from cardsim.context import Context
from cardsim.crypto import kcv_aes, kcv_des
from cardsim.errors import (
    SW_CLA_NOT_SUPPORTED,
    SW_CONDITIONS_NOT_SATISFIED,
    SW_INCORRECT_P1P2,
    SW_INS_NOT_SUPPORTED,
    SW_OK,
    SW_REFERENCED_DATA_NOT_FOUND,
    SW_SECURITY_NOT_SATISFIED,
    SW_WRONG_DATA,
    SW_WRONG_LENGTH,
    SWError,
)
from cardsim.registry import Application, DomainData, KeySet
from cardsim.tlv import TLVError, decode_length, parse, read_tag, tlv

INS_INITIALIZE_UPDATE = 0x50
INS_EXTERNAL_AUTHENTICATE = 0x82
INS_GET_DATA = 0xCA
INS_GET_DATA_ODD = 0xCB
INS_PUT_KEY = 0xD8
INS_STORE_DATA = 0xE2
INS_INSTALL = 0xE6
INS_LOAD = 0xE8
INS_DELETE = 0xE4
INS_GET_STATUS = 0xF2
INS_SET_STATUS = 0xF0

# Commands that need an authenticated secure channel (GP 2.3.1 11.1.*).
NEEDS_CHANNEL = {
    INS_INSTALL,
    INS_LOAD,
    INS_DELETE,
    INS_PUT_KEY,
    INS_SET_STATUS,
    INS_STORE_DATA,
    INS_GET_STATUS,
}
GP_INS = NEEDS_CHANNEL | {
    INS_INITIALIZE_UPDATE,
    INS_EXTERNAL_AUTHENTICATE,
    INS_GET_DATA,
    INS_GET_DATA_ODD,
}


def _domain(sd: Application) -> DomainData:
    assert sd.domain is not None
    return sd.domain


def process(ctx: Context, sd: Application, apdu: CommandAPDU) -> tuple[bytes, int]:
    """Runs one command addressed to the selected security domain."""
    if apdu.ins not in GP_INS:
        raise SWError(SW_INS_NOT_SUPPORTED)
    if apdu.cla & 0xF0 not in (0x00, 0x80):
        raise SWError(SW_CLA_NOT_SUPPORTED)
    if apdu.ins == INS_INITIALIZE_UPDATE:
        return initialize_update(ctx, sd, apdu), SW_OK
    if apdu.ins == INS_EXTERNAL_AUTHENTICATE:
        external_authenticate(ctx, sd, apdu)
        return b"", SW_OK
    channel = ctx.t.channel
    if channel is not None and not channel.authenticated:
        ctx.t.channel = channel = (
            None  # INITIALIZE UPDATE must be followed by EXTERNAL AUTHENTICATE
        )
    secured = bool(apdu.cla & 0x04)
    if channel is None:
        if secured or apdu.ins in NEEDS_CHANNEL:
            raise SWError(SW_SECURITY_NOT_SATISFIED, "no secure channel")
    elif secured or (apdu.ins in NEEDS_CHANNEL and channel.level & scp03.C_MAC):
        try:
            apdu = channel.unwrap(apdu)
        except SWError:
            ctx.t.end_sd_session()
            raise
    try:
        data, sw = _dispatch(ctx, sd, apdu)
    except SWError as exc:
        data, sw = b"", exc.sw
    if secured and ctx.t.channel is channel and channel is not None:
        data = channel.wrap_response(data, sw)
    return data, sw


def _dispatch(ctx: Context, sd: Application, apdu: CommandAPDU) -> tuple[bytes, int]:
    ins = apdu.ins
    if ins in (INS_GET_DATA, INS_GET_DATA_ODD):
        return get_data(ctx, sd, apdu), SW_OK
    if ins == INS_PUT_KEY:
        return put_key(ctx, sd, apdu), SW_OK
    if ins == INS_STORE_DATA:
        return store_data(ctx, sd, apdu), SW_OK
    if ins == INS_GET_STATUS:
        overhead = ctx.t.channel.response_overhead() if ctx.t.channel else 0
        return ccm.get_status(ctx, sd, apdu, 256 - overhead)
    if ins == INS_INSTALL:
        return ccm.install(ctx, sd, apdu), SW_OK
    if ins == INS_LOAD:
        return ccm.load(ctx, sd, apdu), SW_OK
    if ins == INS_DELETE:
        return ccm.delete(ctx, sd, apdu), SW_OK
    if ins == INS_SET_STATUS:
        ccm.set_status(ctx, sd, apdu)
        return b"", SW_OK
    raise SWError(SW_INS_NOT_SUPPORTED)


def fci(ctx: Context, sd: Application) -> bytes:
    """SELECT answer of a security domain: 6F { 84 AID, A5 { 73 {...}, 9F65 max length } }."""
    proprietary = tlv(0x73, identity.card_recognition_data(_domain(sd))) + tlv(0x9F65, b"\xff")
    return tlv(0x6F, tlv(0x84, sd.aid) + tlv(0xA5, proprietary))


# --- secure channel -------------------------------------------------------------------------


def initialize_update(ctx: Context, sd: Application, apdu: CommandAPDU) -> bytes:
    ctx.t.end_sd_session()
    if apdu.cla & 0xFC != 0x80:
        raise SWError(SW_CLA_NOT_SUPPORTED)
    if apdu.p2 != 0:
        raise SWError(SW_INCORRECT_P1P2, "key identifier must be 00")
    if len(apdu.data) != 8:
        raise SWError(SW_WRONG_LENGTH, "host challenge must be 8 bytes (S8 mode)")
    domain = _domain(sd)
    ks = domain.keyset(apdu.p1)
    if ks is None:
        raise SWError(SW_REFERENCED_DATA_NOT_FOUND, f"no key set {apdu.p1:02X}")
    host = apdu.data
    kdd = ctx.state.profile.key_diversification_data
    fixed, ctx.hooks.card_challenge = ctx.hooks.card_challenge, None
    if domain.scp == 3:
        tail = b""
        if domain.scp_i & 0x10:
            counter = domain.sequence
            if counter > 0xFFFFFF:
                raise SWError(SW_CONDITIONS_NOT_SATISFIED, "sequence counter exhausted")
            card = fixed or scp03.pseudo_random_challenge(ks.enc, counter, sd.aid)
            domain.sequence = counter + 1
            ctx.mark_dirty()
            tail = counter.to_bytes(3, "big")
        else:
            card = fixed or os.urandom(8)
        keys = scp03.session_keys(ks.enc, ks.mac, host + card)
        session3 = scp03.SCP03Session(keys, host, card, domain.scp_i, ks.dek)
        ctx.t.channel = session3
        return kdd + bytes([ks.kvn, 0x03, domain.scp_i]) + card + session3.card_cryptogram + tail
    sequence = domain.sequence
    if sequence > 0xFFFF:
        raise SWError(SW_CONDITIONS_NOT_SATISFIED, "sequence counter exhausted")
    keys2 = scp02.session_keys(ks.enc, ks.mac, ks.dek, sequence)
    if fixed:
        card2 = fixed
    elif domain.scp_i & 0x40:
        card2 = scp02.pseudo_random_challenge(keys2.mac, sd.aid)
    else:
        card2 = os.urandom(6)
    session2 = scp02.SCP02Session(keys2, host, card2, sequence, domain.scp_i)
    ctx.t.channel = session2
    return (
        kdd + bytes([ks.kvn, 0x02]) + sequence.to_bytes(2, "big") + card2 + session2.card_cryptogram
    )


def external_authenticate(ctx: Context, sd: Application, apdu: CommandAPDU) -> None:
    channel = ctx.t.channel
    if channel is None or channel.authenticated:
        ctx.t.end_sd_session()
        raise SWError(
            SW_CONDITIONS_NOT_SATISFIED, "EXTERNAL AUTHENTICATE without INITIALIZE UPDATE"
        )
    try:
        channel.external_authenticate(apdu)
    except SWError:
        ctx.t.end_sd_session()
        raise
    if isinstance(channel, scp02.SCP02Session):
        _domain(sd).sequence += 1
        ctx.mark_dirty()


# --- GET DATA --------------------------------------------------------------------------------


def get_data(ctx: Context, sd: Application, apdu: CommandAPDU) -> bytes:
    tag = (apdu.p1 << 8) | apdu.p2
    profile = ctx.state.profile
    domain = _domain(sd)
    if tag == 0x9F7F:
        return tlv(0x9F7F, identity.cplc(profile))
    if tag == 0x0042:
        return tlv(0x42, profile.iin)
    if tag == 0x0045:
        return tlv(0x45, profile.cin)
    if tag == 0x0066:
        return identity.card_data(domain)
    if tag == 0x00E0:
        return identity.key_information(domain)
    if tag == 0x00CF:
        return tlv(0xCF, profile.key_diversification_data)
    if tag == 0x00C1:
        width = 3 if domain.scp == 3 else 2
        return tlv(0xC1, domain.sequence.to_bytes(width, "big"))
    stored = domain.data_objects.get(tag)
    if stored is not None:
        return tlv(tag, stored)
    raise SWError(SW_REFERENCED_DATA_NOT_FOUND, f"no data object {tag:04X}")


# --- PUT KEY ---------------------------------------------------------------------------------


def _parse_key_blocks(
    data: bytes, decrypt: Callable[[bytes, int], bytes], kind: str
) -> list[tuple[bytes, bytes]]:
    """Returns [(key, kcv)] from PUT KEY key data blocks; checks each KCV."""
    out: list[tuple[bytes, bytes]] = []
    off = 0
    expected_type = 0x88 if kind == "aes" else 0x80
    while off < len(data):
        key_type = data[off]
        length, off = decode_length(data, off + 1)
        block = data[off : off + length]
        off += length
        if len(block) != length or key_type != expected_type:
            raise SWError(SW_WRONG_DATA, "key type or length")
        if kind == "aes":
            if not block or block[0] not in (16, 24, 32):
                raise SWError(SW_WRONG_DATA, "AES key length")
            key_len, cryptogram = block[0], block[1:]
        else:
            key_len, cryptogram = 16, block
        if len(cryptogram) not in (16, 32) or len(cryptogram) < key_len:
            raise SWError(SW_WRONG_DATA, "key cryptogram length")
        key = decrypt(cryptogram, key_len)
        if off >= len(data):
            raise SWError(SW_WRONG_DATA, "missing KCV length")
        kcv_len = data[off]
        kcv = data[off + 1 : off + 1 + kcv_len]
        off += 1 + kcv_len
        if len(kcv) != kcv_len:
            raise SWError(SW_WRONG_DATA, "KCV truncated")
        actual = kcv_aes(key) if kind == "aes" else kcv_des(key)
        if kcv_len and kcv != actual[:kcv_len]:
            raise SWError(SW_WRONG_DATA, "key check value mismatch")
        out.append((key, actual))
    return out


def put_key(ctx: Context, sd: Application, apdu: CommandAPDU) -> bytes:
    """Adds (P1=00) or replaces (P1=KVN) a key set; answers new KVN || KCVs."""
    channel = ctx.t.channel
    assert channel is not None
    domain = _domain(sd)
    old_kvn = apdu.p1 & 0x7F
    first_id = apdu.p2 & 0x7F
    if not 1 <= first_id <= 3:
        raise SWError(SW_INCORRECT_P1P2, "key identifier must be 1..3")
    if len(apdu.data) < 2:
        raise SWError(SW_WRONG_DATA, "no key data")
    new_kvn = apdu.data[0]
    kind = "aes" if domain.scp == 3 else "des3"
    try:
        keys = _parse_key_blocks(apdu.data[1:], channel.decrypt_key, kind)
    except (TLVError, ValueError) as exc:
        raise SWError(SW_WRONG_DATA, f"key data: {exc}") from exc
    if not keys or first_id - 1 + len(keys) > 3 or not 1 <= new_kvn <= 0x7F:
        raise SWError(SW_WRONG_DATA, "key count or version")
    if old_kvn == 0:
        if first_id != 1 or len(keys) != 3:
            raise SWError(SW_WRONG_DATA, "a new key set needs ENC, MAC and DEK")
        if domain.keyset(new_kvn) is not None and new_kvn != 0:
            raise SWError(SW_WRONG_DATA, f"key set {new_kvn:02X} exists")
        domain.keysets.append(KeySet(new_kvn, kind, keys[0][0], keys[1][0], keys[2][0]))
    else:
        current = next((k for k in domain.keysets if k.kvn == old_kvn), None)
        if current is None:
            raise SWError(SW_REFERENCED_DATA_NOT_FOUND, f"no key set {old_kvn:02X}")
        if new_kvn != old_kvn and domain.keyset(new_kvn) is not None:
            raise SWError(SW_WRONG_DATA, f"key set {new_kvn:02X} exists")
        slots = [current.enc, current.mac, current.dek]
        for i, (key, _kcv) in enumerate(keys):
            slots[first_id - 1 + i] = key
        current.enc, current.mac, current.dek = slots
        current.kvn = new_kvn
    ctx.mark_dirty()
    return bytes([new_kvn]) + b"".join(kcv for _key, kcv in keys)


# --- STORE DATA ------------------------------------------------------------------------------


def store_data(ctx: Context, sd: Application, apdu: CommandAPDU) -> bytes:
    """Forwards to the application named by INSTALL [for personalization], else stores in the SD."""
    if apdu.p2 != ctx.t.store_block:
        ctx.t.store_block = 0
        raise SWError(SW_INCORRECT_P1P2, f"STORE DATA block {apdu.p2} out of sequence")
    block = StoreDataBlock(apdu.p1, apdu.p2, apdu.data)
    target = ctx.t.perso_target
    if target is not None:
        app = ctx.state.registry.app(target)
        if app is None:
            raise SWError(SW_REFERENCED_DATA_NOT_FOUND, "personalization target deleted")
        before = json.dumps(app.applet_state, sort_keys=True)
        applet = behaviour_for(app.elf)(app.aid, app.applet_state, ctx.card_info)
        answer = applet.store_data(block)
        if json.dumps(app.applet_state, sort_keys=True) != before:
            ctx.mark_dirty()
    else:
        answer = _store_in_domain(ctx, _domain(sd), block)
    if block.last:
        ctx.t.store_block = 0
        ctx.t.perso_target = None
    else:
        ctx.t.store_block += 1
    return answer


def _store_in_domain(ctx: Context, domain: DomainData, block: StoreDataBlock) -> bytes:
    """SD's own data: BER-TLV objects (readable by GET DATA) or DGIs.

    A BF3E object holding a 5C tag list is a retrieval request (the eUICC
    GetEuiccData form the pySim traces use): the answer is BF3E { stored objects }.
    """
    try:
        if block.data_format == FORMAT_DGI:
            records = parse_dgis(block.data)
        elif block.data_format == FORMAT_BER:
            records = parse(block.data)
        else:
            raise SWError(
                SW_WRONG_DATA, "STORE DATA to a security domain needs DGI or BER-TLV format"
            )
    except TLVError as exc:
        raise SWError(SW_WRONG_DATA, str(exc)) from exc
    answer = b""
    for tag, value in records:
        if block.data_format == FORMAT_BER and tag == 0xBF3E:
            answer += tlv(0xBF3E, _retrieve(domain, value))
            continue
        domain.data_objects[tag] = value
        ctx.mark_dirty()
    return answer


def _retrieve(domain: DomainData, request: bytes) -> bytes:
    try:
        tag_list = next(v for t, v in parse(request) if t == 0x5C)
    except (StopIteration, TLVError) as exc:
        raise SWError(SW_WRONG_DATA, "retrieval request without 5C tag list") from exc
    out = b""
    off = 0
    try:
        while off < len(tag_list):
            tag, off = read_tag(tag_list, off)
            if tag in domain.data_objects:
                out += tlv(tag, domain.data_objects[tag])
    except TLVError as exc:
        raise SWError(SW_WRONG_DATA, "bad tag list") from exc
    return out
