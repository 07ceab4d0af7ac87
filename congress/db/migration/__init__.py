"""Schema migrations with alembic."""

import os

from alembic import command
from alembic import config as alembic_config
from alembic import migration
from alembic import script

from congress.db import api as db_api

_SCRIPT_LOCATION = os.path.join(os.path.dirname(__file__),
                                'alembic_migrations')


def _config():
    cfg = alembic_config.Config()
    cfg.set_main_option('script_location', _SCRIPT_LOCATION)
    return cfg


def upgrade(revision='head'):
    """Upgrade the configured database to ``revision``."""
    with db_api.get_engine().begin() as connection:
        cfg = _config()
        cfg.attributes['connection'] = connection
        command.upgrade(cfg, revision)


def current_revision():
    """The revision the configured database is at (None when empty)."""
    with db_api.get_engine().connect() as connection:
        return migration.MigrationContext.configure(
            connection).get_current_revision()


def head_revision():
    """The newest revision this code knows."""
    return script.ScriptDirectory.from_config(_config()).get_current_head()
