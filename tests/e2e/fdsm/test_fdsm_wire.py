"""The bundled backend driven exactly as fdsm drives the platform, over real HTTP on
127.0.0.1, on SQLite and PostgreSQL, with the card behind pcscd + vpcd.

Every request is the one fdsm sends (tests/e2e/fdsm/fdsm_client.py cites where each
comes from in github fidesmo/fdsm); the comments below name the fdsm command and the
place in tool/src/main/java/com/fidesmo/fdsm/Main.java (M) or the library's
FidesmoCard.java (FC), ServiceDeliverySession.java (SDS), RecipeGenerator.java (RG).
"""

from __future__ import annotations

import hashlib
from typing import Any

import httpx
import pytest

from app.readers.pcsc import PcscReader
from cardsim.card import VirtualCard
from tests.e2e.app.conftest import identify
from tests.e2e.backend.conftest import ADMIN_TOKEN, Backend
from tests.e2e.fdsm.fdsm_client import (
    ApiError,
    Fdsm,
    delete_recipe,
    install_recipe,
    secure_transceive_recipe,
    store_data_recipe,
)
from tests.helpers.capwriter import build_cap, load_file_data_block
from tests.helpers.pcsc import READER

pytestmark = pytest.mark.pcsc

SECRET, HELLO = "73656372", "68656c6f"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
SD_PREFIX = bytes.fromhex("A00000061701")


def lfdbh(cap: bytes) -> str:
    return hashlib.sha256(load_file_data_block(cap)).hexdigest().upper()


def new_sp(backend: Backend, name: Any, state: str = "published") -> tuple[str, str]:
    """`touchpoint-backend apps create` (backend_stub/appscli.py) does this admin call."""
    with httpx.Client(base_url=backend.url) as c:
        resp = c.post("/admin/apps", headers=ADMIN, json={"name": name, "state": state})
        assert resp.status_code in (200, 201), resp.text
        body = resp.json()
        return body["appId"], body["appKey"]


def card_snapshot(card: VirtualCard) -> list[tuple[str, ...]]:
    reg = card.state.registry
    return sorted([("app", a.aid.hex().upper(), str(a.lifecycle)) for a in reg.apps]
                  + [("elf", e.aid.hex().upper()) for e in reg.elfs])


async def list_apps_on_card(reader: PcscReader) -> list[str]:
    """FC listApps: SELECT by partial AID A00000061701 (Le 256), then P2=02 (next
    occurrence) while 9000; the appId is bytes 6..9 of the AID in FCI 6F/84."""
    out = []
    p2 = 0x00
    while True:
        rsp = await reader.transmit(bytes([0x00, 0xA4, 0x04, p2, 6]) + SD_PREFIX + b"\x00")
        if rsp[-2:] != b"\x90\x00":
            return out
        data = rsp[:-2]
        i = data.index(0x84)
        aid = data[i + 2:i + 2 + data[i + 1]]
        out.append(aid[6:10].hex())
        p2 = 0x02


async def selectable(reader: PcscReader, aid: str) -> bool:
    raw = bytes.fromhex(aid)
    rsp = await reader.transmit(bytes([0x00, 0xA4, 0x04, 0x00, len(raw)]) + raw + b"\x00")
    return rsp[-2:] == b"\x90\x00"


async def store_apps(fdsm: Fdsm, states: str) -> dict[str, tuple[str, str, list[str]]]:
    """M --store-apps [all]: GET apps?states=..., then queryApps: GET apps/{id} (name,
    organization.name) and GET apps/{id}/services for each."""
    out = {}
    for app_id in await fdsm.rpc(f"apps?states={states}"):
        doc = await fdsm.rpc(f"apps/{app_id}")
        services = await fdsm.rpc(f"apps/{app_id}/services")
        out[app_id] = (doc["name"]["en"], doc["organization"]["name"]["en"], services)
    return out


async def test_every_fdsm_command(backend: Backend, vpcd_card: Any) -> None:
    dev_id, dev_key = new_sp(backend, "fdsm developer")   # a name only, a plain string
    hidden_id, _ = new_sp(backend, {"en": "Work in progress"}, state="development")
    fdsm = Fdsm(backend.url, (dev_id, dev_key))
    card = VirtualCard.create(None)
    vpcd_card(card, reinsert_after=None)
    reader = PcscReader(READER)
    try:
        ident = await identify(reader)
        cin, batch = ident.cin_hex.upper(), int(ident.batch_id or 0)
        transmit = reader.transmit

        # --card-info on a card the backend never saw (M: DEVICES_URL with the CIN and
        # the batch id as a decimal; reads iin, capabilities.platformVersion/osTypeVersion)
        device = await fdsm.rpc(f"devices/{cin}?batchId={batch}")
        assert bytes.fromhex(device["iin"])
        assert isinstance(device["description"]["capabilities"]["platformVersion"], int)
        assert "osTypeVersion" in device["description"]["capabilities"]

        # --store-apps and --store-apps all (M: "?states=published" / all three)
        published = await store_apps(fdsm, "published")
        assert {SECRET, HELLO, dev_id} <= set(published) and hidden_id not in published
        assert published[dev_id][:2] == ("fdsm developer", "fdsm developer")
        assert published[SECRET][1] == "Demo Secrets Ltd"
        every = await store_apps(fdsm, "published,demo,development")
        assert every[hidden_id][:2] == ("Work in progress", "Work in progress")

        # --card-apps on a fresh card: no SP security domain yet
        assert await list_apps_on_card(reader) == []

        # --run of every demo service, with the developer's own credentials (any SP's
        # credentials act as a touch point: SDS deliver)
        before = card_snapshot(card)
        runs = [(SECRET, "install", {"nickname": "fdsm"}), (SECRET, "rotate-key", {}),
                (SECRET, "suspend", {}), (SECRET, "unsuspend", {}),
                (SECRET, "desfire-create", {}), (SECRET, "desfire-delete", {})]
        for app_id, service, fields in runs:
            result = await fdsm.run(transmit, cin, batch, app_id, service, fields)
            assert result.success, (service, result.message)
        # --card-apps now lists the Secret Application, with name and vendor
        assert await list_apps_on_card(reader) == [SECRET]
        listed = await store_apps(fdsm, "published")
        assert "install" in listed[SECRET][2]
        result = await fdsm.run(transmit, cin, batch, SECRET, "uninstall")
        assert result.success, result.message
        for service in ("install", "ping", "uninstall"):
            result = await fdsm.run(transmit, cin, batch, HELLO, service)
            assert result.success, (service, result.message)
        assert card_snapshot(card) == before

        # --upload file.cap (AuthenticatedFidesmoApiClient.upload and its headers)
        pkg = f"A00000061700{dev_id}01".upper()
        cap = build_cap(bytes.fromhex(pkg), [bytes.fromhex(pkg + "01")],
                        package_name="com.example.fdsm")
        await fdsm.upload(cap, "3.0.4", "2.1.1", "JCOP 2.4.2r1")
        # --list-applets (M: elfAid, id, javaCardVersion?, metadata.gp-version / otv-version)
        applets = await fdsm.rpc(f"apps/{dev_id}/capfiles")
        assert [(a["id"], a["elfAid"].upper(), a["metadata"]) for a in applets] == [
            (lfdbh(cap), pkg, {"jc-version": "3.0.4", "gp-version": "2.2",
                               "otv-version": "JCOP 2.4.2r1"})]

        # --upload ping.json: a recipe named after the file
        ping = {"description": {"title": "Ping"}, "actions": [
            {"endpoint": "/transceive", "content": {"commands": ["00A4040000"]}}]}
        await fdsm.put(f"apps/{dev_id}/services/ping/recipe", ping)
        # --list-recipes
        assert await fdsm.rpc(f"apps/{dev_id}/recipe-services") == ["ping"]
        result = await fdsm.run(transmit, cin, batch, dev_id, "ping")
        assert result.success, result.message

        # --install file.cap (M: GET capfiles, upload only if its LFDBH is not listed,
        # then RG makeInstallRecipe run through FC deliverRecipe)
        present = any(a["id"] == lfdbh(cap) for a in await fdsm.rpc(f"apps/{dev_id}/capfiles"))
        assert present
        instance = pkg + "01"
        result = await fdsm.deliver_recipe(transmit, cin, batch,
                                           install_recipe(lfdbh(cap), instance))
        assert result.success, result.message
        assert await selectable(reader, instance)
        # --store-data and --secure-apdu, with --applet
        result = await fdsm.deliver_recipe(transmit, cin, batch,
                                           store_data_recipe(instance, ["0101020304"]))
        assert result.success, result.message
        # --secure-apdu --applet <the app's security domain>: the backend opens the secure
        # channel to the AID named (an applet would have to relay it to its domain)
        ssd = f"A00000061701{dev_id}".upper()
        result = await fdsm.deliver_recipe(transmit, cin, batch,
                                           secure_transceive_recipe(ssd, ["80CA00E000"]))
        assert result.success, result.message
        # --uninstall file.cap (RG makeDeleteRecipe with the package AID)
        result = await fdsm.deliver_recipe(transmit, cin, batch, delete_recipe(pkg))
        assert result.success, result.message
        assert not await selectable(reader, instance)
        # as before, but for the app's security domain the install created (it is the
        # SP's, and stays: makeDeleteRecipe deletes the package with its instances)
        assert [e for e in card_snapshot(card) if e not in before] == [("app", ssd, "15")] \
            or [e[:2] for e in card_snapshot(card) if e not in before] == [("app", ssd)]

        # the temporary recipes are gone (deleted = SQL NULL, or the row goes)
        assert await fdsm.rpc(f"apps/{dev_id}/recipe-services") == ["ping"]
        assert await fdsm.rpc(f"apps/{dev_id}/services") == ["ping"]

        # --delete ping (a recipe name): gone, and a second delete is 404
        await fdsm.delete(f"apps/{dev_id}/services/ping/recipe")
        with pytest.raises(ApiError) as err:
            await fdsm.delete(f"apps/{dev_id}/services/ping/recipe")
        assert err.value.status == 404
        assert await fdsm.rpc(f"apps/{dev_id}/recipe-services") == []
        assert await fdsm.rpc(f"apps/{dev_id}/services") == []

        # --delete-applet <sha256>
        await fdsm.delete(f"apps/{dev_id}/capfiles/{lfdbh(cap)}")
        assert await fdsm.rpc(f"apps/{dev_id}/capfiles") == []
        # --flush-applets: GET capfiles, DELETE each
        for i in (2, 3):
            other = build_cap(bytes.fromhex(pkg[:-2] + f"0{i}"),
                              [bytes.fromhex(pkg[:-2] + f"0{i}01")])
            await fdsm.upload(other, "3.0.4")
        flushed = await fdsm.rpc(f"apps/{dev_id}/capfiles")
        assert len(flushed) == 2 and all(a["metadata"] == {"jc-version": "3.0.4"}
                                         for a in flushed)
        for entry in flushed:
            await fdsm.delete(f"apps/{dev_id}/capfiles/{entry['id']}")
        assert await fdsm.rpc(f"apps/{dev_id}/capfiles") == []

        # --cleanup twice: UUID-named recipes go, others stay; the second finds none
        left = "0b0c1d2e-3f40-4152-8364-758697a8b9ca"
        await fdsm.put(f"apps/{dev_id}/services/{left}/recipe", ping)
        await fdsm.put(f"apps/{dev_id}/services/keep/recipe", ping)
        for expected_removed in (1, 0):
            removed = 0
            for name in await fdsm.rpc(f"apps/{dev_id}/recipe-services"):
                if len(name) == 36 and name.count("-") == 4:
                    await fdsm.delete(f"apps/{dev_id}/services/{name}/recipe")
                    removed += 1
            assert removed == expected_removed
        assert await fdsm.rpc(f"apps/{dev_id}/recipe-services") == ["keep"]
    finally:
        await fdsm.close()
        await reader.close()


def shaped_caps(app_id: str) -> list[tuple[str, bytes, list[str]]]:
    """CAP files shaped like real ones: (name, bytes, applet AIDs to install).

    A library package (Export component, no applets) and a CAP importing it; a CAP of
    over 20 KB with Descriptor and Debug components; a CAP with two applets; and one
    whose applet has a standard's AID (NDEF-like), outside the Fidesmo namespace."""
    base = f"A00000061700{app_id}".upper()
    lib = bytes.fromhex(base + "10")
    user = bytes.fromhex(base + "11")
    big = bytes.fromhex(base + "12")
    two = bytes.fromhex(base + "13")
    ndef = bytes.fromhex("D2760000850100")
    return [
        ("library", build_cap(lib, [], package_name="com.example.lib", export=True), []),
        ("importer", build_cap(user, [user + b"\x01"], package_name="com.example.user",
                               imports=[(lib, (1, 0))]), [(user + b"\x01").hex().upper()]),
        ("big", build_cap(big, [big + b"\x01"], package_name="com.example.big",
                          code_size=21_000, debug_size=4_000),
         [(big + b"\x01").hex().upper()]),
        ("two-applets", build_cap(two, [two + b"\x01", two + b"\x02"],
                                  package_name="com.example.two"),
         [(two + b"\x01").hex().upper(), (two + b"\x02").hex().upper()]),
        ("ndef-like", build_cap(ndef, [bytes.fromhex("D2760000850101")],
                                package_name="com.example.ndef"), ["D2760000850101"]),
    ]


async def test_generated_recipes_install_real_shaped_caps(backend: Backend,
                                                          vpcd_card: Any) -> None:
    """fdsm --install / --uninstall (M, RG makeInstallRecipe / makeDeleteRecipe, FC
    deliverRecipe) for each shape: upload, install, listed on the card, uninstall in
    reverse order, and the card is as before (but for the app's security domain)."""
    dev_id, dev_key = new_sp(backend, "cap shapes")
    fdsm = Fdsm(backend.url, (dev_id, dev_key))
    card = VirtualCard.create(None)
    vpcd_card(card, reinsert_after=None)
    reader = PcscReader(READER)
    caps = shaped_caps(dev_id)
    assert len(load_file_data_block(caps[2][1])) > 20_000  # the load, not the zip
    try:
        ident = await identify(reader)
        cin, batch = ident.cin_hex.upper(), int(ident.batch_id or 0)
        before = card_snapshot(card)
        installed = []
        for name, cap, applets in caps:
            listed = {a["id"] for a in await fdsm.rpc(f"apps/{dev_id}/capfiles")}
            if lfdbh(cap) not in listed:
                await fdsm.upload(cap, "3.0.4", "2.2")
            if not applets:  # a library: fdsm --install needs an applet, so an SP loads
                # it with an uploaded recipe (--upload lib.json), shaped like RG's
                recipe = {"description": {"title": f"Load library {name}"}, "actions": [
                    {"endpoint": "/ccm/load", "content": {"id": lfdbh(cap),
                                                          "searchBy": "lfdbh"}}]}
                result = await fdsm.deliver_recipe(reader.transmit, cin, batch, recipe)
                assert result.success, (name, result.message)
            for applet in applets:  # --install x.cap --applet A (two applets need it)
                result = await fdsm.deliver_recipe(reader.transmit, cin, batch,
                                                   install_recipe(lfdbh(cap), applet))
                assert result.success, (name, result.message)
                assert await selectable(reader, applet), name
            installed.append((name, cap, applets))
        elfs = {e[1] for e in card_snapshot(card) if e[0] == "elf"}
        for name, cap, applets in reversed(installed):
            pkg = load_pkg_aid(cap)
            assert pkg in elfs, name
            result = await fdsm.deliver_recipe(reader.transmit, cin, batch, delete_recipe(pkg))
            assert result.success, (name, result.message)
            for applet in applets:
                assert not await selectable(reader, applet), name
        ssd = f"A00000061701{dev_id}".upper()
        assert [e[:2] for e in card_snapshot(card) if e not in before] == [("app", ssd)]
        assert [e for e in before if e not in card_snapshot(card)] == []
    finally:
        await fdsm.close()
        await reader.close()


def load_pkg_aid(cap: bytes) -> str:
    """The package AID from the Header component (offset: magic 4, versions 2, flags 1,
    package version 2, AID length 1)."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(cap)) as zf:
        header = next(zf.read(n) for n in zf.namelist() if n.endswith("Header.cap"))
    info = header[3:]
    n = info[9]
    return info[10:10 + n].hex().upper()


async def test_refusals_where_written_and_isolation(backend: Backend) -> None:
    """Namespace refused at recipe upload and at the SP's operation request (400 naming
    the field), bad CAP version headers refused, nothing stored changes; another SP's
    credentials run as a touch point but never reach the SP operation API."""
    a_id, a_key = new_sp(backend, "namespace owner")
    b_id, b_key = new_sp(backend, {"en": "another SP"})
    a = Fdsm(backend.url, (a_id, a_key))
    b = Fdsm(backend.url, (b_id, b_key))
    try:
        pkg = f"A00000061700{a_id}01".upper()
        cap = build_cap(bytes.fromhex(pkg), [bytes.fromhex(pkg + "01")])
        await a.upload(cap, "3.0.4")
        before = backend.snapshot()
        foreign = f"A00000061700{b_id}0101".upper()  # B's namespace, not A's
        for recipe, field in [
            (install_recipe(lfdbh(cap), pkg + "01", instance=foreign),
             "actions.0.content.application"),
            (store_data_recipe("D2760001240102", ["01"]), "actions.0.content.application"),
            (secure_transceive_recipe(f"A00000061701{b_id}", ["80CA00E000"]),
             "actions.0.content.application"),
            ({"description": {"title": 5}}, "description.title"),
            ({"description": {"title": {"english!": "x"}}}, "description.title.english!"),
        ]:
            with pytest.raises(ApiError) as err:
                await a.put(f"apps/{a_id}/services/bad/recipe", recipe)
            assert err.value.status == 400, err.value.body
            assert httpx.Response(400, content=err.value.body).json()["field"] == field
        with pytest.raises(ApiError) as err:  # a version header that is not one
            a.http.headers["Global-Platform-Version"] = "2.2;drop table"
            await a.upload(cap, "3.0.4")
        assert err.value.status == 400 and "Global-Platform-Version" in err.value.body
        del a.http.headers["Global-Platform-Version"]
        assert backend.snapshot() == before

        # the SP operation API stays isolated: B reaches none of A's
        for call in (b.rpc(f"apps/{a_id}/capfiles"), b.rpc(f"apps/{a_id}/recipe-services"),
                     b.put(f"apps/{a_id}/services/x/recipe", delete_recipe(pkg)),
                     b.delete(f"apps/{a_id}/capfiles/{lfdbh(cap)}")):
            with pytest.raises(ApiError) as err:
                await call
            assert err.value.status == 403
        # ... while the touch point API answers B as any touch point
        assert a_id in await b.rpc("apps?states=published")
        assert (await b.rpc(f"apps/{a_id}"))["organization"]["name"] == {
            "en": "namespace owner"}
        assert backend.snapshot() == before
    finally:
        await a.close()
        await b.close()


async def test_sp_operation_request_outside_the_namespace(backend: Backend) -> None:
    """An SP's /ccm/install naming an instance outside its namespace: 400 naming
    `application` when the SP writes it (was 403 at service/deliver)."""
    demo = backend.demo
    with httpx.Client(base_url=backend.url, timeout=30) as c:
        resp = c.post("/v3/service/deliver", headers=backend.device(), json={
            "appId": SECRET, "serviceId": "install", "fields": {"nickname": "n"},
            "cardId": {"iin": "99990100", "cin": "0A0B0C0D0E0F10", "platformVersion": 3}})
        assert resp.status_code == 200, resp.text
        session = resp.json()["sessionId"]
        resp = c.put("/ccm/install", auth=httpx.BasicAuth(SECRET, demo.app_key or ""),
                     headers={"sessionId": session}, json={
                         "executableLoadFile": "A0000006170073656372",
                         "executableModule": "A000000617007365637201",
                         "application": "A0000006170068656C6F01"})
        assert resp.status_code == 400, resp.text
        assert resp.json()["field"] == "application"
        c.post("/v3/service/error", headers=backend.device(),
               json={"sessionId": session, "message": "test over", "fatal": True})
