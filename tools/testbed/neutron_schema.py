# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License. You may obtain
# a copy of the License at
#
#     http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
# WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
# License for the specific language governing permissions and limitations
# under the License.

"""Create neutron's schema from its models.

Neutron's alembic migrations fail on SQLite ("No support for ALTER of
constraints"); building the tables from the models and then running
``neutron-db-manage stamp heads`` gives the same schema, on SQLite and on
MariaDB alike (and takes seconds instead of the minutes the few hundred
migrations need).  Run with the neutron venv's python::

    python neutron_schema.py sqlite:////tmp/congress-testbed/db/neutron.sqlite
    python neutron_schema.py 'mysql+pymysql://root@127.0.0.1/neutron'
"""

import sys


def main(argv):
    if len(argv) != 2:
        sys.stderr.write('usage: %s DB_URL\n' % argv[0])
        return 2
    import sqlalchemy

    from neutron.db.migration.models import head

    engine = sqlalchemy.create_engine(argv[1])
    head.get_metadata().create_all(engine)
    engine.dispose()
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
