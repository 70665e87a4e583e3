"""Saved views through GraphQL: a user names a list's filter and order, keeps it, and may share it with a team.

A view's `filter` and `orderBy` are the values a front-end sends as the list's `filter` and `orderBy` variables.
They are checked against the list's input types when saved (the same validation GraphQL applies to variables), so a
view always runs; `runs` says whether it still does after modules were disabled.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry
from graphql import GraphQLError
from graphql.utilities import validate_input_value
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from strawberry.scalars import JSON

from crm.api.access import inherited, requires
from crm.api.errors import Invalid, UserError, bad_input
from crm.api.inputs import IdInput, clean_text, given
from crm.api.mutations import fetch_for_write, mutation, restore, soft_delete
from crm.api.payloads import DeletePayload, payload_type
from crm.api.ids import parse_id
from crm.identity.models import Team, TeamMember
from crm.identity.schema.types import user_loader
from crm.api import refs
from crm.models import utcnow
from crm.views.models import SavedView

UNSET = strawberry.UNSET


@strawberry.type(name="SavedView", description="A named filter and order of one list, its owner's, shared with a team when "
                 "`sharedWithTeam` is set.")
class SavedViewType:
    id: strawberry.ID
    list: str = strawberry.field(description="The list it is for: `savedViewLists` names them.")
    name: str = strawberry.field(description="Its name.")
    filter: JSON = strawberry.field(description="Send it as the list's `filter` variable.")
    order_by: JSON | None = strawberry.field(description="Send it as the list's `orderBy` variable; null for the list's own order.")
    version: int
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None

    @strawberry.field(description="Who saved it.")
    @inherited
    async def owner(self, info: strawberry.Info) -> refs.User | None:
        return await user_loader(info.context).load(self.owner_id)

    @strawberry.field(description="The team it is shared with; null when it is its owner's alone.")
    @inherited
    async def shared_with_team(self, info: strawberry.Info) -> refs.Team | None:
        if self.team_id is None:
            return None
        async with info.context.db.read() as session:
            return await session.get(Team, self.team_id)

    @strawberry.field(description="Is it the caller's own (and so theirs to change)?")
    @inherited
    def mine(self, info: strawberry.Info) -> bool:
        return self.owner_id == info.context.user_id

    @strawberry.field(description="Do its filter and order still fit the list (a module they use may have been disabled since)?")
    @inherited
    def runs(self, info: strawberry.Info) -> bool:
        lists = info.context.runtime.saved_lists
        return self.list in lists and not _problems(info, lists[self.list], self.filter, self.order_by)


SavedViewPayload = payload_type("SavedView", view=SavedViewType)


@strawberry.type(description="A list views can be saved for.")
class SavedViewList:
    name: str = strawberry.field(description="The list's name (customers, leads, ...).")
    filter_type: str = strawberry.field(description="The GraphQL input type of its `filter`.")
    order_type: str | None = strawberry.field(description="The GraphQL input type of its `orderBy`; null when it has one order only.")


@strawberry.input
class SaveViewInput:
    list: str = strawberry.field(description="The list it is a view of (customers, or a plugin's list).")
    name: str = strawberry.field(description="Its name.")
    filter: JSON = strawberry.field(description="The list's `filter` value, as the front-end sends it.")
    order_by: JSON | None = strawberry.field(default=None, description="The list's order, as the list's orderBy takes it.")
    shared_with_team_id: strawberry.ID | None = strawberry.field(default=None, description="A team the caller belongs to or manages.")


@strawberry.input(description="Change a saved view; only the fields given change.")
class UpdateSavedViewInput:
    id: strawberry.ID
    version: int
    name: str | None = UNSET
    filter: JSON | None = UNSET
    order_by: JSON | None = UNSET
    shared_with_team_id: strawberry.ID | None = strawberry.field(default=UNSET, description="null: the owner's alone again.")


def _problems(info, saved_list, filter: Any, order_by: Any) -> list[UserError]:
    """Why `filter` / `orderBy` would not run as the list's variables: each as INVALID on its path."""
    schema = info.context.runtime.schema._schema
    problems = []
    for field, type_name, value in (("filter", saved_list.filter, filter), ("orderBy", saved_list.order, order_by)):
        if value is None:
            continue
        if type_name is None:
            problems.append(UserError(field=field, code="INVALID", message=f"the {saved_list.name} list has one order only"))
            continue
        input_type = schema.get_type(type_name)

        def refuse(error: GraphQLError, path, field=field) -> None:
            # An unknown field is reported at the object holding it; its name is in the message.
            where = ".".join([field, *(str(p) for p in path)])
            problems.append(UserError(field=where, code="INVALID", message=error.message))

        if input_type is None:
            problems.append(UserError(field=field, code="INVALID", message=f"{type_name} is not in the API any more"))
        else:
            validate_input_value(value, input_type, refuse)
    return problems


async def _team(session, info, raw) -> int | None:
    if raw is None:
        return None
    team_id = parse_id(raw, "sharedWithTeamId")
    me = info.context.user_id
    mine = await session.scalar(select(Team.id).where(Team.id == team_id, or_(
        Team.manager_id == me, Team.id.in_(select(TeamMember.team_id).where(TeamMember.user_id == me)))))
    if mine is None:
        raise Invalid.one("sharedWithTeamId", "NOT_FOUND", "no team of yours with this id")
    return team_id


def _check(info, list_name: str, filter: Any, order_by: Any):
    saved_list = info.context.runtime.saved_lists.get(list_name)
    if saved_list is None:
        known = ", ".join(sorted(info.context.runtime.saved_lists))
        raise Invalid.one("list", "INVALID", f"there is no list {list_name!r}; views can be saved for {known}")
    if not info.context.access.can(saved_list.resource, "read"):
        raise Invalid.one("list", "FORBIDDEN", f"you may not read the {list_name} list")
    problems = _problems(info, saved_list, filter, order_by)
    if problems:
        raise Invalid(*problems)


def _visible(info):
    """The caller's own views and those shared with a team they belong to or manage."""
    me = info.context.user_id
    my_teams = select(TeamMember.team_id).where(TeamMember.user_id == me).union(select(Team.id).where(Team.manager_id == me))
    return or_(SavedView.owner_id == me, SavedView.team_id.in_(my_teams))


@strawberry.type
class SavedViewQuery:
    @strawberry.field(description="The lists views can be saved for, with the input types of their filter and order.")
    @requires("saved_view", "read")
    def saved_view_lists(self, info: strawberry.Info) -> list[SavedViewList]:
        return [SavedViewList(name=s.name, filter_type=s.filter, order_type=s.order)
                for s in sorted(info.context.runtime.saved_lists.values(), key=lambda s: s.name)]

    @strawberry.field(description="The caller's views of a list and those their teams share, by name.")
    @requires("saved_view", "read")
    async def saved_views(self, info: strawberry.Info, list_name: Annotated[str, strawberry.argument(name="list", description="The list the views are of (customers, or a plugin's list).")],
                          deleted: bool = False) -> list[SavedViewType]:
        if list_name not in info.context.runtime.saved_lists:
            raise bad_input("list", f"there is no list {list_name!r}")
        stmt = select(SavedView).where(SavedView.list == list_name, _visible(info),
                                       SavedView.deleted_at.is_not(None) if deleted else SavedView.deleted_at.is_(None))
        if deleted:  # only one's own deleted views, to restore them
            stmt = stmt.where(SavedView.owner_id == info.context.user_id)
        async with info.context.db.read() as session:
            return list((await session.scalars(stmt.order_by(SavedView.name, SavedView.id))).all())


@strawberry.type
class SavedViewMutation:
    @strawberry.mutation(description="Save a list's filter and order under a name (unique among the caller's views of that list).")
    @requires("saved_view", "write")
    async def save_view(self, info: strawberry.Info, input: SaveViewInput) -> SavedViewPayload:
        async def work(session):
            _check(info, input.list, input.filter, input.order_by)
            view = SavedView(list=input.list, name=await _name(session, info, input.list, input.name, None), filter=input.filter,
                             order_by=input.order_by, team_id=await _team(session, info, input.shared_with_team_id),
                             owner_id=info.context.user_id)
            session.add(view)
            await _flush(session, view)
            return SavedViewPayload(view=view)

        return await mutation(info, SavedViewPayload, work)

    @strawberry.mutation(description="Change one of the caller's views; CONFLICT when `version` is not the current one.")
    @requires("saved_view", "write")
    async def update_saved_view(self, info: strawberry.Info, input: UpdateSavedViewInput) -> SavedViewPayload:
        async def work(session):
            view = await fetch_for_write(session, info, SavedView, input.id, resource="saved_view", version=input.version)
            if given(input.name):
                view.name = await _name(session, info, view.list, input.name or "", view)
            if given(input.filter):
                view.filter = input.filter or {}
            if given(input.order_by):
                view.order_by = input.order_by
            _check(info, view.list, view.filter, view.order_by)
            if given(input.shared_with_team_id):
                view.team_id = await _team(session, info, input.shared_with_team_id)
            view.updated_at = utcnow()
            await _flush(session, view)
            return SavedViewPayload(view=view)

        return await mutation(info, SavedViewPayload, work)

    @strawberry.mutation(description="Delete a saved view (soft: restorable).")
    @requires("saved_view", "write")
    async def delete_saved_view(self, info: strawberry.Info, input: IdInput) -> DeletePayload:
        return await soft_delete(info, SavedView, input.id, resource="saved_view")

    @strawberry.mutation(description="Bring a deleted view back (DUPLICATE when one of the same name was saved since).")
    @requires("saved_view", "write")
    async def restore_saved_view(self, info: strawberry.Info, input: IdInput) -> SavedViewPayload:
        return await restore(info, SavedView, input.id, resource="saved_view", payload=SavedViewPayload, field="view",
                             check=lambda session, view: _name(session, info, view.list, view.name, view))


async def _flush(session, view: SavedView) -> None:
    try:
        await session.flush()
    except IntegrityError:  # the same name saved at the same moment by another request: the unique index decided
        raise Invalid.one("name", "DUPLICATE", f"you have a view named {view.name!r} for this list already") from None


async def _name(session, info, list_name: str, raw: str, view: SavedView | None) -> str:
    name = clean_text(raw, "name", limit=100, required=True)
    owner = view.owner_id if view is not None else info.context.user_id
    taken = await session.scalar(select(SavedView.id).where(
        SavedView.owner_id == owner, SavedView.list == list_name, SavedView.name == name, SavedView.deleted_at.is_(None),
        SavedView.id != (view.id if view is not None else 0)))
    if taken is not None:
        raise Invalid.one("name", "DUPLICATE", f"you have a view named {name!r} for this list already")
    return name
