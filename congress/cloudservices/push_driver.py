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

"""Base class of drivers whose rows are pushed to them instead of polled.

A push driver reads no cloud service: a client replaces a table with
``PUT /v1/data-sources/<ds>/tables/<table>/rows`` (a JSON list of
objects), or posts a notification to ``POST /v1/data-sources/<ds>/webhook``
when the driver has a webhook handler. The service hosting the driver
publishes the change to the policy engines exactly as it publishes a poll.

Pushed objects
    ``PUSH_SCHEMAS`` gives, per table that takes pushed rows, the JSON
    schema of one pushed object; :meth:`PushDriver.parse_rows` checks the
    whole list against it (and against ``[datasources] max_push_rows``)
    before anything changes, then ``prepare_object`` reshapes each object
    for the table's translator. A bad list is refused whole with
    BadRequest, naming the first wrong element.

``persist_data``
    A strict boolean (``true``/``false``, ``yes``/``no``, ``1``/``0``, ``on``/
    ``off``, ``t``/``f``, ``y``/``n`` in any case, or a JSON boolean), false
    by default. When true each pushed table is written to the database
    (``congress.db.pushed_tables``) before the data source's rows change,
    and the rows are read back whenever the hosting node leads the data
    source (on start, after a worker restart, after a leader change), so
    pushed data outlives the process. When false, pushed rows live only in
    the memory of the leading worker.
"""

from oslo_log import log as logging
from oslo_utils import strutils
from oslo_utils import timeutils

from congress.api import validation
from congress.cloudservices import datasource_driver
from congress import conf
from congress.db import datasources as datasources_db
from congress.db import pushed_tables as pushed_tables_db
from congress import exception
from congress.i18n import _

CONF = conf.CONF
LOG = logging.getLogger(__name__)

OPTIONAL = datasource_driver.OPTIONAL

#: JSON values a pushed field may hold (a nested list or object is refused).
SCALAR = {'type': ['string', 'number', 'boolean', 'null']}


def persist_flag(value):
    """``persist_data`` as a boolean; BadRequest unless it is a JSON
    boolean or a strict boolean string."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            return strutils.bool_from_string(value.strip(), strict=True)
        except ValueError:
            pass
    raise exception.BadRequest(
        reason=_('config persist_data must be true or false'))


class PushDriver(datasource_driver.DataSourceDriver):
    """A data source fed by pushes; see the module docstring.

    Subclasses set ``TABLES`` and ``PUSH_SCHEMAS`` and may override
    ``prepare_object`` and ``handle_webhook``.
    """

    CONFIG = {'persist_data': OPTIONAL}
    #: ``{table: JSON schema of one pushed object}``
    PUSH_SCHEMAS = {}

    def __init__(self, name, config):
        super().__init__(name, config)
        self.persist_data = persist_flag(self.config.get('persist_data',
                                                         False))
        self.state = {table: frozenset() for table in self.get_schema()}
        self._datasource_id = None

    @classmethod
    def validate_config(cls, config):
        super().validate_config(config)
        if 'persist_data' in config:
            persist_flag(config['persist_data'])

    # what the API may ask before anything reaches the bus

    @classmethod
    def accepts_webhooks(cls):
        """Whether the driver has a webhook handler."""
        return cls.handle_webhook is not PushDriver.handle_webhook

    @classmethod
    def parse_rows(cls, table, objects):
        """The rows of ``table`` the pushed list ``objects`` gives, as
        ``{table: set(rows)}`` (the table and its sub-tables); BadRequest
        when the table takes no pushed rows or the list is not valid
        (nothing is changed then)."""
        schema = cls.PUSH_SCHEMAS.get(table)
        if schema is None:
            raise exception.BadRequest(
                reason=_('table %(table)s takes no pushed rows; tables '
                         'that do: %(known)s') % {
                    'table': table,
                    'known': ', '.join(sorted(cls.PUSH_SCHEMAS))})
        limit = CONF.datasources.max_push_rows
        if isinstance(objects, list) and len(objects) > limit:
            raise exception.BadRequest(
                reason=_('%(count)d rows pushed; at most %(limit)d are '
                         'allowed ([datasources] max_push_rows)') % {
                    'count': len(objects), 'limit': limit})
        validation.validate(objects, {'type': 'array', 'items': schema})
        declaration = next(t for t in cls.TABLES if t.name == table)
        return declaration.translate(
            [cls.prepare_object(table, obj) for obj in objects], into={})

    @classmethod
    def prepare_object(cls, table, obj):
        """The object the table's translator reads for pushed ``obj``
        (already checked against the table's schema)."""
        return obj

    # on the service's thread, on the node that leads the data source

    def replace_table(self, table, objects):
        """Replace ``table`` with the pushed ``objects`` (stored first when
        ``persist_data``); returns the new state."""
        tables = self.parse_rows(table, objects)
        if self.persist_data:
            pushed_tables_db.store(
                self._stored_id(), {name: sorted(rows, key=repr)
                                    for name, rows in tables.items()})
        return self._set_tables(tables)

    def handle_webhook(self, payload):
        """Apply a webhook notification; returns the new state (or None
        when no table changed). Drivers without a handler refuse it."""
        raise exception.BadRequest(
            reason=_('data source %s has no webhook handler') % self.name)

    def poll(self):
        """Nothing to fetch: the state as pushed, read back from the
        database first when ``persist_data``; None when that read
        failed."""
        if self.persist_data:
            try:
                stored = pushed_tables_db.load(self._stored_id())
            except Exception as exc:
                LOG.warning('Pushed rows of data source %(name)s could not '
                            'be read back: %(err)s',
                            {'name': self.name, 'err': exc})
                with self._status_lock:
                    self.last_error = str(exc) or exc.__class__.__name__
                return None
            known = self.get_schema()
            restored = {name: {tuple(row) for row in rows}
                        for name, rows in stored.items() if name in known}
            if any(frozenset(rows) != self.state.get(name)
                   for name, rows in restored.items()):
                return self._set_tables(restored)
        with self._status_lock:
            self.last_error = None
            self.initialized = True
            return dict(self.state)

    def _set_tables(self, tables):
        with self._status_lock:
            state = dict(self.state)
            state.update((name, frozenset(rows))
                         for name, rows in tables.items())
            self.state = state
            self.last_updated = timeutils.utcnow()
            self.last_error = None
            self.number_of_updates += 1
            self.initialized = True
            return dict(state)

    def _stored_id(self):
        """The id of this data source in the database (pushed tables are
        kept under it, so a new data source of the same name starts
        empty)."""
        if self._datasource_id is None:
            stored = datasources_db.get(self.name)
            if stored is None:
                raise exception.NotFound(resource=_('Data source'),
                                         id=self.name)
            self._datasource_id = stored['id']
        return self._datasource_id
