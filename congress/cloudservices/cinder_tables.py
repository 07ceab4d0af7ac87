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

"""The tables of the Cinder driver, in the reference's names and column
order (policies address columns by position); columns the reference did
not have are added at the end only.

``volumes``
    The volumes of every project. ``bootable`` is the string Cinder gives
    (``'true'``/``'false'``), ``encrypted`` and ``multiattach`` booleans
    (policies see ``'True'``/``'False'``), ``volume_type`` the type's name.
    Added: ``tenant_id`` (``os-vol-tenant-attr:tenant_id``, the owning
    project; admins only, None otherwise).
``attachments``
    One row per attachment of a volume; ``volume_id`` is the volume's own
    ``id`` (as in the reference, not the attachment entry's copy).
``snapshots``
    The snapshots of every project. Added: ``tenant_id``
    (``os-extended-snapshot-attributes:project_id``).
``services``
    cinder-scheduler, cinder-volume, cinder-backup services (no id column:
    the reference has none; ``host`` with ``binary`` identifies one).
"""

from congress.cloudservices import translators

VOLUMES = 'volumes'
ATTACHMENTS = 'attachments'
SNAPSHOTS = 'snapshots'
SERVICES = 'services'


def _attachments(volume):
    if isinstance(volume, dict):
        return volume.get('attachments') or ()
    return getattr(volume, 'attachments', None) or ()


VOLUMES_TABLE = translators.Table(
    VOLUMES,
    (translators.Column('id', 'UUID of the volume'),
     translators.Column('size', 'Size in GiB'),
     translators.Column('user_id', 'ID of the user who created the volume'),
     translators.Column('status', 'Status: creating, available, in-use, '
                        'error, deleting, ...'),
     translators.Column('description', 'Description of the volume'),
     translators.Column('name', 'Name of the volume'),
     translators.Column('bootable', '"true" if the volume can be booted '
                        'from, else "false"'),
     translators.Column('created_at', 'When the volume was created'),
     translators.Column('volume_type', 'Name of the volume type'),
     translators.Column('encrypted', 'Whether the volume is encrypted'),
     translators.Column('availability_zone', 'Availability zone of the '
                        'volume'),
     translators.Column('replication_status', 'Replication status'),
     translators.Column('multiattach', 'Whether the volume can be attached '
                        'to more than one server'),
     translators.Column('snapshot_id', 'Snapshot the volume was created '
                        'from'),
     translators.Column('source_volid', 'Volume the volume was cloned '
                        'from'),
     translators.Column('consistencygroup_id', 'Consistency group of the '
                        'volume'),
     translators.Column('migration_status', 'Migration status'),
     translators.Column('tenant_id', 'ID of the project that owns the '
                        'volume (admins only)',
                        path='os-vol-tenant-attr:tenant_id')),
    description='Volumes of every project',
    children=(translators.ChildTable(
        ATTACHMENTS,
        translators.Column('volume_id', 'UUID of the volume', path='id'),
        _attachments,
        (translators.Column('server_id', 'UUID of the server the volume '
                            'is attached to'),
         translators.Column('attachment_id', 'UUID of the attachment'),
         translators.Column('host_name', 'Host of the attachment (the '
                            'compute host for a server)'),
         translators.Column('device', 'Device name in the server, e.g. '
                            '/dev/vdb')),
        description='Attachments of the volumes'),))

SNAPSHOTS_TABLE = translators.Table(
    SNAPSHOTS,
    (translators.Column('id', 'UUID of the snapshot'),
     translators.Column('size', 'Size in GiB'),
     translators.Column('status', 'Status: creating, available, error, '
                        '...'),
     translators.Column('volume_id', 'Volume the snapshot is of'),
     translators.Column('name', 'Name of the snapshot'),
     translators.Column('created_at', 'When the snapshot was created'),
     translators.Column('tenant_id', 'ID of the project that owns the '
                        'snapshot (admins only)',
                        path='os-extended-snapshot-attributes:project_id')),
    description='Volume snapshots of every project')

SERVICES_TABLE = translators.Table(
    SERVICES,
    (translators.Column('status', 'enabled or disabled'),
     translators.Column('binary', 'Binary of the service, e.g. '
                        'cinder-volume'),
     translators.Column('zone', 'Availability zone of the service'),
     translators.Column('state', 'up or down'),
     translators.Column('updated_at', 'When the service last reported'),
     translators.Column('host', 'Host of the service (host@backend for '
                        'cinder-volume)'),
     translators.Column('disabled_reason', 'Why the service was '
                        'disabled')),
    description='Cinder services (scheduler, volume, backup)')

TABLES = (VOLUMES_TABLE, SNAPSHOTS_TABLE, SERVICES_TABLE)
