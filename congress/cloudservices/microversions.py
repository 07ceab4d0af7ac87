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

"""Choosing the microversion of a microversioned API (nova, cinder).

The client libraries' ``api_versions.APIVersion`` classes share one
interface (``matches``, ``is_latest``, ``ver_major``, ordering), so the
choice is the same for every such driver: the configured ``api_version``
when the service supports it, else the newest version both the service
and the client library support.
"""

import threading
import urllib.parse

from oslo_log import log as logging

from congress import exception
from congress.i18n import _

LOG = logging.getLogger(__name__)


def choose(service, client, requested, server, supported, unsupported):
    """The microversion to talk to ``service`` at.

    :param service: the service's name, for messages ("Nova").
    :param client: the client library's name ("novaclient").
    :param requested: the configured APIVersion, or None.
    :param server: (min, max) APIVersions the service announced.
    :param supported: (min, max) APIVersions the client library supports.
    :param unsupported: the client library's UnsupportedVersion class,
        raised when there is none to choose.
    """
    server_min, server_max = server
    client_min, client_max = supported
    if requested is not None:
        if not requested.matches(server_min, server_max):
            raise unsupported(
                _('%(service)s does not support api_version %(want)s: it '
                  'supports %(min)s to %(max)s') % {
                    'service': service, 'want': requested.get_string(),
                    'min': server_min.get_string(),
                    'max': server_max.get_string()})
        return requested
    version = min(client_max, server_max)
    if version < server_min or version < client_min:
        raise unsupported(
            _('No microversion in common: %(service)s supports %(smin)s to '
              '%(smax)s, %(client)s %(cmin)s to %(cmax)s') % {
                'service': service, 'client': client,
                'smin': server_min.get_string(),
                'smax': server_max.get_string(),
                'cmin': client_min.get_string(),
                'cmax': client_max.get_string()})
    return version


def configured(value, api_versions, major, supported, unsupported, what):
    """The APIVersion of the ``api_version`` config value; BadRequest
    unless it is a microversion of API ``major`` that the client library
    supports (``supported``: its (min, max)); ``what`` names it in the
    message ("a microversion")."""
    try:
        version = api_versions.APIVersion(str(value))
    except unsupported as exc:
        raise exception.BadRequest(reason='api_version: %s' % exc)
    client_min, client_max = supported
    if (version.ver_major != major or version.is_latest()
            or not version.matches(client_min, client_max)):
        raise exception.BadRequest(
            reason=_('api_version must be %(what)s from %(min)s to '
                     '%(max)s, not %(value)s') % {
                'what': what, 'min': client_min.get_string(),
                'max': client_max.get_string(), 'value': value})
    return version


class MicroversionedClient(object):
    """Mix-in (first among the bases) of a driver talking to a
    microversioned API through its python-*client.

    The driver sets ``SERVICE`` (the service's name, for the log),
    ``API_VERSIONS`` (the client library's ``api_versions`` module) and
    ``CLIENT_MAX_VERSION`` (the newest microversion the library supports),
    and implements ``_build_client(version)`` (no I/O),
    ``_negotiate(client)`` (the version to talk at) and
    ``_at_version(client, version)`` (the client to use at it). The
    version actions are declared for is the configured ``api_version``,
    else ``CLIENT_MAX_VERSION``; the one in use is negotiated once, on
    first use (a failed negotiation is tried again on the next one).
    """

    SERVICE = ''
    API_VERSIONS = None
    CLIENT_MAX_VERSION = None

    def __init__(self, name, config):
        super().__init__(name, config)
        requested = self.config.get('api_version')
        self.requested_version = (
            self.API_VERSIONS.APIVersion(str(requested)) if requested
            else None)
        #: The microversion in use once negotiated, else None.
        self.api_version = None
        self._client = None      # at the declared version, for discovery
        self._live = None        # at the negotiated version
        self._client_lock = threading.RLock()

    def _discovery_version(self):
        """The microversion actions are declared for (no I/O)."""
        return self.requested_version or self.CLIENT_MAX_VERSION

    def _client_without_io(self):
        with self._client_lock:
            if self._client is None:
                self._client = self._build_client(self._discovery_version())
            return self._client

    def negotiated_client(self):
        """The client at the negotiated microversion."""
        with self._client_lock:
            if self._live is None:
                client = self._client_without_io()
                version = self._negotiate(client)
                self._live = self._at_version(client, version)
                self.api_version = version
                LOG.info('Data source %(name)s talks to %(service)s at '
                         'microversion %(version)s',
                         {'name': self.name, 'service': self.SERVICE,
                          'version': version.get_string()})
            return self._live

    def api_client(self):
        return self.negotiated_client()

    def _get(self, client, path, params=None):
        """The JSON body of a GET of ``path`` through the client's HTTP
        client (its headers, microversion and error handling)."""
        url = path
        if params:
            url = '%s?%s' % (path, urllib.parse.urlencode(params))
        _resp, body = client.client.get(url)
        return body or {}
