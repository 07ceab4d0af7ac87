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

"""Base class of the drivers that talk to an OpenStack service.

Configuration
    Every such driver accepts the same credentials and connection keys
    (``CONFIG``): a Keystone v3 password login, and where to find the
    service in the catalog. ``tenant_name`` is the legacy name of
    ``project_name`` (the reference devstack plugin passes it): it
    satisfies a missing ``project_name``, and ``project_name`` wins when
    both are given. ``region`` is the legacy name of ``region_name`` and
    ``endpoint`` is accepted and unused, as in the reference.
    ``lazy_tables`` is accepted (it must name root tables of the driver);
    every table is polled, so it changes nothing.

The session
    One keystoneauth1 session per data source (:meth:`session`), built on
    first use (creating a driver does no network I/O). It holds the token,
    reuses it across polls and actions, and renews it when it expires.
"""

import threading

from keystoneauth1.identity import v3 as identity_v3
from keystoneauth1 import session as ks_session

from congress.cloudservices import datasource_driver
from congress import exception
from congress.i18n import _

REQUIRED = datasource_driver.REQUIRED
OPTIONAL = datasource_driver.OPTIONAL

DEFAULT_TIMEOUT = 30.0
DEFAULT_INTERFACE = 'public'
DEFAULT_DOMAIN = 'Default'
INTERFACES = ('public', 'internal', 'admin',
              'publicURL', 'internalURL', 'adminURL')

#: Keys every OpenStack driver accepts.
CONFIG = {
    'auth_url': REQUIRED,
    'username': REQUIRED,
    'password': REQUIRED,
    'project_name': REQUIRED,
    'tenant_name': OPTIONAL,
    'user_domain_name': OPTIONAL,
    'project_domain_name': OPTIONAL,
    'region_name': OPTIONAL,
    'region': OPTIONAL,
    'endpoint': OPTIONAL,
    'endpoint_type': OPTIONAL,
    'interface': OPTIONAL,
    'endpoint_override': OPTIONAL,
    'timeout': OPTIONAL,
    'poll_time': OPTIONAL,
    'lazy_tables': OPTIONAL,
}

_CREDENTIALS = ('auth_url', 'username', 'password', 'project_name')


class OpenStackDriver(datasource_driver.DataSourceDriver):
    """A driver reading an OpenStack service through a keystoneauth1
    password session; see the module docstring for its configuration."""

    CONFIG = CONFIG
    SECRET = ('password',)

    def __init__(self, name, config):
        super().__init__(name, self.normalize_config(config))
        config = self.config
        self.timeout = positive_float(config.get('timeout'),
                                      DEFAULT_TIMEOUT)
        self.interface = (config.get('interface')
                          or config.get('endpoint_type')
                          or DEFAULT_INTERFACE)
        self.region_name = config.get('region_name') or config.get('region')
        self._session = None
        self._session_lock = threading.Lock()

    @staticmethod
    def normalize_config(config):
        """``config`` with ``project_name`` taken from ``tenant_name`` when
        only the legacy key is given."""
        config = dict(config or {})
        if not config.get('project_name') and config.get('tenant_name'):
            config['project_name'] = config['tenant_name']
        return config

    @classmethod
    def validate_config(cls, config):
        if isinstance(config, dict):
            config = cls.normalize_config(config)
        super().validate_config(config)
        for key in _CREDENTIALS:
            if not isinstance(config[key], str) or not config[key]:
                raise exception.BadRequest(
                    reason=_('%s must be a non-empty string') % key)
        if 'timeout' in config:
            positive_float(config['timeout'], None)
        for key in ('interface', 'endpoint_type'):
            if key in config and config[key] not in INTERFACES:
                raise exception.BadRequest(
                    reason=_('%(key)s must be one of %(values)s') % {
                        'key': key, 'values': ', '.join(INTERFACES)})
        if 'lazy_tables' in config:
            cls._check_lazy_tables(config['lazy_tables'])

    @classmethod
    def _check_lazy_tables(cls, value):
        names = value.split(',') if isinstance(value, str) else value
        roots = {table.name for table in cls.TABLES}
        if (not isinstance(names, (list, tuple))
                or not all(isinstance(n, str) for n in names)):
            raise exception.BadRequest(
                reason=_('lazy_tables must be a list of table names'))
        unknown = sorted({n.strip() for n in names if n.strip()} - roots)
        if unknown:
            raise exception.BadRequest(
                reason=_('lazy_tables: no such table: %s') % ', '.join(
                    unknown))

    def session(self):
        """The data source's keystoneauth1 session (built once)."""
        with self._session_lock:
            if self._session is None:
                config = self.config
                auth = identity_v3.Password(
                    auth_url=config['auth_url'],
                    username=config['username'],
                    password=config['password'],
                    project_name=config['project_name'],
                    user_domain_name=config.get('user_domain_name',
                                                DEFAULT_DOMAIN),
                    project_domain_name=config.get('project_domain_name',
                                                   DEFAULT_DOMAIN))
                self._session = ks_session.Session(auth=auth,
                                                   timeout=self.timeout)
            return self._session

    def endpoint_filter(self, service_type):
        """Catalog look-up keywords (service type, interface, region and
        the configured endpoint override) for a keystoneauth1 adapter."""
        return {'service_type': service_type,
                'interface': self.interface,
                'region_name': self.region_name,
                'endpoint_override': self.config.get('endpoint_override')}


def positive_float(value, default):
    """``value`` as a positive float, ``default`` when it is None;
    BadRequest otherwise."""
    if value is None:
        return default
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = None
    if number is None or not number > 0:
        raise exception.BadRequest(
            reason=_('timeout must be a positive number, not %r') % value)
    return number
