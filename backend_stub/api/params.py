"""Path and query parameters with their patterns, so /openapi.json declares them.

The patterns are written for both engines that apply them: pydantic's (Rust
regex, where `$` is the end of the text) validates requests, and JSON Schema
(ECMA-262, where `$` never matches before a final newline) documents them, so
`f0220009\\n` is refused by both.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

APP_ID_PATTERN = r"^[0-9A-Fa-f]{8}$"
SERVICE_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
CIN_PATTERN = r"^(?:[0-9A-Fa-f]{2}){1,32}$"
LFDBH_PATTERN = r"^[0-9A-Fa-f]{64}$"
ID_PATTERN = r"^[A-Za-z0-9._-]{1,64}$"  # session and operation ids (UUIDs here)
INT32_MAX = 2 ** 31 - 1  # the store's integer columns (PostgreSQL INTEGER)

AppIdPath = Annotated[str, Path(pattern=APP_ID_PATTERN, description="8 hex digits",
                                examples=["73656372"])]
ServiceIdPath = Annotated[str, Path(pattern=SERVICE_ID_PATTERN,
                                    description="1 to 64 letters, digits, '.', '_' or '-'")]
CinPath = Annotated[str, Path(pattern=CIN_PATTERN, description="the card's CIN, hex")]
CapIdPath = Annotated[str, Path(pattern=LFDBH_PATTERN, description="the CAP file's LFDBH")]
SessionIdPath = Annotated[str, Path(pattern=ID_PATTERN)]
OperationIdPath = Annotated[str, Path(pattern=ID_PATTERN)]
KeyScopePath = Annotated[str, Path(pattern=r"^(?:cin|batch|iin|default)$")]
CinQuery = Annotated[str | None, Query(pattern=CIN_PATTERN,
                                       description="the card's CIN, hex")]
StatesQuery = Annotated[str, Query(
    pattern=r"^[a-z,]{0,64}$",
    description="comma separated: published, demo, development")]

# what a refusal of each pattern says, by parameter name
PATTERN_MESSAGES = {
    "appId": "an appId is 8 hex digits",
    "serviceId": "a service id is 1 to 64 letters, digits, '.', '_' or '-'",
    "cin": "the CIN must be 1 to 32 bytes as hex digits",
    "capId": "a CAP file id is its LFDBH: 64 hex digits",
    "scope": "one of cin, batch, iin, default",
}
