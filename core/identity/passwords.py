"""Password hashing (argon2id) and the password policy."""

from __future__ import annotations

import argon2
from argon2 import profiles
from zxcvbn import zxcvbn

from crm.api.errors import Invalid, UserError

_hashers: dict[str, argon2.PasswordHasher] = {}
PROFILES = {"RFC_9106_LOW_MEMORY": profiles.RFC_9106_LOW_MEMORY, "CHEAPEST": profiles.CHEAPEST}


def hasher(profile: str = "RFC_9106_LOW_MEMORY") -> argon2.PasswordHasher:
    if profile not in _hashers:
        _hashers[profile] = argon2.PasswordHasher.from_parameters(PROFILES[profile])
    return _hashers[profile]


def hash_password(password: str, profile: str) -> str:
    return hasher(profile).hash(password)


def verify_password(password_hash: str | None, password: str, profile: str) -> bool:
    if not password_hash:
        return False
    try:
        return hasher(profile).verify(password_hash, password)
    except (argon2.exceptions.VerificationError, argon2.exceptions.InvalidHashError):
        return False


# Verifying against this when the account does not exist keeps the answer time the same: no account probing.
# The hash is made once per profile, so an unknown email costs one verification, as a known one does.
_dummy_hashes: dict[str, str] = {}


def dummy_verify(password: str, profile: str) -> None:
    if profile not in _dummy_hashes:
        _dummy_hashes[profile] = hash_password("not-a-real-password-1", profile)
    verify_password(_dummy_hashes[profile], password, profile)


def check_password_policy(password: str, settings, email: str, name: str | None = None, field: str = "password") -> None:
    """NIST SP 800-63B: a minimum length, no composition rules, and no password that is common, derived from the
    account's own email or name, or otherwise guessable. zxcvbn estimates the guesses (its lists include 30,000 common
    passwords); `password_min_score` 3 means about 10^8 guesses or more, enough against offline attacks on argon2 hashes."""
    problems = []
    if len(password) < settings.password_min_length:
        problems.append(f"at least {settings.password_min_length} characters")
    if len(password) > 256:
        problems.append("at most 256 characters")
    if problems:
        raise Invalid(UserError(field=field, code="WEAK_PASSWORD", message="the password needs " + ", ".join(problems)))
    # zxcvbn's matching grows with length; the first 100 characters decide whether a password is guessable.
    estimate = zxcvbn(password[:100], user_inputs=[email, email.split("@", 1)[0], *(name.split() if name else [])])
    if estimate["score"] < settings.password_min_score:
        feedback = estimate["feedback"]
        hint = " ".join(filter(None, [feedback.get("warning"), *feedback.get("suggestions", [])]))
        raise Invalid(UserError(field=field, code="WEAK_PASSWORD", message=f"the password is too easy to guess. {hint}".strip()))
