"""Core writes of rows that ORM objects hold, without the unit of work.

A flush costs far more than the UPDATE it emits (change tracking, dependency
sorting, per-row bookkeeping). `write_through` sends one explicit UPDATE of an
object's row and leaves the object as if that state had been loaded: no change
of it is pending, so a later flush cannot write an older value over it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Update, bindparam, inspect, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

_UPDATES: dict[str, Update] = {}


def _update_of(table: Any, key: tuple[Any, ...]) -> Update:
    """One UPDATE statement per table, built once: the SET list follows the parameters."""
    stmt = _UPDATES.get(table.name)
    if stmt is None:
        stmt = update(table).where(*(col == bindparam(f"_pk{i}") for i, col in enumerate(key)))
        _UPDATES[table.name] = stmt
    return stmt


def write_through(s: Session, obj: Any, **values: Any) -> None:
    """UPDATE `obj`'s row with `values` and every change still pending on it, now.

    An object not yet in the database (pending insert) just takes the values: its
    INSERT at the next flush carries them."""
    state = inspect(obj)
    if not state.persistent:
        for key, value in values.items():
            setattr(obj, key, value)
        return
    mapper = state.mapper
    if state.modified:
        same = state.unmodified
        for attr in mapper.column_attrs:
            if attr.key not in values and attr.key not in same:
                values[attr.key] = getattr(obj, attr.key)
    if not values:
        return
    params = {f"_pk{i}": v for i, v in enumerate(state.identity)}
    s.connection().execute(_update_of(mapper.local_table, tuple(mapper.primary_key)),
                           {**values, **params})
    for name, value in values.items():
        set_committed_value(obj, name, value)


def write_dirty(s: Session) -> None:
    """`write_through` every changed object of the transaction, unless rows are also
    being inserted or deleted: those go to the flush, which orders all its statements
    by foreign keys (an UPDATE may point at a row it inserts).

    Each object is then marked clean as a flush marks what it wrote, so that the commit
    finds nothing to flush. Only for mappers without relationships (ours have none): a
    relationship change reaches its foreign key columns only through a flush."""
    if s.new or s.deleted:
        return
    for obj in list(s.dirty):
        state = inspect(obj)
        if state.mapper.relationships:
            continue
        write_through(s, obj)
        commit_all = getattr(state, "_commit_all", None)  # SQLAlchemy 2.0's own after-flush step
        if commit_all is not None:
            commit_all(state.dict, s.identity_map)
