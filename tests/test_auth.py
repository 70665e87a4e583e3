"""Logging in, tokens, API keys, throttling."""

from datetime import timedelta

from sqlalchemy import update

from crm.identity.models import Token
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


async def test_failed_logins_lock_the_account_with_a_clear_error(make_app):
    api = await make_app(login_max_failures=3)
    await api.create_user(email="y@example.com")
    for _ in range(3):
        await api.gql(LOGIN, {"i": {"email": "y@example.com", "password": "bad-password-1"}})
    locked = await api.gql(LOGIN, {"i": {"email": "y@example.com", "password": api.PASSWORD}})
    assert locked["login"]["token"] is None
    assert locked["login"]["errors"][0]["code"] == "THROTTLED"
    assert "try again in" in locked["login"]["errors"][0]["message"]


async def test_failed_logins_are_throttled_per_address(make_app):
    api = await make_app(login_max_failures_per_address=4)
    await api.create_user(email="z@example.com")
    for i in range(4):
        await api.gql(LOGIN, {"i": {"email": f"guess{i}@example.com", "password": "bad-password-1"}})
    locked = await api.gql(LOGIN, {"i": {"email": "z@example.com", "password": api.PASSWORD}})
    assert locked["login"]["errors"][0]["code"] == "THROTTLED"


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
