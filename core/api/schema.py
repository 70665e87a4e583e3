"""The strawberry schema the API serves: operations are parsed, validated and planned once, then run prepared.

`CRMSchema.execute` looks the operation up in a per-process cache keyed by its text (or by the SHA-256 of its text,
for clients that send persisted queries) and runs the cached plan (crm.api.prepared). What the prepared executor
does not plan, and every request whose text does not parse or validate, goes through strawberry's own `execute`, so
errors read exactly as strawberry reports them.

Persisted queries follow Apollo's automatic persisted queries protocol, which Apollo Client, urql and Relay speak:
a client sends `extensions: {"persistedQuery": {"version": 1, "sha256Hash": "..."}}` without the text; an unknown
hash answers `PersistedQueryNotFound`, and the client sends text and hash once, after which the hash is enough.
The cache is per worker process: a worker that has not seen a hash asks for the text once.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

import strawberry
from graphql import GraphQLError, get_operation_ast, specified_rules
from graphql.execution.values import get_variable_values
from strawberry.schema.schema import validate_document
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from crm.api import reporting
from crm.api.guard import Limits, bad_text, measure, parse_guarded
from crm.api.prepared import Execution, NotPreparable, PreparedOperation

CACHE_SIZE = 1000  # distinct operation texts kept per process; front-ends send a few dozen
NOT_PREPARED = None


class Refused(tuple):
    """The errors a text is refused with (too costly, does not parse or validate), kept like a prepared plan."""


class _LRU(OrderedDict):
    def __init__(self, size: int):
        super().__init__()
        self.size = size

    def get_recent(self, key, default=None):
        found = self.get(key, default)
        if found is not default:
            self.move_to_end(key)
        return found

    def put(self, key, value) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.size:
            self.popitem(last=False)


class CRMSchema(strawberry.Schema):
    def __init__(self, *args, validation_rules: Iterable = (), cache_size: int = CACHE_SIZE, limits: Limits = Limits(),
                 timeout_seconds: float = 30.0, prepared_execution: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.rules = (*specified_rules, *validation_rules)
        self.limits = limits
        self.timeout_seconds = timeout_seconds
        # The prepared executor runs resolvers itself; a strawberry extension that hooks execution or each resolver
        # (error masking, tracing) would be bypassed by it, so with one installed every operation goes to strawberry.
        self.prepared_execution = prepared_execution and not _hooks_execution(self.extensions)
        self._operations = _LRU(cache_size)  # (text, operation name) -> PreparedOperation, or NOT_PREPARED
        self._persisted = _LRU(cache_size)  # sha256 of a text -> the text
        self.preparations = 0  # how many texts were parsed and validated (tests count them)

    async def execute(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionResult:
        result, prepared = await self._answer(query, variable_values, context_value, root_value, operation_name,
                                              allowed_operation_types, operation_extensions)
        name = prepared.operation.name if isinstance(prepared, PreparedOperation) else None
        _note_for_log(context_value, operation_name or (name.value if name else None), result.errors)
        return result

    async def _answer(self, query, variable_values, context_value, root_value, operation_name, allowed_operation_types,
                      operation_extensions) -> tuple[ExecutionResult, Any]:
        """The result, and the prepared operation (or refusal) it came from."""
        prepared = None
        persisted = (operation_extensions or {}).get("persistedQuery")
        if persisted is not None:
            query, refused = self._persisted_text(query, persisted)
            if refused is not None:
                return ExecutionResult(data=None, errors=[refused]), prepared
        if not query:
            return ExecutionResult(data=None, errors=[reporting_error("send a query", "BAD_USER_INPUT")]), prepared
        prepared = self.prepared(query, operation_name)
        if isinstance(prepared, Refused):
            reporting.present(list(prepared), operation_name)  # one log line each
            return ExecutionResult(data=None, errors=list(prepared)), prepared
        problem = _bad_variables(variable_values)
        if problem:
            return ExecutionResult(data=None, errors=[problem]), prepared
        try:
            async with asyncio.timeout(self.timeout_seconds):
                result = await self.run_plan(prepared, query, variable_values, context_value, root_value, operation_name,
                                         allowed_operation_types, operation_extensions)
        except TimeoutError:
            message = f"the request took longer than {self.timeout_seconds:g} s and was stopped; nothing it was changing was kept"
            result = ExecutionResult(data=None, errors=[reporting_error(message, "TIMEOUT")])
        if result.errors:
            result.errors = reporting.present(result.errors, operation_name)
            status = reporting.status_of(result.errors)
            response = getattr(context_value, "response", None)
            if status and response is not None:
                response.status_code = status
                response.headers["Retry-After"] = str(reporting.RETRY_AFTER_SECONDS)
        return result, prepared

    async def run_plan(self, prepared, query, variable_values, context_value, root_value, operation_name,
                   allowed_operation_types, operation_extensions) -> ExecutionResult:
        """Run a prepared operation (or hand an unprepared one to strawberry); errors as the executor reports them."""
        allowed = allowed_operation_types if allowed_operation_types is not None else (OperationType.QUERY, OperationType.MUTATION)
        variables = None
        if prepared is not NOT_PREPARED and OperationType(prepared.operation_type.value) in allowed:
            variables = get_variable_values(self._schema, prepared.operation.variable_definitions or (), variable_values or {})
        if variables is None or isinstance(variables, list):
            # Not prepared, not allowed here (a mutation over GET), or variables that do not fit: strawberry answers.
            return await super().execute(query, variable_values, context_value, root_value, operation_name,
                                         allowed_operation_types, operation_extensions)
        try:
            data, errors = await Execution(prepared, context_value, root_value, variables, operation_extensions).run()
        except NotPreparable:  # found while planning, before any resolver ran (an interface such as Node): strawberry runs it
            self._operations.put((query, operation_name), NOT_PREPARED)
            return await super().execute(query, variable_values, context_value, root_value, operation_name,
                                         allowed_operation_types, operation_extensions)
        return ExecutionResult(data=data, errors=errors or None)

    def process_errors(self, errors, execution_context=None) -> None:
        """Errors are logged by `execute`, once each (crm.api.reporting), not with strawberry's full tracebacks."""

    def prepared(self, query: str, operation_name: str | None) -> PreparedOperation | Refused | None:
        """The prepared operation for this text, made on first sight; its refusal when it may not run; None when
        strawberry should run it (subscriptions, @defer: what the prepared executor does not plan)."""
        key = (query, operation_name)
        found = self._operations.get_recent(key, key)
        if found is not key:
            return found
        self.preparations += 1
        prepared = NOT_PREPARED
        try:
            document = parse_guarded(query, self.limits)
            refusals = measure(self._schema, document, self.limits)
            if not refusals:
                refusals = validate_document(self._schema, document, self.rules)
                for error in refusals:
                    error.extensions = {**error.extensions, "code": error.extensions.get("code", "GRAPHQL_VALIDATION_FAILED")}
            if refusals:
                prepared = Refused(refusals)
            else:
                operation = get_operation_ast(document, operation_name)
                if operation is not None and self.prepared_execution:  # several operations and no name: strawberry decides
                    prepared = PreparedOperation(self._schema, document, operation)
        except GraphQLError as exc:
            prepared = Refused([exc])
        except NotPreparable:
            prepared = NOT_PREPARED
        self._operations.put(key, prepared)
        return prepared

    def _persisted_text(self, query: str | None, persisted: Any) -> tuple[str | None, GraphQLError | None]:
        """The text of a persisted query, or the error the protocol answers with."""
        digest = persisted.get("sha256Hash") if isinstance(persisted, dict) else None
        if not isinstance(digest, str) or persisted.get("version") != 1:
            return None, GraphQLError("persisted queries need version 1 and a sha256Hash",
                                      extensions={"code": "PERSISTED_QUERY_INVALID"})
        if query is None:
            known = self._persisted.get_recent(digest)
            if known is None:
                return None, GraphQLError("PersistedQueryNotFound", extensions={"code": "PERSISTED_QUERY_NOT_FOUND"})
            return known, None
        if hashlib.sha256(query.encode()).hexdigest() != digest:
            return None, GraphQLError("provided sha does not match query", extensions={"code": "PERSISTED_QUERY_HASH_MISMATCH"})
        self._persisted.put(digest, query)
        return query, None


def reporting_error(message: str, code: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code})


def _bad_variables(values: Any, path: str = "") -> GraphQLError | None:
    """NUL bytes and lone surrogates are refused in every string a request carries, here, once for every field."""
    if isinstance(values, str):
        problem = bad_text(values, f"the variable {path}")
        return GraphQLError(problem, extensions={"code": "INVALID", "field": path}) if problem else None
    if isinstance(values, dict):
        for key, value in values.items():
            found = _bad_variables(key, path) or _bad_variables(value, f"{path}.{key}" if path else str(key))
            if found:
                return found
    elif isinstance(values, list):
        for i, value in enumerate(values):
            found = _bad_variables(value, f"{path}[{i}]")
            if found:
                return found
    return None


def _note_for_log(context, operation: str | None, errors) -> None:
    """The operation and error codes for the request's log line (crm.api.request_log); never variables or text."""
    request = getattr(context, "request", None)
    facts = getattr(request, "scope", {}).get("state", {}).get("crm_request") if request is not None else None
    if facts is None:
        return
    facts["operation"] = operation
    codes = sorted({(e.extensions or {}).get("code") or "INTERNAL" for e in errors or ()})  # present() coded them
    if codes:
        facts["codes"] = codes


def _hooks_execution(extensions) -> bool:
    """Does any installed strawberry extension override `on_execute` or `resolve`?"""
    from strawberry.extensions import SchemaExtension

    for extension in extensions or ():
        cls = extension if isinstance(extension, type) else type(extension)
        if cls.on_execute is not SchemaExtension.on_execute or cls.resolve is not SchemaExtension.resolve:
            return True
    return False

