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

"""/v1/data-sources (and its alias /v1/cloud-services)."""

import functools

from oslo_log import log as logging
import pecan

from congress.api.controllers import base
from congress.api.controllers import execute as execute_mod
from congress.api.controllers import tables
from congress.api import errors
from congress.api import validation
from congress.cloudservices import loader
from congress.cloudservices import push_driver
from congress.db import datasources as datasources_db
from congress.db import models
from congress import exception
from congress.i18n import _
from congress.policy import builtin_functions
from congress.policy import errors as policy_errors

LOG = logging.getLogger(__name__)

HIDDEN = '<hidden>'

CREATE_BODY = {
    'type': 'object',
    'properties': {
        'name': validation.string(
            models.DataSource.name, minLength=1,
            pattern=r'^[A-Za-z0-9_][A-Za-z0-9_.\-]*$'),
        'driver': validation.string(models.DataSource.driver, minLength=1),
        'config': {'type': ['object', 'null'],
                   'additionalProperties': {
                       'type': ['string', 'number', 'boolean', 'null']}},
        'description': validation.string(models.DataSource.description,
                                         nullable=True),
        'enabled': {'type': 'boolean'},
    },
    'required': ['name', 'driver'],
    'additionalProperties': False,
}

# ?action=request-refresh takes no arguments: no body, {} or null
REFRESH_BODY = {'type': ['object', 'null'], 'maxProperties': 0}

NOT_ON_BUS_STATUS = {
    'last_updated': 'None',
    'last_error': 'None',
    'number_of_updates': '0',
    'initialized': 'False',
}


def _secret_names(driver):
    try:
        return set(loader.driver_class(driver).SECRET), True
    except exception.DriverNotFound:
        return set(), False


def present(datasource):
    """A data source as the API shows it: secret values hidden (every
    value, when its driver is no longer known)."""
    secret, known = _secret_names(datasource['driver'])
    config = {key: (HIDDEN if (key in secret or not known) else value)
              for key, value in (datasource['config'] or {}).items()}
    return {'id': datasource['id'], 'name': datasource['name'],
            'driver': datasource['driver'],
            'description': datasource['description'],
            'enabled': datasource['enabled'], 'config': config}


def _sync_manager():
    manager = base.backends().manager
    if manager is None:
        return
    try:
        manager.sync()
    except Exception:
        LOG.exception('Data source sync after an API change failed; the '
                      'periodic sync will retry')


class _Target(tables.TableSource):
    """What a path segment names: the stored data source (or None) and the
    service name on the bus; the source of its tables."""

    def __init__(self, ident):
        self.ident = ident

    @functools.cached_property
    def stored(self):
        """The stored data source the path names (by name or id), or
        None."""
        return datasources_db.get(self.ident)

    @functools.cached_property
    def service(self):
        """The service name on the bus: the path segment itself when a
        service of that name is on the bus (an execute then reads no data
        source row), else the name of the stored data source it names."""
        if base.backends().node.directory.lookup(self.ident):
            return self.ident
        return self.stored['name'] if self.stored else self.ident

    def require_stored(self):
        if self.stored is None:
            raise exception.NotFound(resource=_('Data source'),
                                     id=self.ident)
        return self.stored

    def push_driver(self, what):
        """The push driver class of the data source (after the ``push``
        policy check); a polling driver refuses ``what`` with 400."""
        base.authorize('congress:data_source:push')
        stored = self.require_stored()
        driver_cls = loader.driver_class(stored['driver'])
        if not issubclass(driver_cls, push_driver.PushDriver):
            raise errors.PushNotSupported(name=stored['name'],
                                          driver=stored['driver'],
                                          what=what)
        return driver_cls

    def push_leader(self):
        """The node that leads the (stored) data source and so takes its
        pushes."""
        leader = self.leader(required=False)
        if leader is None:
            raise self.no_worker()
        return leader

    def no_worker(self):
        """The error of a stored data source no worker of which is on the
        bus."""
        return exception.ServiceUnavailable(
            reason=_('no worker of data source %s is on the bus') %
            self.service)

    def leader(self, required=True):
        leader = base.backends().node.directory.leader(self.service)
        if leader is None and required:
            raise exception.ServiceNotFound(service=self.service)
        return leader

    def schema(self):
        """``{table: [columns]}`` as the data source publishes it over the
        bus (as the engines learn it): never read from the driver class,
        which this node need not have. A stored data source with no
        worker on the bus answers ServiceUnavailable."""
        if not base.backends().node.directory.lookup(self.service):
            if self.stored is None:
                raise exception.ServiceNotFound(service=self.service)
            raise self.no_worker()
        return base.backends().ds_api.get_schema(base.context(),
                                                 self.service)

    def table_columns(self, table):
        schema = self.schema()
        if table not in schema:
            raise exception.NotFound(resource=_('Table'), id=table)
        return schema[table]

    def check_access(self):
        base.authorize('congress:data_source:get_schema')

    def table_names(self):
        return sorted(self.schema())

    def check_table(self, table):
        self.table_columns(table)

    def rows_controller(self, table):
        return RowsController(self, table)

    def table_controller(self, table):
        return TableController(self, table)


class RowsController(object):

    def __init__(self, target, table):
        self.target = target
        self.table = table

    @base.expose_resource
    def index(self):
        pass

    @base.when(index, 'GET')
    def get(self, **kwargs):
        base.authorize('congress:data_source:get_rows')
        self.target.table_columns(self.table)
        leader = self.target.leader()
        rows = base.backends().ds_api.get_rows(
            base.context(), self.target.service, self.table, leader)
        return {'results': [{'data': row}
                            for row in sorted(rows or [], key=repr)]}

    @base.when(index, 'PUT')
    def put(self, **kwargs):
        """Replace the table's rows (push drivers): the whole list is
        checked here, and again by the driver, before anything changes."""
        driver_cls = self.target.push_driver(_('rows'))
        objects = base.json_body()
        driver_cls.parse_rows(self.table, objects)
        base.backends().ds_api.push_rows(
            base.context(), self.target.service, self.table, objects,
            self.target.push_leader())
        return base.empty_200()


class TableController(tables.TableController):
    """A table of a data source, with its columns at ``spec``."""

    @base.expose_resource
    def spec(self):
        pass

    @base.when(spec, 'GET')
    def get_spec(self, **kwargs):
        self.source.check_access()
        return {'table_id': self.table,
                'columns': self.source.table_columns(self.table)}


class DataSourceController(object):

    def __init__(self, ident):
        self.target = _Target(ident)
        self.tables = tables.TablesController(self.target)

    @base.expose_resource
    def index(self):
        pass

    @base.when(index, 'GET')
    def get(self, **kwargs):
        base.authorize('congress:data_source:get')
        return present(self.target.require_stored())

    @base.when(index, 'DELETE')
    def delete(self, **kwargs):
        base.authorize('congress:data_source:delete')
        stored = self.target.require_stored()
        deleted = datasources_db.delete(stored['id'])
        if deleted is None:
            raise exception.NotFound(resource=_('Data source'),
                                     id=self.target.ident)
        _sync_manager()
        return present(deleted)

    @base.when(index, 'POST', params=base.BY_ACTION)
    def post(self, **kwargs):
        handler = base.action_param({
            'execute': self._execute,
            'request-refresh': self._request_refresh,
        })
        return handler()

    def _execute(self):
        base.authorize('congress:data_source:execute')
        call = execute_mod.parse_body(self.target.service)
        try:
            record = base.backends().runtime.run(call,
                                                 context=base.context())
        except exception.ServiceNotFound:
            if self.target.stored is None:
                raise
            # configured, but no worker of it is on the bus right now
            raise self.target.no_worker()
        return execute_mod.accepted(record)

    def _request_refresh(self):
        base.authorize('congress:data_source:request_refresh')
        validation.validate(base.json_body(required=False), REFRESH_BODY)
        leader = self.target.leader()
        base.backends().ds_api.request_refresh(base.context(),
                                               self.target.service, leader)
        return {}

    @base.expose_resource
    def actions(self):
        pass

    @base.when(actions, 'GET')
    def get_actions(self, **kwargs):
        base.authorize('congress:data_source:get_actions')
        self.target.leader()
        actions = base.backends().ds_api.get_actions(base.context(),
                                                     self.target.service)
        return {'results': sorted(actions or [], key=lambda a: a['name'])}

    @base.expose_resource
    def status(self):
        pass

    @base.when(status, 'GET')
    def get_status(self, **kwargs):
        base.authorize('congress:data_source:get_status')
        leader = self.target.leader(required=self.target.stored is None)
        if leader is None:
            status = dict(NOT_ON_BUS_STATUS)
            manager = base.backends().manager
            error = manager.start_error(self.target.service) if manager \
                else None
            if error:
                status['last_error'] = error
        else:
            status = base.backends().ds_api.get_status(
                base.context(), self.target.service, leader)
        status.setdefault('subscriptions', [])
        status.setdefault('subscribers', [])
        return status

    @base.expose_resource
    def schema(self):
        pass

    @base.when(schema, 'GET')
    def get_schema(self, **kwargs):
        base.authorize('congress:data_source:get_schema')
        return {'tables': [{'table_id': table, 'columns': columns}
                           for table, columns in sorted(
                               self.target.schema().items())]}

    @base.expose_resource
    def webhook(self):
        pass

    @base.when(webhook, 'POST')
    def post_webhook(self, **kwargs):
        """Hand the body to the push driver's webhook handler."""
        driver_cls = self.target.push_driver(_('webhook notifications'))
        if not driver_cls.accepts_webhooks():
            raise errors.NoWebhookHandler(name=self.target.service,
                                          driver=self.target.stored['driver'])
        payload = base.json_body()
        base.backends().ds_api.push_webhook(
            base.context(), self.target.service, payload,
            self.target.push_leader())
        return base.empty_200()


class DataSourcesController(object):

    @base.expose_resource
    def index(self):
        pass

    @base.when(index, 'GET')
    def get_all(self, **kwargs):
        base.authorize('congress:data_source:list')
        return {'results': [present(ds)
                            for ds in datasources_db.list_all()]}

    @base.when(index, 'POST')
    def post(self, **kwargs):
        base.authorize('congress:data_source:create')
        body = base.json_object()
        validation.validate(body, CREATE_BODY)
        if body['name'] in builtin_functions.RESERVED_NAMES:
            raise policy_errors.ReservedPolicyName(body['name'])
        driver_cls = loader.driver_class(body['driver'])
        config = body.get('config') or {}
        driver_cls.validate_config(config)
        created = datasources_db.create(
            body['name'], body['driver'], config, set(driver_cls.SECRET),
            description=body.get('description'),
            enabled=body.get('enabled', True))
        _sync_manager()
        base.set_status(201, base.link('v1', 'data-sources', created['id']))
        return present(created)

    @pecan.expose()
    def _lookup(self, ident, *remainder):
        return DataSourceController(ident), remainder
