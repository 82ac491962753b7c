"""DESFire EV1: published vectors, authentication, secure messaging and scripts."""

from __future__ import annotations

import contextlib
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend_stub.compiler import desfire as df
from backend_stub.compiler.crypto import BlockCipher
from backend_stub.compiler.desfire import (
    DesfireAuth,
    DesfireError,
    DesfireKey,
    DesfireSession,
    crc32,
)
from backend_stub.compiler.script import (
    Element,
    ScriptError,
    desfire_create_app,
    desfire_delete_app,
    desfire_transceive,
    load_script,
)
from tests.unit.compiler.fakecard import DesfireCard, run

h = bytes.fromhex
AID = h("F0A101")


def via_json(script):
    return load_script(json.loads(json.dumps(script.dump())))


# --- published vectors (gp-apdu.md 3.4) ---

def test_cmac_chain_vector() -> None:
    # Elmue "DESFire EV1 Communication Examples" via gp-apdu.md 3.4(a): session key 90F7A2..,
    # CMAC(IV 0, 64 00) then the answer 10 + status 00 with IV = that CMAC.
    s = DesfireSession("AES", h("90F7A20191036845EC63DECD544B9931"), 0)
    assert s.wrap(h("6400"), "plain") == h("6400")  # plain: CMAC computed, not sent
    assert s.iv == h("257FC538618A944A3A20967B6F314348")
    assert s.unwrap(0x64, h("10") + h("8A8FA36F55CD210D"), 0, "plain") == h("10")
    assert s.iv == h("8A8FA36F55CD210DD8054658AC70D99A")


def test_cmac_chain_vector_rejects_wrong_mac() -> None:
    # Same vector (gp-apdu.md 3.4(a)) with one MAC bit flipped.
    s = DesfireSession("AES", h("90F7A20191036845EC63DECD544B9931"), 0)
    s.wrap(h("6400"), "plain")
    with pytest.raises(DesfireError, match="CMAC"):
        s.unwrap(0x64, h("10") + h("8A8FA36F55CD210C"), 0, "plain")


def test_cmac_subkeys_vector() -> None:
    # NIST SP 800-38B AES-128 example via libfreefare test_mifare_desfire_aes.c, gp-apdu.md 3.4(b)
    c = BlockCipher(h("2b7e151628aed2a6abf7158809cf4f3c"), True)
    k1, k2 = c.subkeys()
    assert k1 == h("fbeed618357133667c85e08f7236a8de")
    assert k2 == h("f7ddac306ae266ccf90bc11ee46d513b")
    assert c.cmac(b"") == h("bb1d6929e95937287fa37d129b756746")


def test_crc32_vector() -> None:
    # proxmark3 desfiretest.c TestCRC32 via gp-apdu.md 3.4(c): 04440F32763180 + status 00
    assert crc32(h("04440F32763180") + h("00")) == h("99CE1AD4")


def test_create_application_example() -> None:
    # StackOverflow q.12926402 example via gp-apdu.md 3.2: 90 CA 00 00 05 414141 0F 0E 00
    native = df.create_application(h("414141"), 0x0F, 14, "DES")
    assert df.wrap_native(native) == h("90CA000005414141" "0F0E00")


def test_session_keys() -> None:
    # Session key layouts of libfreefare mifare_desfire_session_key_new (gp-apdu.md 3.3)
    a, b = bytes(range(16)), bytes(range(0x10, 0x20))
    assert df.session_key(DesfireKey.default("AES"), a, b) == h(
        "00010203" "10111213" "0C0D0E0F" "1C1D1E1F")
    assert df.session_key(DesfireKey.default("3K3DES"), a, b) == h(
        "00010203" "10111213" "06070809" "16171819" "0C0D0E0F" "1C1D1E1F")
    assert df.session_key(DesfireKey.default("2K3DES"), a[:8], b[:8]) == h(
        "00010203" "10111213" "04050607" "14151617")
    assert df.session_key(DesfireKey.default("DES"), a[:8], b[:8]) == h("0001020310111213")


# --- host authentication state machine against the card counterpart ---

KEYS = [
    DesfireKey("AES", bytes(range(16))),
    DesfireKey("3K3DES", bytes(range(24))),
    DesfireKey("2K3DES", bytes(range(16))),
    DesfireKey("DES", bytes(8)),
    DesfireKey("DES", bytes(8), legacy=True),
    DesfireKey("2K3DES", bytes(range(16)), legacy=True),
]


@pytest.mark.parametrize("key", KEYS, ids=lambda k: k.key_type + ("-legacy" if k.legacy else ""))
def test_authentication(key: DesfireKey) -> None:
    card = DesfireCard(key)
    auth = DesfireAuth(key, 0)
    ans = card.process(df.wrap_native(auth.command()))
    assert ans[-2:] == h("91AF") and len(ans) == 2 + key.rnd_len
    assert df.wrap_native(auth.command())[1] == {"AES": 0xAA}.get(
        key.key_type, 0x0A if key.legacy else 0x1A)
    ans = card.process(df.wrap_native(auth.answer_challenge(ans[:-2])))
    assert ans[-2:] == h("9100")
    session = auth.finish(ans[:-2])
    assert card.session is not None
    assert card.session["cipher"].key[: len(session.key)] == session.key
    if not key.legacy:  # the running IV now agrees on both sides: GetKeyVersion with CMAC
        ans = card.process(df.wrap_native(session.wrap(h("6400"), "plain")))
        assert session.unwrap(0x64, ans[:-2], ans[-1], "plain") == h("00")


def test_authentication_detects_wrong_card_answer() -> None:
    key = KEYS[0]
    card = DesfireCard(key)
    auth = DesfireAuth(key, 0)
    ans = card.process(df.wrap_native(auth.command()))
    card.process(df.wrap_native(auth.answer_challenge(ans[:-2])))
    with pytest.raises(DesfireError, match="RndA"):
        auth.finish(bytes(16))
    with pytest.raises(DesfireError):
        DesfireAuth(key, 0).answer_challenge(bytes(5))


# --- scripts ---

PICC_AES = DesfireKey("AES", bytes(16))


@pytest.mark.parametrize("picc", [PICC_AES, DesfireKey("DES", bytes(8), legacy=True),
                                  DesfireKey("DES", bytes(8)), DesfireKey("3K3DES", bytes(24))],
                         ids=["aes", "des-legacy", "des-iso", "3k3des"])
@pytest.mark.parametrize("key_type", ["AES", "3K3DES", "DES"])
@pytest.mark.parametrize("persist", [False, True])
def test_create_app_with_keys(picc: DesfireKey, key_type: str, persist: bool) -> None:
    card = DesfireCard(picc)
    n = df.KEY_LENGTHS[key_type]
    app_keys = [bytes([i + 1]) * n for i in range(3)]
    script = desfire_create_app(aid=AID, key_settings=0x0B, n_keys=3, key_type=key_type,
                                picc_key=picc, app_keys=app_keys)
    assert script.adds == [Element("desfire-app", "F0A101")]
    script, _log = run(script, card, restore=via_json if persist else None)
    assert script.done
    app = card.apps[AID]
    assert [k.key for k in app["keys"]] == [DesfireKey(key_type, k).key for k in app_keys]
    assert app["settings"] == 0x0B
    assert [n[0] for n in card.log[:4]] == [0x5A, picc.auth_ins, 0xAF, 0xCA]


def test_create_app_change_key_same_key_setting() -> None:
    # Key settings E0: each key changes itself, so one authentication per key.
    card = DesfireCard(PICC_AES)
    keys = [bytes([9]) * 16, bytes([8]) * 16]
    run(desfire_create_app(aid=AID, key_settings=0xEB, n_keys=2, key_type="AES",
                           picc_key=PICC_AES, app_keys=keys), card)
    assert [k.key for k in card.apps[AID]["keys"]] == keys
    assert sum(1 for n in card.log if n[0] == 0xAA) == 3


def test_create_app_duplicate_is_417() -> None:
    card = DesfireCard(PICC_AES)
    run(desfire_create_app(aid=AID, key_settings=0x0F, n_keys=1, key_type="AES",
                           picc_key=PICC_AES), card)
    with pytest.raises(ScriptError, match="91DE") as err:
        run(desfire_create_app(aid=AID, key_settings=0x0F, n_keys=1, key_type="AES",
                               picc_key=PICC_AES), card)
    assert err.value.status == 417


def test_wrong_picc_key_is_417() -> None:
    card = DesfireCard(PICC_AES)
    with pytest.raises(ScriptError, match="91AE") as err:
        run(desfire_create_app(aid=AID, key_settings=0x0F, n_keys=1, key_type="AES",
                               picc_key=DesfireKey("AES", b"\x01" * 16)), card)
    assert err.value.status == 417


def test_delete_app() -> None:
    card = DesfireCard(PICC_AES)
    run(desfire_create_app(aid=AID, key_settings=0x0F, n_keys=1, key_type="AES",
                           picc_key=PICC_AES), card)
    script = desfire_delete_app(aid=AID, picc_key=PICC_AES)
    assert script.removes == [Element("desfire-app", "F0A101")]
    run(script, card)
    assert AID not in card.apps


def _app_with_file(comm: int, key_type: str = "AES") -> tuple[DesfireCard, DesfireKey]:
    picc = PICC_AES
    card = DesfireCard(picc)
    key = DesfireKey(key_type, b"\x42" * df.KEY_LENGTHS[key_type])
    run(desfire_create_app(aid=AID, key_settings=0x0F, n_keys=1, key_type=key_type,
                           picc_key=picc, app_keys=[key.key]), card)
    run(desfire_transceive(aid=AID, key_no=0, key=key,
                           commands=[df.create_std_data_file(1, comm, 0x0000, 256)],
                           communication="plain"), card)
    return card, key


@pytest.mark.parametrize(("comm", "mode"), [(0, "plain"), (1, "mac"), (3, "enc")])
@pytest.mark.parametrize("key_type", ["AES", "3K3DES", "DES"])
@pytest.mark.parametrize("persist", [False, True])
def test_write_and_read(comm: int, mode: str, key_type: str, persist: bool) -> None:
    card, key = _app_with_file(comm, key_type)
    payload = bytes(range(120))  # long enough for AF frames both ways
    script = desfire_transceive(aid=AID, key_no=0, key=key, communication=mode, commands=[
        df.write_data(1, 10, payload), df.read_data(1, 10, len(payload)), df.get_application_ids(),
    ])
    script, log = run(script, card, restore=via_json if persist else None)
    assert bytes(card.apps[AID]["files"][1]["data"][10:130]) == payload
    write, read, ids = script.result()["responses"]
    assert write == "9100"
    assert read == (payload + h("9100")).hex().upper()
    assert ids == "01A1F09100"
    assert any(len(batch) > 1 for batch in log)  # the write went out in several frames
    if mode == "enc":
        wire = b"".join(c for c in (card.log[-3],))
        assert payload[:16] not in wire


def test_transceive_rejects_bad_input() -> None:
    key = DesfireKey("AES", bytes(16))
    for kwargs in ({"aid": h("01")}, {"communication": "secret"}, {"key_no": 14},
                   {"commands": []}, {"key": DesfireKey("DES", bytes(8), legacy=True),
                                      "communication": "mac"}):
        args = {"aid": AID, "key_no": 0, "key": key, "commands": [h("6A")],
                "communication": "plain"} | kwargs
        with pytest.raises(ScriptError) as err:
            desfire_transceive(**args)
        assert err.value.status == 400
    with pytest.raises(ScriptError):
        desfire_create_app(aid=h("000000"), key_settings=0x0F, n_keys=1, key_type="AES",
                           picc_key=key)
    with pytest.raises(ScriptError):
        desfire_create_app(aid=AID, key_settings=0x0F, n_keys=1, key_type="AES", picc_key=key,
                           app_keys=[bytes(16), bytes(16)])
    with pytest.raises(ScriptError):
        desfire_create_app(aid=AID, key_settings=0x0F, n_keys=15, key_type="AES", picc_key=key)
    with pytest.raises(ScriptError):
        desfire_create_app(aid=AID, key_settings=0xFF, n_keys=2, key_type="AES", picc_key=key,
                           app_keys=[bytes(16), bytes(16)])
    with pytest.raises(ScriptError):
        desfire_create_app(aid=AID, key_settings=0x0F, n_keys=1, key_type="AES", picc_key=key,
                           app_keys=[bytes(8)])


def test_keys_validate() -> None:
    with pytest.raises(DesfireError):
        DesfireKey("AES", bytes(8))
    with pytest.raises(DesfireError):
        DesfireKey("RSA", bytes(8))
    with pytest.raises(DesfireError):
        DesfireKey("AES", bytes(16), legacy=True)
    assert DesfireKey("DES", bytes(16)).key == bytes(8)


@given(st.binary(max_size=80), st.integers(0, 255), st.sampled_from(["plain", "mac", "enc"]),
       st.sampled_from([0xBD, 0x6A, 0x3D]))
def test_answer_parsers_only_desfire_error(data: bytes, status: int, mode: str,
                                           cmd: int) -> None:
    s = DesfireSession("AES", bytes(16), 0)
    with contextlib.suppress(DesfireError):
        s.unwrap(cmd, data, status, mode)
    with contextlib.suppress(DesfireError):
        df.split_answer(data)
    with contextlib.suppress(DesfireError):
        df.parse_application_ids(data)
    auth = DesfireAuth(DesfireKey("AES", bytes(16)), 0)
    try:
        auth.answer_challenge(data)
        auth.finish(data)
    except DesfireError:
        pass
