"""cardsim's MACs through cryptography's CMAC and CBC, against the per-block chain they
replaced (kept here as the baseline, computed in the same run on the same inputs).

A secure-channel APDU of ~255 bytes: AES-CMAC (SCP03 C-MAC/R-MAC), the chained AES-CMAC
DESFire EV1 uses (non-zero IV), 3DES-CMAC, and SCP02's retail MAC. Prints µs per MAC
and the speed-up (baseline / now); the results are also checked equal.

Run: .venv/bin/python bench/cardsim_mac.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import sys
import timeit
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cardsim.crypto import (
    aes_cmac,
    aes_ecb_encrypt,
    cmac_subkeys,
    pad80,
    retail_mac,
    tdes_cmac,
    tdes_ecb_encrypt,
    xor,
)


def per_block_cmac(enc: Callable[[bytes], bytes], block: int, data: bytes, iv: bytes) -> bytes:
    k1, k2 = cmac_subkeys(enc, block)
    if data and len(data) % block == 0:
        body, last = data[:-block], xor(data[-block:], k1)
    else:
        cut = len(data) - len(data) % block
        body, last = data[:cut], xor(pad80(data[cut:], block), k2)
    state = iv
    for i in range(0, len(body), block):
        state = enc(xor(state, body[i:i + block]))
    return enc(xor(state, last))


def per_block_retail(key: bytes, data: bytes, iv: bytes) -> bytes:
    state = iv
    for i in range(0, len(data) - 8, 8):
        state = tdes_ecb_encrypt(key[:8], xor(state, data[i:i + 8]))
    return tdes_ecb_encrypt(key, xor(state, data[-8:]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=2000)
    args = parser.parse_args()
    key, data = os.urandom(16), os.urandom(255)
    iv16, iv8 = os.urandom(16), os.urandom(8)
    padded = pad80(data[:247], 8)
    cases = {
        "aes-cmac": (lambda: per_block_cmac(lambda b: aes_ecb_encrypt(key, b), 16, data,
                                            bytes(16)),
                     lambda: aes_cmac(key, data)),
        "aes-cmac chained": (lambda: per_block_cmac(lambda b: aes_ecb_encrypt(key, b), 16,
                                                    data, iv16),
                             lambda: aes_cmac(key, data, iv16)),
        "3des-cmac": (lambda: per_block_cmac(lambda b: tdes_ecb_encrypt(key, b), 8, data,
                                             bytes(8)),
                      lambda: tdes_cmac(key, data)),
        "retail-mac": (lambda: per_block_retail(key, padded, iv8),
                       lambda: retail_mac(key, padded, iv8)),
    }
    print(f"{'MAC of 255 bytes':18} {'per block µs':>13} {'now µs':>8} {'speed-up':>9}")
    figures = []
    for name, (old, new) in cases.items():
        assert old() == new(), name
        t_old = min(timeit.repeat(old, number=args.repeat, repeat=3)) / args.repeat
        t_new = min(timeit.repeat(new, number=args.repeat, repeat=3)) / args.repeat
        print(f"{name:18} {t_old * 1e6:13.1f} {t_new * 1e6:8.1f} {t_old / t_new:8.1f}x")
        figures.append((name.replace(" ", "_").replace("-", "_"), t_old / t_new))
    for name, ratio in figures:
        print(f"{name}_speedup_ratio: {ratio:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
