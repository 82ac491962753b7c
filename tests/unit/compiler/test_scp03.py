"""SCP03 host side against published vectors (gp-apdu.md section 2.6)."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend_stub.compiler.channel import (
    InitUpdateResponse,
    SecureChannelError,
    channel_from_dict,
    initialize_update,
    open_channel,
)
from backend_stub.compiler.keys import CardKeys, StaticKeys
from backend_stub.compiler.scp03 import (
    Scp03Channel,
    card_cryptogram,
    kdf,
    pseudo_random_challenge,
    session_keys,
)

h = bytes.fromhex

K128 = (h("000102030405060708090a0b0c0d0e0f"), h("101112131415161718191a1b1c1d1e1f"),
        h("202122232425262728292a2b2c2d2e2f"))
K192 = (h("000102030405060708090a0b0c0d0e0f0001020304050607"),
        h("101112131415161718191a1b1c1d1e1f1011121314151617"),
        h("202122232425262728292a2b2c2d2e2f2021222324252627"))
K256 = (h("000102030405060708090a0b0c0d0e0f000102030405060708090a0b0c0d0e0f"),
        h("101112131415161718191a1b1c1d1e1f101112131415161718191a1b1c1d1e1f"),
        h("202122232425262728292a2b2c2d2e2f202122232425262728292a2b2c2d2e2f"))

GET_EID = h("80E2910006BF3E035C015A00")
GET_EID_PLAIN_RSP = h("bf3e125a1089882119900000000000000000000005")
CASES = [h("80F22002"), h("80ca006600"), h("80F220020a4f0212345c054f9f70c5"),
         h("80f28002024f0000")]

# pySim tests/unittests/test_globalplatform.py SCP03_Test_AES{128,192,256}_{11,03,33},
# via gp-apdu.md 2.6A (level 11/03/33 AES-128 quoted there; the same file's other sets too).
PYSIM = {
    "AES128_11": (K128, "8050300008b13e5f938fc108c400",
                  "000000000000000000003003703eb51047495b249f66c484c1d2ef1948000002",
                  "84821100107d5f5826a993ebc89eea24957fa0b3ce",
                  "84e291000ebf3e035c015a558d036518a2829700",
                  "bf3e125a1089882119900000000000000000000005971be68992dbbdfa",
                  ["84f220020863a63f8959827fb2", "84ca006608a0c6a4a74166f7ce00",
                   "84f22002124f0212345c054f9f70c52249b50272656536",
                   "84f280020a4f00e91443f6dce6b8ed00"]),
    "AES128_03": (K128, "80503000088e1552d0513c60f300",
                  "0000000000000000000030037030760cd2c47c1dd395065fe5ead8a9d7000001",
                  "8482030010fd4721a14d9b07003c451d2f8ae6bb21",
                  "84e2910018ca9c00f6713d79bc8baa642bdff51c3f6a4082d3bd9ad26c00",
                  "bf3e125a1089882119900000000000000000000005",
                  ["84f2200208c9811b11f1264cf1", "84ca006608e10ab60b3054798800",
                   "84f22002184e2908bdb48b2315a55482e9e936ca122d6ecfae7d17416e",
                   "84f28002180dd10a6b6193e5340b9e77d32d5a179cd710ac2773aefb2800"]),
    "AES128_33": (K128, "8050300008fdf38259a1e0de4400",
                  "000000000000000000003003703b1aca81e821f219081cdc01c26b372d000003",
                  "84823300108c36f96bcc00724a4e13ad591d7da3f0",
                  "84e2910018267a85dfe4a98fca6fb0527e0dfecce4914e40401433c87f00",
                  "f3ba2b1013aa6224f5e1c138d71805c569e5439b47576260b75fc021b25097cb2e68f8a0144975b9",
                  ["84f2200208ac6a59024bed84cc", "84ca006608409912ad8fb7aed000",
                   "84f22002185f3dafc3ac14c381536a488bf44e06d056df9d74dbd21e5a",
                   "84f280021865165105be3373347d0424d4400af2ac393f569ec779389e00"]),
    "AES192_11": (K192, "80503100087396430b768b085b00",
                  "000000000000000000003103708cfc23522ffdbf1e5df5542cac8fd866000003",
                  "84821100102145ed30b146f5db252fb7e624cec244",
                  "84e291000ebf3e035c015aff42cf801d14394400",
                  "bf3e125a1089882119900000000000000000000005162fbd33e04940a9",
                  ["84f22002084584e4f6784811ee", "84ca006608937776ebe190fa3000",
                   "84f22002124f0212345c054f9f70c59a52bddf3040368c",
                   "84f280020a4f009804b11411f7393d00"]),
    "AES256_33": (K256, "805032000897b2055fe58599fd00",
                  "00000000000000000000320370a8439a22cedf045fa9f1903b2834f26e000002",
                  "8482330010508a0fd959d2e547c6b33154a6be2057",
                  "84e29100187a5ef717eaf1e135ae92fe54429d0e465decda65f5fe5aea00",
                  "ea90dbfa648a67c5eb6abc57f8530b97d0cd5647c5e8732016b55203b078dd2ace7f8bc5d1c1cd99",
                  ["84f2200208bcc5c17275545d93", "84ca00660804806aba9d543bb600",
                   "84f2200218717222491556ec81a45f49ce48be33320024801a1c4cb0e0",
                   "84f2800218561f105bccd3a1642904b251ccc1228beb80a82370a8637000"]),
}


def _open(name: str) -> tuple[Scp03Channel, tuple]:
    keys, iu_cmd, iu_rsp, ea, *_ = vec = PYSIM[name]
    iu_cmd_b = h(iu_cmd)
    ch = open_channel(CardKeys(*keys, kvn=iu_cmd_b[2]), iu_cmd_b[5:13], h(iu_rsp), h(ea)[2])
    assert isinstance(ch, Scp03Channel)
    return ch, vec


@pytest.mark.parametrize("name", sorted(PYSIM))
def test_pysim_session(name: str) -> None:
    # pySim tests/unittests/test_globalplatform.py SCP03_Test_<name>, via gp-apdu.md 2.6A
    ch, (_keys, iu_cmd, _rsp, ea, eid_cmd, eid_rsp, cases) = _open(name)
    assert initialize_update(h(iu_cmd)[2], h(iu_cmd)[5:13]) == h(iu_cmd)
    assert ch.external_authenticate() == h(ea)
    assert ch.wrap(GET_EID) == h(eid_cmd)
    assert ch.unwrap(h(eid_rsp) + b"\x90\x00") == GET_EID_PLAIN_RSP + b"\x90\x00"
    # Case 1-4 MAC vectors follow in the same session (MAC chaining continues).
    for plain, wrapped in zip(CASES, cases, strict=True):
        assert ch.wrap(plain) == h(wrapped)


def test_pysim_level11_session_keys() -> None:
    # pySim SCP03_Test_AES128_11; session keys as computed in gp-apdu.md 2.6A
    ch, _ = _open("AES128_11")
    assert ch.keys.enc == h("c4e87149f2114da66bb015a567d751f9")
    assert ch.keys.mac == h("8b2635556e987a6b84f43d9ffc197d3f")
    assert ch.keys.rmac == h("3f6b2ce3b3abd9a99bd4453afa54cc7b")


def test_pysim_level11_rmac_carried() -> None:
    # pySim SCP03_Test_AES128_11: the GET EID answer carries R-MAC 971be68992dbbdfa
    # (gp-apdu.md 2.6A)
    ch, vec = _open("AES128_11")
    ch.external_authenticate()
    ch.wrap(GET_EID)
    tampered = bytearray(h(vec[5]) + b"\x90\x00")
    tampered[-3] ^= 0x01
    with pytest.raises(SecureChannelError, match="R-MAC"):
        ch.unwrap(bytes(tampered))


def test_pysim_level33_rejects_tampered_ciphertext() -> None:
    # pySim SCP03_Test_AES128_33 (gp-apdu.md 2.6A): a flipped ciphertext bit fails the R-MAC first
    ch, vec = _open("AES128_33")
    ch.external_authenticate()
    ch.wrap(GET_EID)
    tampered = bytearray(h(vec[5]) + b"\x90\x00")
    tampered[0] ^= 0x80
    with pytest.raises(SecureChannelError):
        ch.unwrap(bytes(tampered))


def test_error_status_words_come_back_bare() -> None:
    # Amendment D 6.2.5: only 9000/62xx/63xx carry R-MAC; pySim AES128_33 session.
    ch, _ = _open("AES128_33")
    ch.external_authenticate()
    ch.wrap(GET_EID)
    assert ch.unwrap(b"\x6a\x88") == b"\x6a\x88"


def test_wrong_keys_card_cryptogram_mismatch() -> None:
    # pySim AES128_11 answer with a different ENC/MAC key set must not authenticate.
    keys, iu_cmd, iu_rsp, *_ = PYSIM["AES128_11"]
    bad = CardKeys(keys[1], keys[0], keys[2], kvn=0x30)
    with pytest.raises(SecureChannelError, match="card cryptogram mismatch"):
        open_channel(bad, h(iu_cmd)[5:13], h(iu_rsp), 0x11)


def test_level_needing_rmac_refused_without_i_support() -> None:
    # A card with i=00 (no R-MAC) cannot run level 33 (Amendment D table 5-1).
    static = StaticKeys(*K128, kvn=0x30)
    host, card = bytes(8), bytes(range(8))
    sk = session_keys(static, host, card)
    rsp = bytes(10) + b"\x30\x03\x00" + card + card_cryptogram(sk.mac, host, card)
    with pytest.raises(SecureChannelError, match="R-MAC"):
        open_channel(CardKeys(*K128, kvn=0x30), host, rsp, 0x33)
    ch = open_channel(CardKeys(*K128, kvn=0x30), host, rsp, None)
    assert ch.level == 0x03


# kaoh/globalplatform globalplatform/src/scp03Test.c mutual_auth / delete_application,
# via gp-apdu.md 2.6B (i=70).
KAOH = StaticKeys(h("F995D0A069335C7DF42E590317FFEA6D"), h("58563362EC5A4541ABCD32B34B1EAE7D"),
                  h("0A02A6D687406DCFA09DC70B3EDB7E38"))
KAOH_KEYS = CardKeys(KAOH.enc, KAOH.mac, KAOH.dek)


def test_kaoh_mutual_auth() -> None:
    # kaoh scp03Test.c mutual_auth, via gp-apdu.md 2.6B
    rsp = h("000000000000000000003003703C80C2CC87EB3A35E4EDBA35E629C33600001E")
    ch = open_channel(KAOH_KEYS, h("9BD6BF878FB8E991"), rsp, 0x03,
                      sd_aid=h("A000000151000000"), check_challenge=True)
    assert isinstance(ch, Scp03Channel)
    assert ch.keys.enc == h("D83EE38C9954C8078987A5E9EE6AB13C")
    assert ch.keys.mac == h("6FF37716E0413065E8DFD08BF1E9EC5E")
    assert ch.keys.rmac == h("0254C786E57ACA8982670C1C1A05FF12")
    assert ch.external_authenticate() == h("848203001023EBFEDC579D22CDCDB6A25A5FF7891F")


def test_kaoh_pseudo_random_challenge() -> None:
    # kaoh scp03Test.c: KDF(ENC, 02, 00001E || ISD AID, 64) = card challenge (gp-apdu.md 2.6B)
    assert pseudo_random_challenge(KAOH.enc, h("00001E"), h("A000000151000000")) == \
        h("3C80C2CC87EB3A35")


def test_kaoh_pseudo_random_challenge_mismatch_detected() -> None:
    # Same kaoh answer checked against a different SD AID must fail the challenge check.
    rsp = h("000000000000000000003003703C80C2CC87EB3A35E4EDBA35E629C33600001E")
    with pytest.raises(SecureChannelError, match="pseudo-random"):
        open_channel(KAOH_KEYS, h("9BD6BF878FB8E991"), rsp, 0x03,
                     sd_aid=h("A000000151000001"), check_challenge=True)


def test_kaoh_encrypted_delete() -> None:
    # kaoh scp03Test.c delete_application (gp-apdu.md 2.6B): host B2BDE1A2DC66BD56,
    # card challenge C40932A6FEFEAEB2, C-DEC+C-MAC DELETE with counter 1.
    host, card = h("B2BDE1A2DC66BD56"), h("C40932A6FEFEAEB2")
    sk = session_keys(KAOH, host, card)
    rsp = bytes(10) + b"\x30\x03\x70" + card + card_cryptogram(sk.mac, host, card) + h("00001F")
    ch = open_channel(KAOH_KEYS, host, rsp, 0x03)
    assert ch.external_authenticate() == h("848203001059D54D932423D29F6313C970875F8C2F")
    delete = h("80E40080") + bytes([10]) + h("4F08A00100015141434C")
    assert ch.wrap(delete) == h("84E40080" "18" "29F06AEC3180B3EFE91FF662310B945DE0D5FE66AD67A5B6")


def test_openjavacard_session_keys() -> None:
    # openjavacard SCP03DerivationTest testDeriveSCP03_000010, via gp-apdu.md 2.6C
    k = h("404142434445464748494A4B4C4D4E4F")
    sk = session_keys(StaticKeys(k, k, k), h("A7F76C713F0A713D"), h("31900058C1C451A2"))
    assert sk.enc == h("258a78866f41482bef482dc8ca976ccd")
    assert sk.mac == h("053db6abc7fdf3b63a0d965ee16b0255")
    assert sk.rmac == h("eda0b4f2ec0345bfc50f3bc59cfef936")


def test_gppro_session_keys() -> None:
    # GPPro TestPlaintextKeys testSessionKeys_SCP03 (gp-apdu.md 2.6D): context 00..09
    k = h("404142434445464748494A4B4C4D4E4F")
    ctx = h("00010203040506070809")
    assert kdf(k, 0x04, ctx, 128) == h("6C858E63BABC4028EDC67DC9FDBCB04A")
    assert kdf(k, 0x06, ctx, 128) == h("036C5E747D9500229B7C99D225506DDD")
    assert kdf(k, 0x07, ctx, 128) == h("AD97DA99A96DB51B765277D6E988B1D9")


def test_init_update_parse_rejects_wrong_lengths() -> None:
    good = h(PYSIM["AES128_11"][2])
    assert InitUpdateResponse.parse(good).sequence == h("000002")
    for bad in (good[:-1], good + b"\x00", b"", good[:12]):
        with pytest.raises(SecureChannelError):
            InitUpdateResponse.parse(bad)
    s16 = bytearray(good)
    s16[12] = 0x71
    with pytest.raises(SecureChannelError, match="S16"):
        InitUpdateResponse.parse(bytes(s16))


def test_channel_state_round_trip_continues_chain() -> None:
    # pySim AES128_33: dumping after GET EID and restoring gives the same case 1 APDU.
    ch, vec = _open("AES128_33")
    ch.external_authenticate()
    ch.wrap(GET_EID)
    restored = channel_from_dict(ch.to_dict())
    assert restored.unwrap(h(vec[5]) + b"\x90\x00") == GET_EID_PLAIN_RSP + b"\x90\x00"
    ch.unwrap(h(vec[5]) + b"\x90\x00")
    assert restored.wrap(CASES[0]) == ch.wrap(CASES[0]) == h(vec[6][0])


def test_put_key_component_aes() -> None:
    # AES key block layout (gp-apdu.md 1.3 PUT KEY): 88 len keylen cryptogram 03 KCV;
    # cryptogram = AES-CBC(static DEK, IV 0, key). KCV of 404142..4F is 504A77 (gp-apdu.md 1.1).
    ch, _ = _open("AES128_11")
    key = h("404142434445464748494A4B4C4D4E4F")
    comp = ch.key_component(key)
    assert comp[:3] == h("881110")
    assert comp[-4:] == h("03504A77")
    from backend_stub.compiler.crypto import aes_cbc_decrypt
    assert aes_cbc_decrypt(K128[2], bytes(16), comp[3:19]) == key


@given(st.binary(max_size=40))
def test_init_update_random_bytes_only_channel_error(raw: bytes) -> None:
    with contextlib.suppress(SecureChannelError):
        InitUpdateResponse.parse(raw)


@given(st.binary(max_size=60))
def test_unwrap_random_answers_only_channel_error(raw: bytes) -> None:
    # pySim AES128_33 session: any answer bytes either unwrap or raise SecureChannelError.
    ch, _ = _open("AES128_33")
    ch.external_authenticate()
    ch.wrap(GET_EID)
    with contextlib.suppress(SecureChannelError):
        ch.unwrap(raw)
