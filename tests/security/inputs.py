"""Hypothesis strategies for the arguments of any GraphQL field, built from the schema itself: a module that lands
later is fuzzed without a line here. Values are a mix of plausible ones (real ids, valid dates, enum values) and
hostile ones (empty, huge, NUL bytes, SQL, out-of-range numbers, impossible dates, ids that cannot exist)."""

from __future__ import annotations

from datetime import UTC

from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLList, GraphQLNonNull, get_named_type
from hypothesis import strategies as st

OMIT = object()
HOSTILE_TEXT = ["", " ", "\x00", "a\x00b", "x" * 10_001, "'; DROP TABLE core_customer; --", "\u202eevil", "%_\\",
                "{{7*7}}", "<script>alert(1)</script>", "NaN", "-1", "1e309", "\U0001F600" * 300, "\ud800", "null", "../../etc/passwd"]
BAD_IDS = ["0", "-1", "abc", "", "99999999999999999999", "1.5", "\uff11", " 1", "1; DROP TABLE x"]
BAD_DECIMALS = ["abc", "NaN", "Infinity", "-Infinity", "1e400", "-0", "0.000000001", "9" * 40, "", "1,5", "0x10"]
BAD_DATES = ["2026-02-30", "0000-01-01", "9999-12-31", "abc", "", "2026-13-01", "2026-1-1", "20260101"]
BAD_DATETIMES = ["2026-01-01T00:00:00", "2026-01-01T25:00:00Z", "abc", "", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2026-01-01"]


def text():
    return st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(max_size=40))


def scalar(name: str, ids: list[str]):
    if name == "ID":
        return st.one_of(st.sampled_from(ids), st.sampled_from(BAD_IDS)) if ids else st.sampled_from(BAD_IDS)
    if name == "String":
        return text()
    if name == "Int":
        return st.one_of(st.integers(-5, 200), st.sampled_from([-2**31, 2**31 - 1, 2**31, 10**20]))
    if name == "Float":
        return st.one_of(st.floats(allow_nan=False, allow_infinity=False), st.sampled_from([0.0, -1.0, 1e308]))
    if name == "Boolean":
        return st.booleans()
    if name == "Decimal":
        return st.one_of(st.decimals(allow_nan=False, allow_infinity=False, places=4, min_value=-10**9, max_value=10**12).map(str),
                         st.sampled_from(BAD_DECIMALS))
    if name == "Date":
        return st.one_of(st.dates().map(lambda d: d.isoformat()), st.sampled_from(BAD_DATES))
    if name == "DateTime":
        return st.one_of(st.datetimes(timezones=st.just(UTC)).map(lambda d: d.isoformat()), st.sampled_from(BAD_DATETIMES))
    if name == "JSON":
        return st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), text()),
                            lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
                            max_leaves=6)
    raise LookupError(name)


def value(type_, ids: list[str], depth: int = 0):
    """A strategy for values of the GraphQL input type `type_` (nullable types sometimes get null)."""
    if isinstance(type_, GraphQLNonNull):
        return _value(type_.of_type, ids, depth)
    return st.one_of(st.none(), _value(type_, ids, depth))


def _value(type_, ids, depth):
    if isinstance(type_, GraphQLList):
        return st.lists(value(type_.of_type, ids, depth + 1), max_size=3)
    if isinstance(type_, GraphQLEnumType):
        return st.sampled_from(list(type_.values))
    if isinstance(type_, GraphQLInputObjectType):
        fields = {}
        for name, field in type_.fields.items():
            if isinstance(field.type, GraphQLNonNull):
                fields[name] = value(field.type, ids, depth + 1)
            elif depth < 3:  # deeper, optional fields are left out: filters nest themselves (AND, OR)
                fields[name] = st.one_of(st.just(OMIT), value(field.type, ids, depth + 1))
        return st.fixed_dictionaries(fields).map(lambda d: {k: v for k, v in d.items() if v is not OMIT})
    return scalar(type_.name, ids)


def uses_uploads(field) -> bool:
    def walk(type_, seen):
        named = get_named_type(type_)
        if named.name == "Upload":
            return True
        if isinstance(named, GraphQLInputObjectType) and named.name not in seen:
            seen.add(named.name)
            return any(walk(f.type, seen) for f in named.fields.values())
        return False

    return any(walk(arg.type, set()) for arg in field.args.values())
