"""`cardsim` command line: create a card file, show what is on it, serve it through vpcd."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cardsim import version
from cardsim.card import VirtualCard
from cardsim.profile import DEFAULT_MASTER, CardProfile, ProfileError
from cardsim.registry import LC_LOCKED_BIT
from cardsim.state import StateError
from cardsim.timing import PROFILES


def _hex(value: str) -> bytes:
    try:
        return bytes.fromhex(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not hex: {value!r}") from exc


def _hex_int(value: str) -> int:
    try:
        return int(value, 16)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a hex number: {value!r}") from exc


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cardsim", description="Virtual GlobalPlatform Secure Element"
    )
    parser.add_argument("-V", "--version", action="version", version=f"cardsim {version()}")
    sub = parser.add_subparsers(dest="command", required=True)

    new = sub.add_parser("new", help="create a card state file")
    new.add_argument("file")
    new.add_argument("--scp", type=int, choices=(2, 3), default=3)
    new.add_argument(
        "--i",
        dest="scp_i",
        type=_hex_int,
        default=None,
        help="SCP i parameter in hex (SCP03: 70/00/10/60, SCP02: 15/55)",
    )
    new.add_argument(
        "--kvn", type=_hex_int, default=None, help="key version in hex (30 SCP03, 20 SCP02)"
    )
    new.add_argument("--diversify", choices=("none", "kdf3", "emv"), default="none")
    new.add_argument("--master", type=_hex, default=DEFAULT_MASTER, help="master key, hex")
    new.add_argument("--cin", type=_hex, default=None)
    new.add_argument("--iin", type=_hex, default=None)
    new.add_argument("--batch", type=int, default=1)
    new.add_argument("--force", action="store_true", help="overwrite an existing file")

    info = sub.add_parser("info", help="print a card's identity and content")
    info.add_argument("file")
    info.add_argument("--json", action="store_true")

    vpcd = sub.add_parser("vpcd", help="serve a card through pcscd's vpcd driver")
    vpcd.add_argument("--card", default=None, help="card state file (created when missing)")
    vpcd.add_argument("--host", default="127.0.0.1")
    vpcd.add_argument("--port", type=int, default=35963)
    vpcd.add_argument("--timing", metavar="PROFILE", default="none",
                      choices=sorted(PROFILES),
                      help="take the time a real card takes: none (default), jcop4-contact, "
                      "jcop4-contactless, desfire-ev1 (figures and sources: cardsim/timing.py)")
    return parser


def _cmd_new(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if path.exists() and not args.force:
        print(f"cardsim: {path} exists (use --force to overwrite)", file=sys.stderr)
        return 1
    kwargs: dict[str, Any] = {
        "scp": args.scp,
        "scp_i": args.scp_i,
        "kvn": args.kvn,
        "master_key": args.master,
        "diversify": args.diversify,
        "batch_id": args.batch,
    }
    if args.cin is not None:
        kwargs["cin"] = args.cin
    if args.iin is not None:
        kwargs["iin"] = args.iin
    try:
        profile = CardProfile(**kwargs)
    except ProfileError as exc:
        print(f"cardsim: {exc}", file=sys.stderr)
        return 2
    card = VirtualCard.create(path, profile=profile)
    print(
        f"cardsim: created {path} (CIN {card.cin.hex().upper()}, SCP0{profile.scp} "
        f"i={profile.scp_i:02X}, KVN {profile.kvn:02X})"
    )
    return 0


def describe(card: VirtualCard) -> dict[str, Any]:
    """A JSON-able summary of identity and content (no key values)."""
    state = card.state
    p = state.profile
    reg = state.registry
    apps = []
    for a in reg.apps:
        apps.append(
            {
                "aid": a.aid.hex().upper(),
                "kind": "ISD" if a.sd is None else "SSD" if a.is_sd else "application",
                "lifecycle": f"{a.lifecycle:02X}",
                "locked": bool(a.lifecycle & LC_LOCKED_BIT),
                "privileges": a.privileges.hex().upper(),
                "load_file": a.elf.hex().upper(),
                "security_domain": a.sd.hex().upper() if a.sd else None,
                "system": a.system,
                "key_versions": [k.kvn for k in a.domain.keysets] if a.domain else None,
            }
        )
    elfs = [
        {
            "aid": e.aid.hex().upper(),
            "version": f"{e.version[0]}.{e.version[1]}",
            "modules": [m.hex().upper() for m in e.modules],
            "security_domain": e.sd.hex().upper(),
            "size": len(e.lfdb),
            "system": e.system,
        }
        for e in reg.elfs
    ]
    desfire = state.desfire or {}
    return {
        "iin": p.iin.hex().upper(),
        "cin": p.cin.hex().upper(),
        "batch_id": p.batch_id,
        "scp": f"SCP0{p.scp}",
        "scp_i": f"{p.scp_i:02X}",
        "kvn": f"{p.kvn:02X}",
        "diversify": p.diversify,
        "kdd": p.key_diversification_data.hex().upper(),
        "atr": card.atr.hex().upper(),
        "applications": apps,
        "load_files": elfs,
        "desfire": {
            "uid": desfire.get("uid"),
            "applications": sorted((desfire.get("apps") or {}).keys()),
        },
    }


def _cmd_info(args: argparse.Namespace) -> int:
    try:
        card = VirtualCard.load(args.file)
    except StateError as exc:
        print(f"cardsim: {exc}", file=sys.stderr)
        return 1
    info = describe(card)
    if args.json:
        print(json.dumps(info, indent=2))
        return 0
    print(f"IIN {info['iin']}  CIN {info['cin']}  batch {info['batch_id']}")
    print(
        f"{info['scp']} i={info['scp_i']} KVN {info['kvn']} diversify={info['diversify']} "
        f"KDD {info['kdd']}"
    )
    print(f"ATR {info['atr']}")
    for a in info["applications"]:
        lock = " LOCKED" if a["locked"] else ""
        print(
            f"{a['kind']:<12} {a['aid']:<32} lc={a['lifecycle']}{lock} priv={a['privileges']}"
            f" sd={a['security_domain'] or '-'}"
        )
    for e in info["load_files"]:
        print(
            f"{'load file':<12} {e['aid']:<32} v{e['version']} {e['size']} bytes"
            f" sd={e['security_domain']}"
        )
        for m in e["modules"]:
            print(f"{'':<14}module {m}")
    df = info["desfire"]
    print(f"DESFire UID {df['uid']} applications: {', '.join(df['applications']) or '-'}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "new":
        return _cmd_new(args)
    if args.command == "info":
        return _cmd_info(args)
    from cardsim import vpcd

    return int(vpcd.main(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
