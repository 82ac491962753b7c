"""A backend that does nothing: the ceiling of the HTTP stack, as a same-run baseline.

bench/backend.py runs the same simulated touch points against this server and
against the real one. It speaks just enough of the device protocol (with the
round-trip shortcuts) for a 10-APDU transceive delivery: service/deliver
answers a session with its operation and batch inline, connector/json parses
the responses and answers the final status. Same stack as the real backend
(FastAPI on uvicorn, uvloop and httptools), no database, no compiler, no
checks: what is left is the cost of two HTTP round trips per delivery on this
machine, which bounds what any backend on this stack can reach.

    python -m bench.nullbackend --port N --commands HEX,HEX,...
"""

from __future__ import annotations

import argparse
import json
import uuid
from typing import Any

from fastapi import FastAPI, Request, Response

from bench.stubserver import serve


def make_app(commands: list[str]) -> FastAPI:
    app = FastAPI()
    batch = {"commands": commands, "expect": [["9000", "61XX"]] * len(commands),
             "names": ["command"] * len(commands)}
    done = json.dumps({"commands": [], "next": {"completed": True, "status": {
        "success": True, "message": {"en": "done"}, "appState": "NotInstalled"}}}).encode()

    @app.post("/v3/service/deliver")
    async def deliver(request: Request) -> Response:
        body: dict[str, Any] = await request.json()
        if "appId" not in body:
            return Response(status_code=400)
        answer = {"sessionId": str(uuid.uuid4()), "next": {
            "completed": False, "operationId": str(uuid.uuid4()),
            "operationType": "transceive", **batch}}
        return Response(json.dumps(answer).encode(), media_type="application/json")

    @app.post("/v3/connector/json")
    async def connector(request: Request) -> Response:
        body: dict[str, Any] = await request.json()
        if len(body.get("responses", [])) != len(commands):
            return Response(status_code=400)
        return Response(done, media_type="application/json")

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--commands", required=True)
    args = parser.parse_args()
    serve(make_app(args.commands.split(",")), args.port, "null backend")


if __name__ == "__main__":
    main()
