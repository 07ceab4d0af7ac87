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

"""Client side of the bus: what a node may ask of a service.

API version history of ``DataSourceAPI``:

* 1.0 - execute, request_refresh, get_status, get_actions, get_schema,
  get_rows, get_snapshot
* 1.1 - push_rows, push_webhook (push drivers: the leading worker applies
  pushed data and publishes the change). Callers send the 1.0 methods as
  1.0, so they still reach workers that only know 1.0.
* 1.2 - execute_batch (several executions in one message). Sent only when
  ``[upgrade_levels] datasources`` allows it; else each is an execute.

API version history of ``TableDataAPI``:

* 1.0 - publish_delta

API version history of ``EngineAPI``:

* 1.0 - get_tables, get_rows, simulate, get_status, check_rule,
  policies_changed
"""

import threading

from oslo_log import log as logging
import oslo_messaging as messaging

from congress import conf
from congress.dse import rpc
from congress.dse import topics
from congress import exception

CONF = conf.CONF
LOG = logging.getLogger(__name__)


class _ClientCache(object):
    """RPC clients by (topic, server, fanout); building one per message
    would cost more than sending it."""

    def __init__(self, version, version_cap=None):
        self._version = version
        self._version_cap = version_cap
        self._clients = {}
        self._lock = threading.Lock()

    def get(self, topic, server=None, fanout=False):
        key = (topic, server, fanout)
        with self._lock:
            client = self._clients.get(key)
            if client is None:
                client = rpc.get_client(topic, self._version, server=server,
                                        fanout=fanout,
                                        version_cap=self._version_cap)
                self._clients[key] = client
            return client


def _call(client, context, method, what, **kwargs):
    """A call whose bus failures become RPCError; errors Congress raised
    on the other side come back as themselves."""
    try:
        return client.call(context, method, **kwargs)
    except messaging.MessagingTimeout:
        raise exception.RPCError(
            reason='%s did not answer %s in time' % (what, method))
    except messaging.MessageDeliveryFailure as err:
        raise exception.RPCError(reason=str(err))
    except messaging.RemoteError as err:
        raise exception.RPCError(reason=err.value)


class DataSourceAPI(object):
    """Calls and casts to the workers of a cloud service."""

    RPC_API_VERSION = '1.2'
    #: The version the 1.0 methods are sent as.
    BASE_VERSION = '1.0'

    def __init__(self):
        self._clients = _ClientCache(
            self.BASE_VERSION, version_cap=CONF.upgrade_levels.datasources)

    def _client(self, service, server=None):
        return self._clients.get(topics.service_topic(service), server)

    def _call(self, context, service, method, server=None, version=None,
              **kwargs):
        client = self._client(service, server)
        if version is not None:
            client = client.prepare(version=version)
        return _call(client, context, method, 'service %s' % service,
                     **kwargs)

    def execute(self, context, service, execution, retry=None):
        """Cast ``execution`` (a dict with id, action, positional_args,
        named_args, deadline) to the service topic: one worker of
        ``service`` gets this cast. The same execution may be cast again
        (handed back by a worker that stops, redelivered by the reaper);
        a worker runs it only once it has claimed it in the database, so
        it runs at most once. ``retry`` bounds the reconnection attempts
        to the broker (None: the transport's default)."""
        client = self._client(service)
        if retry is not None:
            client = client.prepare(retry=retry)
        client.cast(context, 'execute', execution=execution)

    def execute_batch(self, context, service, executions, retry=None):
        """Cast ``executions`` (each as ``execute`` takes it) to the
        service topic in one message: one worker gets them all. Where
        ``[upgrade_levels] datasources`` is below 1.2, and for a batch of
        one, each is an ``execute`` cast instead (what raises stops the
        rest)."""
        client = self._client(service)
        if len(executions) == 1 or not client.can_send_version('1.2'):
            for execution in executions:
                self.execute(context, service, execution, retry=retry)
            return
        options = {} if retry is None else {'retry': retry}
        client.prepare(version='1.2', **options).cast(
            context, 'execute_batch', executions=executions)

    def request_refresh(self, context, service, server):
        self._client(service, server).cast(context, 'request_refresh')

    def get_status(self, context, service, server):
        return self._call(context, service, 'get_status', server=server)

    def get_actions(self, context, service):
        return self._call(context, service, 'get_actions')

    def get_schema(self, context, service):
        return self._call(context, service, 'get_schema')

    def get_rows(self, context, service, table, server):
        return self._call(context, service, 'get_rows', server=server,
                          table=table)

    def get_snapshot(self, context, service, table, server):
        return self._call(context, service, 'get_snapshot', server=server,
                          table=table)

    def push_rows(self, context, service, table, rows, server):
        """Replace ``table`` of push data source ``service`` on its leader
        ``server``; the driver's BadRequest comes back as itself."""
        return self._call(context, service, 'push_rows', server=server,
                          version='1.1', table=table, rows=rows)

    def push_webhook(self, context, service, payload, server):
        """Hand a webhook notification to the driver on ``server``."""
        return self._call(context, service, 'push_webhook', server=server,
                          version='1.1', payload=payload)


class TableDataAPI(object):
    """Fanout of table changes from a service to every subscriber."""

    RPC_API_VERSION = '1.0'

    def __init__(self):
        self._clients = _ClientCache(self.RPC_API_VERSION)

    def publish_delta(self, context, service, table, epoch, seq, added,
                      removed):
        client = self._clients.get(topics.data_topic(service), fanout=True)
        client.cast(context, 'publish_delta', service=service, table=table,
                    epoch=epoch, seq=seq, added=added, removed=removed)


class EngineAPI(object):
    """Calls to the policy engines (any engine answers; each holds every
    policy) and the fanout that makes them reload policies."""

    RPC_API_VERSION = '1.0'

    def __init__(self):
        self._clients = _ClientCache(self.RPC_API_VERSION)

    def _call(self, context, method, **kwargs):
        return _call(self._clients.get(topics.engine_topic()), context,
                     method, 'the policy engine', **kwargs)

    def get_tables(self, context, policy):
        return self._call(context, 'get_tables', policy=policy)

    def get_rows(self, context, policy, table, trace=False):
        """``{"results": [{"data": [...]}], "trace": ...}``"""
        return self._call(context, 'get_rows', policy=policy, table=table,
                          trace=trace)

    def simulate(self, context, policy, query, sequence, action_policy,
                 delta=False, trace=False):
        return self._call(context, 'simulate', policy=policy, query=query,
                          sequence=sequence, action_policy=action_policy,
                          delta=delta, trace=trace)

    def get_status(self, context, policy):
        return self._call(context, 'get_status', policy=policy)

    def check_rule(self, context, policy, rule):
        """Raise the PolicyException the rule would cause, if any."""
        return self._call(context, 'check_rule', policy=policy, rule=rule)

    #: Seconds to wait for one engine to reload after a policy change.
    RELOAD_TIMEOUT = 10

    def policies_changed(self, context):
        """Every engine reloads policies and rules from the database; one
        of them before this returns, so that a read right after a change
        sees it (when no engine answers in time, they catch up on their
        own periodic reload, also when the bus is down)."""
        try:
            self._clients.get(topics.engine_topic()).prepare(
                timeout=self.RELOAD_TIMEOUT).call(context, 'policies_changed')
        except messaging.MessagingTimeout:
            pass
        except messaging.MessageDeliveryFailure as exc:
            LOG.warning('Engines will reload policies on their own: %s', exc)
            return
        self._clients.get(topics.engine_topic(), fanout=True).cast(
            context, 'policies_changed')
