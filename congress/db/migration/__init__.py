#    Licensed under the Apache License, Version 2.0 (the "License"); you may
#    not use this file except in compliance with the License. You may obtain
#    a copy of the License at
#
#         http://www.apache.org/licenses/LICENSE-2.0
#
#    Unless required by applicable law or agreed to in writing, software
#    distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#    WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#    License for the specific language governing permissions and limitations
#    under the License.

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
