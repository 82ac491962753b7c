"""Staff mode over a stack of cards that take as long as real ones, against the card time alone.

    python -m bench.staff [--cards 20] [--timing jcop4-contactless]

The real staff panel (Qt offscreen, qasync) installs the demo application on
`--cards` fresh virtual cards, one after the other, through a bundled backend
(its own process, HTTP, SQLite). Each card takes the time of the timing
profile (cardsim/timing.py: per-command card time plus transmission). The
next card is put on the reader as soon as the panel asks for the card to be
taken away, so the figure holds the panel's own card detection between cards
but no human hand.

The baseline, in the same run: the card time alone, the sum of the profile's
times for every command those cards received (and their activations). The
ratio says what the whole staff loop (backend, HTTP, touch point, Qt, card
detection) adds to what the cards themselves need (goal: at most 1.10).

Last lines: `staff_cards_per_min: X` and `staff_over_card_ratio: X`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SECRET = "73656372"  # the demo application


async def until(cond: Any, timeout: float = 120.0) -> None:
    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            raise TimeoutError("the staff panel did not get there in time")
        await asyncio.sleep(0.002)


async def run_stack(cards: int, timing: str, home: Path) -> tuple[float, float, list[str]]:
    """(wall seconds, card seconds, results) for `cards` cards."""
    from app.backend import BundledBackend
    from app.pinstore import PinStore
    from ui.context import Settings, UiContext
    from ui.i18n import Language
    from ui.readers import ReaderHub
    from ui.staff.panel import StaffPanel

    backend = BundledBackend(db=home / "bench.sqlite", log_path=home / "bench.log")
    await backend.start()
    try:
        settings = Settings(kiosk=False, backend_url=backend.url, token=backend.token,
                            pcsc=False, virtual_present=False, data_dir=home)
        hub = ReaderHub(pcsc=False, virtual_present=False)
        hub.virtual_timing = timing
        ctx = UiContext(settings, Language("en"), hub, pins=PinStore(home, use_keyring=False))
        await ctx.start()
        panel = StaffPanel(ctx)
        panel.resize(1280, 800)
        panel.show()
        panel.refresh()
        await until(lambda: panel.app_combo.count() >= 2)
        panel.select(SECRET, "install")
        await until(lambda: "nickname" in {f.id for f in panel.fields.fields})
        panel.fields.input("nickname").setText("staff bench")
        card_s = 0.0
        t0 = time.perf_counter()
        panel.start_button.click()
        await hub.new_virtual_card()  # the first card of the stack
        for n in range(1, cards + 1):
            await until(lambda n=n: panel.table.rowCount() == n)
            await until(lambda: panel.status.text() == "Take the card away")
            card_s += hub.virtual.timer.total_s
            if n < cards:
                await hub.new_virtual_card()  # the next card of the stack
        wall = time.perf_counter() - t0
        panel.stop_button.click()
        results = [r.result for r in panel.log.rows]
        await ctx.close()
        return wall, card_s, results
    finally:
        await asyncio.get_running_loop().run_in_executor(None, backend.stop)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cards", type=int, default=20)
    parser.add_argument("--timing", default="jcop4-contactless",
                        help="card timing profile (cardsim/timing.py)")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")

    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(["bench-staff"])
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["TOUCHPOINT_HOME"] = tmp
        with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
            wall, card_s, results = runner.run(run_stack(args.cards, args.timing, Path(tmp)))
    ok = sum(1 for r in results if r == "success")
    if ok != args.cards:
        print(f"error: {ok} of {args.cards} cards succeeded: {results}", file=sys.stderr)
        return 1
    print(f"timing_profile: {args.timing}")
    print(f"staff_cards: {args.cards}")
    print(f"staff_wall_s: {wall:.2f}")
    print(f"staff_card_time_s: {card_s:.2f} (the profile's time for every command sent)")
    print(f"staff_seconds_per_card: {wall / args.cards:.3f}")
    print(f"staff_cards_per_min: {args.cards / wall * 60:.1f}")
    print(f"staff_over_card_ratio: {wall / card_s:.3f}" if card_s else
          "staff_over_card_ratio: n/a (profile none: the cards take no time)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
