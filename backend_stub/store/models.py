"""Tables of the backend.

Portable SQLAlchemy types only (String, Integer, Float, Boolean, JSON,
LargeBinary, and Text sealed by store/sealing.py for secrets), so the same
models work on SQLite and PostgreSQL. Times are POSIX
seconds in Float columns: no time-zone surprises between dialects.

A change here goes with a new Alembic revision (store/schema/versions/); the tests
compare the migrated schema with these models.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from backend_stub.store.sealing import SealedJSON, SealedText


class Base(DeclarativeBase):
    """Declarative base of every table."""


class App(Base):
    """An SP application: credentials (hashes only), App Description, portal settings."""

    __tablename__ = "apps"
    app_id: Mapped[str] = mapped_column(String(8), primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    state: Mapped[str] = mapped_column(String(16), default="published")
    description: Mapped[dict[str, Any]] = mapped_column(JSON)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[float] = mapped_column(Float)


class Service(Base):
    """A service of an app; `recipe` set means the backend runs it without an SP server."""

    __tablename__ = "services"
    app_id: Mapped[str] = mapped_column(
        String(8), ForeignKey("apps.app_id", ondelete="CASCADE"), primary_key=True
    )
    service_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    # none_as_null: no recipe is SQL NULL, never JSON null (a JSON null was still
    # "IS NOT NULL", so deleted recipes stayed listed; migration 0006 repairs old rows)
    recipe: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True),
                                                          nullable=True)
    created_at: Mapped[float] = mapped_column(Float)


class CapFileRow(Base):
    """An uploaded CAP file, identified by the SHA-256 of its Load File Data Block."""

    __tablename__ = "capfiles"
    app_id: Mapped[str] = mapped_column(
        String(8), ForeignKey("apps.app_id", ondelete="CASCADE"), primary_key=True
    )
    lfdbh: Mapped[str] = mapped_column(String(64), primary_key=True)
    elf_aid: Mapped[str] = mapped_column(String(32))
    applets: Mapped[list[str]] = mapped_column(JSON)
    java_card_version: Mapped[str | None] = mapped_column(String(16), nullable=True)
    # the upload's version headers, as fdsm reads them back: gp-version, otv-version, jc-version
    cap_metadata: Mapped[dict[str, Any] | None] = mapped_column(
        JSON(none_as_null=True), nullable=True)
    size: Mapped[int] = mapped_column(Integer)
    # loaded only when read: ownership checks and listings need the names, not the bytes
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[float] = mapped_column(Float)


class Device(Base):
    """A card as its touch points described it."""

    __tablename__ = "devices"
    cin: Mapped[str] = mapped_column(String(64), primary_key=True)
    iin: Mapped[str] = mapped_column(String(64))
    platform_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    batch_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    os_type_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    first_seen: Mapped[float] = mapped_column(Float)
    last_seen: Mapped[float] = mapped_column(Float)


class AppState(Base):
    """Lifecycle state of one application on one card (absent row = NotInstalled)."""

    __tablename__ = "app_states"
    cin: Mapped[str] = mapped_column(String(64), primary_key=True)
    app_id: Mapped[str] = mapped_column(
        String(8), ForeignKey("apps.app_id", ondelete="CASCADE"), primary_key=True
    )
    state: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[float] = mapped_column(Float)


class ElementRow(Base):
    """Something an application put on a card: the purge after uninstall removes all of it."""

    __tablename__ = "elements"
    __table_args__ = (UniqueConstraint("cin", "app_id", "kind", "aid"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    cin: Mapped[str] = mapped_column(String(64), index=True)
    app_id: Mapped[str] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(16))  # package | applet | ssd | desfire-app
    aid: Mapped[str] = mapped_column(String(32))
    # the ELF of an applet, the security domain of a package
    parent: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created_by: Mapped[str | None] = mapped_column(String(36), nullable=True)  # operation id
    created_at: Mapped[float] = mapped_column(Float)


class DeliverySession(Base):
    """One service delivery, from service/deliver to its final status."""

    __tablename__ = "sessions"
    # the watchdog's scan (migration 0002)
    __table_args__ = (Index("ix_sessions_phase_device", "phase", "last_device_at"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    app_id: Mapped[str] = mapped_column(String(8), index=True)
    service_id: Mapped[str] = mapped_column(String(64))
    # install | uninstall | suspend | unsuspend | other
    service_kind: Mapped[str] = mapped_column(String(16))
    cin: Mapped[str] = mapped_column(String(64), index=True)
    iin: Mapped[str] = mapped_column(String(64))
    platform_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    description: Mapped[dict[str, Any]] = mapped_column(JSON)
    recipe: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True),
                                                          nullable=True)
    # a SessionPhase (engine/states.py): fields | running | purging | done
    phase: Mapped[str] = mapped_column(String(16), index=True)
    success: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    message: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    sp_success: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    sp_message: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    prior_state: Mapped[str] = mapped_column(String(16))
    final_state: Mapped[str | None] = mapped_column(String(16), nullable=True)
    added: Mapped[bool] = mapped_column(Boolean, default=False)
    removed: Mapped[bool] = mapped_column(Boolean, default=False)
    apdus_carried: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[float] = mapped_column(Float)
    last_device_at: Mapped[float] = mapped_column(Float)
    last_progress_at: Mapped[float] = mapped_column(Float)
    ended_at: Mapped[float | None] = mapped_column(Float, nullable=True)


class Operation(Base):
    """One step of a session: an SP call, a recipe action, a purge step or a user question."""

    __tablename__ = "operations"
    __table_args__ = (Index("ix_operations_session_seq", "session_id", "seq"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    session_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("sessions.id", ondelete="CASCADE")
    )
    app_id: Mapped[str] = mapped_column(String(8), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    origin: Mapped[str] = mapped_column(String(16))  # an Origin (engine/states.py)
    endpoint: Mapped[str] = mapped_column(String(64))
    request: Mapped[dict[str, Any]] = mapped_column(JSON)
    callback_url: Mapped[str | None] = mapped_column(Text, nullable=True)
    status: Mapped[str] = mapped_column(String(16), index=True)  # an OperationStatus
    status_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    message: Mapped[str | None] = mapped_column(Text, nullable=True)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # loaded only when read (inside a transaction): the live script is normally cached in
    # memory, and the state of a load script holds the whole CAP file
    # sealed (it holds session keys and the static DEK) and cleared when the operation ends
    script_state: Mapped[dict[str, Any] | None] = mapped_column(
        SealedJSON("operations.script_state"), nullable=True, deferred=True)
    responses: Mapped[list[str]] = mapped_column(JSON)  # every R-APDU the touch point carried
    batches: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[float] = mapped_column(Float)
    started_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    finished_at: Mapped[float | None] = mapped_column(Float, nullable=True)


class PendingBatch(Base):
    """The batch of commands a touch point currently carries for an operation."""

    __tablename__ = "pending_batches"
    operation_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("operations.id", ondelete="CASCADE"), primary_key=True
    )
    number: Mapped[int] = mapped_column(Integer)
    commands: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # [{apdu, expect, name}]
    sent_at: Mapped[float] = mapped_column(Float)


class Callback(Base):
    """An operation result to POST to an SP, retried with backoff until delivered or given up."""

    __tablename__ = "callbacks"
    # the scan for callbacks due (migration 0002)
    __table_args__ = (Index("ix_callbacks_due", "delivered_at", "gave_up", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    operation_id: Mapped[str] = mapped_column(String(36), unique=True)
    app_id: Mapped[str] = mapped_column(String(8))
    url: Mapped[str] = mapped_column(Text)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[float] = mapped_column(Float, index=True)
    delivered_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    gave_up: Mapped[bool] = mapped_column(Boolean, default=False)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[float] = mapped_column(Float)


class CardKeyRow(Base):
    """Static card keys for a scope: a CIN, a batch id, an IIN, or the default."""

    __tablename__ = "card_keys"
    __table_args__ = (UniqueConstraint("scope", "match"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scope: Mapped[str] = mapped_column(String(16))  # cin | batch | iin | default
    match: Mapped[str] = mapped_column(String(64))
    enc: Mapped[str] = mapped_column(SealedText("card_keys.enc"))
    mac: Mapped[str] = mapped_column(SealedText("card_keys.mac"))
    dek: Mapped[str] = mapped_column(SealedText("card_keys.dek"))
    kvn: Mapped[int] = mapped_column(Integer)
    diversify: Mapped[str] = mapped_column(String(16))
    picc_key: Mapped[str | None] = mapped_column(SealedText("card_keys.picc_key"),
                                                 nullable=True)
    picc_key_type: Mapped[str | None] = mapped_column(String(8), nullable=True)
    updated_at: Mapped[float] = mapped_column(Float)


class DesfireKeyRow(Base):
    """A DESFire application key the backend set on a card (SPs never see it again)."""

    __tablename__ = "desfire_keys"
    cin: Mapped[str] = mapped_column(String(64), primary_key=True)
    daid: Mapped[str] = mapped_column(String(6), primary_key=True)
    key_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    app_id: Mapped[str] = mapped_column(String(8))
    key_type: Mapped[str] = mapped_column(String(8))
    key: Mapped[str] = mapped_column(SealedText("desfire_keys.key"))


def _table(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


# The tables themselves, for Core statements on the hot path (no identity map, no unit of
# work): reads of a few columns and writes of rows no ORM object holds in the transaction.
apps_t = _table(App)
services_t = _table(Service)
capfiles_t = _table(CapFileRow)
devices_t = _table(Device)
app_states_t = _table(AppState)
elements_t = _table(ElementRow)
operations_t = _table(Operation)
sessions_t = _table(DeliverySession)
pending_batches_t = _table(PendingBatch)
card_keys_t = _table(CardKeyRow)
