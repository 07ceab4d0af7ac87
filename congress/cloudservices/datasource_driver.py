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

"""Base class of drivers that read a cloud service's state as tables."""

import math
import threading

from oslo_log import log as logging
from oslo_utils import timeutils

from congress.conf import datasources as datasources_conf
from congress import exception
from congress.i18n import _

LOG = logging.getLogger(__name__)

REQUIRED = 'required'
OPTIONAL = '(optional)'


def _check_poll_time(value):
    """``poll_time`` (seconds between polls, a number or its text) must be
    finite and at least MIN_POLL_TIME: a zero one would poll without
    pause."""
    try:
        seconds = float(value) if not isinstance(value, bool) else None
    except (TypeError, ValueError):
        seconds = None
    if seconds is None or not (datasources_conf.MIN_POLL_TIME <= seconds <
                               math.inf):
        raise exception.BadRequest(
            reason=_('config poll_time must be a number of seconds, at '
                     'least %s') % datasources_conf.MIN_POLL_TIME)


class DataSourceDriver(object):
    """Polls one cloud service and keeps its state as sets of rows.

    Subclasses set ``DESCRIPTION``, ``CONFIG`` (option name -> REQUIRED or
    OPTIONAL), ``SECRET`` (names of options never shown back),
    ``TABLES`` (translators.Table declarations) and implement
    ``fetch()``, which returns ``{table declaration name: [api objects]}``
    for the top-level tables.

    ``poll()`` is not thread-safe by itself: the service hosting a driver
    runs its polls one at a time on one thread. The actions of an
    execution driver run on other threads, several at once and beside the
    polls (``[datasources] execution_threads``).
    """

    DESCRIPTION = ''
    CONFIG = {}
    SECRET = ()
    TABLES = ()

    def __init__(self, name, config):
        self.name = name
        self.config = dict(config or {})
        self._check_config()
        self.state = {}
        self.last_updated = None
        self.last_error = None
        self.number_of_updates = 0
        self.initialized = False
        self._status_lock = threading.Lock()

    @classmethod
    def get_info(cls, driver_name):
        """What ``GET /v1/system/drivers/{driver}`` shows."""
        return {'id': driver_name,
                'description': cls.DESCRIPTION,
                'config': dict(cls.CONFIG),
                'secret': list(cls.SECRET),
                'tables': [{'table_id': name, 'columns': columns}
                           for name, columns in sorted(
                               cls.get_schema().items())]}

    @classmethod
    def get_schema(cls):
        """``{table: [{"name", "description"}]}`` from the translators."""
        schema = {}
        for table in cls.TABLES:
            schema.update(table.schema())
        return schema

    @classmethod
    def validate_config(cls, config):
        """Raise BadRequest unless ``config`` gives every required option,
        nothing unknown, and strings for the secret ones."""
        if not isinstance(config, dict):
            raise exception.BadRequest(reason=_('"config" must be an object'))
        missing = sorted(k for k, v in cls.CONFIG.items()
                         if v == REQUIRED and k not in config)
        unknown = sorted(set(config) - set(cls.CONFIG))
        if missing:
            raise exception.BadRequest(
                reason=_('missing required config: %s') % ', '.join(missing))
        if unknown:
            raise exception.BadRequest(
                reason=_('unknown config: %s') % ', '.join(unknown))
        for key in cls.SECRET:
            if key in config and not isinstance(config[key], str):
                raise exception.BadRequest(
                    reason=_('secret config value "%s" must be a string')
                    % key)
        if 'poll_time' in config:
            _check_poll_time(config['poll_time'])

    def _check_config(self):
        self.validate_config(self.config)

    def fetch(self):
        """Ask the cloud service for its objects; see the class docstring.
        """
        raise NotImplementedError()

    def poll(self):
        """Fetch and translate; on failure keep the last state and report
        the error. Returns the new state, or None when the poll failed."""
        try:
            objects = self.fetch()
            state = {}
            for table in self.TABLES:
                table.translate(objects.get(table.name, ()), into=state)
        except Exception as exc:
            LOG.warning('Poll of data source %(name)s failed: %(err)s',
                        {'name': self.name, 'err': exc})
            with self._status_lock:
                self.last_error = str(exc) or exc.__class__.__name__
            return None
        with self._status_lock:
            self.state = state
            self.last_updated = timeutils.utcnow()
            self.last_error = None
            self.number_of_updates += 1
            self.initialized = True
        return state

    def get_status(self):
        """Status in the shape the reference clients read (strings), with
        typed values beside them."""
        with self._status_lock:
            last_updated = (self.last_updated.isoformat()
                            if self.last_updated else None)
            return {'last_updated': str(last_updated),
                    'last_error': str(self.last_error),
                    'number_of_updates': str(self.number_of_updates),
                    'initialized': str(self.initialized),
                    'typed': {'last_updated': last_updated,
                              'last_error': self.last_error,
                              'number_of_updates': self.number_of_updates,
                              'initialized': self.initialized}}
