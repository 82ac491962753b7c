"""`touchpoint-backend apps create|list|delete|rotate-key`: SP accounts without curl.

These work on the backend's database directly (the same --data-dir/--db and
key-encryption key as `serve`), so no admin token is needed and the server
may run or not meanwhile (SQLite in WAL mode, or PostgreSQL). Credentials are
printed once: only their hashes are stored.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TextIO

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend_stub.config import make_settings, resolve_db
from backend_stub.engine import apps as appsvc
from backend_stub.engine.context import Engine
from backend_stub.errors import ApiError
from backend_stub.store.models import App, CapFileRow, Service

EXIT_FAILURE, EXIT_USAGE = 1, 2


def add_parser(sub: Any, default_data_dir: Callable[[], Path]) -> None:
    """The `apps` sub-command and its own sub-commands."""
    store = argparse.ArgumentParser(add_help=False)
    store.add_argument("--data-dir", type=Path, default=None,
                       help="the backend's data directory (as for serve)")
    store.add_argument("--db", default=None, help="the backend's database (as for serve)")
    store.add_argument("--json", action="store_true", help="machine-readable output")
    apps = sub.add_parser(
        "apps", help="create, list, delete SP applications and rotate their keys",
        description="Service Provider applications and their credentials, in the backend's "
                    "database (no server or admin token needed). Credentials are shown once.")
    cmds = apps.add_subparsers(dest="apps_command", required=True)
    p = cmds.add_parser("create", parents=[store], help="a new application and its credentials")
    p.add_argument("name", metavar="NAME", help="the application's name (English)")
    p.add_argument("--app-id", default=None, metavar="HEX8",
                   help="8 hex digits (default: random)")
    p.add_argument("--state", choices=appsvc.APP_STATES, default="published",
                   help="published (the default): listed to every touch point; demo and "
                        "development: only to those asking for them (GET /v3/apps?states=)")
    cmds.add_parser("list", parents=[store], help="the applications")
    p = cmds.add_parser("delete", parents=[store],
                        help="an application and its services, recipes, CAP files and states")
    p.add_argument("app_id", metavar="APP_ID")
    p.add_argument("--force", action="store_true",
                   help="also when cards still hold the application")
    p = cmds.add_parser("rotate-key", parents=[store],
                        help="a new app key and token (the old ones stop working)")
    p.add_argument("app_id", metavar="APP_ID")
    apps.set_defaults(default_data_dir=default_data_dir)


def _credentials(out: TextIO, creds: dict[str, Any], what: str) -> None:
    app_id, key, token = creds["appId"], creds["appKey"], creds["token"]
    out.write(f"{what} {app_id}. Its credentials are shown this once:\n"
              f"  app id:  {app_id}\n  app key: {key}\n  token:   {token}\n"
              "An SP sends them as the headers app_id and app_key, as HTTP Basic\n"
              "(app id:app key) or the token as Bearer. For fdsm-style tools:\n"
              f"  export FIDESMO_AUTH={app_id}:{key} FIDESMO_APPID={app_id}\n")


async def _list(eng: Engine) -> list[dict[str, Any]]:
    def _tx(s: Session) -> Any:
        rows = s.execute(select(App).order_by(App.app_id)).scalars().all()
        services = dict.fromkeys((a.app_id for a in rows), 0)
        for (app_id,) in s.execute(select(Service.app_id)):
            services[app_id] = services.get(app_id, 0) + 1
        caps = dict.fromkeys(services, 0)
        for (app_id,) in s.execute(select(CapFileRow.app_id)):
            caps[app_id] = caps.get(app_id, 0) + 1
        return [{"appId": a.app_id, "state": a.state, "name": a.description.get("name"),
                 "services": services[a.app_id], "capFiles": caps[a.app_id]} for a in rows]
    return await eng.db.read(_tx)


async def _run(args: argparse.Namespace, eng: Engine, out: TextIO) -> int:
    cmd = args.apps_command
    if cmd == "create":
        creds = await appsvc.create_app(eng, {"appId": args.app_id, "state": args.state,
                                              "name": {"en": args.name}})
        if args.json:
            out.write(json.dumps(creds) + "\n")
        else:
            _credentials(out, creds, "Created application")
    elif cmd == "rotate-key":
        creds = await appsvc.reset_credentials(eng, appsvc.check_app_id(args.app_id), None)
        if args.json:
            out.write(json.dumps(creds) + "\n")
        else:
            _credentials(out, creds, "New credentials for application")
    elif cmd == "delete":
        gone = await appsvc.delete_app(eng, args.app_id, force=args.force)
        if args.json:
            out.write(json.dumps(gone) + "\n")
        else:
            out.write(f"Deleted application {gone['appId']} ({gone['services']} services, "
                      f"{gone['capFiles']} CAP files, state on {gone['cards']} cards).\n")
    else:
        rows = await _list(eng)
        if args.json:
            out.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        elif not rows:
            out.write("no applications\n")
        for r in rows if not args.json else []:
            name = (r["name"] or {}).get("en") or next(iter((r["name"] or {}).values()), "")
            out.write(f"{r['appId']}  {r['state']:<11}  {r['services']} services  "
                      f"{r['capFiles']} CAP files  {name}\n")
    return 0


async def _with_engine(args: argparse.Namespace,
                       job: Callable[[Engine], Awaitable[int]]) -> int:
    from backend_stub.server import open_store

    db_path, db_url = resolve_db(args.db)
    data_dir = args.data_dir or (db_path.parent if db_path else args.default_data_dir())
    settings = make_settings(data_dir, db_path=db_path, db_url=db_url)
    db = await open_store(settings)
    try:
        async with httpx.AsyncClient() as http:  # unused here; the engine carries one
            return await job(Engine(settings=settings, db=db, http=http))
    finally:
        await db.close()


def main(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Runs one `apps` command; 0 done, 1 refused or failed, 2 bad input."""
    from backend_stub.store.sealing import SealError

    out = out or sys.stdout
    try:
        return asyncio.run(_with_engine(args, lambda eng: _run(args, eng, out)))
    except ApiError as exc:
        where = f" ({exc.field})" if exc.field else ""
        print(f"touchpoint-backend apps: {exc.message}{where}", file=sys.stderr)
        return EXIT_USAGE if exc.status == 400 else EXIT_FAILURE
    except (OSError, ValueError, SealError) as exc:
        print(f"touchpoint-backend apps: {exc}", file=sys.stderr)
        return EXIT_FAILURE
