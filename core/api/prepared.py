"""Prepared operations: plan a validated operation once, then run the plan for every request that sends it.

graphql-core interprets the document again for every object of every request: for each field it looks the field up,
builds a resolve-info object, a path and a middleware chain, calls the resolver, and dispatches on the return type
to complete the value (about 5 microseconds a field; a page of 50 customers with their owner and contacts is about
900 fields). Front-ends send the same few operations over and over, so that walk is done once here: a plan is the
operation's fields, grouped and merged per object type (fragments, aliases, `@skip`/`@include`), each with its
resolver, its arguments and a completion shape for its return type. Running it is then a loop over plain objects:

- a field without a resolver of its own (a strawberry "basic" field) is an attribute read and a scalar coercion,
  no resolve-info, no resolver call;
- a field with a resolver gets the same resolve-info graphql-core would build, so strawberry's argument conversion,
  `info.context` and our `@requires` checks run exactly as they do there;
- awaitable results are collected over the whole response and awaited together, one wave per level of nesting, so
  that every DataLoader of a wave sees all its keys before it dispatches (one query per loader and level).

Results follow graphql-core's rules (null propagation to the nearest nullable parent, located errors with paths)
and tests/test_prepared.py checks that both executors answer a body of operations identically. An operation this
executor does not plan (subscriptions, `@defer`/`@stream`, interfaces and unions) is not prepared: `CRMSchema` runs it
through strawberry as usual.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from operator import attrgetter
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLError,
    GraphQLField,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    Undefined,
    default_field_resolver,
    is_abstract_type,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
    is_object_type,
    located_error,
    visit,
)
from graphql.execution.collect_fields import FragmentDetails, collect_fields, collect_subfields
from graphql.execution.values import VariableValues, get_argument_values
from graphql.language import DirectiveNode, Visitor
from graphql.pyutils import Path, inspect
from graphql.type.definition import GraphQLResolveInfoHelpers
from strawberry.execution.is_awaitable import optimized_is_awaitable as is_awaitable
from strawberry.schema.schema import _OperationContextAwareGraphQLResolveInfo as ResolveInfo

from crm.api.global_ids import GlobalIdField

STRAWBERRY_FIELD = "strawberry-definition"  # where strawberry keeps its field on graphql-core's field


class NotPreparable(Exception):
    """This operation uses something the prepared executor leaves to graphql-core."""


# --- plans ----------------------------------------------------------------------------------------------------------


class Shape:
    """How to complete a non-null value of one output type. `kind` is LEAF, LIST or OBJECT."""

    __slots__ = ("coerce", "item", "item_nullable", "kind", "plan", "type")

    LEAF, LIST, OBJECT = 0, 1, 2


class FieldPlan:
    """One response key of an object: the merged field nodes, how to get the value and how to complete it."""

    __slots__ = ("key", "name", "definition", "nodes", "details", "getter", "resolve", "has_args", "nullable", "shape",
                 "typename")

    def __init__(self, key: str, definition: GraphQLField, details: list) -> None:
        self.key = key
        self.details = details
        self.nodes: list[FieldNode] = [d.node for d in details]
        self.name = self.nodes[0].name.value
        self.definition = definition
        self.typename = self.name == "__typename"
        self.has_args = bool(definition.args or self.nodes[0].arguments)
        self.nullable = not is_non_null_type(definition.type)
        self.resolve = definition.resolve
        self.getter = _basic_getter(definition)
        self.shape: Shape | None = None


class ObjectPlan:
    __slots__ = ("fields", "name", "type")

    def __init__(self, object_type: GraphQLObjectType) -> None:
        self.type = object_type
        self.name = object_type.name
        self.fields: list[FieldPlan] = []


def _basic_getter(definition: GraphQLField) -> Callable[[Any], Any] | None:
    """An attribute getter for a strawberry field without a resolver, permission classes or extensions: what
    strawberry itself would do for it (`getattr(source, python_name)`), without building a resolve-info first."""
    field = (definition.extensions or {}).get(STRAWBERRY_FIELD)
    resolve = definition.resolve
    global_id = resolve if isinstance(resolve, GlobalIdField) else None  # an id made global as it is written
    if global_id is not None:
        resolve = global_id.inner
    if field is None or resolve is None or not getattr(resolve, "_is_default", False) or not field.is_basic_field:
        return None
    if field.default_resolver is not getattr:
        return None
    read = attrgetter(field.python_name)
    if global_id is not None:
        return lambda source: global_id.encode(source, read(source))
    return read


class Planner:
    """Builds the plan of one operation for one set of `@skip`/`@include` decisions."""

    def __init__(self, schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: dict, variables: VariableValues):
        self.schema = schema
        self.operation = operation
        self.fragments = fragments
        self.variables = variables

    def root(self, root_type: GraphQLObjectType) -> ObjectPlan:
        collected = collect_fields(self.schema, self.fragments, self.variables, root_type, self.operation)
        return self._object(root_type, collected.grouped_field_set)

    def _object(self, object_type: GraphQLObjectType, grouped: dict) -> ObjectPlan:
        plan = ObjectPlan(object_type)
        for key, details in grouped.items():
            if any(d.defer_usage is not None or d.fragment_variable_values is not None for d in details):
                raise NotPreparable("@defer and fragment variables run on the standard executor")
            definition = self.schema.get_field(object_type, details[0].node.name.value)
            if definition is None:  # graphql-core skips unknown fields too; validation reports them
                continue
            field = FieldPlan(key, definition, details)
            field.shape = self._shape(definition.type, field)
            plan.fields.append(field)
        return plan

    def _shape(self, type_: GraphQLOutputType, field: FieldPlan) -> Shape:
        if is_non_null_type(type_):
            type_ = type_.of_type
        shape = Shape()
        shape.type = type_
        if is_leaf_type(type_):
            shape.kind, shape.coerce = Shape.LEAF, type_.coerce_output_value
        elif is_list_type(type_):
            shape.kind, shape.item, shape.item_nullable = Shape.LIST, self._shape(type_.of_type, field), not is_non_null_type(type_.of_type)
        elif is_object_type(type_):
            sub = collect_subfields(self.schema, self.fragments, self.variables, self.operation, type_, field.details)
            if sub.new_defer_usages:
                raise NotPreparable("@defer runs on the standard executor")
            shape.kind, shape.plan = Shape.OBJECT, self._object(type_, sub.grouped_field_set)
        elif is_abstract_type(type_):
            raise NotPreparable("interfaces and unions run on the standard executor")
        else:  # pragma: no cover - every output type is one of the above
            raise NotPreparable(f"unknown output type {type_}")
        return shape


class PreparedOperation:
    """One operation of a validated document; plans are made on first use, one per `@skip`/`@include` outcome."""

    def __init__(self, schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode):
        if operation.operation is OperationType.SUBSCRIPTION:
            raise NotPreparable("subscriptions run on the standard executor")
        self.schema = schema
        self.operation = operation
        self.operation_type = operation.operation
        root = schema.get_root_type(operation.operation)
        if root is None:
            raise NotPreparable(f"the schema has no {operation.operation.value} type")
        self.root_type: GraphQLObjectType = root
        definitions = [d for d in document.definitions if d.kind == "fragment_definition"]
        self.fragments = {d.name.value: FragmentDetails(d) for d in definitions}
        self.fragment_nodes = {d.name.value: d for d in definitions}
        self.condition_variables = _condition_variables(document)
        self._plans: dict[tuple, ObjectPlan] = {}

    def plan(self, variables: VariableValues) -> ObjectPlan:
        key = tuple(variables.coerced.get(name) for name in self.condition_variables)
        plan = self._plans.get(key)
        if plan is None:
            plan = Planner(self.schema, self.operation, self.fragments, variables).root(self.root_type)
            if len(self._plans) < 64:  # a handful of @skip/@include outcomes in practice; never grow without bound
                self._plans[key] = plan
        return plan


def _condition_variables(document: DocumentNode) -> tuple[str, ...]:
    """Variables that `@skip`/`@include` read: the plan depends on their values, nothing else does.
    `@defer`/`@stream` make the operation unpreparable."""
    names: list[str] = []

    class Conditions(Visitor):
        def enter_directive(self, node: DirectiveNode, *_args) -> None:
            if node.name.value in ("defer", "stream"):
                raise NotPreparable("@defer and @stream run on the standard executor")
            if node.name.value in ("skip", "include"):
                for argument in node.arguments:
                    if argument.value.kind == "variable" and argument.value.name.value not in names:
                        names.append(argument.value.name.value)

    visit(document, Conditions())
    return tuple(names)


# --- running a plan -------------------------------------------------------------------------------------------------


class _Null(Exception):
    """A null reached a non-null position: the nearest nullable parent becomes null and reports `error` there."""

    def __init__(self, error: GraphQLError):
        super().__init__(error.message)
        self.error = error


# Where a completed object or list is stored, so that a null found after an await can reach the nearest nullable
# parent: (container, key, nullable, path, parent frame). The root frame is the response's `data`.
Frame = tuple


class Execution:
    """One request's run of a plan."""

    def __init__(self, prepared: PreparedOperation, context: Any, root_value: Any, variables: VariableValues,
                 operation_extensions: dict | None = None) -> None:
        self.prepared = prepared
        self.context = context
        self.root_value = root_value
        self.variables = variables
        self.operation_extensions = operation_extensions
        self.errors: list[GraphQLError] = []
        self.nulled: set[Path | None] = set()  # positions nulled by an error; errors below them are not reported
        self.pending: list[tuple] = []
        self.tracked: list[asyncio.Future] = []
        self.arguments: dict[int, dict] = {}  # per field plan: arguments depend only on the node and the variables
        self.helpers = GraphQLResolveInfoHelpers(self._gather, self._track)

    async def run(self) -> tuple[dict | None, list[GraphQLError]]:
        plan = self.prepared.plan(self.variables)
        result: dict[str, Any] = {"data": None}
        root = (result, "data", True, None, None)
        if self.prepared.operation_type is OperationType.MUTATION:
            data: dict[str, Any] = {}
            result["data"] = data
            for field in plan.fields:  # mutations run one after another, each settled before the next starts
                try:
                    self._field(plan, field, self.root_value, data, None, root)
                except _Null as null:
                    self._bubble(null.error, result, "data", True, None, None)
                await self._settle()
                if result["data"] is None:  # a non-null mutation field failed: graphql-core stops there too
                    break
        else:
            try:
                result["data"] = self._object(plan, self.root_value, None, root)
            except _Null as null:
                self._bubble(null.error, result, "data", True, None, None)
            await self._settle()
        await self._settle_tracked()
        return result["data"], self.errors

    def _object(self, plan: ObjectPlan, source: Any, path: Path | None, frame: Frame) -> dict:
        out: dict[str, Any] = {}
        for field in plan.fields:
            self._field(plan, field, source, out, path, frame)
        return out

    def _field(self, plan: ObjectPlan, field: FieldPlan, source: Any, out: dict, path: Path | None, frame: Frame) -> None:
        """Get one field's value from `source` and complete it into `out[field.key]`."""
        key = field.key
        if field.typename:
            out[key] = plan.name
            return
        out[key] = None  # the key's place in the response, whatever comes later
        try:
            if field.getter is not None:
                value = field.getter(source)
                if value is not None and field.shape.kind == Shape.LEAF:  # most fields: an attribute and a coercion
                    out[key] = self._leaf(field.shape, value)
                    return
                field_path = Path(path, key, plan.name)
            else:
                field_path = Path(path, key, plan.name)
                args = self._arguments(field) if field.has_args else {}
                value = (field.resolve or default_field_resolver)(source, self._info(field, plan.type, field_path), **args)
                if is_awaitable(value):
                    self.pending.append((value, field, field.shape, out, key, field.nullable, field_path, frame))
                    return
            out[key] = self._value(field.shape, value, field, field_path, out, key, field.nullable, frame)
        except Exception as exc:  # noqa: BLE001 - a field error: reported with its path, the field becomes null
            self._failed(exc, field, Path(path, key, plan.name), field.nullable)

    def _value(self, shape: Shape, value: Any, field: FieldPlan, path: Path, holder, key, nullable: bool, frame: Frame) -> Any:
        """Complete a resolved value stored at `holder[key]`, a position that may be null (`nullable`) or not."""
        if isinstance(value, Exception):
            raise value
        if value is None or value is Undefined:
            if not nullable:
                raise TypeError(f"Cannot return null for non-nullable field {field_parent(path)}.{field.name}.")
            return None
        if shape.kind == Shape.LEAF:
            return self._leaf(shape, value)
        here = (holder, key, nullable, path, frame)
        if shape.kind == Shape.OBJECT:
            object_type = shape.plan.type
            if object_type.is_type_of is not None and not object_type.is_type_of(value, self._info(field, object_type, path)):
                raise GraphQLError(f"Expected value of type '{object_type.name}' but got: {inspect(value)}.", field.nodes)
            return self._object(shape.plan, value, path, here)
        if isinstance(value, (str, bytes, dict)) or not hasattr(value, "__iter__"):
            raise GraphQLError(f"Expected Iterable, but did not find one for field '{field_parent(path)}.{field.name}'.")
        items: list[Any] = []
        item_shape, item_nullable = shape.item, shape.item_nullable
        for index, item in enumerate(value):
            item_path = Path(path, index, None)
            items.append(None)
            try:
                if is_awaitable(item):
                    self.pending.append((item, field, item_shape, items, index, item_nullable, item_path, here))
                else:
                    items[index] = self._value(item_shape, item, field, item_path, items, index, item_nullable, here)
            except Exception as exc:  # noqa: BLE001
                self._failed(exc, field, item_path, item_nullable)
        return items

    @staticmethod
    def _leaf(shape: Shape, value: Any) -> Any:
        coerced = shape.coerce(value)
        if coerced is None or coerced is Undefined:
            raise TypeError(f"Expected `{inspect(shape.type)}.coerce_output_value({inspect(value)})` to return non-nullable"
                            f" value, returned: {inspect(coerced)}")
        return coerced

    async def _settle(self) -> None:
        """Await every pending value, wave after wave: the values of one wave may start the next."""
        while self.pending:
            wave, self.pending = self.pending, []
            # One task per awaitable (asyncio.gather). Stepping the coroutines by hand instead, without tasks, was
            # measured: no difference on the list or the 360 view, so the plain way stays.
            results = await asyncio.gather(*(entry[0] for entry in wave), return_exceptions=True)
            for (_, field, shape, holder, key, nullable, path, frame), value in zip(wave, results, strict=True):
                if isinstance(value, BaseException) and not isinstance(value, Exception):
                    raise value  # cancellation and exits are not field errors
                try:
                    holder[key] = self._value(shape, value, field, path, holder, key, nullable, frame)
                except Exception as exc:  # noqa: BLE001
                    error = exc.error if isinstance(exc, _Null) else located_error(exc, field.nodes, path.as_list())
                    self._bubble(error, holder, key, nullable, path, frame)

    def _failed(self, exc: Exception, field: FieldPlan, position: Path, nullable: bool) -> None:
        """A field or list item failed: null it here, or raise to the caller when this position may not be null."""
        error = exc.error if isinstance(exc, _Null) else located_error(exc, field.nodes, position.as_list())
        if not nullable:
            raise _Null(error)
        self._report(error, position)

    def _bubble(self, error: GraphQLError, holder, key, nullable: bool, path: Path | None, frame: Frame) -> None:
        """The same, after an await: walk the frames up to the nearest nullable position (the root's data is one)."""
        while not nullable:
            holder, key, nullable, path, frame = frame
        holder[key] = None
        self._report(error, path)

    def _report(self, error: GraphQLError, position: Path | None) -> None:
        """Record an error for a nulled position, unless an error already nulled it or a parent (as graphql-core)."""
        step = position
        while step is not None:
            if step in self.nulled:
                return
            step = step.prev
        if None in self.nulled:
            return
        self.nulled.add(position)
        self.errors.append(error)

    def _arguments(self, field: FieldPlan) -> dict:
        args = self.arguments.get(id(field))
        if args is None:
            details = field.details[0]
            args = self.arguments[id(field)] = get_argument_values(field.definition, details.node, self.variables, details.fragment_variable_values)
        return args

    def _info(self, field: FieldPlan, parent_type: GraphQLObjectType, path: Path) -> ResolveInfo:
        prepared = self.prepared
        return ResolveInfo(
            field_name=field.name, field_nodes=field.nodes, return_type=field.definition.type, parent_type=parent_type,
            path=path, schema=prepared.schema, fragments=prepared.fragment_nodes, root_value=self.root_value,
            operation=prepared.operation, variable_values=self.variables.coerced, context=self.context,
            is_awaitable=is_awaitable, abort_signal=None, async_helpers=self.helpers,
            operation_extensions=self.operation_extensions,
        )

    @staticmethod
    async def _gather(values):
        return await asyncio.gather(*values)

    def _track(self, values) -> None:
        """Work a resolver started and did not await (graphql-core's `info.async_helpers.track`): awaited before the
        response is sent, its failures reported."""
        self.tracked.extend(asyncio.ensure_future(v) for v in values if is_awaitable(v))

    async def _settle_tracked(self) -> None:
        while self.tracked:
            tracked, self.tracked = self.tracked, []
            for outcome in await asyncio.gather(*tracked, return_exceptions=True):
                if isinstance(outcome, Exception):
                    self.errors.append(located_error(outcome, None, None))


def field_parent(path: Path) -> str:
    """The parent type's name for an error message: the nearest typed step of the path."""
    while path is not None and path.typename is None:
        path = path.prev
    return path.typename if path is not None else "?"

