"""How long compiling a big load+install script takes, next to the time it needs on air.

Builds a ~58 KB CAP (the largest that fits one LOAD sequence of 256 blocks at
SCP03 level 33, 231 bytes a block), then times CapFile.parse + ccm_install +
first_batch + next_batch(answers with a computed INITIALIZE UPDATE answer).
The on-air figure counts every command and response byte of the script at
848 kbit/s ISO 14443 Type A (9 bits per byte), ignoring frame overhead and
the card's processing time, so it is a lower bound on the real air time and
the percentage an upper bound on the compiler's share.

Run: .venv/bin/python -m bench.compile [--repeat N] [--code-size N]
"""

from __future__ import annotations

import argparse
import statistics
import time

from backend_stub.compiler.cap import CapFile
from backend_stub.compiler.keys import CardKeys, StaticKeys
from backend_stub.compiler.scp03 import card_cryptogram, session_keys
from backend_stub.compiler.script import CardContext, ccm_install
from tests.helpers.capwriter import build_cap

KEY = bytes.fromhex("404142434445464748494A4B4C4D4E4F")
KDD = bytes(range(10))
PKG = bytes.fromhex("A00000061700BE0C11")
APPLET = PKG + b"\x01"
BITRATE = 848_000
BITS_PER_BYTE = 9
RMAC_LEN = 8


def iu_answer(iu_apdu: bytes) -> bytes:
    """The card's INITIALIZE UPDATE answer (i=70, level 33 capable) for this host challenge."""
    host = iu_apdu[5:13]
    card = bytes.fromhex("0102030405060708")
    keys = session_keys(StaticKeys(KEY, KEY, KEY, 0x30), host, card)
    cryptogram = card_cryptogram(keys.mac, host, card)
    return KDD + bytes([0x30, 0x03, 0x70]) + card + cryptogram + b"\x00\x00\x01" + b"\x90\x00"


def compile_once(cap_bytes: bytes) -> tuple[float, list[bytes], list[bytes]]:
    """Seconds to compile; the commands and the answers a level-33 card would send."""
    start = time.perf_counter()
    cap = CapFile.parse(cap_bytes)
    ctx = CardContext(CardKeys.single(KEY, kvn=0x30), security_level=0x33)
    script = ccm_install(ctx=ctx, cap=cap, elf_aid=None, module_aid=APPLET,
                         instance_aid=APPLET + b"\x01")
    first = script.first_batch()
    answers1 = [b"\x90\x00", iu_answer(first[1].apdu)]
    second = script.next_batch(answers1)
    elapsed = time.perf_counter() - start
    commands = [c.apdu for c in first + second]
    # EXTERNAL AUTHENTICATE answers a bare 9000; every wrapped command answers R-MAC + 9000.
    answers = answers1 + [b"\x90\x00"] + [bytes(RMAC_LEN) + b"\x90\x00"] * (len(second) - 1)
    return elapsed, commands, answers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--code-size", type=int, default=58_000)
    args = parser.parse_args()

    cap_bytes = build_cap(PKG, [APPLET], code_size=args.code_size)
    lfdb_len = len(CapFile.parse(cap_bytes).load_file_data_block)
    compile_once(cap_bytes)  # warm-up: imports, cryptography backend
    times = []
    commands: list[bytes] = []
    answers: list[bytes] = []
    for _ in range(args.repeat):
        elapsed, commands, answers = compile_once(cap_bytes)
        times.append(elapsed)
    compile_s = statistics.median(times)
    cmd_bytes = sum(len(c) for c in commands)
    rsp_bytes = sum(len(r) for r in answers)
    air_s = (cmd_bytes + rsp_bytes) * BITS_PER_BYTE / BITRATE
    loads = sum(1 for c in commands if c[1] == 0xE8)

    print(f"cap_zip_bytes: {len(cap_bytes)}")
    print(f"lfdb_bytes: {lfdb_len}")
    print(f"load_blocks: {loads}")
    print(f"commands: {len(commands)}")
    print(f"command_bytes: {cmd_bytes}")
    print(f"response_bytes: {rsp_bytes}")
    print(f"repeats: {args.repeat}")
    print(f"compile_ms_median: {compile_s * 1000:.2f}")
    print(f"compile_ms_min: {min(times) * 1000:.2f}")
    print(f"over_air_ms_848k: {air_s * 1000:.2f}")
    print(f"compile_over_air_pct: {100 * compile_s / air_s:.1f}")


if __name__ == "__main__":
    main()
