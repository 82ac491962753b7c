"""The application's AID namespace: which instance AIDs an application may write.

An application owns the applet AIDs under A00000061700 + appId, its security domain
A00000061701 + appId, and the applet AIDs declared by the CAP files it uploaded.

Why the last: fdsm's `--install` creates the instance under the CAP's own applet AID
unless `--create` names another (RecipeGenerator.java makeInstallRecipe: `if (instance
== null) instance = app`), and real public applets (OpenPGP D27600012401..., FIDO
A0000006472F0001, NDEF D2760000850101) have AIDs of their standards, not of the
platform. Uploading the CAP is the SP's claim on those AIDs, as on the platform, where
such applets are delivered. Any other AID is refused where it is written (recipe
upload, SP operation request): 400 naming the field.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend_stub.errors import bad_request
from backend_stub.hexutil import app_applet_prefix, app_sd_aid, to_hex
from backend_stub.store.models import CapFileRow

INSTANCE_ENDPOINTS = ("/ccm/install", "/ccm/storedata", "/ccm/setstatus",
                      "/secure-transceive")


def cap_applet_aids(s: Session, app_id: str) -> set[str]:
    """Applet AIDs declared by the application's uploaded CAP files."""
    rows = s.execute(select(CapFileRow.applets).where(CapFileRow.app_id == app_id)).all()
    return {str(aid).upper() for (applets,) in rows for aid in (applets or [])}


def check_instance_aid(s: Session, app_id: str, endpoint: str, content: dict[str, Any],
                       path: str) -> None:
    """400 naming `<path>.application` when the instance AID is not the application's."""
    if endpoint not in INSTANCE_ENDPOINTS or "application" not in content:
        return
    aid = str(content["application"]).upper()
    prefix = to_hex(app_applet_prefix(app_id))
    if aid.startswith(prefix):
        return
    sd_aid = to_hex(app_sd_aid(app_id))
    if endpoint == "/secure-transceive" and aid.startswith(sd_aid):
        return
    if aid in cap_applet_aids(s, app_id):
        return
    field = f"{path}.application" if path else "application"
    raise bad_request(f"instance AID {aid} is outside application {app_id}'s namespace: "
                      f"use {prefix}..., or an applet AID of a CAP file this application "
                      "uploaded", field)
