"""A backend that answers what the real one answered: the floor of bench/overhead.py.

bench/overhead.py records the bodies the real backend sent during one install
and hands them here (PUT /_replay); the touch point then runs the same install
against this server, on a copy of the card as that install found it, so the
recorded SCP03 commands are valid again (same keys, same sequence counter, same
host challenge in the recorded INITIALIZE UPDATE). Same stack as the real backend
(FastAPI on uvicorn, uvloop and httptools), no database, no compiler, no checks
beyond the request's path and the number of responses: what is left of an
install is the touch point, the HTTP stack and the card.

    python -m bench.replaybackend --port N
"""

from __future__ import annotations

import argparse
import json
from collections import deque

from fastapi import FastAPI, Request, Response

from bench.stubserver import serve


def make_app() -> FastAPI:
    app = FastAPI()
    script: deque[tuple[str, bytes]] = deque()  # (path, answer body) in the recorded order

    @app.put("/_replay")
    async def load(request: Request) -> Response:
        script.clear()
        script.extend((path, body.encode()) for path, body in await request.json())
        return Response(status_code=204)

    async def answer(request: Request) -> Response:
        await request.body()  # read as the real backend does
        if not script or script[0][0] != request.url.path:
            want = script[0][0] if script else "nothing"
            return Response(json.dumps({"message": f"replay expected {want}"}).encode(),
                            status_code=409, media_type="application/json")
        return Response(script.popleft()[1], media_type="application/json")

    for path in ("/v3/service/deliver", "/v3/connector/json", "/v3/service/fetch"):
        app.add_api_route(path, answer, methods=["POST"])
    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    serve(make_app(), args.port, "replay backend")


if __name__ == "__main__":
    main()
