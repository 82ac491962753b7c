"""cardsim: a virtual GlobalPlatform Secure Element with a MIFARE DESFire EV1 chip.

An independent implementation of the card side (it imports nothing from the
backend), driven through `cardsim.card.VirtualCard.transmit`.

Decisions other components rely on:

- ISD `A000000151000000`, selected by default and by the empty SELECT. A new
  card also holds the security domain package `A0000001515350` (module
  `A000000151535041`, used to create SSDs) and the platform package
  `A0000006170200090001` with the platform applet `A00000061702000900010101`
  (system objects: never deleted or locked, DELETE answers 6985).
- The platform applet's SELECT answer is top-level `45 len CIN 42 03 batch`
  (no 6F wrapper), as fdsm reads it; other applets answer `6F { 84 AID }`.
- Key versions: 0x30 (SCP03) / 0x20 (SCP02); INITIALIZE UPDATE with KVN 00 uses
  the first key set. KDD = the CIN right-aligned in 10 bytes unless the profile
  fixes one.
- SCP03 i&0x10: the 3-byte sequence counter in the INITIALIZE UPDATE answer is
  the one used for the pseudo-random challenge, then it advances (persisted).
  SCP02: the counter of the answer is the session's; it advances after a
  successful EXTERNAL AUTHENTICATE (persisted). SCP02 has no R-MAC here.
- A new SSD starts with a copy of the ISD's static key sets (a simplification:
  real issuers put fresh keys); it can be opened on its own and changed with
  PUT KEY. An SSD without Authorized Management may not manage content.
- Objects loaded into an SSD, and instances of them, are associated with that
  SSD; everything else with the domain that installed it.
- INSTALL, LOAD (last block) and DELETE answer `00 9000`; intermediate LOAD
  blocks answer `9000`. GET STATUS without search criteria lists everything.
- A locked application is invisible to SELECT (6A82).
- Commands answer at most Le bytes (256 without Le); the rest comes with 61xx
  and GET RESPONSE. DESFire answers are cut in 59-byte frames with 91AF.
- Test hooks: `VirtualCard.fix_card_challenge` and `set_sequence_counter`.
"""


def version() -> str:
    """The installed distribution's version (`-V/--version`)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version("se-touchpoint")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown (not installed)"
