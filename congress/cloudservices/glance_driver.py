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

"""The glancev2 driver: Glance's images, their tags and properties as
tables; python-glanceclient's v2 controller methods as actions.

Talking to Glance
    The data source's keystoneauth1 session carries a python-glanceclient
    v2 ``Client``, built on first use; creating the driver does no network
    I/O (glanceclient fetches its JSON schemas only when an action first
    needs them).

Polling
    ``GET /v2/images`` with ``visibility=all`` (public, community, shared
    and private images, as far as the account sees them: an admin sees
    all) and again with ``os_hidden=true`` (hidden images, which Glance
    leaves out of the first list), ``PAGE_SIZE`` images per page,
    following Glance's ``next`` link until a page has none: every image
    comes back, however many there are. A failed poll keeps the last state,
    is reported in ``get_status()`` and the next poll tries again.

Actions
    Every public method of the v2 client's controllers (``images``,
    ``image_tags``, ``image_members``, ``tasks``, ``metadefs_*``,
    ``schemas``, ``versions``, ``info``, ``cache``) as
    ``<controller>.<method>`` (``images.deactivate``,
    ``image_tags.update``), except:

    ``data``
        ``images.data``, ``images.upload``, ``images.stage``: they stream
        image bytes (a file object in, a byte iterator out), which a
        policy or the API cannot carry.
    ``client-side``
        ``cache.is_supported`` compares version numbers locally.
    ``deprecated``
        Methods whose docstring summary says they are deprecated.

    Arguments glanceclient leaves undocumented are described from
    ``ARG_DESCRIPTIONS``. For policy rules (positional arguments only)
    the driver adds ``images_update_properties(image_id, key1, value1,
    ...)`` (e.g. ``visibility``, ``private``) and
    ``images_remove_properties(image_id, key1, ...)``.
"""

import threading
import urllib.parse

from glanceclient.v2 import client as glance_client

from congress.cloudservices import client_actions
from congress.cloudservices import execution_driver
from congress.cloudservices import glance_tables
from congress.cloudservices import openstack_driver
from congress import exception
from congress.i18n import _

#: Methods left out, with the reason.
EXCLUDED_METHODS = {
    'images.data': 'data: returns the image bytes',
    'images.upload': 'data: needs a file object of image bytes',
    'images.stage': 'data: needs a file object of image bytes',
    'cache.is_supported': 'client-side: compares version numbers locally',
}

#: Core image properties whose values are not strings in Glance's schema.
_BOOLEAN_PROPERTIES = frozenset(('protected', 'os_hidden'))
_INTEGER_PROPERTIES = frozenset(('min_ram', 'min_disk'))
_TRUE = frozenset(('true', '1', 'yes'))
_FALSE = frozenset(('false', '0', 'no'))


class GlanceDriver(openstack_driver.OpenStackDriver,
                   client_actions.ClassManagerActions):
    """Glance (OpenStack Image v2) as tables, and its API as actions."""

    DESCRIPTION = ('OpenStack Image (Glance v2): images of every visibility '
                   'with their tags and other properties; actions are the '
                   'python-glanceclient v2 controller methods '
                   '(images.deactivate, images.update, image_tags.update, '
                   'image_members.create, ...) and '
                   'images_update_properties(image_id, key1, value1, ...).')
    TABLES = glance_tables.TABLES
    #: Images asked for per page.
    PAGE_SIZE = 500
    ARG_DESCRIPTIONS = {
        'image_id': 'ID of the image.',
        'member_id': 'ID of the project the image is shared with.',
        'member_status': 'accepted, rejected or pending.',
        'tag_value': 'The tag.',
        'task_id': 'ID of the task.',
        'schema_name': 'Name of the schema (image, images, member, ...).',
        'namespace': 'Name of the metadata definitions namespace.',
        'namespace_name': 'Name of the metadata definitions namespace.',
        'object_name': 'Name of the metadata definitions object.',
        'prop_name': 'Name of the metadata definitions property.',
        'tag_name': 'Name of the metadata definitions tag.',
        'resource': 'Name of the resource type.',
        'target': 'Which cached images: "cache", "queue" or "both".',
        'store_id': 'ID of the store.',
        'kwargs': 'Attributes, as named arguments.',
    }

    def __init__(self, name, config):
        super().__init__(name, config)
        self._client = None
        self._client_lock = threading.Lock()

    def glance(self):
        """The glanceclient v2 client on the data source's session (built
        once, without network I/O)."""
        with self._client_lock:
            if self._client is None:
                self._client = glance_client.Client(
                    session=self.session(), interface=self.interface,
                    region_name=self.region_name,
                    endpoint_override=self.config.get('endpoint_override'))
            return self._client

    # polling

    def _list_images(self, client, params):
        images = []
        path = '/v2/images?%s' % urllib.parse.urlencode(
            dict(params, limit=self.PAGE_SIZE))
        seen = set()
        while path and path not in seen:
            seen.add(path)
            _resp, body = client.http_client.get(path)
            body = body or {}
            images.extend(body.get('images') or ())
            path = body.get('next')
        return images

    def fetch(self):
        client = self.glance()
        images = self._list_images(client, {'visibility': 'all'})
        images += self._list_images(client, {'visibility': 'all',
                                             'os_hidden': 'true'})
        return {glance_tables.IMAGES: images}

    # actions

    def action_managers(self):
        client = self.glance()
        return {name: controller
                for name, controller in vars(client).items()
                if not name.startswith('_') and name != 'http_client'
                and type(controller).__module__.startswith(
                    'glanceclient.v2.')}

    def exclusion_reason(self, prefix, manager, attr, function):
        name = '%s.%s' % (prefix, attr)
        if name in EXCLUDED_METHODS:
            return EXCLUDED_METHODS[name]
        return client_actions.deprecated_summary(function)

    @execution_driver.action(
        'Set properties of an image (core ones such as visibility, name, '
        'protected, min_ram, or custom ones). Positional arguments: '
        'image_id, key1, value1, key2, value2, ...')
    def images_update_properties(self, image_id, *keys_and_values):
        """Set properties of an image.

        :param image_id: ID of the image.
        :param keys_and_values: Alternating keys and values: key1, value1,
            key2, value2, ...
        """
        properties = {
            key: _property_value(key, value) for key, value in
            execution_driver.key_value_pairs(
                'images_update_properties', 'image', keys_and_values,
                strings=False).items()}
        return client_actions.plain_result(
            self.glance().images.update(image_id, **properties))

    @execution_driver.action(
        'Remove custom properties of an image. Positional arguments: '
        'image_id, key1, key2, ...')
    def images_remove_properties(self, image_id, *keys):
        """Remove custom properties of an image.

        :param image_id: ID of the image.
        :param keys: Names of the properties to remove.
        """
        if not keys:
            raise exception.InvalidActionArguments(
                reason=_('images_remove_properties takes an image ID '
                         'followed by at least one property name'))
        return client_actions.plain_result(self.glance().images.update(
            image_id, remove_props=[str(k) for k in keys]))


def _property_value(key, value):
    """A policy's string as the type Glance's schema wants for ``key``."""
    if key in _BOOLEAN_PROPERTIES and isinstance(value, str):
        if value.lower() in _TRUE:
            return True
        if value.lower() in _FALSE:
            return False
    if key in _INTEGER_PROPERTIES and isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            pass
    if key not in _BOOLEAN_PROPERTIES | _INTEGER_PROPERTIES:
        return str(value)
    return value
