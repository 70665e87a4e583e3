"""One metadata for the core and every plugin: alembic sees one schema, split into branches by table prefix."""

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints: SQLite batch migrations and PostgreSQL drops both need stable names.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)


class Model(DeclarativeBase):
    """Base of every table. Set `__plugin__` ("core" or the plugin's name): migrations are checked per plugin."""

    metadata = metadata
    __plugin__ = "core"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        table = getattr(cls, "__table__", None)
        if table is not None:
            table.info.setdefault("plugin", cls.__plugin__)
