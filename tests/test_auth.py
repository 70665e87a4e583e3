"""Logging in, tokens, API keys, throttling."""

import asyncio
from datetime import timedelta

import httpx
from sqlalchemy import select, update

from crm.audit.models import AuditEntry
from crm.identity.models import LoginThrottle, Token
from crm.models import utcnow

LOGIN = "mutation($i: LoginInput!) { login(input: $i) { token user { email } errors { field code message } } }"
ME = "{ me { email roles { name } teams { name } effectiveGrants { resource action scope } } }"


async def test_login_me_logout(make_app):
    api = await make_app()
    user, token = await api.as_user("sales_rep", email="Rita@Example.com")
    me = (await api.gql(ME, token=token))["me"]
    assert me["email"] == "rita@example.com" and me["roles"] == [{"name": "sales_rep"}]
    assert {"resource": "customer", "action": "READ", "scope": "OWN"} in me["effectiveGrants"]
    assert (await api.gql("mutation { logout { errors { code } } }", token=token))["logout"]["errors"] == []
    body = await api.gql(ME, token=token, expect_errors=True)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_wrong_password_and_unknown_user_look_alike(make_app):
    api = await make_app()
    await api.create_user(email="x@example.com")
    wrong = await api.gql(LOGIN, {"i": {"email": "x@example.com", "password": "nope-nope-1"}})
    unknown = await api.gql(LOGIN, {"i": {"email": "ghost@example.com", "password": "nope-nope-1"}})
    assert wrong["login"]["errors"] == unknown["login"]["errors"] == [
        {"field": None, "code": "INVALID_CREDENTIALS", "message": "wrong email or password"}
    ]
    assert wrong["login"]["token"] is None


def from_address(api, address: str) -> httpx.AsyncClient:
    """A client of the same app that connects from `address`."""
    transport = httpx.ASGITransport(app=api.client._transport.app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://crm.test")


async def login_from(client, email: str, password: str) -> dict:
    return (await client.post("/graphql", json={"query": LOGIN, "variables": {"i": {"email": email, "password": password}}})).json()["data"]["login"]


async def test_failed_logins_slow_down_that_address_only_and_an_admin_can_unlock(make_app):
    api = await make_app(login_max_failures=3)
    user = await api.create_user(email="y@example.com")
    attacker, owner = from_address(api, "203.0.113.9"), from_address(api, "198.51.100.7")
    for _ in range(3):
        assert (await login_from(attacker, "y@example.com", "bad-password-1"))["errors"][0]["code"] == "INVALID_CREDENTIALS"
    waiting = await login_from(attacker, "y@example.com", api.PASSWORD)
    assert waiting["token"] is None and waiting["errors"][0]["code"] == "THROTTLED"
    assert "try again in" in waiting["errors"][0]["message"]
    # The owner, from their own address, is not locked out by the attacker.
    assert (await login_from(owner, "y@example.com", api.PASSWORD))["token"]
    # Each further failure doubles the wait: let the first wait pass, fail again, the next wait is longer.
    async with api.runtime.db.write() as session:
        await session.execute(update(LoginThrottle).where(LoginThrottle.key.startswith("pair:y@")).values(locked_until=utcnow()))
    await login_from(attacker, "y@example.com", "bad-password-1")
    async with api.runtime.db.read() as session:
        until = await session.scalar(select(LoginThrottle.locked_until).where(LoginThrottle.key == "pair:y@example.com|203.0.113.9"))
    assert timedelta(seconds=1.5) < until - utcnow() <= timedelta(seconds=2)
    # An admin clears every wait of the account, and the audit trail says who did.
    unlocked = await api.admin("mutation($i: UserIdInput!) { unlockLogin(input: $i) { user { email } errors { code } } }",
                               {"i": {"userId": user["id"]}})
    assert unlocked["unlockLogin"] == {"user": {"email": "y@example.com"}, "errors": []}
    assert (await login_from(attacker, "y@example.com", api.PASSWORD))["token"]
    async with api.runtime.db.read() as session:
        assert await session.scalar(select(AuditEntry.action).where(AuditEntry.action == "login_unlocked")) == "login_unlocked"
    # A rep may not unlock anyone.
    _, rep = await api.as_user("sales_rep")
    refused = await api.gql("mutation($i: UserIdInput!) { unlockLogin(input: $i) { errors { code } } }", {"i": {"userId": user["id"]}}, rep,
                            expect_errors=True)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_an_address_that_sprays_guesses_is_throttled_for_wrong_passwords_only(make_app):
    api = await make_app(login_max_failures_per_address=4)
    await api.create_user(email="z@example.com")
    office = from_address(api, "192.0.2.1")
    for i in range(4):
        await login_from(office, f"guess{i}@example.com", "bad-password-1")
    wrong = await login_from(office, "z@example.com", "bad-password-1")
    assert wrong["errors"][0]["code"] == "THROTTLED"
    # A colleague behind the same address who knows their password still logs in.
    assert (await login_from(office, "z@example.com", api.PASSWORD))["token"]


async def test_concurrent_failures_are_all_counted(make_app):
    api = await make_app(login_max_failures=50)
    await api.create_user(email="c@example.com")
    client = from_address(api, "192.0.2.50")
    await asyncio.gather(*(login_from(client, "c@example.com", "bad-password-1") for _ in range(8)))
    async with api.runtime.db.read() as session:
        assert await session.scalar(select(LoginThrottle.failures).where(LoginThrottle.key == "pair:c@example.com|192.0.2.50")) == 8


async def test_expired_token_is_refused(make_app):
    api = await make_app()
    _, token = await api.as_user("viewer")
    async with api.runtime.db.write() as session:
        await session.execute(update(Token).values(expires_at=utcnow() - timedelta(seconds=1)))
    body = await api.gql(ME, token=token, expect_errors=True)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_deactivating_a_user_revokes_every_token(make_app):
    api = await make_app()
    user, first = await api.as_user("sales_rep")
    second = await api.login(user["email"])
    data = await api.admin("mutation($i: UserIdInput!) { deactivateUser(input: $i) { errors { code } } }", {"i": {"userId": user["id"]}})
    assert data["deactivateUser"]["errors"] == []
    for token in (first, second):
        assert (await api.gql(ME, token=token, expect_errors=True))["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    again = await api.gql(LOGIN, {"i": {"email": user["email"], "password": api.PASSWORD}})
    assert again["login"]["errors"][0]["code"] == "INVALID_CREDENTIALS"


async def test_password_policy_gives_typed_errors_and_creates_nothing(make_app):
    api = await make_app()
    data = await api.admin(
        "mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } errors { field code message } } }",
        {"i": {"email": "weak@example.com", "name": "Weak", "password": "short"}},
    )
    assert data["createUser"]["user"] is None
    assert data["createUser"]["errors"][0]["field"] == "password" and data["createUser"]["errors"][0]["code"] == "WEAK_PASSWORD"
    users = await api.admin('{ users(filter: {search: "weak"}) { totalCount } }')
    assert users["users"]["totalCount"] == 0


async def test_common_and_guessable_passwords_are_refused(make_app):
    api = await make_app()
    create = "mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } errors { field code message } } }"
    for weak in ("password12", "qwertyuiop1", "Summer2024!", "rita.jones2026", "1234567890"):
        data = await api.admin(create, {"i": {"email": "rita.jones@example.com", "name": "Rita Jones", "password": weak}})
        assert data["createUser"]["user"] is None, weak
        assert data["createUser"]["errors"][0]["code"] == "WEAK_PASSWORD" and "guess" in data["createUser"]["errors"][0]["message"], weak
    # No composition rules (NIST 800-63B): a long passphrase of plain words is fine.
    ok = await api.admin(create, {"i": {"email": "rita.jones@example.com", "name": "Rita Jones", "password": "tangerine orbit lantern"}})
    assert ok["createUser"]["errors"] == []


async def test_api_key_acts_with_its_role_and_can_be_revoked(make_app):
    api = await make_app()
    roles = {r["name"]: r["id"] for r in (await api.admin("{ roles { id name } }"))["roles"]}
    created = await api.admin(
        "mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret apiKey { id prefix } errors { code } } }",
        {"i": {"name": "warehouse sync", "roleId": roles["viewer"]}},
    )
    secret = created["createApiKey"]["secret"]
    assert secret.startswith(created["createApiKey"]["apiKey"]["prefix"])
    await api.create_customer(name="Seen by key")
    assert (await api.gql("{ customers { totalCount } }", token=secret))["customers"]["totalCount"] == 1
    refused = await api.gql('mutation { createCustomer(input: {kind: COMPANY, name: "x"}) { errors { code } } }', token=secret, expect_errors=True)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    keys = await api.admin("{ apiKeys { name lastUsedAt role { name } } }")
    assert keys["apiKeys"][0]["lastUsedAt"] is not None and keys["apiKeys"][0]["role"]["name"] == "viewer"
    await api.admin("mutation($i: IdInput!) { revokeApiKey(input: $i) { errors { code } } }", {"i": {"id": created["createApiKey"]["apiKey"]["id"]}})
    assert (await api.gql("{ customers { totalCount } }", token=secret, expect_errors=True))["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_behind_a_trusted_proxy_each_client_is_counted_by_its_own_address(make_app):
    api = await make_app(login_max_failures_per_address=2, trusted_proxies=["10.0.0.0/8"])
    await api.create_user(email="p@example.com")
    proxy, stranger = from_address(api, "10.1.2.3"), from_address(api, "198.51.100.20")

    async def through(client, forwarded_for, email):
        response = await client.post("/graphql", json={"query": LOGIN, "variables": {"i": {"email": email, "password": "bad-password-1"}}},
                                     headers={"X-Forwarded-For": forwarded_for})
        return response.json()["data"]["login"]["errors"][0]["code"]

    assert [await through(proxy, "203.0.113.5", f"g{i}@example.com") for i in range(3)] == ["INVALID_CREDENTIALS", "INVALID_CREDENTIALS", "THROTTLED"]
    assert await through(proxy, "203.0.113.6", "p@example.com") == "INVALID_CREDENTIALS"  # another client behind the same proxy
    # A client that is not a trusted proxy cannot choose its address by sending the header.
    assert [await through(stranger, f"203.0.113.{i}", f"h{i}@example.com") for i in range(3)][-1] == "THROTTLED"
