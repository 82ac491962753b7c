"""Card keys: which static keys (and DESFire PICC key) the backend uses for a card.

Looked up by CIN, then batch id, then IIN, then the default scope; without any
configuration the default is the GlobalPlatform test key 404142...4F with no
diversification, which is what a freshly created virtual card uses. Keys are
written by the admin API or a JSON file and never returned: listings show KCVs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend_stub.compiler.keys import CardKeys, KeyMaterialError, kcv_aes, kcv_des3
from backend_stub.errors import ApiError, bad_request
from backend_stub.hexutil import HexError, parse_hex
from backend_stub.store.models import CardKeyRow, card_keys_t

DEFAULT_MASTER = bytes.fromhex("404142434445464748494A4B4C4D4E4F")
DEFAULT_PICC_KEY = ("DES", bytes(8))
SCOPES = ("cin", "batch", "iin", "default")
DIVERSIFY = ("none", "auto", "kdf3", "emv", "visa2", "visa")
PICC_TYPES = {"DES": (8, 16), "3K3DES": (24,), "AES": (16,)}


@dataclass(frozen=True)
class CardSecrets:
    """What the compiler needs to talk to one card."""

    keys: CardKeys
    picc_key_type: str
    picc_key: bytes


_ALL_KEYS = select(card_keys_t)


def default_secrets() -> CardSecrets:
    return CardSecrets(CardKeys.single(DEFAULT_MASTER), *DEFAULT_PICC_KEY)


def _row_secrets(row: Any) -> CardSecrets:
    """`row`: a CardKeyRow, or a Core row of card_keys (same attribute names)."""
    keys = CardKeys(bytes.fromhex(row.enc), bytes.fromhex(row.mac), bytes.fromhex(row.dek),
                    row.kvn, row.diversify)
    if row.picc_key and row.picc_key_type:
        return CardSecrets(keys, row.picc_key_type, bytes.fromhex(row.picc_key))
    return CardSecrets(keys, *DEFAULT_PICC_KEY)


def secrets_for(s: Session, cin: str, iin: str | None,
                batch_id: int | None) -> CardSecrets:
    """The most specific key configuration for a card."""
    rows = s.connection().execute(_ALL_KEYS).all()  # Core: a read, no identity
    by_scope = {(r.scope, r.match): r for r in rows}
    wanted = [("cin", cin.upper())]
    if batch_id is not None:
        wanted.append(("batch", str(batch_id)))
    if iin:
        wanted.append(("iin", iin.upper()))
    wanted.append(("default", ""))
    for key in wanted:
        if key in by_scope:
            return _row_secrets(by_scope[key])
    return default_secrets()


def _kcv(key: bytes) -> str:
    try:
        return (kcv_aes(key) if len(key) in (16, 24, 32) else kcv_des3(key)).hex().upper()
    except Exception:  # a KCV is informative only
        return ""


def parse_key_config(body: Any, path: str = "") -> dict[str, Any]:
    """Validate one key configuration entry (admin API body or JSON file item)."""

    def f(name: str) -> str:
        return f"{path}.{name}" if path else name

    if not isinstance(body, dict):
        raise bad_request("a key configuration is a JSON object", path or "body")
    scope = body.get("scope", "default")
    if scope not in SCOPES:
        raise bad_request(f"must be one of {', '.join(SCOPES)}", f("scope"))
    match = body.get("match", "")
    if scope == "default":
        match = ""
    elif scope == "batch":
        if isinstance(match, bool) or not isinstance(match, int) or match < 0:
            raise bad_request("a batch id is a non-negative integer", f("match"))
        match = str(match)
    else:
        try:
            match = parse_hex(match, min_len=1, max_len=32).hex().upper()
        except HexError as exc:
            raise bad_request(str(exc), f("match")) from None
    try:
        if "masterKey" in body:
            enc = mac = dek = parse_hex(body["masterKey"], min_len=16, max_len=32)
        else:
            enc = parse_hex(body.get("enc"), min_len=16, max_len=32)
            mac = parse_hex(body.get("mac"), min_len=16, max_len=32)
            dek = parse_hex(body.get("dek"), min_len=16, max_len=32)
    except HexError as exc:
        name = "masterKey" if "masterKey" in body else "enc/mac/dek"
        raise bad_request(f"keys {exc}", f(name)) from None
    kvn = body.get("kvn", 0)
    if isinstance(kvn, bool) or not isinstance(kvn, int) or not 0 <= kvn <= 255:
        raise bad_request("must be an integer 0-255 (0 = any key version)", f("kvn"))
    diversify = body.get("diversify", "none")
    if diversify not in DIVERSIFY:
        raise bad_request(f"must be one of {', '.join(DIVERSIFY)}", f("diversify"))
    try:
        CardKeys(enc, mac, dek, kvn, diversify)
    except KeyMaterialError as exc:
        raise bad_request(str(exc), f("masterKey")) from None
    out: dict[str, Any] = {"scope": scope, "match": match, "enc": enc.hex().upper(),
                           "mac": mac.hex().upper(), "dek": dek.hex().upper(), "kvn": kvn,
                           "diversify": diversify, "picc_key": None, "picc_key_type": None}
    if body.get("piccKey") is not None:
        ktype = body.get("piccKeyType", "DES")
        if ktype not in PICC_TYPES:
            raise bad_request(f"must be one of {', '.join(PICC_TYPES)}", f("piccKeyType"))
        try:
            picc = parse_hex(body["piccKey"])
        except HexError as exc:
            raise bad_request(str(exc), f("piccKey")) from None
        if len(picc) not in PICC_TYPES[ktype]:
            raise bad_request(f"a {ktype} key is {PICC_TYPES[ktype]} bytes", f("piccKey"))
        out["picc_key"], out["picc_key_type"] = picc.hex().upper(), ktype
    return out


def put_keys(s: Session, cfg: dict[str, Any], now: float) -> None:
    """Insert or replace the keys of one scope."""
    row = (s.execute(select(CardKeyRow).where(
        CardKeyRow.scope == cfg["scope"], CardKeyRow.match == cfg["match"]))).scalar_one_or_none()
    if row is None:
        row = CardKeyRow(scope=cfg["scope"], match=cfg["match"])
        s.add(row)
    for name in ("enc", "mac", "dek", "kvn", "diversify", "picc_key", "picc_key_type"):
        setattr(row, name, cfg[name])
    row.updated_at = now


def describe(row: CardKeyRow) -> dict[str, Any]:
    """A key configuration as the admin API shows it: KCVs, never key bytes."""
    out: dict[str, Any] = {
        "scope": row.scope, "match": row.match, "kvn": row.kvn, "diversify": row.diversify,
        "kcv": {"enc": _kcv(bytes.fromhex(row.enc)), "mac": _kcv(bytes.fromhex(row.mac)),
                "dek": _kcv(bytes.fromhex(row.dek))},
    }
    if row.picc_key_type:
        out["piccKeyType"] = row.picc_key_type
    return out


def load_keys_file(path: Path) -> list[dict[str, Any]]:
    """Key configurations from a JSON file: {"cards": [{scope, match, masterKey, ...}]}."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"cannot read key file {path}: {exc}") from None
    items = doc.get("cards") if isinstance(doc, dict) else None
    if not isinstance(items, list):
        raise ValueError(f'{path}: expected {{"cards": [ ... ]}}')
    try:
        return [parse_key_config(item, f"cards.{i}") for i, item in enumerate(items)]
    except ApiError as exc:  # the admin API's error, for a file: say where
        raise ValueError(f"{path}: {exc.field}: {exc.message}" if exc.field else
                         f"{path}: {exc.message}") from None
