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

"""Throw-away databases on the real MariaDB and PostgreSQL servers.

URLs come from ``CONGRESS_TEST_MYSQL_URL`` and ``CONGRESS_TEST_PG_URL``
(server URLs without a database name); by default the local servers.
"""

import os
import uuid

import sqlalchemy as sa

MYSQL_SERVER = os.environ.get('CONGRESS_TEST_MYSQL_URL',
                              'mysql+pymysql://root@127.0.0.1:3306')
PG_SERVER = os.environ.get('CONGRESS_TEST_PG_URL',
                           'postgresql+psycopg2://root@127.0.0.1:5432')

BACKENDS = ('sqlite', 'mysql', 'postgresql')


def _admin_url(backend):
    if backend == 'mysql':
        return MYSQL_SERVER + '/'
    return PG_SERVER + '/test'


def create(backend, tmp_dir):
    """Create an empty database; returns its URL."""
    if backend == 'sqlite':
        return 'sqlite:///' + os.path.join(tmp_dir,
                                           'congress-%s.sqlite' % uuid.uuid4())
    name = 'congress_test_%s' % uuid.uuid4().hex[:12]
    engine = sa.create_engine(_admin_url(backend),
                              isolation_level='AUTOCOMMIT')
    with engine.connect() as connection:
        connection.execute(sa.text('CREATE DATABASE %s' % name))
    engine.dispose()
    server = MYSQL_SERVER if backend == 'mysql' else PG_SERVER
    suffix = '?charset=utf8mb4' if backend == 'mysql' else ''
    return '%s/%s%s' % (server, name, suffix)


def drop(url):
    """Drop a database made by ``create``."""
    backend = sa.engine.make_url(url).get_backend_name()
    if backend == 'sqlite':
        return
    name = sa.engine.make_url(url).database
    engine = sa.create_engine(_admin_url(backend),
                              isolation_level='AUTOCOMMIT')
    with engine.connect() as connection:
        if backend == 'postgresql':
            connection.execute(sa.text(
                'SELECT pg_terminate_backend(pid) FROM pg_stat_activity '
                'WHERE datname = :name AND pid <> pg_backend_pid()'),
                {'name': name})
        connection.execute(sa.text('DROP DATABASE IF EXISTS %s' % name))
    engine.dispose()
