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

"""Tables of the glancev2 driver: how Glance's JSON becomes rows.

``images`` and ``tags`` have the reference's columns in the reference's
order. ``owner`` is the owning project's id; ``file`` and ``schema`` are
the API's URL paths; ``kernel_id`` and ``ramdisk_id`` are None unless the
image has them; ``size``, ``min_ram`` and ``min_disk`` stay numbers,
``protected`` a boolean.

``image_properties(image_id, key, value)`` is this driver's own: one row
per attribute of an image that ``images`` and ``tags`` do not hold
(``virtual_size``, ``os_hidden``, ``os_hash_algo``, ``os_hash_value``,
``stores``, ``direct_url`` and every custom property such as
``hw_disk_bus`` or ``os_distro``); a value that is not a string, number,
boolean or None is its text. ``self`` and ``locations`` are left out (a
URL path equal to the image id, and backend locations).
"""

from congress.cloudservices import translators

IMAGES = 'images'
TAGS = 'tags'
IMAGE_PROPERTIES = 'image_properties'

IMAGE_COLUMNS = (
    translators.Column('id', 'ID of the image'),
    translators.Column('status', 'Status of the image (queued, active, '
                       'deactivated, ...)'),
    translators.Column('name', 'Name of the image'),
    translators.Column('container_format', 'Container format (bare, ovf, '
                       '...)'),
    translators.Column('created_at', 'When the image was created (ISO '
                       '8601)'),
    translators.Column('updated_at', 'When the image was last updated'),
    translators.Column('disk_format', 'Disk format (raw, qcow2, ...)'),
    translators.Column('owner', 'ID of the project that owns the image'),
    translators.Column('protected', 'Whether the image is protected from '
                       'deletion'),
    translators.Column('min_ram', 'Minimum RAM in MiB to boot the image'),
    translators.Column('min_disk', 'Minimum disk in GiB to boot the image'),
    translators.Column('checksum', 'MD5 checksum of the image data'),
    translators.Column('size', 'Size of the image data in bytes'),
    translators.Column('file', 'URL path of the image data'),
    translators.Column('kernel_id', 'ID of the kernel image (AMI images)'),
    translators.Column('ramdisk_id', 'ID of the ramdisk image (AMI '
                       'images)'),
    translators.Column('schema', 'URL path of the image schema'),
    translators.Column('visibility', 'public, community, shared or '
                       'private'),
)

#: Image attributes no image_properties row repeats.
_NOT_PROPERTIES = frozenset(
    [c.name for c in IMAGE_COLUMNS] + ['tags', 'self', 'locations'])


def _get(obj, key):
    if isinstance(obj, dict):
        return obj.get(key)
    return getattr(obj, key, None)


def _properties(image):
    items = image.items() if isinstance(image, dict) else vars(
        image).items()
    return sorted((k, v) for k, v in items
                  if k not in _NOT_PROPERTIES and not k.startswith('_'))


TAGS_TABLE = translators.ChildTable(
    TAGS,
    translators.Column('image_id', 'ID of the image', path='id'),
    lambda image: _get(image, 'tags'),
    (translators.Column('tag', 'A tag of the image', fn=lambda t: t),),
    description='Tags of the images')

PROPERTIES_TABLE = translators.ChildTable(
    IMAGE_PROPERTIES,
    translators.Column('image_id', 'ID of the image', path='id'),
    _properties,
    (translators.Column('key', 'Name of the property',
                        fn=lambda item: item[0]),
     translators.Column('value', 'Value of the property',
                        fn=lambda item: item[1])),
    description='Other attributes and custom properties of the images')

IMAGES_TABLE = translators.Table(
    IMAGES, IMAGE_COLUMNS,
    description='Images the account sees: every visibility, hidden ones '
                'included',
    children=(TAGS_TABLE, PROPERTIES_TABLE))

TABLES = (IMAGES_TABLE,)
