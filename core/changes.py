"""The core's one pass after every flush: the audit trail, then the change rules plugins declare.

A `crm.ChangeRule` says "when a flush changes any of these columns on an existing row of this model, run this in
the same transaction" (sales keeps a deal's stage visits carrying the deal's owner and deletion this way). Rules come
from `crm_register_change_rules` of enabled plugins and are installed when a runtime starts; a plugin never adds a
flush listener of its own, so however many plugins there are, a flush is followed by one listener call.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from crm.audit.listener import write_audit
from crm.declarations import ChangeRule

_rules: dict[type, list[ChangeRule]] = {}


def install(rules: Iterable[ChangeRule]) -> None:
    """Make `rules` apply to every flush in this process. Installing a rule twice (a second runtime) is a no-op.
    Rules are keyed by model: rows of a disabled plugin's models are never flushed, so its rules never run."""
    for rule in rules:
        known = _rules.setdefault(rule.model, [])
        if rule not in known:
            known.append(rule)


def _changed(obj, fields: tuple[str, ...]) -> bool:
    attrs = inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in fields)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _flush_context) -> None:
    write_audit(session)
    if not _rules:
        return
    for obj in session.dirty:
        for rule in _rules.get(type(obj), ()):
            if _changed(obj, rule.fields):
                rule.apply(session.connection(), obj)
