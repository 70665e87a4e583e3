"""What a GraphQL document may cost, decided before anything expands it.

A document is refused, with a coded error, when its text is too long, when it has too many tokens (graphql-core's
parser stops counting there), or when the operation it describes is too deep, has too many aliases or may resolve
too many fields. Depth, aliases and cost are measured with each fragment's figures computed once and reused
wherever it is spread, so a document whose fragments spread each other twice (2^n fields from n fragments) costs n
steps to refuse instead of 2^n. Only a document that passes is handed to graphql-core's validation, whose rules
walk fragments as written.

Cost counts every field the query would resolve, connections multiplied by their page size (`first` or `last`, or the default
page when absent, or the largest page when it comes from a variable). Introspection fields do not count towards
depth, so GraphiQL's schema query passes.
"""

from __future__ import annotations

import dataclasses

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    get_named_type,
    parse,
    visit,
    Visitor,
)


@dataclasses.dataclass(frozen=True)
class Limits:
    max_chars: int = 50_000
    max_tokens: int = 5_000
    max_depth: int = 12
    max_aliases: int = 30
    max_complexity: int = 20_000
    default_page: int = 20
    max_page: int = 100


@dataclasses.dataclass(frozen=True)
class _Figures:
    cost: int  # fields resolved for one parent object
    depth: int
    aliases: int


def refused(message: str, code: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code})


def bad_text(text: str, where: str) -> str | None:
    """Why `text` may not enter the CRM (NUL bytes, lone surrogates), or None. Both databases then agree: PostgreSQL
    refuses NUL in text and UTF-8 cannot carry a lone surrogate, while SQLite would store either."""
    if "\x00" in text:
        return f"{where} contains a NUL character"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return f"{where} contains a lone surrogate, which is not text"
    return None


def parse_guarded(text: str, limits: Limits) -> DocumentNode:
    """Parse `text` within the limits; a GraphQLError with a code otherwise."""
    if len(text) > limits.max_chars:
        raise refused(f"the query text has {len(text)} characters, the limit is {limits.max_chars}", "QUERY_TOO_LARGE")
    problem = bad_text(text, "the query text")
    if problem:
        raise refused(problem, "INVALID")
    try:
        document = parse(text, max_tokens=limits.max_tokens)
    except GraphQLError as exc:
        code = "QUERY_TOO_LARGE" if "tokens" in exc.message else "GRAPHQL_PARSE_FAILED"
        raise GraphQLError(exc.message, exc.nodes, exc.source, exc.positions, extensions={"code": code}) from None
    for value in _string_literals(document):
        problem = bad_text(value, "a string in the query")
        if problem:
            raise refused(problem, "INVALID")
    return document


def _string_literals(document: DocumentNode) -> list[str]:
    found: list[str] = []

    class Strings(Visitor):
        def enter_string_value(self, node: StringValueNode, *_args) -> None:
            found.append(node.value)

    visit(document, Strings())
    return found


def measure(schema: GraphQLSchema, document: DocumentNode, limits: Limits) -> list[GraphQLError]:
    """The refusals for every operation of `document` that exceeds a limit (empty: it may run)."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    measurer = _Measurer(schema, fragments, limits)
    errors = []
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        root = {"query": schema.query_type, "mutation": schema.mutation_type,
                "subscription": schema.subscription_type}[definition.operation.value]
        figures = measurer.selection_set(definition.selection_set, root)
        name = definition.name.value if definition.name else "the operation"
        if figures.depth > limits.max_depth:
            errors.append(refused(f"'{name}' exceeds maximum operation depth of {limits.max_depth}", "QUERY_TOO_DEEP"))
        if figures.aliases > limits.max_aliases:
            errors.append(refused(f"{figures.aliases} aliases found. Allowed: {limits.max_aliases}", "TOO_MANY_ALIASES"))
        if figures.cost > limits.max_complexity:
            errors.append(refused(
                f"query is too complex: it may resolve {figures.cost} fields, the limit is {limits.max_complexity}; "
                "ask for fewer fields or smaller pages", "QUERY_TOO_COMPLEX"))
    return errors


class _Measurer:
    def __init__(self, schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode], limits: Limits):
        self.schema = schema
        self.fragments = fragments
        self.limits = limits
        self.known: dict[str, _Figures] = {}
        self.open: set[str] = set()  # fragments being measured: a cycle counts nothing (validation reports it)

    def fragment(self, name: str) -> _Figures:
        found = self.known.get(name)
        if found is not None:
            return found
        definition = self.fragments.get(name)
        if definition is None or name in self.open:
            return _Figures(0, 0, 0)
        self.open.add(name)
        figures = self.selection_set(definition.selection_set, self.schema.get_type(definition.type_condition.name.value))
        self.open.discard(name)
        self.known[name] = figures
        return figures

    def selection_set(self, selection_set: SelectionSetNode | None, parent) -> _Figures:
        if selection_set is None:
            return _Figures(0, 0, 0)
        cost = depth = aliases = 0
        for sel in selection_set.selections:
            if isinstance(sel, FieldNode):
                aliases += sel.alias is not None
                fields = getattr(parent, "fields", None) or {}
                field = fields.get(sel.name.value)
                named = get_named_type(field.type) if field is not None else None
                inner = self.selection_set(sel.selection_set, named) if sel.selection_set else _Figures(0, 0, 0)
                page = self._page(sel) if named is not None and named.name.endswith("Connection") else 1
                cost += 1 + page * inner.cost
                aliases += inner.aliases
                if sel.selection_set and not sel.name.value.startswith("__"):
                    depth = max(depth, 1 + inner.depth)
            else:
                if isinstance(sel, InlineFragmentNode):
                    target = self.schema.get_type(sel.type_condition.name.value) if sel.type_condition else parent
                    inner = self.selection_set(sel.selection_set, target)
                elif isinstance(sel, FragmentSpreadNode):
                    inner = self.fragment(sel.name.value)
                else:  # pragma: no cover - the parser makes no other selection
                    continue
                cost += inner.cost
                depth = max(depth, inner.depth)
                aliases += inner.aliases
            if cost > self.limits.max_complexity * 1000:  # far past any limit: stop growing the numbers
                break
        return _Figures(cost, depth, aliases)

    def _page(self, node: FieldNode) -> int:
        for arg in node.arguments or ():
            if arg.name.value in ("first", "last"):
                if isinstance(arg.value, IntValueNode):
                    return max(0, min(int(arg.value.value), self.limits.max_page))
                return self.limits.max_page
        return self.limits.default_page
