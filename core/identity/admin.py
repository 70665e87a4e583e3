"""Creating the first admin, from the command line."""

from __future__ import annotations

from sqlalchemy import select

from crm.api.errors import Invalid
from crm.identity.models import CasbinRule, Role, User
from crm.identity.passwords import check_password_policy, hash_password
from crm.identity.policy import role_subject, user_subject
from crm.identity.schema.mutations import normalise_email
from crm.system.state import bump


async def create_admin(db, settings, email: str, password: str, name: str) -> User:
    email = normalise_email(email)
    check_password_policy(password, settings, email, name)
    async with db.write() as session:
        if await session.scalar(select(User.id).where(User.email == email)):
            raise Invalid.one("email", "DUPLICATE", f"a user with email {email} exists already")
        admin = await session.scalar(select(Role).where(Role.name == "admin"))
        user = User(email=email, name=name, password_hash=hash_password(password, settings.password_hash_profile))
        session.add(user)
        await session.flush()
        session.add(CasbinRule(ptype="g", v0=user_subject(user.id), v1=role_subject(admin.id)))
        await bump(session, "policy")
    return user
