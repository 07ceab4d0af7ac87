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

"""The Cinder driver: Cinder's volumes (with their attachments), snapshots
and services as tables; python-cinderclient's manager methods as actions.

Talking to Cinder
    The data source's keystoneauth1 session (token reused across polls and
    actions, renewed when it expires) under python-cinderclient's volume
    API v3 client (the reference's v2 API is gone from Cinder). The
    microversion is ``api_version`` when configured (Cinder must support
    it), else the newest one both cinderclient (``MAX_VERSION``) and Cinder
    support, negotiated once from Cinder's version document on the first
    poll or action; a failed negotiation is retried on the next one.
    Creating the driver does no network I/O.

Polling
    Volumes and snapshots of every project (``all_tenants``), read page by
    page: while Cinder's answer carries a ``next`` link, the next page is
    asked for with ``marker`` = the last item's id, so any number of
    volumes comes back whole. Services come in one list. The JSON is read
    through cinderclient's HTTP client (same headers, microversion and
    error handling) without building a Resource per volume. A failed poll
    is left to the base class: it keeps the last state, reports the error
    in ``get_status()`` and the next poll tries again.

Actions
    See :mod:`congress.cloudservices.cinder_actions` for which cinderclient
    methods are offered and which are left out; the driver adds wrappers
    with positional arguments for policy rules (``volumes_set_metadata``,
    ``volumes_delete_metadata``). A failed action raises cinderclient's
    exception, whose text carries Cinder's message, the HTTP code and the
    request ID.

Tables: see :mod:`congress.cloudservices.cinder_tables`.
"""


from cinderclient import api_versions
from cinderclient.apiclient import base as apiclient_base
from cinderclient import base as cinder_base
from cinderclient import client as cinder_client
from cinderclient import exceptions as cinder_exceptions
from oslo_log import log as logging
import requests

from congress.cloudservices import cinder_actions
from congress.cloudservices import cinder_tables
from congress.cloudservices import datasource_driver
from congress.cloudservices import execution_driver
from congress.cloudservices import manager_actions
from congress.cloudservices import microversions
from congress.cloudservices import openstack_driver
from congress import exception
from congress.i18n import _

LOG = logging.getLogger(__name__)

OPTIONAL = datasource_driver.OPTIONAL

CLIENT_MIN_VERSION = api_versions.APIVersion(api_versions.MIN_VERSION)
CLIENT_MAX_VERSION = api_versions.APIVersion(api_versions.MAX_VERSION)


class CinderDriver(microversions.MicroversionedClient,
                   openstack_driver.OpenStackDriver,
                   manager_actions.ManagerActions,
                   execution_driver.ExecutionDriver):
    """Cinder (OpenStack Block Storage) as tables, and its API as
    actions."""

    DESCRIPTION = ('OpenStack Block Storage (Cinder): volumes of every '
                   'project with their attachments, snapshots and '
                   'services; actions are the python-cinderclient manager '
                   'methods (volumes.set_bootable, volumes.extend, '
                   'volumes.reset_state, services.disable, ...) and '
                   'volumes_set_metadata(volume_id, key1, value1, ...).')
    CONFIG = dict(openstack_driver.CONFIG, api_version=OPTIONAL)
    TABLES = cinder_tables.TABLES
    ACTION_RULES = cinder_actions
    MANAGER_CLASS = cinder_base.Manager
    CLIENT_NAME = 'python-cinderclient'
    SERVICE = 'Cinder'
    API_VERSIONS = api_versions
    CLIENT_MAX_VERSION = CLIENT_MAX_VERSION

    # configuration

    @classmethod
    def validate_config(cls, config):
        super().validate_config(config)
        if config.get('api_version'):
            _check_version(config['api_version'])

    # the client

    def _build_client(self, version):
        return cinder_client.Client(
            version.get_string(), session=self.session(),
            region_name=self.region_name, endpoint_type=self.interface,
            os_endpoint=self.config.get('endpoint_override'))

    def _at_version(self, client, version):
        return self._build_client(version)

    def cinder(self):
        """The cinderclient client at the negotiated microversion."""
        return self.negotiated_client()

    def _negotiate(self, client):
        """The newest microversion both sides support (or the configured
        one, if Cinder supports it)."""
        server_min, server_max = _server_range(
            client.services.server_api_version())
        return microversions.choose(
            'Cinder', 'cinderclient', self.requested_version,
            (server_min, server_max), (CLIENT_MIN_VERSION, CLIENT_MAX_VERSION),
            cinder_exceptions.UnsupportedVersion)

    @staticmethod
    def plain_result(result):
        """What cinderclient returned, without its HTTP wrapping: None for
        an action Cinder answers without a body, the body of ``(response,
        body)`` pairs."""
        if isinstance(result, apiclient_base.TupleWithMeta):
            result = tuple(result)
        if (isinstance(result, tuple) and len(result) == 2
                and isinstance(result[0], requests.Response)):
            return result[1]
        if isinstance(result, requests.Response):
            return None
        return result

    # polling

    def _get_all(self, client, path, key, params=None):
        """Every item of a paged collection (see the module docstring)."""
        params = dict(params or {})
        items = []
        while True:
            body = self._get(client, path, params)
            page = body.get(key) or []
            items.extend(page)
            if not page or not _has_next(body.get(key + '_links')):
                return items
            marker = page[-1].get('id')
            if marker is None or marker == params.get('marker'):
                return items
            params['marker'] = marker

    def fetch(self):
        client = self.cinder()
        volumes = self._get_all(client, '/volumes/detail', 'volumes',
                                {'all_tenants': 1})
        snapshots = self._get_all(client, '/snapshots/detail', 'snapshots',
                                  {'all_tenants': 1})
        services = self._get(client, '/os-services').get('services') or []
        return {cinder_tables.VOLUMES: volumes,
                cinder_tables.SNAPSHOTS: snapshots,
                cinder_tables.SERVICES: services}

    # actions

    @execution_driver.action(
        'Set metadata items of a volume. Positional arguments: volume_id, '
        'key1, value1, key2, value2, ...')
    def volumes_set_metadata(self, volume_id, *keys_and_values):
        """Set metadata items of a volume (others are kept).

        :param volume_id: ID of the volume.
        :param keys_and_values: Alternating keys and values: key1, value1,
            key2, value2, ...
        """
        metadata = execution_driver.key_value_pairs(
            'volumes_set_metadata', 'volume', keys_and_values)
        return self.plain_result(self.cinder().volumes.set_metadata(
            volume_id, metadata))

    @execution_driver.action(
        'Delete metadata items of a volume. Positional arguments: '
        'volume_id, key1, key2, ...')
    def volumes_delete_metadata(self, volume_id, *keys):
        """Delete metadata items of a volume.

        :param volume_id: ID of the volume.
        :param keys: Keys of the items to delete.
        """
        if not keys:
            raise exception.InvalidActionArguments(
                reason=_('volumes_delete_metadata takes a volume ID '
                         'followed by at least one key'))
        return self.plain_result(self.cinder().volumes.delete_metadata(
            volume_id, [str(k) for k in keys]))


def _has_next(links):
    return any(isinstance(link, dict) and link.get('rel') == 'next'
               for link in links or ())


def _server_range(versions):
    """(min, max) microversion of the volume API v3 from Cinder's version
    document (Resources or dicts)."""
    for version in versions or ():
        get = (version.get if isinstance(version, dict)
               else lambda key, v=version: getattr(v, key, None))
        current = str(get('version') or '')
        if current.startswith('3.') and get('status') != 'DEPRECATED':
            return (api_versions.APIVersion(get('min_version') or '3.0'),
                    api_versions.APIVersion(current))
    raise cinder_exceptions.UnsupportedVersion(
        _('Cinder announced no volume API v3 microversions'))


def _check_version(value):
    microversions.configured(value, api_versions, 3,
                             (CLIENT_MIN_VERSION, CLIENT_MAX_VERSION),
                             cinder_exceptions.UnsupportedVersion,
                             _('a volume API microversion'))
