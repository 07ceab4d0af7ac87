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

"""Library policies: policy templates a policy can be created from.

They live in the database, shared by every API host. The YAML files of
``[policy_engine] policy_library_path`` (and of its subdirectories) are
loaded into it when a process that serves the API starts, at the first use
of the library if the database was not reachable then, and by
``congress-db-manage load-library``. Loading a file:

* adds its policy when no library policy of that name is stored, with an id
  derived from the name (so a policy of a file that is deleted through the
  API comes back at the next load while its file is there);
* replaces the stored document when the file changed since it was loaded,
  unless the policy was created or replaced through the API: those belong
  to the operator and are never touched;
* skips a file that is not a valid library policy (unreadable, not YAML,
  not a policy document, a rule that does not parse, a name another file
  has), with a message naming the file; the other files still load.

Loading is idempotent and safe when several processes load at once: names
are unique in the database and a replacement only applies to the document
it read.
"""

import hashlib
import os
import threading
import uuid

from oslo_log import log as logging
from oslo_serialization import jsonutils
import yaml

from congress import conf
from congress.db import library_policies as library_db
from congress import exception
from congress.i18n import _
from congress.policy import parser

CONF = conf.CONF
LOG = logging.getLogger(__name__)

_NAMESPACE = uuid.UUID('5e0e1c47-2b1c-4bd6-9c59-2f5b0cbb1d1a')
_STORE = None
_STORE_LOCK = threading.Lock()
_SUFFIXES = ('.yaml', '.yml')


def library_id(name):
    """Stable id of a library policy loaded from a file."""
    return str(uuid.uuid5(_NAMESPACE, name))


def digest(document):
    """sha256 of a policy document, whatever the order of its keys."""
    return hashlib.sha256(jsonutils.dumps(
        document, sort_keys=True).encode('utf-8')).hexdigest()


class LibraryFileError(Exception):
    """A library file that cannot be loaded, and why."""

    def __init__(self, path, reason):
        super().__init__('%s: %s' % (path, reason))
        self.path = path
        self.reason = reason


def library_files(library_path):
    """The YAML files under ``library_path``, relative to it, sorted."""
    found = []
    for top, dirs, files in os.walk(library_path):
        dirs.sort()
        found.extend(os.path.relpath(os.path.join(top, name), library_path)
                     for name in files if name.endswith(_SUFFIXES))
    return sorted(found)


def read_file(path):
    """The policy document of the YAML file ``path``, checked as the API
    checks a posted library policy, each rule parsed.

    :raises LibraryFileError: the file is not a valid library policy.
    """
    # the document of /v1/librarypolicies is the one of /v1/policies
    from congress.api.controllers import policies
    from congress.api import validation
    try:
        with open(path, encoding='utf-8') as handle:
            document = yaml.safe_load(handle)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise LibraryFileError(path, _('not readable as YAML: %s') % exc)
    if not isinstance(document, dict):
        raise LibraryFileError(path, _('not a policy document (a mapping '
                                       'with a name and rules)'))
    try:
        validation.validate(document, policies.POLICY,
                            what=_('the policy document'))
    except exception.BadRequest as exc:
        raise LibraryFileError(path, exc.kwargs['reason'])
    for number, rule in enumerate(document.get('rules') or (), 1):
        try:
            parser.parse_rule(rule['rule'])
        except exception.PolicyException as exc:
            raise LibraryFileError(path, _('rule %(n)d does not parse: '
                                           '%(e)s') % {'n': number, 'e': exc})
    return document


class LoadReport(object):
    """What one load did: policy names per outcome, and the bad files."""

    def __init__(self):
        self.added = []
        self.updated = []
        self.unchanged = []
        self.kept = []       # created or changed through the API
        self.errors = []     # LibraryFileError, one per bad file

    def __str__(self):
        return _('%(a)d added, %(u)d updated, %(s)d unchanged, %(k)d kept '
                 'as changed through the API, %(e)d bad files') % {
            'a': len(self.added), 'u': len(self.updated),
            's': len(self.unchanged), 'k': len(self.kept),
            'e': len(self.errors)}


def _add(relpath, document, new_digest):
    """Store a file's policy whose name is not stored; False when a policy
    of that name exists after all (another process added it meanwhile)."""
    name = document['name']
    # the id derived from the name may be held by a policy renamed
    # through the API: then any id does
    for policy_id in (library_id(name), str(uuid.uuid4())):
        try:
            library_db.create(policy_id, document, source_file=relpath,
                              source_digest=new_digest)
            return True
        except exception.Conflict:
            if library_db.get_source(name) is not None:
                return False
    return False


def _store_file_policy(report, relpath, document):
    name, new_digest = document['name'], digest(document)
    stored = library_db.get_source(name)
    if stored is None and _add(relpath, document, new_digest):
        report.added.append(name)
        LOG.info('Library policy %(n)s added from %(f)s',
                 {'n': name, 'f': relpath})
        return
    # a replacement applies only to the document it read; if another
    # process (or the API) changed it meanwhile, look once more: that
    # change is at least as new as this load
    for _look in range(2):
        stored = stored or library_db.get_source(name)
        if stored is None:
            return          # deleted through the API meanwhile
        policy_id, _source, old_digest = stored
        if old_digest is None:
            report.kept.append(name)
            LOG.info('Library policy %(n)s was created or replaced '
                     'through the API: file %(f)s leaves it as it is',
                     {'n': name, 'f': relpath})
            return
        if old_digest == new_digest:
            report.unchanged.append(name)
            return
        if library_db.update_from_file(policy_id, old_digest, document,
                                       relpath, new_digest):
            report.updated.append(name)
            LOG.info('Library policy %(n)s updated from %(f)s',
                     {'n': name, 'f': relpath})
            return
        stored = None
    report.unchanged.append(name)


def load(library_path):
    """Load the library files under ``library_path`` into the database.

    :returns: a :class:`LoadReport`; bad files are logged and reported,
        the others loaded. A missing directory loads nothing (logged).
    """
    report = LoadReport()
    if not library_path or not os.path.isdir(library_path):
        LOG.warning('Policy library directory %r does not exist: no '
                    'library policy loaded', library_path)
        return report
    names = {}
    for relpath in library_files(library_path):
        try:
            document = read_file(os.path.join(library_path, relpath))
            if document['name'] in names:
                raise LibraryFileError(
                    os.path.join(library_path, relpath),
                    _('the name %(n)s is the one of %(f)s') % {
                        'n': document['name'], 'f': names[document['name']]})
        except LibraryFileError as exc:
            LOG.error('Library policy file %(p)s skipped: %(r)s',
                      {'p': exc.path, 'r': exc.reason})
            report.errors.append(exc)
            continue
        names[document['name']] = relpath
        _store_file_policy(report, relpath, document)
    LOG.info('Policy library %(p)s loaded: %(r)s',
             {'p': library_path, 'r': report})
    return report


class LibraryStore(object):
    """The library of one process; loads ``library_path`` once into the
    database of ``connection``."""

    def __init__(self, library_path, connection=None):
        self.library_path = library_path
        self.connection = connection
        self._loaded = False
        self._lock = threading.Lock()

    def ensure_loaded(self):
        """Load the library files unless this process did already."""
        with self._lock:
            if not self._loaded:
                load(self.library_path)
                self._loaded = True

    def list(self, name=None):
        self.ensure_loaded()
        return library_db.list_all(name=name)

    def get(self, policy_id):
        self.ensure_loaded()
        document = library_db.get(policy_id)
        if document is None:
            raise exception.NotFound(resource=_('Library policy'),
                                     id=policy_id)
        return document

    def create(self, document):
        self.ensure_loaded()
        return library_db.create(str(uuid.uuid4()), document)

    def replace(self, policy_id, document):
        self.ensure_loaded()
        replaced = library_db.replace(policy_id, document)
        if replaced is None:
            raise exception.NotFound(resource=_('Library policy'),
                                     id=policy_id)
        return replaced

    def delete(self, policy_id):
        self.ensure_loaded()
        deleted = library_db.delete(policy_id)
        if deleted is None:
            raise exception.NotFound(resource=_('Library policy'),
                                     id=policy_id)
        return deleted


def get_store():
    """The store of this process, for the options in force (the library
    path and the database it loads into)."""
    global _STORE
    library_path = CONF.policy_engine.policy_library_path
    connection = CONF.database.connection
    with _STORE_LOCK:
        if (_STORE is None or _STORE.library_path != library_path
                or _STORE.connection != connection):
            _STORE = LibraryStore(library_path, connection)
        return _STORE


def load_at_start():
    """Load the library as an API process starts; if the database cannot be
    reached, say so and leave the load to the first use of the library."""
    try:
        get_store().ensure_loaded()
    except Exception as exc:
        LOG.warning('Loading the policy library failed (%s); it is loaded '
                    'at its first use instead', exc)
