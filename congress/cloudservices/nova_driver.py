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

"""The Nova driver: Nova's servers, flavors, hypervisors, services and
availability zones as tables; python-novaclient's manager methods as
actions.

Talking to Nova
    A keystoneauth1 session with the password plugin holds the token and
    renews it when it expires; the novaclient client is built on first use
    (creating the driver does no network I/O). The microversion is
    ``api_version`` when configured, else the newest one both novaclient
    (``novaclient.API_MAX_VERSION``) and the server support, negotiated once
    from Nova's version document on first use; a failed negotiation is
    retried on the next poll or action.

Polling
    Servers of every project (``all_tenants``), read page by page with
    ``marker`` until Nova returns an empty page, so any number of servers
    comes back whole; flavors and hypervisors are paged the same way. The
    driver reads Nova's JSON directly through novaclient's HTTP client (same
    headers, microversion and error handling) instead of building a
    novaclient ``Resource`` per server. A failed poll (Nova down, a 4xx/5xx,
    a timeout) is left to the base class: it keeps the last state, reports
    the error in ``get_status()`` and the next poll tries again.

Actions
    See :mod:`congress.cloudservices.nova_actions` for which novaclient
    methods are offered and which are left out; the driver adds wrappers
    with positional arguments for policy rules (``servers_set_meta``, ...).
    A failed action raises novaclient's exception, whose text carries
    Nova's message, the HTTP code and the request ID.

Tables: see :mod:`congress.cloudservices.nova_tables`.
"""


import novaclient
from novaclient import api_versions
from novaclient import base as nova_base
from novaclient import client as nova_client
from novaclient import exceptions as nova_exceptions
from oslo_log import log as logging
import requests

from congress.cloudservices import datasource_driver
from congress.cloudservices import execution_driver
from congress.cloudservices import manager_actions
from congress.cloudservices import microversions
from congress.cloudservices import nova_actions
from congress.cloudservices import nova_tables
from congress.cloudservices import openstack_driver
from congress import exception
from congress.i18n import _

LOG = logging.getLogger(__name__)

OPTIONAL = datasource_driver.OPTIONAL

#: Microversions that change what the driver reads.
_HYPERVISOR_PAGING = api_versions.APIVersion('2.33')

#: What novaclient supports: (oldest, newest) microversion.
_SUPPORTED = (novaclient.API_MIN_VERSION, novaclient.API_MAX_VERSION)


class NovaDriver(microversions.MicroversionedClient,
                 openstack_driver.OpenStackDriver,
                 manager_actions.ManagerActions,
                 execution_driver.ExecutionDriver):
    """Nova (OpenStack Compute) as tables, and its API as actions."""

    DESCRIPTION = ('OpenStack Compute (Nova): servers of every project with '
                   'their addresses and tags, flavors, hypervisors, '
                   'services and availability zones; actions are the '
                   'python-novaclient manager methods (servers.pause, '
                   'servers.set_meta, flavors.create, ...) and '
                   'servers_set_meta(server_id, key1, value1, ...).')
    CONFIG = dict(openstack_driver.CONFIG, api_version=OPTIONAL)
    TABLES = nova_tables.TABLES
    ACTION_RULES = nova_actions
    MANAGER_CLASS = nova_base.Manager
    CLIENT_NAME = 'python-novaclient'
    SERVICE = 'Nova'
    API_VERSIONS = api_versions
    CLIENT_MAX_VERSION = novaclient.API_MAX_VERSION

    # configuration

    @classmethod
    def validate_config(cls, config):
        super().validate_config(config)
        if config.get('api_version'):
            _check_version(config['api_version'])

    # the client

    def _build_client(self, version):
        return nova_client.Client(
            version.get_string(), session=self.session(),
            region_name=self.region_name,
            endpoint_type=self.interface,
            endpoint_override=self.config.get('endpoint_override'))

    @staticmethod
    def _at_version(client, version):
        client.api_version = version
        return client

    def nova(self):
        """The novaclient client at the negotiated microversion."""
        return self.negotiated_client()

    @staticmethod
    def plain_result(result):
        return _plain_result(result)

    def _negotiate(self, client):
        """The newest microversion both sides support (or the configured
        one, if Nova supports it)."""
        current = client.versions.get_current()
        server_max = api_versions.APIVersion(
            getattr(current, 'version', None) or None)
        server_min = api_versions.APIVersion(
            getattr(current, 'min_version', None) or None)
        if server_max.is_null():
            # No microversions announced (or the version document is
            # hidden): the configured version, else the base 2.1 API.
            LOG.warning('Nova announced no microversions; using %s',
                        self.requested_version or '2.1')
            return self.requested_version or api_versions.APIVersion('2.1')
        return microversions.choose(
            'Nova', 'novaclient', self.requested_version,
            (server_min, server_max), _SUPPORTED,
            nova_exceptions.UnsupportedVersion)

    # polling

    def _get_all(self, client, path, key, params=None, marker_key='id'):
        """Every item of a paged collection: ask with ``marker`` = the last
        item seen until a page comes back empty (what novaclient does with
        ``limit=-1``)."""
        params = dict(params or {})
        items = []
        marker = None
        while True:
            if marker is not None:
                params['marker'] = marker
            page = self._get(client, path, params).get(key) or []
            if not page:
                return items
            items.extend(page)
            next_marker = _value(page[-1], marker_key)
            if next_marker is None or next_marker == marker:
                # Nova ignored the marker: the page is all there is.
                return items
            marker = next_marker

    def fetch(self):
        client = self.nova()
        version = client.api_version
        flavors = self._get_all(client, '/flavors/detail', 'flavors',
                                {'is_public': 'None'})
        servers = self._get_all(client, '/servers/detail', 'servers',
                                {'all_tenants': 1})
        resolve_flavor_ids(servers, flavors)
        if version >= _HYPERVISOR_PAGING:
            hypervisors = self._get_all(client, '/os-hypervisors',
                                        'hypervisors')
        else:
            hypervisors = self._get(client, '/os-hypervisors').get(
                'hypervisors') or []
        services = self._get(client, '/os-services').get('services') or []
        zones = self._get(client, '/os-availability-zone/detail').get(
            'availabilityZoneInfo') or []
        return {nova_tables.SERVERS: servers,
                nova_tables.FLAVORS: flavors,
                nova_tables.HYPERVISORS: hypervisors,
                nova_tables.SERVICES: services,
                nova_tables.AVAILABILITY_ZONES: zones}

    # actions

    @execution_driver.action(
        'Set metadata items of a server. Positional arguments: server_id, '
        'key1, value1, key2, value2, ...')
    def servers_set_meta(self, server_id, *keys_and_values):
        """Set metadata items of a server.

        :param server_id: ID of the server.
        :param keys_and_values: Alternating keys and values: key1, value1,
            key2, value2, ...
        """
        metadata = execution_driver.key_value_pairs(
            'servers_set_meta', 'server', keys_and_values)
        return _plain_result(self.nova().servers.set_meta(server_id,
                                                          metadata))

    @execution_driver.action(
        'Delete metadata items of a server. Positional arguments: '
        'server_id, key1, key2, ...')
    def servers_delete_meta(self, server_id, *keys):
        """Delete metadata items of a server.

        :param server_id: ID of the server.
        :param keys: Keys of the items to delete.
        """
        if not keys:
            raise exception.InvalidActionArguments(
                reason=_('servers_delete_meta takes a server ID followed by '
                         'at least one key'))
        return _plain_result(self.nova().servers.delete_meta(
            server_id, [str(k) for k in keys]))

    @execution_driver.action(
        'Replace the tags of a server (microversion 2.26 and later). '
        'Positional arguments: server_id, tag1, tag2, ...')
    def servers_set_tags(self, server_id, *tags):
        """Replace all tags of a server with the given ones.

        :param server_id: ID of the server.
        :param tags: The new tags (none: remove every tag).
        """
        return _plain_result(self.nova().servers.set_tags(
            server_id, [str(t) for t in tags]))

    @execution_driver.action(
        'Set extra specs of a flavor. Positional arguments: flavor_id, '
        'key1, value1, key2, value2, ...')
    def flavors_set_keys(self, flavor_id, *keys_and_values):
        """Set extra specs of a flavor.

        :param flavor_id: ID of the flavor.
        :param keys_and_values: Alternating keys and values: key1, value1,
            key2, value2, ...
        """
        specs = execution_driver.key_value_pairs(
            'flavors_set_keys', 'flavor', keys_and_values)
        flavor = self.nova().flavors.get(flavor_id)
        return _plain_result(flavor.set_keys(specs))


def resolve_flavor_ids(servers, flavors):
    """From microversion 2.47 a server embeds its flavor without the id:
    look the flavor's ``original_name`` up among ``flavors`` and note the id
    found in the embedded flavor (see nova_tables)."""
    by_name = None
    for server in servers:
        flavor = server.get('flavor') if isinstance(server, dict) else None
        if not isinstance(flavor, dict) or 'id' in flavor:
            continue
        if by_name is None:
            by_name = {f.get('name'): f.get('id') for f in flavors}
        resolved = by_name.get(flavor.get('original_name'))
        if resolved is not None:
            flavor[nova_tables.RESOLVED_FLAVOR_ID] = resolved


def _value(obj, key):
    if isinstance(obj, dict):
        return obj.get(key)
    return getattr(obj, key, None)


def _plain_result(result):
    """What novaclient returned, without its HTTP wrapping: ``None`` for an
    action Nova answers without a body (202), the body of ``(response,
    body)`` pairs (the Response object means nothing once serialised)."""
    if isinstance(result, nova_base.TupleWithMeta) and not result:
        return None
    if (isinstance(result, tuple) and len(result) == 2
            and isinstance(result[0], requests.Response)):
        return result[1]
    if isinstance(result, requests.Response):
        return None
    return result


def _check_version(value):
    microversions.configured(value, api_versions, 2, _SUPPORTED,
                             nova_exceptions.UnsupportedVersion,
                             _('a microversion'))
