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

"""The Neutron drivers: ``neutronv2`` (networks, ports, subnets, routers,
security groups and floating IPs as tables; the openstacksdk network
proxy's changing calls as actions) and ``neutronv2_qos`` (ports' QoS
bindings, QoS policies and their rules).

Talking to Neutron
    One keystoneauth1 session per data source (the base class's), on which
    an openstacksdk ``Connection`` is built on first use: creating a driver
    does no network I/O. The network proxy is the SDK's (maintained)
    binding of the Neutron API; python-neutronclient's Python bindings are
    deprecated and not used. ``region_name``/``region``, ``interface`` and
    ``endpoint_override`` pick the network endpoint from the catalog.

Polling
    Every collection is read page by page through the proxy (a keystoneauth1
    adapter on the Neutron endpoint): ``GET /v2.0/<resources>?limit=N``,
    then the ``marker`` of the ``next`` link Neutron adds to a full page,
    until a page has no ``next`` link, so any number of ports comes back
    whole (``page_size``, default 1000, is N). The driver reads Neutron's
    JSON directly instead of building an SDK ``Resource`` per object (see
    ``benchmarks/neutron_poll.py``). An admin sees the objects of every
    project. A failed poll (Neutron down, a 4xx/5xx, a timeout) is left to
    the base class: it keeps the last state, reports the error in
    ``get_status()`` and the next poll tries again.

Owner of an object
    ``tenant_id`` columns hold Neutron's ``tenant_id``, or its
    ``project_id`` when Neutron omits ``tenant_id`` (see
    :mod:`congress.cloudservices.neutron_tables`).

Actions (neutronv2 only)
    See :mod:`congress.cloudservices.neutron_actions` for which SDK methods
    are offered, which are left out and how neutronclient-style bodies are
    decoded; the driver adds the reference's wrappers with positional
    arguments (``update_resource_attrs``, ``attach_port_security_group``,
    ``detach_port_security_group``). Results are the SDK resources as
    dicts. A failed action raises the SDK's exception, whose text carries
    Neutron's message and the request ID.

Tables: see :mod:`congress.cloudservices.neutron_tables`.
"""

import inspect
import threading
import urllib.parse

from openstack import connection
from openstack import exceptions as sdk_exceptions

from congress.cloudservices import datasource_driver
from congress.cloudservices import execution_driver
from congress.cloudservices import manager_actions
from congress.cloudservices import neutron_actions
from congress.cloudservices import neutron_tables as tables
from congress.cloudservices import openstack_driver
from congress import exception
from congress.i18n import _

OPTIONAL = datasource_driver.OPTIONAL

DEFAULT_PAGE_SIZE = 1000

#: ``(table, URL path, collection key)`` of each collection polled.
NEUTRON_COLLECTIONS = (
    (tables.NETWORKS, '/networks', 'networks'),
    (tables.PORTS, '/ports', 'ports'),
    (tables.SUBNETS, '/subnets', 'subnets'),
    (tables.ROUTERS, '/routers', 'routers'),
    (tables.SECURITY_GROUPS, '/security-groups', 'security_groups'),
    (tables.FLOATING_IPS, '/floatingips', 'floatingips'),
)
QOS_COLLECTIONS = (
    (tables.QOS_PORTS, '/ports', 'ports'),
    (tables.QOS_POLICIES, '/qos/policies', 'policies'),
)


class NeutronBase(openstack_driver.OpenStackDriver):
    """What both Neutron drivers share: the SDK connection and paged
    reading of Neutron's collections (see the module docstring)."""

    CONFIG = dict(openstack_driver.CONFIG, page_size=OPTIONAL)
    #: ``(table, path, key)`` read by :meth:`fetch`.
    COLLECTIONS = ()

    def __init__(self, name, config):
        super().__init__(name, config)
        self.page_size = int(self.config.get('page_size')
                             or DEFAULT_PAGE_SIZE)
        self._connection = None
        self._network = None
        self._network_lock = threading.Lock()

    @classmethod
    def validate_config(cls, config):
        super().validate_config(config)
        if config.get('page_size') is not None:
            try:
                size = int(config['page_size'])
            except (TypeError, ValueError):
                size = 0
            if isinstance(config['page_size'], bool) or size < 1:
                raise exception.BadRequest(
                    reason=_('page_size must be a positive integer, not '
                             '%r') % (config['page_size'],))

    # the SDK

    def connection(self):
        """The openstacksdk Connection on the data source's session (built
        once, without network I/O)."""
        with self._network_lock:
            return self._connection_locked()

    def _connection_locked(self):
        if self._connection is None:
            where = self.endpoint_filter('network')
            options = {'app_name': 'congress'}
            if where.get('region_name'):
                options['region_name'] = where['region_name']
            if where.get('interface'):
                interface = where['interface']
                if interface.endswith('URL'):
                    interface = interface[:-len('URL')]
                options['network_interface'] = interface
            if where.get('endpoint_override'):
                options['network_endpoint_override'] = (
                    where['endpoint_override'])
            self._connection = connection.Connection(
                session=self.session(), **options)
        return self._connection

    def network(self):
        """The SDK's network proxy (the first call discovers the Neutron
        endpoint; a failure is retried on the next call)."""
        with self._network_lock:
            if self._network is None:
                self._network = self._connection_locked().network
            return self._network

    # polling

    def list_all(self, path, key, params=None):
        """Every object of a Neutron collection, page by page."""
        network = self.network()
        query = dict(params or {})
        query['limit'] = self.page_size
        items = []
        seen = set()
        while True:
            response = network.get(path, params=query)
            sdk_exceptions.raise_from_response(response)
            body = response.json() or {}
            page = body.get(key) or []
            items.extend(page)
            marker = next_marker(body.get(key + '_links'))
            if not page or marker is None or marker in seen:
                return items
            seen.add(marker)
            query['marker'] = marker

    def fetch(self):
        return {table: self.list_all(path, key)
                for table, path, key in self.COLLECTIONS}


def next_marker(links):
    """The ``marker`` of the ``next`` link of a page, or None."""
    for link in links or ():
        if isinstance(link, dict) and link.get('rel') == 'next':
            query = urllib.parse.parse_qs(
                urllib.parse.urlsplit(link.get('href') or '').query)
            markers = query.get('marker')
            if markers:
                return markers[-1]
    return None


class NeutronV2Driver(NeutronBase, execution_driver.ExecutionDriver):
    """Neutron (OpenStack Networking) as tables, and its API as actions."""

    DESCRIPTION = ('OpenStack Networking (Neutron): networks, ports with '
                   'their fixed IPs and security groups, subnets with '
                   'their pools, DNS servers and host routes, routers with '
                   'their external gateways, security groups with their '
                   'rules, and floating IPs, of every project; actions are '
                   'the openstacksdk network proxy methods that change '
                   'Neutron (update_port, delete_security_group_rule, ...) '
                   'and attach_port_security_group(port_id, '
                   'security_group_id), detach_port_security_group(...), '
                   'update_resource_attrs(resource_type, id, attr1, '
                   'value1, ...).')
    TABLES = tables.TABLES
    COLLECTIONS = NEUTRON_COLLECTIONS

    def __init__(self, name, config):
        super().__init__(name, config)
        #: ``{proxy method: reason}`` of the methods not offered.
        self.excluded_actions = {}

    # actions

    def _discover_actions(self):
        actions = super()._discover_actions()   # the wrappers below
        excluded = {}
        functions = dict(neutron_actions.proxy_functions())
        for name, function in functions.items():
            reason = neutron_actions.exclusion_reason(name, function)
            if reason is not None:
                excluded[name] = reason
            elif name not in actions:
                actions[name] = self._proxy_action(name, name, function)
        for alias, (target, _renames) in neutron_actions.ALIASES.items():
            if target in functions and target not in excluded:
                actions[alias] = self._proxy_action(alias, target,
                                                    functions[target])
        self.excluded_actions = excluded
        self.EXCLUDED_ACTIONS = frozenset(excluded)
        return actions

    def _proxy_action(self, name, target, function):
        """A callable running proxy method ``target`` under the action
        name ``name``, described by the SDK's docstring."""
        driver = self

        def run(*args, **kwargs):
            args, kwargs = neutron_actions.neutronclient_arguments(
                name, function, args, kwargs)
            result = getattr(driver.network(), target)(*args, **kwargs)
            if inspect.isgenerator(result):
                result = list(result)
            return result

        run.__name__ = name
        run.__qualname__ = name
        run.__doc__ = function.__doc__
        signature = manager_actions.signature_of(function)
        if signature is not None:
            run.__signature__ = signature
        summary = manager_actions.first_paragraph(
            manager_actions.docstring_summary(function))
        if name != target:
            summary = 'neutronclient name of %s: %s' % (target, summary)
        return run, summary or 'openstacksdk network proxy %s' % target

    @execution_driver.action(
        'Update attributes of a Neutron resource. Positional arguments: '
        'resource_type (port, network, subnet, router, security_group, '
        'floatingip, ...), id, attr1, value1, attr2, value2, ...')
    def update_resource_attrs(self, resource_type, id, *attrs_and_values):
        """Update attributes of a Neutron resource.

        :param resource_type: The resource type, as in the name of its
            update action (port, network, security_group, ...).
        :param id: ID of the resource.
        :param attrs_and_values: Alternating attribute names and values:
            attr1, value1, attr2, value2, ... (values are sent as given).
        """
        if not attrs_and_values or len(attrs_and_values) % 2:
            raise exception.InvalidActionArguments(
                reason=_('update_resource_attrs takes a resource type, an '
                         'ID and pairs of attribute and value; got %d '
                         'argument(s) after the ID') % len(attrs_and_values))
        action = 'update_%s' % resource_type
        declared = self._declared_actions().get(action)
        if declared is None or action in _WRAPPERS:
            raise exception.InvalidActionArguments(
                reason=_('update_resource_attrs: no resource type %r (no '
                         'action %s)') % (resource_type, action))
        attrs = {str(attrs_and_values[i]): attrs_and_values[i + 1]
                 for i in range(0, len(attrs_and_values), 2)}
        return declared[0](id, **attrs)

    @execution_driver.action(
        'Add a security group to a port (nothing happens if the port '
        'already has it). Positional arguments: port_id, security_group_id')
    def attach_port_security_group(self, port_id, security_group_id):
        """Add a security group to the security groups of a port.

        :param port_id: ID of the port.
        :param security_group_id: ID of the security group to add.
        """
        return self._change_port_groups(port_id, security_group_id, True)

    @execution_driver.action(
        'Remove a security group from a port (nothing happens if the port '
        'does not have it). Positional arguments: port_id, '
        'security_group_id')
    def detach_port_security_group(self, port_id, security_group_id):
        """Remove a security group from the security groups of a port.

        :param port_id: ID of the port.
        :param security_group_id: ID of the security group to remove.
        """
        return self._change_port_groups(port_id, security_group_id, False)

    def _change_port_groups(self, port_id, group_id, present):
        """Read the port, and write its groups back only if ``group_id``'s
        presence must change (a read-then-write: a concurrent change of the
        port's groups between the two may be lost, as in the reference)."""
        network = self.network()
        port = network.get_port(port_id)
        groups = list(port.security_group_ids or ())
        if (group_id in groups) == present:
            return port
        if present:
            groups.append(group_id)
        else:
            groups = [g for g in groups if g != group_id]
        return network.update_port(port_id, security_groups=groups)


_WRAPPERS = frozenset(name for name, member in
                      inspect.getmembers(NeutronV2Driver)
                      if getattr(member, '_congress_action', None))


class NeutronV2QosDriver(NeutronBase):
    """Neutron's QoS extension as tables: ports' QoS policies, QoS policies
    and their rules (no actions, as in the reference)."""

    DESCRIPTION = ('OpenStack Networking (Neutron) QoS: the QoS policies '
                   'bound to ports, QoS policies and their rules '
                   '(bandwidth limit, DSCP marking, minimum bandwidth, '
                   '...), of every project.')
    TABLES = tables.QOS_TABLES
    COLLECTIONS = QOS_COLLECTIONS
