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

"""Data sources a node creates at start from ``[datasources]
preload_file``: the demo cloud of the embedded default is one."""

import os

from oslo_log import log as logging
import yaml

from congress.cloudservices import loader
from congress import conf
from congress.db import datasources as datasources_db
from congress import exception
from congress.i18n import _

CONF = conf.CONF
LOG = logging.getLogger(__name__)


def read_entries(path):
    """The data source entries of the YAML file at ``path``.

    The file holds ``{"data_sources": [{"name", "driver", "config"?,
    "description"?, "enabled"?}]}``.

    :raises BadRequest: the file is unreadable or not of that shape.
    """
    try:
        with open(path) as handle:
            document = yaml.safe_load(handle)
    except (OSError, yaml.YAMLError) as exc:
        raise exception.BadRequest(reason=_('%(path)s: %(error)s') % {
            'path': path, 'error': exc})
    entries = (document or {}).get('data_sources') if isinstance(
        document, dict) else None
    if not isinstance(entries, list):
        raise exception.BadRequest(
            reason=_('%s must hold a list "data_sources"') % path)
    return entries


def _create(entry):
    if not isinstance(entry, dict) or not all(
            isinstance(entry.get(key), str) and entry.get(key)
            for key in ('name', 'driver')):
        raise exception.BadRequest(
            reason=_('an entry needs a "name" and a "driver"'))
    driver_cls = loader.driver_class(entry['driver'])
    config = entry.get('config') or {}
    driver_cls.validate_config(config)
    return datasources_db.create(
        entry['name'], entry['driver'], config, set(driver_cls.SECRET),
        description=entry.get('description'),
        enabled=bool(entry.get('enabled', True)))


def preload(path=None):
    """Create the data sources of ``path`` (default: the option) that are
    not stored yet; returns the names created. An entry that is refused is
    logged and skipped: the others are still created."""
    path = path or CONF.datasources.preload_file
    if not path:
        return []
    try:
        entries = read_entries(os.path.expanduser(path))
    except exception.BadRequest as exc:
        LOG.error('Preload file of data sources unusable: %s', exc.message)
        return []
    created = []
    for entry in entries:
        name = entry.get('name') if isinstance(entry, dict) else None
        if name and datasources_db.get(name) is not None:
            continue
        try:
            _create(entry)
        except exception.Conflict:
            continue  # another node created it meanwhile
        except exception.CongressException as exc:
            LOG.error('Preloaded data source %(name)s refused: %(error)s',
                      {'name': name, 'error': exc.message})
            continue
        LOG.info('Data source %s created from %s', name, path)
        created.append(name)
    return created
