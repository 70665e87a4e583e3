"""Normalising emails, phones and websites on write, so search and duplicate detection compare like with like."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from crm.api.errors import Invalid

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def email(value: str, field: str) -> str:
    value = value.strip()
    if not EMAIL.match(value) or len(value) > 320:
        raise Invalid.one(field, "INVALID", f"{value!r} is not an email address")
    return value.lower()


def phone(value: str, field: str) -> str:
    """Digits only, with a leading + kept: "+49 (30) 123-45" -> "+493012345"."""
    digits = re.sub(r"\D", "", value)
    if not 5 <= len(digits) <= 17:
        raise Invalid.one(field, "INVALID", f"{value!r} is not a phone number")
    return ("+" if value.strip().startswith(("+", "00")) else "") + digits.removeprefix("00" if value.strip().startswith("00") else "")


SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:(?!\d)", re.IGNORECASE)  # "acme.com:8080" is a host and port, not a scheme
HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$", re.IGNORECASE)


def website(value: str | None, field: str = "website") -> str | None:
    """An http(s) address or a bare domain ("acme.com/about"). Anything a browser would run or open elsewhere
    (`javascript:`, `data:`, `file:`) is refused: front-ends render this value as a link."""
    value = (value or "").strip()
    if not value:
        return None
    if len(value) > 300:
        raise Invalid.one(field, "INVALID", "a website is at most 300 characters")
    if SCHEME.match(value) and not value.lower().startswith(("http://", "https://")):
        raise Invalid.one(field, "INVALID", "a website must be an http:// or https:// address or a domain name")
    try:
        host = urlsplit(value if "//" in value else "//" + value).hostname or ""
        host = host.encode("idna").decode("ascii")  # münchen.de -> xn--mnchen-3ya.de
    except (ValueError, UnicodeError):
        host = ""
    if not HOST.match(host):
        raise Invalid.one(field, "INVALID", f"{value!r} has no domain name a browser could open")
    return value


def website_domain(value: str | None) -> str | None:
    if not value:
        return None
    url = value.strip()
    host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    return host.lower().removeprefix("www.") or None


def search_name(name: str) -> str:
    return " ".join(name.lower().split())


LEGAL_FORMS = {"inc", "incorporated", "ltd", "limited", "llc", "gmbh", "ag", "sa", "sas", "srl", "bv", "nv", "plc", "co", "corp",
               "corporation", "company", "kg", "oy", "ab", "as", "spa", "pty", "the"}


def name_key(name: str) -> str:
    """A name with case, punctuation and legal forms removed: "The ACME Corp." and "Acme" compare equal."""
    words = re.sub(r"[^\w\s]", " ", name.lower()).split()
    return " ".join(w for w in words if w not in LEGAL_FORMS) or " ".join(words)


normalise_email = email  # public names (crm.normalise_email, crm.normalise_phone): (value, field) -> normal form or Invalid
normalise_phone = phone
