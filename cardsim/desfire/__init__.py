"""MIFARE DESFire EV1 emulation, reached with ISO-wrapped native commands (CLA 90)."""
