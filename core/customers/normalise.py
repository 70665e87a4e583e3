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
