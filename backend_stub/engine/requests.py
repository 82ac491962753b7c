"""Bodies of the SP operation API (API.md section 1), shared by the HTTP routes and recipes.

Pydantic models, so FastAPI documents them in /docs and validation errors name
the field. Hex strings are checked and normalised to upper case.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
    model_validator,
)

from backend_stub.errors import ApiError, bad_request
from backend_stub.hexutil import parse_hex


def hex_validator(**limits: int) -> AfterValidator:
    def check(value: str) -> str:
        parse_hex(value, **limits)
        return value.upper()

    return AfterValidator(check)


Apdu = Annotated[StrictStr, hex_validator(min_len=4, max_len=65544),
                 Field(description="command APDU, hex", examples=["00A4040000"])]
Aid = Annotated[StrictStr, hex_validator(min_len=5, max_len=16),
                Field(description="application identifier, 5-16 bytes hex")]
Lfdbh = Annotated[StrictStr, hex_validator(exact=32),
                  Field(description="SHA-256 of the CAP's Load File Data Block, hex")]
HexData = Annotated[StrictStr, hex_validator(max_len=65535), Field(description="hex bytes")]
DesfireAid = Annotated[StrictStr, hex_validator(exact=3),
                       Field(description="DESFire application id, 3 bytes hex (as written: "
                                         "the backend sends it little-endian)")]
DesfireCommand = Annotated[StrictStr, hex_validator(min_len=1, max_len=4096),
                           Field(description="native DESFire command: code and parameters, hex")]
KeyType = Literal["AES", "3K3DES", "DES"]
KEY_LENGTHS = {"AES": (16,), "3K3DES": (24,), "DES": (8, 16)}


class _Body(BaseModel):
    # Unknown keys are ignored (SPs written for the public platform send a few more).
    model_config = ConfigDict(extra="ignore")


class TransceiveRequest(_Body):
    """Plain APDUs, sent in one batch; the result carries every response."""

    commands: list[Apdu] = Field(min_length=1, max_length=1000)


class SecureTransceiveRequest(_Body):
    """APDUs sent inside a secure channel opened to the SP's security domain."""

    application: Aid
    commands: list[Apdu] = Field(min_length=1, max_length=1000)


class CcmLoadRequest(_Body):
    """Load a CAP file named by its ELF AID or its LFDBH (`id`)."""

    executableLoadFile: Aid | None = None
    id: Lfdbh | None = None

    @model_validator(mode="after")
    def _one_name(self) -> CcmLoadRequest:
        if (self.executableLoadFile is None) == (self.id is None):
            raise ValueError("give exactly one of executableLoadFile (ELF AID) or id (LFDBH)")
        return self


class CcmInstallRequest(_Body):
    """Install an applet instance, loading its CAP first when it is not on the card.

    Either the classic form (executableLoadFile, executableModule, application) or
    the recipe form (id = LFDBH, searchBy = "lfdbh", module, application).
    """

    application: Aid
    executableLoadFile: Aid | None = None
    executableModule: Aid | None = None
    id: Lfdbh | None = None
    searchBy: Literal["lfdbh"] | None = None
    module: Aid | None = None
    parameters: HexData | None = None

    @model_validator(mode="after")
    def _one_form(self) -> CcmInstallRequest:
        classic = self.executableLoadFile is not None
        recipe = self.id is not None
        if classic == recipe:
            raise ValueError("give either executableLoadFile and executableModule, or id "
                             "(LFDBH) and module")
        if classic and self.executableModule is None:
            raise ValueError("executableModule is required with executableLoadFile")
        if recipe and self.module is None:
            raise ValueError("module is required with id")
        return self

    @property
    def module_aid(self) -> str:
        return self.executableModule or self.module or ""


class CcmStoreDataRequest(_Body):
    """Personalise an applet instance with STORE DATA (DGI or BER-TLV formatted data)."""

    application: Aid
    tagType: Literal["DGI", "BER"] = "DGI"
    data: Annotated[StrictStr, hex_validator(min_len=1, max_len=65535)]


class CcmDeleteRequest(_Body):
    """Delete an applet instance or package (withRelated: the package with its instances)."""

    application: Aid
    withRelated: StrictBool = False


class CcmSetStatusRequest(_Body):
    """Lock (suspend) or unlock an applet instance with GlobalPlatform SET STATUS."""

    application: Aid
    lock: StrictBool


class DesfireCreateAppRequest(_Body):
    """Create a DESFire application; `keys` (optional) replace its default keys."""

    aid: DesfireAid
    keySettings: Annotated[StrictStr, hex_validator(exact=1)]
    numberOfKeys: StrictInt = Field(ge=1, le=14)
    keyType: KeyType
    keys: list[Annotated[StrictStr, hex_validator(min_len=8, max_len=24)]] | None = None

    @model_validator(mode="after")
    def _check(self) -> DesfireCreateAppRequest:
        if self.aid == "000000":
            raise ValueError("aid 000000 is the PICC level, not an application")
        if self.keys is not None:
            if len(self.keys) != self.numberOfKeys:
                raise ValueError(f"keys must hold numberOfKeys ({self.numberOfKeys}) keys")
            for i, key in enumerate(self.keys):
                if len(key) // 2 not in KEY_LENGTHS[self.keyType]:
                    raise ValueError(f"keys.{i}: a {self.keyType} key is "
                                     f"{' or '.join(map(str, KEY_LENGTHS[self.keyType]))} bytes")
        return self


class DesfireDeleteAppRequest(_Body):
    """Delete a DESFire application."""

    aid: DesfireAid

    @model_validator(mode="after")
    def _check(self) -> DesfireDeleteAppRequest:
        if self.aid == "000000":
            raise ValueError("aid 000000 is the PICC level, not an application")
        return self


class DesfireTransceiveRequest(_Body):
    """Native DESFire commands, authenticated with the application key the backend holds."""

    aid: DesfireAid
    keyNo: StrictInt = Field(ge=0, le=13)
    commands: list[DesfireCommand] = Field(min_length=1, max_length=100)
    communication: Literal["plain", "mac", "enc"] = "plain"


class ServiceCompletedRequest(_Body):
    """End of a delivery as the SP sees it."""

    success: StrictBool
    message: StrictStr | dict[str, StrictStr] = Field(
        default_factory=dict, description="multilanguage string (a plain string means English)")


class OperationAccepted(BaseModel):
    operationId: str


ENDPOINTS: dict[str, type[_Body]] = {
    "/transceive": TransceiveRequest,
    "/secure-transceive": SecureTransceiveRequest,
    "/ccm/load": CcmLoadRequest,
    "/ccm/install": CcmInstallRequest,
    "/ccm/storedata": CcmStoreDataRequest,
    "/ccm/delete": CcmDeleteRequest,
    "/ccm/setstatus": CcmSetStatusRequest,
    "/desfire/ev1/createApp": DesfireCreateAppRequest,
    "/desfire/ev1/deleteApp": DesfireDeleteAppRequest,
    "/desfire/ev1/transceive": DesfireTransceiveRequest,
}


def loc_to_field(loc: tuple[Any, ...]) -> str:
    """A pydantic error location as the dotted path the API reports."""
    if loc and loc[0] in ("path", "query", "header", "cookie"):
        loc = loc[1:]
    parts = [str(p) for p in loc if p != "body" and not str(p).startswith("function-")]
    return ".".join(parts)


def error_from_validation(exc: ValidationError, prefix: str = "") -> ApiError:
    """The first pydantic error as an ApiError naming the field."""
    err = exc.errors()[0]
    field = loc_to_field(tuple(err.get("loc", ())))
    msg = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
    full = ".".join(p for p in (prefix, field) if p)
    return bad_request(msg, full or (prefix or "body"), error="invalid")


def parse_action(endpoint: str, content: Any, path: str = "") -> dict[str, Any]:
    """Validate an operation body for an endpoint; returns its normalised form."""
    model = ENDPOINTS.get(endpoint)
    if model is None:
        where = path.rsplit(".", 1)[0] + ".endpoint" if path else "endpoint"
        raise bad_request(f"unknown operation endpoint {endpoint!r}; one of "
                          f"{', '.join(sorted(ENDPOINTS))}", where)
    try:
        parsed = model.model_validate(content)
    except ValidationError as exc:
        raise error_from_validation(exc, path) from None
    return parsed.model_dump(exclude_none=True)
