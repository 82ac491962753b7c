"""The APDU compiler: turns a Service Provider's request into the APDU script a touch point runs.

Modules: apdu (ISO 7816 APDUs, trace names), tlv (BER-TLV, DGI), cap (CAP files),
keys (static keys, diversification, KCVs), channel/scp02/scp03 (host secure channels),
gp (GlobalPlatform commands), desfire (DESFire EV1), and script (the factories the
backend calls; base, gp_script and desfire_script hold their machinery).
"""
