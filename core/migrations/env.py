"""Alembic environment: one version table, one branch per plugin (branch label = plugin name).

The CRM runs alembic itself (crm.migrate) and hands over an open connection in `config.attributes`, so the
same code works for sync command-line use and inside the async application.
"""

import warnings

from alembic import context

from crm.models import metadata

config = context.config
connection = config.attributes["connection"]
plugins = config.attributes.get("plugins")  # autogenerate: compare only these plugins' tables


def include_object(obj, name, type_, reflected, compare_to):
    if plugins is None:
        return True
    if type_ == "table":
        table = obj if not reflected else metadata.tables.get(name)
        if table is None:  # a table in the database that no loaded model knows: someone else's
            return False
        return table.info.get("plugin", "core") in plugins
    return True


context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    include_object=include_object,
    compare_type=True,
)
# SQLite's batch mode reflects the tables a changed table points at; core_customer's expression indexes
# (lower(region)) cannot be reflected and are not needed for that, which SQLAlchemy reports with a warning.
with warnings.catch_warnings(), context.begin_transaction():
    warnings.filterwarnings("ignore", message="Skipped unsupported reflection of expression-based index")
    context.run_migrations()
