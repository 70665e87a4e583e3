"""The assembled GraphQL types, by name, for lazy references: `crm.api_type("Customer")`.

Types owned by one module and extended by others (Customer, CustomerSummary, ...) only exist once the schema is
composed, so plugins refer to them lazily through this module. `crm.api.composition` fills it before building a
schema; building another schema (another plugin set) fills it anew.
"""

from __future__ import annotations

from typing import Any

from strawberry.types.lazy_type import LazyType

PREFIX = "gql_"
_published: set[str] = set()


def publish(types: dict[str, type]) -> None:
    # strawberry's lazy types look names up in the module's __dict__, so they are module globals. They carry a
    # prefix because strawberry first evaluates the annotation's string in the *referring* module, where a model
    # class of the same name ("Customer") would win over the lazy reference.
    for name in _published:
        globals().pop(name, None)
    _published.clear()
    for name, cls in types.items():
        globals()[PREFIX + name] = cls
        _published.add(PREFIX + name)


def api_type(name: str) -> Any:
    """A lazy reference to the assembled type `name`, for annotations: `def customer(self) -> api_type("Customer")`."""
    # A LazyType instance, not Annotated["name", lazy]: typing would try to evaluate the string inside list[...].
    return LazyType(PREFIX + name, __name__)
