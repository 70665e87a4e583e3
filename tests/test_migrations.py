"""Every migration of every branch runs down and up again with the demo company's data in its tables, on both
databases; and enabling modules on a populated database keeps every row the core had."""

from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select

from crm.migrate import alembic_config
from crm.models import metadata
from crm.plugin_host import installed_plugins, resolve, with_dependencies
from crm.system.manage import Manager
from world import EVERY_PLUGIN, make_world


async def _steps_down(migrator, branch: str) -> int:
    """Take `branch` down one revision at a time to its base; returns how many revisions ran."""
    steps = 0
    while True:
        current = {b.name: b.current for b in await migrator.status()}.get(branch)
        if current is None:
            return steps
        script = ScriptDirectory.from_config(alembic_config(migrator.installed))
        target = script.get_revision(current).down_revision
        await migrator.downgrade(branch, f"{current}-1" if target else None)
        steps += 1


async def test_every_branch_goes_down_step_by_step_and_up_again_with_data(database_url):
    installed = installed_plugins()
    async with make_world(database_url) as world:
        db = world.runtime.db
        order = [m.name for m in resolve(with_dependencies(EVERY_PLUGIN, installed), installed)]
        ran = {}
        for branch in [*reversed(order), "core"]:  # dependents before what they depend on, the core last
            if branch != "core" and not installed[branch].manifest.migrations:
                continue
            ran[branch] = await _steps_down(world.runtime.migrator, branch)
        assert ran["core"] >= 10 and ran["sales"] >= 5 and all(ran.values()), ran
        async with db.read() as session:
            left = await session.run_sync(lambda s: set(inspect(s.connection()).get_table_names()) - {"alembic_version"})
        assert left == set(), f"tables left after every branch went to base: {sorted(left)}"

        manager = Manager(db, installed)
        await manager.setup()
        for name in EVERY_PLUGIN:
            await manager.enable(name)
        assert await world.runtime.migrator.compare(set(order) | {"core"}) == []


async def test_enabling_every_module_on_a_populated_database_keeps_every_row(make_app):
    api = await make_app()
    for i in range(20):
        customer = await api.create_customer(name=f"Before modules {i}", tags=["early"])
        logged = await api.admin("mutation($i: LogActivityInput!) { logActivity(input: $i) { errors { code message } } }",
                                 {"i": {"customerId": customer["id"], "kind": "call", "subject": f"Call {i}"}})
        assert logged["logActivity"]["errors"] == []
    core = [t for t in metadata.sorted_tables if t.info.get("plugin", "core") == "core"
            and t.name not in ("core_plugin", "core_counter", "core_casbin_rule", "core_job")]

    async def rows():
        async with api.runtime.db.read() as session:
            names = await session.run_sync(lambda s: set(inspect(s.connection()).get_table_names()))
            return {t.name: (await session.execute(select(t).order_by(*t.primary_key.columns))).all() for t in core if t.name in names}

    before = await rows()
    assert len(before["core_customer"]) == 20 and len(before["core_activity"]) == 20
    await api.restart(plugins=EVERY_PLUGIN)
    after = await rows()
    for name, kept in before.items():  # modules add rows (their sequences, the audit of enabling them), change none
        missing = [row for row in kept if row not in after[name]]
        assert not missing, (name, missing[:3])


async def test_a_resource_a_later_release_adds_gets_its_default_grants_once(make_app):
    """A database made before a release added a resource (here `saved_view`, as core_0012 did) gets that resource's
    default grants when it is upgraded; grants an admin takes away afterwards are not given back by the next upgrade."""
    from sqlalchemy import delete

    from crm.identity.models import CasbinRule, Role
    from crm.system.models import Counter

    api = await make_app()
    db = api.runtime.db
    async with db.write() as session:  # as the database was before saved views existed
        await session.execute(delete(CasbinRule).where(CasbinRule.v1 == "saved_view"))
        await session.execute(delete(Counter).where(Counter.name == "grants:saved_view"))
    await api.runtime.policy.refresh(force=True)
    _, rep = await api.as_user("sales_rep")
    save = 'mutation { saveView(input: {list: "customers", name: "Mine", filter: {}}) { view { id } errors { code } } }'
    refused = await api.gql(save, token=rep, expect_errors=True)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    await Manager(db, installed_plugins()).setup()  # crm db upgrade
    await api.runtime.policy.refresh(force=True)
    assert (await api.gql(save, token=rep))["saveView"]["errors"] == []

    async with db.write() as session:  # an admin takes saved views away from reps
        rep_role = await session.scalar(select(Role.id).where(Role.name == "sales_rep"))
        await session.execute(delete(CasbinRule).where(CasbinRule.v1 == "saved_view", CasbinRule.v0 == f"role:{rep_role}"))
    await Manager(db, installed_plugins()).setup()
    async with db.read() as session:
        kept = (await session.scalars(select(CasbinRule.v0).where(CasbinRule.v1 == "saved_view"))).all()
    assert f"role:{rep_role}" not in kept and kept, "the next upgrade gave back what the admin took"
