"""The `touchpoint` command line's arguments: what each sub-command takes, for app/cli.py."""

from __future__ import annotations

import argparse
import os
import sys
from typing import NoReturn

from app import add_version_argument, logs
from app.backend import TOKEN_ENV

DEMO_APP = "73656372"
COMMANDS = ("readers", "card-info", "apps", "run", "install", "uninstall", "suspend", "unsuspend",
            "repair", "backend")
LIFECYCLE = {"install": "installServices", "uninstall": "uninstallService",
             "suspend": "suspendService", "unsuspend": "unsuspendService"}
READER_ENV = "TOUCHPOINT_READER"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument("--backend", metavar="URL", default=os.environ.get("TOUCHPOINT_BACKEND"),
                        help="backend base URL (default: start the bundled backend); the device "
                             f"token comes from ${TOKEN_ENV} or --token-file")
    common.add_argument("--token-file", metavar="FILE", help="file holding the device token")
    common.add_argument("--db", metavar="PATH", help="database of the bundled backend")
    common.add_argument("--reader", metavar="R", default=os.environ.get(READER_ENV) or None,
                        help="reader name or part of it; 'virtual' for the embedded virtual "
                             f"card (default ${READER_ENV}; else a PC/SC reader with a card, of "
                             "several the one whose card answers the platform SELECT; else "
                             "the virtual card)")
    common.add_argument("--nfc", metavar="PATH", action="append",
                        default=[p for p in os.environ.get("TOUCHPOINT_NFC", "").split(",") if p],
                        help="nfcpy reader path (usb, tty:USB0:pn532, udp:HOST:PORT); repeatable")
    common.add_argument("--virtual-card", metavar="FILE",
                        help="state file of the embedded virtual card")
    common.add_argument("--no-virtual", action="store_true", help="never use the virtual card")
    common.add_argument("--no-pcsc", action="store_true",
                        default=os.environ.get("TOUCHPOINT_NO_PCSC", "") not in ("", "0"),
                        help="ignore PC/SC readers (also $TOUCHPOINT_NO_PCSC=1)")
    common.add_argument("--lang", metavar="TAG", default=None,
                        help="language for names and messages (default: the system's)")
    common.add_argument("--wait", metavar="S", type=float, default=10.0,
                        help="seconds to wait for a card (default 10)")
    logs.add_arguments(common)
    common.add_argument("--trace-api", action="store_true",
                        help="log every HTTP request and answer (credentials masked)")

    parser: argparse.ArgumentParser = _Parser(
        prog="touchpoint",
        description="Secure Element touch point. With a sub-command it runs headless; with "
                    "none it opens the window as touchpoint-gui does (touchpoint-gui --help "
                    "lists its options). --self-test checks an installation. Exit status: "
                    "0 done, 1 failed, 2 usage error. Logging: -v (repeatable), --log-level "
                    f"or ${logs.LEVEL_ENV}; --trace-api for HTTP.")
    add_version_argument(parser, "touchpoint")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    p = sub.add_parser("readers", parents=[common], help="list readers")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("card-info", parents=[common], help="identity of the card")
    p.add_argument("--json", action="store_true")
    p.add_argument("--offline", action="store_true", help="do not ask the backend")

    p = sub.add_parser("apps", parents=[common], help="apps and their state on the card")
    p.add_argument("--json", action="store_true")

    delivery = _Parser(add_help=False)
    delivery.add_argument("--field", metavar="ID=VALUE", action="append", default=[],
                          help="answer a service field (repeatable)")
    delivery.add_argument("--trace-apdu", action="store_true", help="print every APDU")
    delivery.add_argument("--trace-file", metavar="FILE",
                          help="save the APDU trace (.json for JSON, else text)")
    delivery.add_argument("--timeout", metavar="MIN", type=float, default=15.0,
                          help="session timeout in minutes (default 15)")
    delivery.add_argument("--yes", action="store_true", help="confirm without asking")

    p = sub.add_parser("run", parents=[common, delivery], help="run a service")
    p.add_argument("target", nargs="?", metavar="APP/SERVICE",
                   help=f"service to run (default: install the demo app {DEMO_APP}), or a "
                        "ws:// or wss:// delivery URL")

    for name in LIFECYCLE:
        p = sub.add_parser(name, parents=[common, delivery], help=f"{name} an app")
        p.add_argument("app", metavar="APP")
        if name == "install":
            p.add_argument("--service", help="install service (default: the first one)")

    p = sub.add_parser("repair", parents=[common, delivery],
                       help="repair an Unstable app: uninstall it (removing what it left on "
                            "the card), then install it again")
    p.add_argument("app", metavar="APP")
    p.add_argument("--service", help="install service (default: the first one)")

    p = sub.add_parser("replay", parents=[common],
                       help="send a GlobalPlatformPro-style trace (gp -d) to the card again")
    p.add_argument("file", metavar="FILE", help="the trace (A>> / A<< lines)")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("backend", parents=[common], help="the per-user bundled backend")
    p.add_argument("action", choices=("status", "stop"),
                   help="status: where it runs; stop: end it now")
    p.add_argument("--json", action="store_true")
    return parser
