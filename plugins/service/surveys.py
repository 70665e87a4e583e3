"""Satisfaction surveys: `sendSatisfactionSurvey` makes the link an e-mail carries (a one-time token, kept only as its
SHA-256), and `POST /surveys/{token}` takes the customer's answer, once, before it expires: the conditional UPDATE that
records it is what decides, so two answers sent at the same moment record one."""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import timedelta

from sqlalchemy import select, update
from starlette.responses import JSONResponse, Response

import crm
from crm.plugins.service import history
from crm.plugins.service.models import Survey, Ticket

LIFETIME = timedelta(days=14)
MAX_BODY = 8 * 1024
PER_ADDRESS_PER_HOUR = 30


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue(session, ticket: Ticket) -> tuple[str, Survey]:
    """A new token for the ticket's survey (the previous link stops working); the token is shown once."""
    token = secrets.token_urlsafe(32)
    now = crm.utcnow()
    survey = await session.scalar(select(Survey).where(Survey.ticket_id == ticket.id))
    if survey is None:
        survey = Survey(ticket_id=ticket.id, token_hash=digest(token), sent_at=now, expires_at=now + LIFETIME)
        session.add(survey)
    else:
        survey.token_hash, survey.sent_at, survey.expires_at = digest(token), now, now + LIFETIME
    await session.flush()
    return token, survey


def _refusal(status: int, field: str | None, code: str, message: str) -> JSONResponse:
    return JSONResponse({"ok": False, "errors": [{"field": field, "code": code, "message": message}]}, status_code=status)


async def answer(request, runtime) -> Response:
    body = await request.body()
    if len(body) > MAX_BODY:
        return _refusal(413, None, "TOO_LARGE", f"an answer is at most {MAX_BODY} bytes")
    async with runtime.db.write() as session:  # its own transaction: a refused answer still counts
        wait = await crm.rate_limit(session, f"survey:{crm.client_address(request) or '-'}", PER_ADDRESS_PER_HOUR, 3600)
    if wait:
        refused = _refusal(429, None, "THROTTLED", f"too many answers; try again in {wait} seconds")
        refused.headers["Retry-After"] = str(wait)
        return refused
    try:
        data = json.loads(body or b"{}")
    except ValueError:
        return _refusal(400, None, "INVALID", "send a JSON object: {\"score\": 1-5, \"comment\": \"...\"}")
    score, comment = (data.get("score"), data.get("comment")) if isinstance(data, dict) else (None, None)
    if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
        return _refusal(400, "score", "INVALID", "the score is a whole number from 1 to 5")
    if comment is not None and (not isinstance(comment, str) or len(comment) > 4000 or "\x00" in comment):
        return _refusal(400, "comment", "INVALID", "the comment is text of at most 4000 characters")
    token_hash, now = digest(request.path_params["token"]), crm.utcnow()
    async with runtime.db.write() as session:
        session.info["actor_id"] = None
        taken = await session.execute(update(Survey).where(Survey.token_hash == token_hash, Survey.answered_at.is_(None),
                                                           Survey.expires_at > now)
                                      .values(answered_at=now, score=score, comment=(comment or "").strip() or None)
                                      .returning(Survey.ticket_id).execution_options(synchronize_session=False))
        ticket_id = taken.scalar()
        if ticket_id is None:
            survey = await session.scalar(select(Survey).where(Survey.token_hash == token_hash))
            if survey is None:
                return _refusal(404, "token", "NOT_FOUND", "no such survey; the link may have been replaced by a newer one")
            if survey.answered_at is not None:
                return _refusal(409, "token", "ANSWERED", "this survey was answered already; thank you")
            return _refusal(410, "token", "EXPIRED", "this survey has expired")
        ticket = await session.get(Ticket, ticket_id)
        history.record(session, ticket, "rated", body=f"{score}/5" + (f": {comment.strip()}" if comment and comment.strip() else ""))
    return JSONResponse({"ok": True}, status_code=200)
