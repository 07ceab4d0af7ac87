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

"""The migrations, walked one revision at a time on SQLite, MariaDB and
PostgreSQL: every revision applies on top of the one before, and the
schema they build at head is the one the models declare (no table, column,
index, constraint or type the models have that the migrations lack, or
the other way round)."""

from alembic import autogenerate
from alembic import migration as alembic_migration
from alembic import script

from congress.db import api as db_api
from congress.db import migration
from congress.db import models
from congress.tests import base
from congress.tests.functional import databases


def _revisions():
    """Every revision, oldest first."""
    scripts = script.ScriptDirectory.from_config(migration._config())
    return [rev.revision for rev in reversed(list(scripts.walk_revisions()))]


def _ignore_server_defaults(*_args):
    return False


class _MigrationWalkTests(object):

    BACKEND = None

    def setUp(self):
        super().setUp()
        url = databases.create(self.BACKEND, self.state_dir)
        self.addCleanup(databases.drop, url)
        db_api.configure(url)
        self.addCleanup(db_api.configure)

    def test_walk_up_one_revision_at_a_time(self):
        revisions = _revisions()
        self.assertEqual(migration.head_revision(), revisions[-1])
        self.assertIsNone(migration.current_revision())
        for revision in revisions:
            migration.upgrade(revision)
            self.assertEqual(revision, migration.current_revision())
        # upgrading again at head changes nothing
        migration.upgrade('head')
        self.assertEqual(revisions[-1], migration.current_revision())

    def test_models_match_the_migrated_schema(self):
        migration.upgrade('head')
        with db_api.get_engine().connect() as connection:
            context = alembic_migration.MigrationContext.configure(
                connection, opts={'compare_type': True,
                                  'compare_server_default':
                                      _ignore_server_defaults})
            diff = autogenerate.compare_metadata(context,
                                                 models.Base.metadata)
        self.assertEqual([], diff)


class SqliteMigrationsTestCase(_MigrationWalkTests, base.TestCase):
    BACKEND = 'sqlite'


class MariaDBMigrationsTestCase(_MigrationWalkTests, base.TestCase):
    BACKEND = 'mysql'


class PostgreSQLMigrationsTestCase(_MigrationWalkTests, base.TestCase):
    BACKEND = 'postgresql'
