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

"""A driver for tests and the embedded default: an in-memory service.

Its table ``things`` (id, name, status) lives in memory, and its actions
change it. The config key ``things`` creates that many things named
``thing-0``, ``thing-1``...; ``seed`` creates named things with a status,
written ``name:status,name:status`` (``web-1:ACTIVE,db-1:ERROR``): the
demo cloud of the embedded default is made that way.

With ``record_file`` set, every action run appends one JSON line
``{"node", "pid", "t", "action", "positional", "named"}`` to that file, so
tests in other processes can count what ran where. The file is under the
server's ``state_path`` (a relative path is taken from there); a path that
leads elsewhere (absolute, through ``..`` or a symbolic link) is refused.

The driver is off unless ``[datasources] enabled_drivers`` names it.
"""

import json
import os
import threading
import time
import uuid

from congress.cloudservices import datasource_driver
from congress.cloudservices import execution_driver
from congress.cloudservices import translators
from congress import conf
from congress import exception
from congress.i18n import _

CONF = conf.CONF


class FakeThingManager(object):
    """The pretend client library's manager of things."""

    def __init__(self):
        self._things = {}
        self._lock = threading.Lock()

    def list(self):
        """List every thing."""
        with self._lock:
            return [dict(t) for t in self._things.values()]

    def create(self, name, status='ACTIVE'):
        """Create a thing.

        :param name: Name of the new thing.
        :param status: Its first status.
        """
        thing = {'id': str(uuid.uuid4()), 'name': name, 'status': status}
        with self._lock:
            self._things[thing['id']] = thing
        return dict(thing)

    def set_status(self, thing_id, status):
        """Change the status of a thing.

        :param thing_id: ID of the thing.
        :param status: The new status.
        """
        with self._lock:
            if thing_id not in self._things:
                raise LookupError('No thing with ID %s' % thing_id)
            self._things[thing_id]['status'] = status
            return dict(self._things[thing_id])

    def change_password(self, thing_id, password):
        """Give a thing a new password (for tests of secret arguments).

        :param thing_id: ID of the thing.
        :param password: The new password, at least 8 characters.
        """
        if len(password) < 8:
            # as services do: the error quotes what it was given
            raise ValueError('Password %r is shorter than 8 characters'
                             % password)
        with self._lock:
            if thing_id not in self._things:
                raise LookupError('No thing with ID %s' % thing_id)
            self._things[thing_id]['password'] = password
            return dict(self._things[thing_id])

    def delete(self, thing_id):
        """Delete a thing.

        :param thing_id: ID of the thing.
        """
        with self._lock:
            if self._things.pop(thing_id, None) is None:
                raise LookupError('No thing with ID %s' % thing_id)

    def fail(self, message):
        """Fail with the given message (for tests of failed actions).

        :param message: Text of the error.
        """
        raise RuntimeError(message)

    def sleep(self, seconds):
        """Take this many seconds (for tests of work in flight).

        :param seconds: How long.
        """
        time.sleep(float(seconds))

    def work(self, label, seconds=0):
        """Pretend to work for a while, then answer with the label.

        :param label: What to answer with.
        :param seconds: How long to work.
        """
        time.sleep(float(seconds))
        return label

    def _reset(self):
        """A private method: never offered as an action."""
        self._things.clear()


class FakeDriver(datasource_driver.DataSourceDriver,
                 execution_driver.ExecutionDriver):
    """In-memory service with a ``things`` table, for tests and demos."""

    DESCRIPTION = 'In-memory test service with a table of things.'
    CONFIG = {'record_file': datasource_driver.OPTIONAL,
              'poll_time': datasource_driver.OPTIONAL,
              'things': datasource_driver.OPTIONAL,
              'seed': datasource_driver.OPTIONAL}
    TABLES = (
        translators.Table(
            'things',
            (translators.Column('id', 'ID of the thing'),
             translators.Column('name', 'Name of the thing'),
             translators.Column('status', 'Status of the thing'))),
    )

    def __init__(self, name, config):
        super().__init__(name, config)
        self.things = FakeThingManager()
        for index in range(int(self.config.get('things', 0))):
            self.things.create('thing-%d' % index)
        for name, status in parse_seed(self.config.get('seed')):
            self.things.create(name, status)

    @classmethod
    def validate_config(cls, config):
        super().validate_config(config)
        parse_seed(config.get('seed'))
        if config.get('record_file') is not None:
            record_path(config['record_file'])

    def fetch(self):
        return {'things': self.things.list()}

    def action_managers(self):
        return {'things': self.things}

    @execution_driver.action('Set the status of several things: '
                             'positional arguments status, id1, id2, ...')
    def things_set_status(self, status, *thing_ids):
        return [self.things.set_status(t, status) for t in thing_ids]

    def execute(self, name, positional_args, named_args):
        self.resolve_action(name)
        self._record(name, positional_args, named_args)
        return super().execute(name, positional_args, named_args)

    def _record(self, name, positional_args, named_args):
        if not self.config.get('record_file'):
            return
        # resolved again: a symbolic link may have been made since
        path = record_path(self.config['record_file'])
        line = json.dumps({'node': CONF.node_id, 'pid': os.getpid(),
                           't': time.time(), 'action': name,
                           'positional': positional_args,
                           'named': named_args})
        # O_NOFOLLOW: nor a link made between that check and this open
        descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT
                             | os.O_NOFOLLOW, 0o644)
        with os.fdopen(descriptor, 'a') as record:
            record.write(line + '\n')


def record_path(path):
    """The real path of the record file ``path`` names: ``path`` taken
    from ``state_path`` (when relative) with every symbolic link and ``..``
    resolved.

    :raises BadRequest: ``path`` is not a string, or its real path is not
        under the real ``state_path``.
    """
    if not isinstance(path, str) or not path:
        raise exception.BadRequest(
            reason=_('record_file must be a non-empty string'))
    state_path = os.path.realpath(CONF.state_path)
    real = os.path.realpath(os.path.join(state_path, path))
    if (real == state_path
            or os.path.commonpath([state_path, real]) != state_path):
        raise exception.BadRequest(
            reason=_('record_file %r does not name a file under the '
                     'state_path of the server') % path)
    return real


def parse_seed(seed):
    """``[(name, status)]`` from ``"name:status,name:status"``.

    :raises BadRequest: the text is not in that form.
    """
    if seed is None or seed == '':
        return []
    if not isinstance(seed, str):
        raise exception.BadRequest(reason=_('seed must be a string'))
    things = []
    for item in seed.split(','):
        name, sep, status = item.strip().partition(':')
        if not sep or not name or not status:
            raise exception.BadRequest(
                reason=_('seed must read "name:status,name:status", not '
                         '%r') % seed)
        things.append((name, status))
    return things
