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

"""congress-db-manage: create and upgrade the database schema, load the
policy library."""

import argparse
import sys

from oslo_config import cfg
from oslo_utils import timeutils

from congress.cmd import common
from congress import conf
from congress.db import migration

CONF = conf.CONF


def _upgrade():
    migration.upgrade(CONF.command.revision)
    print('Database is at revision %s' % migration.current_revision())


def _current():
    print(migration.current_revision() or 'empty')


def _head():
    print(migration.head_revision())


def _load_library():
    from congress.api import library_store
    path = CONF.command.path or CONF.policy_engine.policy_library_path
    report = library_store.load(path)
    for outcome in ('added', 'updated', 'unchanged', 'kept'):
        for name in getattr(report, outcome):
            print('%-9s %s' % (outcome, name))
    for error in report.errors:
        print('bad file  %s: %s' % (error.path, error.reason),
              file=sys.stderr)
    print('Policy library %s: %s' % (path, report))
    if report.errors:
        return 1
    return 0


def _purge_executions():
    from congress.db import executions as executions_db
    purged = executions_db.purge(
        CONF.command.before,
        CONF.command.batch_size or CONF.execution.purge_batch_size)
    print('Purged %d execution records that ended before %s' % (
        purged, CONF.command.before.isoformat()))


def _date(text):
    """An ISO 8601 date or date and time, as naive UTC."""
    try:
        return timeutils.normalize_time(timeutils.parse_isotime(text))
    except ValueError:
        raise argparse.ArgumentTypeError(
            'not an ISO 8601 date or date and time: %r' % text)


def _positive(text):
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError('not a positive integer: %r' % text)
    return int(text)


def _add_commands(subparsers):
    upgrade = subparsers.add_parser(
        'upgrade', help='Upgrade the schema to a revision (default: head).')
    upgrade.add_argument('revision', nargs='?', default='head')
    upgrade.set_defaults(func=_upgrade)
    current = subparsers.add_parser(
        'current', help='Print the revision the database is at.')
    current.set_defaults(func=_current)
    head = subparsers.add_parser(
        'head', help='Print the newest revision this code knows.')
    head.set_defaults(func=_head)
    load = subparsers.add_parser(
        'load-library',
        help='Load the policy library files into the database: add new '
             'ones, update those whose file changed (unless changed '
             'through the API). Exits 1 if a file could not be loaded.')
    load.add_argument('path', nargs='?', default=None,
                      help='Directory of the library files (default: '
                           '[policy_engine] policy_library_path).')
    load.set_defaults(func=_load_library)
    purge = subparsers.add_parser(
        'purge-executions',
        help='Delete the execution records that ended before a date, in '
             'batches; records still pending are never deleted.')
    purge.add_argument('--before', required=True, type=_date,
                       help='ISO 8601 date or date and time (UTC unless '
                            'it names its offset), e.g. 2026-11-01.')
    purge.add_argument('--batch-size', type=_positive, default=None,
                       help='Records deleted per transaction (default: '
                            '[execution] purge_batch_size).')
    purge.set_defaults(func=_purge_executions)


def main(argv=None):
    command = cfg.SubCommandOpt('command', title='Commands',
                                handler=_add_commands)
    common.prepare(argv, cli_opts=[command])
    return CONF.command.func() or 0


if __name__ == '__main__':
    sys.exit(main())
