"""What a user of `touchpoint` waits for: wall time of everyday commands, cold and warm.

    python -m bench.cli [--rounds 5]

Each command runs as a user runs it: a fresh process of the `touchpoint`
entry point (next to this interpreter; else `python -m app.cli`), on the
embedded virtual card (no timing profile, PC/SC ignored), with a home and a
runtime directory of its own (TOUCHPOINT_HOME, TOUCHPOINT_RUNTIME_DIR), so no
real user's backend is used or touched.

* cold: no bundled backend runs (`touchpoint backend stop` first): the
  command starts one (app/sharedbackend.py);
* warm: the backend the previous command left is reused.

The floor, in the same run: `python -c pass`, the least any Python command
costs. Rounds alternate the commands; figures are medians.

Last lines: `cli_apps_warm_s`, `cli_apps_cold_s`, `cli_install_warm_s`,
`cli_apps_warm_over_floor`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECRET = "73656372"  # the demo application


def touchpoint() -> list[str]:
    entry = Path(sys.executable).parent / "touchpoint"
    return [str(entry)] if entry.exists() else [sys.executable, "-m", "app.cli"]


def timed(cmd: list[str], env: dict[str, str], *, expect: int = 0) -> float:
    t0 = time.perf_counter()
    done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=False)
    elapsed = time.perf_counter() - t0
    if done.returncode != expect:
        raise SystemExit(f"{' '.join(cmd[-3:])} exited {done.returncode}:\n"
                         f"{done.stdout}{done.stderr}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    tp = touchpoint()
    times: dict[str, list[float]] = {k: [] for k in (
        "floor", "apps_cold", "readers", "card_info", "apps", "install", "uninstall")}
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "TOUCHPOINT_HOME": str(Path(tmp) / "home"),
               "TOUCHPOINT_RUNTIME_DIR": str(Path(tmp) / "run"), "TOUCHPOINT_NO_PCSC": "1",
               "PYTHON_KEYRING_BACKEND": os.environ.get(
                   "PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring"),
               "PYTHONPATH": os.pathsep.join(
                   p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)}
        for name in ("TOUCHPOINT_BACKEND", "TOUCHPOINT_DEVICE_TOKEN", "CARDSIM_TIMING"):
            env.pop(name, None)
        try:
            # one unmeasured run: bytecode compiled, card and database created, as on a
            # machine where touchpoint ran before
            timed([*tp, "apps"], env)
            for i in range(args.rounds):
                times["floor"].append(timed([sys.executable, "-c", "pass"], env))
                timed([*tp, "backend", "stop"], env)
                times["apps_cold"].append(timed([*tp, "apps"], env))
                times["readers"].append(timed([*tp, "readers"], env))
                times["card_info"].append(timed([*tp, "card-info"], env))
                times["apps"].append(timed([*tp, "apps"], env))
                times["install"].append(timed(
                    [*tp, "install", SECRET, "--field", "nickname=bench", "--yes"], env))
                times["uninstall"].append(timed([*tp, "uninstall", SECRET, "--yes"], env))
                print(f"round {i}: " + ", ".join(f"{k} {v[-1]:.3f} s"
                                                 for k, v in times.items()), flush=True)
        finally:
            subprocess.run([*tp, "backend", "stop"], env=env, cwd=ROOT, capture_output=True,
                           timeout=60, check=False)
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"command: {' '.join(tp)}")
    print(f"floor_python_pass_s: {med['floor']:.3f}")
    print(f"cli_readers_warm_s: {med['readers']:.3f} (needs no backend)")
    print(f"cli_card_info_warm_s: {med['card_info']:.3f}")
    print(f"cli_uninstall_warm_s: {med['uninstall']:.3f}")
    print(f"cli_apps_warm_s: {med['apps']:.3f}")
    print(f"cli_apps_cold_s: {med['apps_cold']:.3f}")
    print(f"cli_install_warm_s: {med['install']:.3f}")
    print(f"cli_apps_warm_over_floor: {med['apps'] / med['floor']:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
