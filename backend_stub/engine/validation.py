"""Validation of the JSON documents SPs store: App Descriptions, Service Descriptions, recipes.

Every refusal is an ApiError 400 naming the field as a dotted path
(`fieldsRequired.2.label`), so an SP developer can fix the document at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from decimal import Decimal, InvalidOperation
from typing import Any

from backend_stub.engine.markdown_links import markdown_problem
from backend_stub.errors import ApiError, bad_request

LANG_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*\Z")
SERVICE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\Z")
APP_ID = re.compile(r"^[0-9A-Fa-f]{8}\Z")
FIELD_TYPES = ("edit", "checkbox", "date", "option", "text", "image", "paymentcard")
MAX_ML_TEXT = 20_000



def _join(path: str, key: str | int) -> str:
    return f"{path}.{key}" if path else str(key)


def check_ml_string(value: Any, path: str, *, markdown: bool = False) -> dict[str, str]:
    """A multilanguage string: at least one language, tags well-formed, text strings.

    A plain string is accepted wherever the platform accepts a multilanguage string and
    normalised to `{"en": text}` (fdsm's RecipeGenerator sends `description.title` that
    way, RecipeGenerator.java makeInstallRecipe)."""
    if isinstance(value, str):
        value = {"en": value}
    if not isinstance(value, dict):
        raise bad_request("must be a multilanguage string: a string, or an object keyed by "
                          'language tag, e.g. {"en": "..."}', path)
    if not value:
        raise bad_request("a multilanguage string needs at least one language", path)
    out: dict[str, str] = {}
    for lang, text in value.items():
        if not LANG_TAG.match(lang):
            raise bad_request(f"{lang!r} is not a language tag such as 'en' or 'sv-SE'",
                              _join(path, lang))
        if not isinstance(text, str):
            raise bad_request("must be a string", _join(path, lang))
        if len(text) > MAX_ML_TEXT:
            raise bad_request(f"at most {MAX_ML_TEXT} characters", _join(path, lang))
        if markdown:
            check_markdown(text, _join(path, lang))
        out[lang] = text
    return out


def ml_from_message(value: Any, path: str) -> dict[str, str]:
    """A completion message: an ML string, or a plain string taken as English."""
    return check_ml_string(value, path)


def check_markdown(text: str, path: str) -> None:
    """Basic markdown only: no raw HTML, and links and images only to http, https or mailto,
    as a CommonMark parser reads them (engine/markdown_links.py)."""
    problem = markdown_problem(text)
    if problem:
        raise bad_request(problem, path)


def check_url(value: Any, path: str, *, allow_data: bool = False) -> str:
    """An absolute http(s) URL, or (for images) a data: URI of an image."""
    if not isinstance(value, str) or not value:
        raise bad_request("must be a URL string", path)
    if len(value) > 512_000:
        raise bad_request("too long", path)
    low = value.lower()
    if allow_data and low.startswith("data:"):
        if not re.match(r"^data:image/(png|svg\+xml|jpeg|gif|webp)(;[a-z0-9=.+-]+)*(;base64)?,",
                        low):
            raise bad_request("a data URI must hold a png, svg, jpeg, gif or webp image", path)
        return value
    if not re.match(r"^https?://[^\s/?#]+[^\s]*\Z", value):
        raise bad_request("must be an absolute http:// or https:// URL"
                          + (" or a data: URI" if allow_data else ""), path)
    return value


def _check_bool(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise bad_request("must be true or false", path)
    return value


def check_field(value: Any, path: str) -> dict[str, Any]:
    """A Field of a Service Description or user interaction."""
    if not isinstance(value, dict):
        raise bad_request("a field must be an object with id, label and type", path)
    fid = value.get("id")
    if not isinstance(fid, str) or not fid or len(fid) > 64:
        raise bad_request("must be a non-empty string of at most 64 characters", _join(path, "id"))
    ftype = value.get("type")
    if ftype not in FIELD_TYPES:
        raise bad_request(f"must be one of {', '.join(FIELD_TYPES)}", _join(path, "type"))
    value = dict(value)
    if "label" in value:
        value["label"] = check_ml_string(value["label"], _join(path, "label"))
    elif ftype != "option":
        raise bad_request("a field needs a label", _join(path, "label"))
    if "labels" in value or ftype == "option":
        labels = value.get("labels")
        if not isinstance(labels, list) or not labels:
            raise bad_request("an option field needs a non-empty list of labels",
                              _join(path, "labels"))
        value["labels"] = [check_ml_string(lab, _join(_join(path, "labels"), i))
                           for i, lab in enumerate(labels)]
    return value


def check_service_description(value: Any, path: str = "") -> dict[str, Any]:
    """A Service Description (API.md section 2)."""
    if not isinstance(value, dict):
        raise bad_request("a Service Description must be a JSON object", path or None)
    if "title" not in value:
        raise bad_request("a Service Description needs a title", _join(path, "title"))
    value = dict(value)
    value["title"] = check_ml_string(value["title"], _join(path, "title"))
    if "description" in value:
        value["description"] = check_ml_string(value["description"],
                                               _join(path, "description"), markdown=True)
    if "confirmationRequired" in value:
        _check_bool(value["confirmationRequired"], _join(path, "confirmationRequired"))
    fields = value.get("fieldsRequired", [])
    if not isinstance(fields, list):
        raise bad_request("must be a list of fields", _join(path, "fieldsRequired"))
    seen: set[str] = set()
    checked = []
    for i, f in enumerate(fields):
        f = check_field(f, _join(_join(path, "fieldsRequired"), i))
        checked.append(f)
        if f["id"] in seen:
            raise bad_request(f"field id {f['id']!r} is used twice",
                              _join(_join(_join(path, "fieldsRequired"), i), "id"))
        seen.add(f["id"])
    if "fieldsRequired" in value:
        value["fieldsRequired"] = checked
    if "price" in value:
        check_price(value["price"], _join(path, "price"))
    _check_encryption(value, path, seen)
    if "userActions" in value:
        check_user_actions(value["userActions"], _join(path, "userActions"))
    return value


def _check_encryption(value: dict[str, Any], path: str, field_ids: set[str]) -> None:
    """`certificate` (hex DER X.509 of the SP) and `encrypted` (its fields are answered
    encrypted under that certificate's key, so it needs one)."""
    if "certificate" in value:
        cert = value["certificate"]
        if (not isinstance(cert, str) or not cert or len(cert) % 2 or len(cert) > 32_768
                or not re.match(r"^[0-9A-Fa-f]+\Z", cert)):
            raise bad_request("must be the SP's X.509 certificate as hex DER",
                              _join(path, "certificate"))
    if "encrypted" in value:
        _check_bool(value["encrypted"], _join(path, "encrypted"))
        if value["encrypted"] and "certificate" not in value:
            raise bad_request("encrypted input needs the SP's certificate",
                              _join(path, "certificate"))
    if "ephemeralKey" in field_ids:
        raise bad_request("ephemeralKey is reserved (the key of encrypted values)",
                          _join(path, "fieldsRequired"))


def check_user_actions(value: Any, path: str) -> None:
    """User actions shown before the delivery: `[{name, description, parameters?}]`."""
    if not isinstance(value, list) or not value or len(value) > 16:
        raise bad_request("must be a list of 1 to 16 actions", path)
    for i, action in enumerate(value):
        here = _join(path, i)
        if not isinstance(action, dict):
            raise bad_request("an action must be an object {name, description}", here)
        name = action.get("name")
        if not isinstance(name, str) or not re.match(r"^[a-z][a-z0-9-]{0,31}\Z", name):
            raise bad_request("must be a short lower-case name such as phonecall",
                              _join(here, "name"))
        check_ml_string(action.get("description"), _join(here, "description"))
        params = action.get("parameters", {})
        if not isinstance(params, dict):
            raise bad_request("must be an object", _join(here, "parameters"))
        if name == "phonecall" and not (isinstance(params.get("number"), str)
                                        and re.match(r"^\+?[0-9 ()-]{3,32}\Z",
                                                     params["number"])):
            raise bad_request("a phonecall needs a phone number",
                              _join(_join(here, "parameters"), "number"))


def check_price(value: Any, path: str) -> None:
    if not isinstance(value, dict):
        raise bad_request('must be an object {"total": decimal, "currency": "EUR"}', path)
    total = value.get("total")
    if isinstance(total, bool) or not isinstance(total, (int, float, str)):
        raise bad_request("must be a decimal number", _join(path, "total"))
    try:
        amount = Decimal(str(total))
    except InvalidOperation:
        raise bad_request("must be a decimal number", _join(path, "total")) from None
    if not amount.is_finite() or amount < 0:
        raise bad_request("must be a non-negative decimal number", _join(path, "total"))
    if "currency" in value:
        check_currency(value["currency"], _join(path, "currency"))


def check_currency(value: Any, path: str) -> str:
    if not isinstance(value, str) or not re.match(r"^[A-Z]{3}\Z", value):
        raise bad_request("must be a three-letter ISO 4217 code such as EUR or SEK", path)
    return value


def check_service_id(value: Any, path: str) -> str:
    if not isinstance(value, str) or not SERVICE_ID.match(value):
        raise bad_request("a service id is 1 to 64 letters, digits, '.', '_' or '-'", path)
    return value


def check_app_id(value: Any, path: str = "appId") -> str:
    if not isinstance(value, str) or not APP_ID.match(value):
        raise bad_request("an appId is 8 hex digits", path)
    return value.lower()


APP_SETTING_KEYS = ("serviceDescriptionUrl", "serviceDeliveryUrl", "currency", "vat")


def check_app_settings(value: dict[str, Any], path: str = "") -> dict[str, Any]:
    """Portal settings: the SP's URLs, currency and VAT."""
    out: dict[str, Any] = {}
    for key in ("serviceDescriptionUrl", "serviceDeliveryUrl"):
        if value.get(key) is not None:
            out[key] = check_url(value[key], _join(path, key)).rstrip("/")
    if value.get("currency") is not None:
        out["currency"] = check_currency(value["currency"], _join(path, "currency"))
    if value.get("vat") is not None:
        vat = value["vat"]
        if isinstance(vat, bool) or not isinstance(vat, (int, float)) or not 0 <= vat <= 100:
            raise bad_request("must be a percentage between 0 and 100", _join(path, "vat"))
        out["vat"] = vat
    return out


def check_app_description(value: Any, existing_services: Collection[str]) -> tuple[
        dict[str, Any], dict[str, Any]]:
    """An App Description; returns (description, portal settings).

    Listed services must exist, a service plays at most one lifecycle role, and a
    suspend service needs an unsuspend service (else a suspended app would be stuck).
    """
    if not isinstance(value, dict):
        raise bad_request("an App Description must be a JSON object", "body")
    desc: dict[str, Any] = {k: v for k, v in value.items()
                            if k not in APP_SETTING_KEYS and k != "appId"}
    if "name" not in desc:
        raise bad_request("an App Description needs a name", "name")
    desc["name"] = check_ml_string(desc["name"], "name")
    if "organization" in desc:
        org = desc["organization"]
        if isinstance(org, str):
            org = {"name": org}
        if not isinstance(org, dict) or "name" not in org:
            raise bad_request('must be an object {"name": multilanguage string}', "organization")
        desc["organization"] = {**org, "name": check_ml_string(org["name"], "organization.name")}
    if "description" in desc:
        desc["description"] = check_ml_string(desc["description"], "description", markdown=True)
    for key in ("logo", "featureGraphic"):
        if desc.get(key) is not None:
            check_url(desc[key], key, allow_data=True)
    roles: dict[str, str] = {}

    def claim(service: Any, path: str) -> None:
        sid = check_service_id(service, path)
        if sid not in existing_services:
            raise bad_request(f"service {sid!r} does not exist: register it (or store its recipe) "
                              "before listing it", path)
        if sid in roles:
            raise bad_request(f"service {sid!r} is already the {roles[sid]}", path)
        roles[sid] = path

    install = desc.get("installServices", [])
    if not isinstance(install, list):
        raise bad_request("must be a list of service ids", "installServices")
    for i, sid in enumerate(install):
        claim(sid, f"installServices.{i}")
    for key in ("uninstallService", "suspendService", "unsuspendService"):
        if desc.get(key) is not None:
            claim(desc[key], key)
    if desc.get("suspendService") is not None and desc.get("unsuspendService") is None:
        raise bad_request("an app with a suspend service needs an unsuspend service, or a "
                          "suspended app could never come back", "unsuspendService")
    settings = check_app_settings(value)
    return desc, settings


def check_recipe(value: Any, check_action: Callable[[str, Any, str], dict[str, Any]]) -> dict[
        str, Any]:
    """A Service Recipe; `check_action(endpoint, content, path)` validates one action body."""
    if not isinstance(value, dict):
        raise bad_request("a recipe must be a JSON object", "body")
    if "description" not in value:
        raise bad_request("a recipe needs a description", "description")
    description = check_service_description(value["description"], "description")
    actions = value.get("actions", [])
    if not isinstance(actions, list):
        raise bad_request("must be a list of actions", "actions")
    norm_actions = []
    for i, action in enumerate(actions):
        path = f"actions.{i}"
        if not isinstance(action, dict):
            raise bad_request('an action is {"endpoint": PATH, "content": BODY}', path)
        endpoint = action.get("endpoint")
        if not isinstance(endpoint, str):
            raise bad_request("must be an operation path such as /ccm/install", f"{path}.endpoint")
        content = action.get("content", {})
        norm = check_action(endpoint, content, f"{path}.content")
        norm_actions.append({"endpoint": endpoint, "content": norm})
    out = dict(value)
    out["description"] = description
    for key in ("successMessage", "failureMessage"):
        if key in value:
            out[key] = check_ml_string(value[key], key)
    out["actions"] = norm_actions
    return out


def raise_at(err: ApiError, prefix: str) -> ApiError:
    """The same error with its field path moved under `prefix`."""
    field = _join(prefix, err.field) if err.field else prefix
    return ApiError(err.status, err.error, err.message, field)
