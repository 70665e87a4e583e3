"""Password hashing (argon2id) and the password policy."""

from __future__ import annotations

import argon2
from argon2 import profiles

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
def dummy_verify(password: str, profile: str) -> None:
    verify_password(hash_password("not-a-real-password-1", profile), password, profile)


def check_password_policy(password: str, email: str, min_length: int, field: str = "password") -> None:
    problems = []
    if len(password) < min_length:
        problems.append(f"at least {min_length} characters")
    if len(password) > 256:
        problems.append("at most 256 characters")
    if not any(c.isalpha() for c in password) or all(c.isalpha() for c in password):
        problems.append("letters and at least one digit or symbol")
    local = email.split("@", 1)[0].lower()
    if len(local) >= 4 and local in password.lower():
        problems.append("not your email address")
    if len(set(password)) < 4:
        problems.append("more than three different characters")
    if problems:
        raise Invalid(UserError(field=field, code="WEAK_PASSWORD", message="the password needs " + ", ".join(problems)))
