"""POST /forms/leads/{key}: the company's web site posts a form (form-encoded or JSON), and a lead is made, with no
login. Abuse is answered with a 4xx and makes nothing: an unknown or inactive form (404), a body over 16 KiB (413),
another content type (415), more than the form's submissions per address and hour (429, counted by the database
for every worker), bad values (400 with typed errors). A filled honeypot field is answered as a success and makes
nothing, so bots learn nothing. After the lead is made `crm_on_lead_form_submitted` lets a mail plugin send a
double opt-in confirmation."""

from __future__ import annotations

import json
import logging
from urllib.parse import parse_qs

from sqlalchemy import select
from starlette.responses import JSONResponse, RedirectResponse, Response

import crm
from crm import Invalid
from crm.plugins.leads.models import LeadForm

MAX_BODY = 16 * 1024
MAX_VALUE = 2000
# Form field -> lead input field; "email" and "phone" fill the lists.
FIELDS = {"name": "name", "companyName": "company_name", "title": "title", "email": "emails", "phone": "phones",
          "website": "website", "region": "region", "industry": "industry", "notes": "notes"}
log = logging.getLogger("crm.leads.forms")


def _refusal(status: int, code: str, message: str, **extra) -> JSONResponse:
    return JSONResponse({"ok": False, "errors": [{"field": None, "code": code, "message": message}], **extra}, status_code=status)


def _values(request, body: bytes) -> dict[str, str] | Response:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/json":
        try:
            data = json.loads(body or b"{}")
        except ValueError:
            return _refusal(400, "INVALID", "the body is not JSON")
        if not isinstance(data, dict):
            return _refusal(400, "INVALID", "send a JSON object of field names and values")
        pairs = {k: v for k, v in data.items()}
    elif kind == "application/x-www-form-urlencoded":
        try:
            pairs = {k: v[0] for k, v in parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=50).items()}
        except (UnicodeDecodeError, ValueError):
            return _refusal(400, "INVALID", "the form data cannot be read")
    else:
        return _refusal(415, "INVALID", "send application/x-www-form-urlencoded or application/json")
    out = {}
    for key, value in pairs.items():
        if not isinstance(key, str) or not isinstance(value, (str, int, float)) or isinstance(value, bool):
            return _refusal(400, "INVALID", f"{key!r} must be text")
        if len(str(value)) > MAX_VALUE or "\x00" in str(value):
            return _refusal(400, "TOO_LARGE" if len(str(value)) > MAX_VALUE else "INVALID", f"{key!r} is too long or holds a NUL byte")
        out[key] = str(value)
    return out


async def submit(request, runtime) -> Response:
    body = await request.body()
    if len(body) > MAX_BODY:
        return _refusal(413, "TOO_LARGE", f"a form submission is at most {MAX_BODY} bytes")
    values = _values(request, body)
    if isinstance(values, Response):
        return values
    key = request.path_params["key"]
    async with runtime.db.write() as session:  # its own transaction: a refused submission still counts
        form = await session.scalar(select(LeadForm).where(LeadForm.key == key, LeadForm.active.is_(True), LeadForm.deleted_at.is_(None)))
        if form is None:
            return _refusal(404, "NOT_FOUND", "no such form")
        wait = await crm.rate_limit(session, f"leadform:{form.id}:{crm.client_address(request) or '-'}", form.per_address_per_hour, 3600)
    if wait:
        refused = _refusal(429, "THROTTLED", f"too many submissions; try again in {wait} seconds")
        refused.headers["Retry-After"] = str(wait)
        return refused
    done = _done(form, request)
    if values.get(form.honeypot):
        log.info("lead form %s: honeypot filled, nothing made", form.id)
        return done
    data: dict = {"emails": [], "phones": []}
    for name, value in values.items():
        if name in FIELDS and name in form.fields and value.strip():
            target = FIELDS[name]
            if target in ("emails", "phones"):
                data[target].append(value)
            else:
                data[target] = value
    from crm.plugins.leads.schema.leads import CreateLeadInput, add_lead

    try:
        async with runtime.db.write() as session:
            session.info["actor_id"] = None
            session.info["runtime"] = runtime
            data.setdefault("name", data["emails"][0] if data["emails"] else "")
            lead = await add_lead(session, runtime, crm.Access(None, {}), CreateLeadInput(
                **data, source=form.source or "web form", campaign=form.campaign, pool_id=str(form.pool_id),
                campaign_id=str(form.campaign_id) if form.campaign_id else None))
            await crm.publish(session, "crm_on_lead_form_submitted", lead=lead, form=form, values=values)
    except Invalid as exc:
        errors = [{"field": e.field, "code": e.code, "message": e.message} for e in exc.errors]
        return JSONResponse({"ok": False, "errors": errors}, status_code=400)
    return done


def _done(form: LeadForm, request) -> Response:
    browser = request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded")
    if form.redirect_url and browser:
        return RedirectResponse(form.redirect_url, status_code=303)
    return JSONResponse({"ok": True}, status_code=201)
