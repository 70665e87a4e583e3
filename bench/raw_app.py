"""A bare starlette endpoint that runs the same SQL as the GraphQL list of scenario (1) and returns the same JSON.

It authenticates the same way, narrows by the caller's scope the same way and pages by the same keyset, so the
only difference from /graphql is the GraphQL layer: the ratio of the two is what that layer costs.
Serve it with `uvicorn bench.raw_app:create_app --factory`.
"""

from __future__ import annotations

import contextlib

from sqlalchemy import select, tuple_
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from crm.api.access import Access
from crm.api.pagination import decode_cursor, encode_cursor
from crm.customers.models import Contact, Customer
from crm.identity.auth import authenticate
from crm.identity.models import User
from crm.runtime import Runtime
from crm.settings import load_settings


def create_app() -> Starlette:
    holder: dict = {}

    @contextlib.asynccontextmanager
    async def lifespan(app):
        holder["runtime"] = await Runtime.start(load_settings())
        yield
        await holder["runtime"].stop()

    async def customers(request: Request) -> JSONResponse:
        runtime: Runtime = holder["runtime"]
        body = await request.json()
        principal = await authenticate(runtime.db, request.headers.get("authorization"))
        if principal is None:
            return JSONResponse({"errors": [{"message": "log in first"}]}, status_code=401)
        await runtime.policy.refresh()
        access = Access(principal.user_id, await runtime.policy.grants(principal.subject), runtime.db.read)
        first = min(int(body.get("first") or 20), runtime.settings.max_page_size)
        stmt = select(Customer).where(access.filter(Customer, "customer"), Customer.deleted_at.is_(None))
        if body.get("after"):
            stamp, customer_id = decode_cursor(body["after"], 2)
            stmt = stmt.where(tuple_(Customer.search_name, Customer.id) > tuple_(stamp, customer_id))
        stmt = stmt.order_by(Customer.search_name, Customer.id).limit(first + 1)
        async with runtime.db.read() as session:
            rows = list((await session.scalars(stmt)).all())
            page = rows[:first]
            ids = [c.id for c in page]
            contacts = (await session.scalars(
                select(Contact).where(Contact.customer_id.in_(ids), Contact.deleted_at.is_(None), access.filter(Contact, "contact"))
                .order_by(Contact.is_primary.desc(), Contact.name, Contact.id)
            )).all()
            owners = {u.id: u for u in (await session.scalars(select(User).where(User.id.in_({c.owner_id for c in page})))).all()}
        by_customer: dict[int, list] = {i: [] for i in ids}
        for contact in contacts:
            by_customer[contact.customer_id].append(
                {"id": str(contact.id), "name": contact.name, "title": contact.title, "isPrimary": contact.is_primary})
        edges = []
        for c in page:
            owner = owners.get(c.owner_id)
            edges.append({"node": {
                "id": str(c.id), "name": c.name, "kind": c.kind.upper(), "lifecycleStage": c.lifecycle_stage.upper(),
                "owner": {"id": str(owner.id), "name": owner.name, "email": owner.email} if owner else None,
                "contacts": by_customer[c.id],
            }})
        end = encode_cursor([page[-1].search_name, page[-1].id]) if page else None
        return JSONResponse({"data": {"customers": {"edges": edges, "pageInfo": {"hasNextPage": len(rows) > first, "endCursor": end}}}})

    return Starlette(routes=[Route("/raw/customers", customers, methods=["POST"])], lifespan=lifespan)
