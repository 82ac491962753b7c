"""The one place the engine turns an operation request into a compiler Script.

Everything the compiler needs about the card (keys, what is already on it, the
CAP bytes) is gathered by the caller into CardFacts, so this module stays free
of database access.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from backend_stub.compiler import script as sc
from backend_stub.compiler.cap import CapError, CapFile
from backend_stub.compiler.desfire import DesfireError, DesfireKey
from backend_stub.compiler.keys import KeyMaterialError
from backend_stub.engine.keystore import CardSecrets
from backend_stub.hexutil import ISD_AID

Script = sc.Script
Command = sc.Command
Element = sc.Element
ScriptError = sc.ScriptError
load_script = sc.load_script


@dataclass
class CardFacts:
    """What the backend knows about the target card for one operation."""

    app_id: str
    cin: str
    secrets: CardSecrets
    ssd_aid: bytes
    ssd_on_card: bool = False
    package_on_card: bool = False
    cap: bytes | None = None
    desfire_keys: dict[tuple[str, int], tuple[str, bytes]] = field(default_factory=dict)


def _b(value: str) -> bytes:
    return bytes.fromhex(value)


def _ctx(facts: CardFacts, sd: bytes = ISD_AID) -> sc.CardContext:
    return sc.CardContext(keys=facts.secrets.keys, isd_aid=sd)


def _picc_key(facts: CardFacts) -> DesfireKey:
    ktype = facts.secrets.picc_key_type
    return DesfireKey(ktype, facts.secrets.picc_key, legacy=ktype == "DES")


def _app_key(facts: CardFacts, daid: str, key_no: int) -> DesfireKey:
    ktype, key = facts.desfire_keys.get((daid, key_no), ("AES", bytes(16)))
    return DesfireKey(ktype, key)


@functools.lru_cache(maxsize=16)
def _parsed_cap(data: bytes) -> CapFile:
    """A stored CAP file is read for every delivery of its app: unzipped and parsed once
    (CapFile is frozen; a bad one raises every time, exceptions are not cached)."""
    return CapFile.parse(data)


def _build(endpoint: str, req: dict[str, Any], facts: CardFacts) -> Script:
    if endpoint == "/transceive":
        return sc.transceive(commands=[_b(c) for c in req["commands"]])
    if endpoint == "/secure-transceive":
        return sc.secure_transceive(ctx=_ctx(facts), sd_aid=_b(req["application"]),
                                    commands=[_b(c) for c in req["commands"]])
    if endpoint in ("/ccm/load", "/ccm/install"):
        cap = _parsed_cap(facts.cap or b"")
        load = None if facts.package_on_card else cap
        create_ssd = not facts.ssd_on_card and load is not None
        if endpoint == "/ccm/load":
            if load is None:
                raise ScriptError(409, f"package {req['executableLoadFile']} is already on "
                                       "the card")
            return sc.ccm_load(ctx=_ctx(facts), cap=cap, target_sd=facts.ssd_aid,
                               create_ssd=create_ssd)
        return sc.ccm_install(
            ctx=_ctx(facts), cap=load, elf_aid=_b(req["executableLoadFile"]),
            module_aid=_b(req["executableModule"]), instance_aid=_b(req["application"]),
            params=_b(req.get("parameters", "")), target_sd=facts.ssd_aid if load else None,
            create_ssd=create_ssd)
    if endpoint == "/ccm/storedata":
        # personalisation goes through the domain the applet belongs to
        sd = facts.ssd_aid if facts.ssd_on_card else ISD_AID
        return sc.ccm_storedata(ctx=_ctx(facts, sd), instance_aid=_b(req["application"]),
                                data=_b(req["data"]), tag_type=req.get("tagType", "DGI"))
    if endpoint == "/ccm/delete":
        return sc.ccm_delete(ctx=_ctx(facts), aid=_b(req["application"]),
                             with_related=bool(req.get("withRelated")))
    if endpoint == "/ccm/setstatus":
        return sc.ccm_set_status(ctx=_ctx(facts), aid=_b(req["application"]),
                                 lock=bool(req["lock"]))
    if endpoint == "/desfire/ev1/createApp":
        keys = [_b(k) for k in req.get("keys", [])] or None
        return sc.desfire_create_app(aid=_b(req["aid"]), key_settings=_b(req["keySettings"])[0],
                                     n_keys=req["numberOfKeys"], key_type=req["keyType"],
                                     picc_key=_picc_key(facts), app_keys=keys)
    if endpoint == "/desfire/ev1/deleteApp":
        return sc.desfire_delete_app(aid=_b(req["aid"]), picc_key=_picc_key(facts))
    if endpoint == "/desfire/ev1/transceive":
        return sc.desfire_transceive(aid=_b(req["aid"]), key_no=req["keyNo"],
                                     key=_app_key(facts, req["aid"], req["keyNo"]),
                                     commands=[_b(c) for c in req["commands"]],
                                     communication=req.get("communication", "plain"))
    raise ScriptError(400, f"unknown operation {endpoint}")


def build_script(endpoint: str, request: dict[str, Any], facts: CardFacts | None) -> Script:
    """A compiled, not yet started script for an operation (ScriptError when it cannot be)."""
    try:
        if endpoint == "/transceive":
            return sc.transceive(commands=[_b(c) for c in request["commands"]])
        if facts is None:
            raise ScriptError(500, f"{endpoint} needs what the backend knows about the card")
        return _build(endpoint, request, facts)
    except ScriptError:
        raise
    except (CapError, DesfireError, KeyMaterialError, ValueError) as exc:
        raise ScriptError(500, f"cannot compile {endpoint}: {exc}") from None
