"""Query complexity limit, checked during validation: a costly query is refused before it touches the database.

Cost counts every field the query would resolve, connections multiplied by their page size (`first`, or the
default page when absent, or the largest page when it comes from a variable). Depth and aliases have their own
limits (strawberry's QueryDepthLimiter and MaxAliasesLimiter).
"""

from __future__ import annotations

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    ValidationRule,
    get_named_type,
)
from strawberry.extensions import AddValidationRules


def ComplexityLimiter(limit: int, default_page: int, max_page: int = 100) -> AddValidationRules:  # noqa: N802
    class ComplexityRule(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_args) -> None:
            schema = self.context.schema
            root = {
                "query": schema.query_type,
                "mutation": schema.mutation_type,
                "subscription": schema.subscription_type,
            }[node.operation.value]
            fragments = {f.name.value: f for f in self.context.document.definitions if hasattr(f, "type_condition")}
            total = self._cost(node.selection_set, root, fragments, 1, frozenset())
            if total > limit:
                self.report_error(
                    GraphQLError(
                        f"query is too complex: it may resolve {total} fields, the limit is {limit}; "
                        "ask for fewer fields or smaller pages",
                        node,
                        extensions={"code": "QUERY_TOO_COMPLEX"},
                    )
                )

        def _cost(self, selection_set, parent, fragments, multiplier: int, seen: frozenset) -> int:
            if selection_set is None or parent is None or not hasattr(parent, "fields"):
                return 0
            total = 0
            for sel in selection_set.selections:
                if isinstance(sel, FieldNode):
                    field = parent.fields.get(sel.name.value)
                    if field is None:
                        continue
                    named = get_named_type(field.type)
                    inner = multiplier
                    if named.name.endswith("Connection"):
                        inner = multiplier * self._page(sel)
                    total += multiplier + self._cost(sel.selection_set, named, fragments, inner, seen)
                elif isinstance(sel, InlineFragmentNode):
                    target = self.context.schema.get_type(sel.type_condition.name.value) if sel.type_condition else parent
                    total += self._cost(sel.selection_set, target, fragments, multiplier, seen)
                elif isinstance(sel, FragmentSpreadNode):
                    name = sel.name.value
                    fragment = fragments.get(name)
                    if fragment is None or name in seen:
                        continue  # unknown or cyclic fragments are reported by the standard rules
                    target = self.context.schema.get_type(fragment.type_condition.name.value)
                    total += self._cost(fragment.selection_set, target, fragments, multiplier, seen | {name})
            return total

        @staticmethod
        def _page(node: FieldNode) -> int:
            for arg in node.arguments or ():
                if arg.name.value == "first":
                    return int(arg.value.value) if isinstance(arg.value, IntValueNode) else max_page
            return default_page

    return AddValidationRules([ComplexityRule])
