from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crm.models import Model, Timestamped, UTCDateTime, Versioned, id_column
from crm.models.types import ID


class User(Timestamped, Versioned, Model):
    __tablename__ = "core_user"
    __resource__ = "user"

    id: Mapped[int] = id_column()
    email: Mapped[str] = mapped_column(String(320), nullable=False, unique=True)  # stored lower-cased
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Team(Timestamped, Versioned, Model):
    __tablename__ = "core_team"
    __resource__ = "team"

    id: Mapped[int] = id_column()
    name: Mapped[str] = mapped_column(String(200), nullable=False, unique=True)
    manager_id: Mapped[int | None] = mapped_column(ID, ForeignKey("core_user.id"))


class TeamMember(Model):
    __tablename__ = "core_team_member"

    team_id: Mapped[int] = mapped_column(ID, ForeignKey("core_team.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ID, ForeignKey("core_user.id"), primary_key=True, index=True)


class Role(Timestamped, Versioned, Model):
    """A named set of grants. The grants themselves live in Casbin's rule table (`p, role:<id>, resource, action, scope`)."""

    __tablename__ = "core_role"
    __resource__ = "role"

    id: Mapped[int] = id_column()
    name: Mapped[str] = mapped_column(String(100), nullable=False, unique=True)
    description: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    builtin: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


class CasbinRule(Model):
    """Casbin's policy storage, read and written by the SQLAlchemy adapter."""

    __tablename__ = "core_casbin_rule"

    id: Mapped[int] = id_column()
    ptype: Mapped[str] = mapped_column(String(255), nullable=False)
    v0: Mapped[str | None] = mapped_column(String(255), index=True)
    v1: Mapped[str | None] = mapped_column(String(255))
    v2: Mapped[str | None] = mapped_column(String(255))
    v3: Mapped[str | None] = mapped_column(String(255))
    v4: Mapped[str | None] = mapped_column(String(255))
    v5: Mapped[str | None] = mapped_column(String(255))

    def __str__(self) -> str:  # the adapter loads lines through str()
        values = [v for v in (self.v0, self.v1, self.v2, self.v3, self.v4, self.v5) if v is not None]
        return ", ".join([self.ptype, *values])


class Token(Model):
    """A login session. Only the SHA-256 of the token is stored; the token itself is shown once."""

    __tablename__ = "core_token"

    id: Mapped[int] = id_column()
    user_id: Mapped[int] = mapped_column(ID, ForeignKey("core_user.id"), nullable=False, index=True)
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ApiKey(Timestamped, Model):
    """A key for an integration: acts as `user_id` (who owns what it creates) with the rights of `role_id` only."""

    __tablename__ = "core_api_key"

    id: Mapped[int] = id_column()
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    prefix: Mapped[str] = mapped_column(String(16), nullable=False)
    key_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    user_id: Mapped[int] = mapped_column(ID, ForeignKey("core_user.id"), nullable=False)
    role_id: Mapped[int] = mapped_column(ID, ForeignKey("core_role.id"), nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LoginThrottle(Model):
    """Failed logins per key (`account:<email>` or `address:<ip>`) within the lock-out window."""

    __tablename__ = "core_login_throttle"
    __table_args__ = (UniqueConstraint("key"),)

    id: Mapped[int] = id_column()
    key: Mapped[str] = mapped_column(String(400), nullable=False)
    failures: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    window_started_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
