"""What is on the card, as the card says (GET STATUS read by the backend) and as the
backend believes (the elements each application put there), and where they disagree.

The touch point cannot open the ISD's secure channel: it carries the backend's batches
(POST /v3/devices/{cin}/contents, then the same with the `ticket` and the answers, until
the batch is empty) exactly as a delivery's, and gets the decoded registry at the end.
The tree here is security domains -> load files -> modules and instances, the way
GlobalPlatformPro's `gp --list` groups them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from app.client import BackendClient
from app.commands import parse_batch
from app.errors import ProtocolError
from app.readers.base import Observer, Reader

MAX_STEPS = 100  # a backend that never ends the operation is stopped here
# AIDs of the card's own software, which no application accounts for (API.md section 4:
# the GlobalPlatform RID A000000151 (ISD, its package) and the platform's A00000061702)
PLATFORM_PREFIXES = ("A000000151", "A00000061702")
GP_KINDS = ("package", "applet", "ssd")  # what GET STATUS can see (not DESFire apps)

_APP_STATES = {0x03: "Installed", 0x07: "Selectable", 0x0F: "Personalized"}
_CARD_STATES = {0x01: "OP_READY", 0x07: "INITIALIZED", 0x0F: "SECURED", 0x7F: "CARD_LOCKED",
                0xFF: "TERMINATED"}
# GP 2.3.1 table 11-7 (privilege byte, bit) -> name
PRIVILEGES = (
    (0, 0x80, "Security Domain"), (0, 0x40, "DAP Verification"),
    (0, 0x20, "Delegated Management"), (0, 0x10, "Card Lock"), (0, 0x08, "Card Terminate"),
    (0, 0x04, "Card Reset"), (0, 0x02, "CVM Management"), (0, 0x01, "Mandated DAP Verification"),
    (1, 0x80, "Trusted Path"), (1, 0x40, "Authorized Management"),
    (1, 0x20, "Token Verification"), (1, 0x10, "Global Delete"), (1, 0x08, "Global Lock"),
    (1, 0x04, "Global Registry"), (1, 0x02, "Final Application"), (1, 0x01, "Global Service"),
    (2, 0x80, "Receipt Generation"), (2, 0x40, "Ciphered Load File Data Block"),
    (2, 0x20, "Contactless Activation"), (2, 0x10, "Contactless Self-Activation"),
)


def life_cycle_name(value: int, kind: str) -> str:
    """GP 2.3.1 11.1.1: the card's (ISD), a load file's, an application's or a domain's."""
    if kind == "isd":
        return _CARD_STATES.get(value, f"{value:02X}")
    if kind == "loadfile":
        return "Loaded" if value == 0x01 else f"{value:02X}"
    if value & 0x80 and value != 0xFF:
        return "Locked"
    return _APP_STATES.get(value & 0x7F, f"{value:02X}")


def privilege_names(hex_privs: str) -> list[str]:
    raw = bytes.fromhex(hex_privs or "")
    return [name for i, bit, name in PRIVILEGES if i < len(raw) and raw[i] & bit]


@dataclass
class Node:
    """One row of the contents tree."""

    kind: str  # isd | ssd | loadfile | module | instance
    aid: str
    life_cycle: str = ""
    privileges: tuple[str, ...] = ()
    domain: str = ""  # the associated security domain
    version: str = ""
    owner: str = ""  # the application the backend says it belongs to ("" none)
    children: list[Node] = field(default_factory=list)

    def walk(self) -> Iterator[Node]:
        yield self
        for c in self.children:
            yield from c.walk()


@dataclass(frozen=True)
class BackendApp:
    app_id: str
    name: str
    state: str
    elements: tuple[tuple[str, str], ...]  # (kind, aid)


@dataclass(frozen=True)
class Disagreement:
    """`missing`: the backend records it, the card lacks it; `unaccounted`: on the card,
    no application records it. `fixes`: what the backend can do about it."""

    problem: str
    kind: str
    aid: str
    app_id: str = ""
    fixes: tuple[str, ...] = ()

    def text(self) -> str:
        if self.problem == "missing":
            return (f"{self.kind} {self.aid} of application {self.app_id} is not on the card")
        return f"{self.kind} {self.aid} is on the card but no application accounts for it"


@dataclass
class CardContents:
    """The card's registry as a tree, the backend's view, and their disagreements."""

    roots: list[Node]
    backend: list[BackendApp]
    disagreements: list[Disagreement]
    raw: Mapping[str, Any] = field(default_factory=dict)

    def nodes(self) -> Iterator[Node]:
        for r in self.roots:
            yield from r.walk()

    def card_elements(self) -> set[tuple[str, str]]:
        """(kind as the backend names it, AID) of everything on the card."""
        out = set()
        for n in self.nodes():
            kind = {"ssd": "ssd", "loadfile": "package", "instance": "applet"}.get(n.kind)
            if kind:
                out.add((kind, n.aid))
        return out


def _is_sd(entry: Mapping[str, Any]) -> bool:
    privs = bytes.fromhex(entry.get("privileges") or "")
    return bool(privs) and bool(privs[0] & 0x80)


def build_tree(card: Mapping[str, Any], owners: Mapping[str, str] | None = None) -> list[Node]:
    """Security domains (nested by association) -> load files -> modules and instances."""
    owners = owners or {}
    isd_entries = list(card.get("isd") or [])
    apps = list(card.get("apps") or [])
    elfs = list(card.get("loadFiles") or [])

    def node(entry: Mapping[str, Any], kind: str) -> Node:
        aid = str(entry["aid"])
        return Node(kind, aid, life_cycle_name(int(entry.get("lifeCycle", 0)), kind),
                    tuple(privilege_names(str(entry.get("privileges") or ""))),
                    str(entry.get("associatedDomain") or ""), str(entry.get("version") or ""),
                    owners.get(aid, ""))

    domains: dict[str, Node] = {}
    roots = []
    for e in isd_entries:
        n = node(e, "isd")
        n.domain = ""
        domains[n.aid] = n
        roots.append(n)
    for e in apps:
        if _is_sd(e):
            domains[str(e["aid"])] = node(e, "ssd")
    for e in apps:  # domains under the domain they are associated with
        if _is_sd(e):
            n = domains[str(e["aid"])]
            parent = domains.get(n.domain)
            (parent.children if parent is not None and parent is not n else roots).append(n)
    files: dict[str, Node] = {}
    for e in elfs:
        f = node(e, "loadfile")
        files[f.aid] = f
        f.children += [Node("module", str(m), domain=f.domain, owner=owners.get(str(m), ""))
                       for m in e.get("modules") or []]
        parent = domains.get(f.domain)
        (parent.children if parent is not None else roots).append(f)
    for e in apps:
        if _is_sd(e):
            continue
        n = node(e, "instance")
        home = files.get(str(e.get("loadFile") or "")) or domains.get(n.domain)
        (home.children if home is not None else roots).append(n)
    return roots


def parse_backend(view: Any) -> list[BackendApp]:
    if not isinstance(view, list):
        raise ProtocolError("the backend's view of the card: expected a list")
    out = []
    for a in view:
        if not isinstance(a, dict) or not isinstance(a.get("appId"), str):
            raise ProtocolError("the backend's view of the card: an entry without appId")
        name = a.get("name")
        if isinstance(name, dict):
            name = name.get("en") or next(iter(name.values()), "")
        els = tuple((str(e.get("kind")), str(e.get("aid")).upper())
                    for e in a.get("elements") or [] if isinstance(e, dict))
        out.append(BackendApp(a["appId"], str(name or a["appId"]), str(a.get("state", "")),
                              els))
    return out


def is_platform(aid: str) -> bool:
    return aid.upper().startswith(PLATFORM_PREFIXES)


def compare(card: set[tuple[str, str]], backend: list[BackendApp]) -> list[Disagreement]:
    """Recorded but absent (fix: mark the application Unstable, forgetting the element),
    and present but recorded by nobody (fixes: purge it from the card, or adopt it)."""
    out = []
    on_card = {aid for _k, aid in card}
    recorded: set[str] = set()
    for app in backend:
        for kind, aid in app.elements:
            recorded.add(aid)
            if kind in GP_KINDS and aid not in on_card:
                out.append(Disagreement("missing", kind, aid, app.app_id, ("unstable",)))
    for kind, aid in sorted(card):
        if aid not in recorded and not is_platform(aid):
            out.append(Disagreement("unaccounted", kind, aid, "", ("purge", "adopt")))
    return out


def contents_of(result: Mapping[str, Any]) -> CardContents:
    """The platform operation's `result` ({card, backend}) as tree and disagreements."""
    card = result.get("card")
    if not isinstance(card, dict):
        raise ProtocolError("card contents: the result holds no 'card'")
    backend = parse_backend(result.get("backend", []))
    owners = {aid: a.app_id for a in backend for _k, aid in a.elements}
    roots = build_tree(card, owners)
    contents = CardContents(roots, backend, [], card)
    contents.disagreements = compare(contents.card_elements(), backend)
    return contents


# --- the platform operations, carried like a delivery's batches ----------------------------

async def _run(client: BackendClient, reader: Reader, path: str, body: dict[str, Any],
               observer: Observer | None) -> dict[str, Any]:
    answer = await client.call_json("POST", path, body)
    for _ in range(MAX_STEPS):
        if not isinstance(answer, dict):
            raise ProtocolError(f"{path}: expected an object")
        commands = parse_batch(answer, path)
        if not commands:
            result = answer.get("result")
            if not isinstance(result, dict):
                raise ProtocolError(f"{path}: the operation ended without a result")
            return result
        batch = await reader.transmit_batch(commands, observer=observer)
        answer = await client.call_json("POST", path, {
            **body, "ticket": answer.get("ticket"),
            "responses": [r.hex().upper() for r in batch.responses]})
    raise ProtocolError(f"{path}: the backend did not end the operation in {MAX_STEPS} steps")


async def read_contents(client: BackendClient, reader: Reader, cin: str, iin: str | None,
                        observer: Observer | None = None) -> CardContents:
    """GET STATUS through the backend; the card's and the backend's views compared."""
    result = await _run(client, reader, f"/v3/devices/{cin}/contents", {"iin": iin}, observer)
    return contents_of(result)


async def purge(client: BackendClient, reader: Reader, cin: str, iin: str | None, aid: str,
                observer: Observer | None = None) -> dict[str, Any]:
    """Delete an element no application accounts for (with related objects)."""
    return await _run(client, reader, f"/v3/devices/{cin}/purge",
                      {"iin": iin, "aid": aid, "withRelated": True}, observer)


async def mark_unstable(client: BackendClient, cin: str, app_id: str,
                        aids: list[str]) -> list[BackendApp]:
    view = await client.call_json("POST", f"/v3/devices/{cin}/elements/unstable",
                                  {"appId": app_id, "aids": aids})
    return parse_backend(view)


async def adopt(client: BackendClient, cin: str, app_id: str, kind: str, aid: str,
                parent: str | None = None) -> list[BackendApp]:
    view = await client.call_json("POST", f"/v3/devices/{cin}/elements/adopt",
                                  {"appId": app_id, "kind": kind, "aid": aid, "parent": parent})
    return parse_backend(view)


def parent_of(contents: CardContents, aid: str) -> str | None:
    """The load file of an instance, the domain of a load file (what adopt records)."""
    for n in contents.nodes():
        for c in n.children:
            if c.aid == aid and c.kind in ("instance", "loadfile", "ssd"):
                return n.aid if n.kind != "module" else None
    return None
