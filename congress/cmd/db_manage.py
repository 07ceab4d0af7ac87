"""congress-db-manage: create and upgrade the database schema."""

import sys

from oslo_config import cfg

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


def main(argv=None):
    command = cfg.SubCommandOpt('command', title='Commands',
                                handler=_add_commands)
    common.prepare(argv, cli_opts=[command])
    CONF.command.func()
    return 0


if __name__ == '__main__':
    sys.exit(main())
