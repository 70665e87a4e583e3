"""Normalising emails, phones and websites on write, so search and duplicate detection compare like with like."""

from __future__ import annotations

import functools
import re
from urllib.parse import urlsplit

from crm.api.errors import Invalid

# Numbers written without a country code belong to this region (ISO 3166 code, CRM_PHONE_REGION); set by the runtime
# at start from its settings, so that every module's numbers are normalised alike.
_region: str | None = None


def configure(phone_region: str | None) -> None:
    global _region
    if phone_region != _region:
        _region = phone_region
        _phone.cache_clear()


@functools.lru_cache(maxsize=8192)  # imports normalise each value twice (to validate, then to find duplicates)
def _email(value: str) -> str | None:
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(value, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return None


def email(value: str, field: str) -> str:
    """The normal form of an e-mail address (email-validator's, lower-cased: duplicates compare alike), or INVALID."""
    value = value.strip()
    normal = _email(value) if len(value) <= 320 else None
    if normal is None:
        raise Invalid.one(field, "INVALID", f"{value!r} is not an email address")
    return normal


@functools.lru_cache(maxsize=8192)
def _phone(text: str) -> str | None:
    import phonenumbers

    digits = re.sub(r"\D", "", text)
    if not 5 <= len(digits) <= 17:
        return None
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, None if text.startswith("+") else _region)
        if phonenumbers.is_possible_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        pass
    # What the library cannot place (no country code and no CRM_PHONE_REGION, an extension, a made-up number): its digits.
    return ("+" if text.startswith("+") else "") + (digits[2:] if text.startswith("+") and digits.startswith("00") else digits)


def phone(value: str, field: str) -> str:
    """E.164 ("+49301000000" for "030 1000000" with CRM_PHONE_REGION=DE, or for "+49 (30) 100 00 00"), by the
    phonenumbers library; the digits (with a leading + kept) for numbers it cannot place; INVALID for what has
    fewer than 5 or more than 17 digits."""
    normal = _phone(value.strip())
    if normal is None:
        raise Invalid.one(field, "INVALID", f"{value!r} is not a phone number")
    return normal


def renormalised(rows) -> list[dict]:
    """(id, value as entered, stored normal form) of phone rows -> `{"id", "normalized"}` for those whose normal form
    changed under the current rules and region (a new release, a new CRM_PHONE_REGION)."""
    out = []
    for row_id, value, stored in rows:
        normal = _phone((value or "").strip())
        if normal is not None and normal != stored:
            out.append({"id": row_id, "normalized": normal})
    return out


def phone_prefixes(term: str) -> list[str]:
    """The normal forms a typed phone prefix may start: its digits, with a +, and its E.164 start in the region."""
    digits = "".join(c for c in term if c.isdigit())
    out = [digits, f"+{digits}"]
    if term.strip().startswith(("0", "(")) and _region:
        import phonenumbers

        try:
            number = phonenumbers.parse(term.strip(), _region)
            out.append(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
        except phonenumbers.NumberParseException:
            pass
    return list(dict.fromkeys(out))


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
