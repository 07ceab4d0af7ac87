"""Library policies: policy templates a policy can be created from.

They live in the database, shared by every API host. The YAML files of
``[policy_engine] policy_library_path`` are loaded into it the first time a
process needs the library: a file whose policy name is not stored yet is
added (so a file-defined policy deleted through the API comes back at the
next start while its file is there).
"""

import glob
import os
import threading
import uuid

from oslo_log import log as logging
import yaml

from congress import conf
from congress.db import library_policies as library_db
from congress import exception
from congress.i18n import _

CONF = conf.CONF
LOG = logging.getLogger(__name__)

_NAMESPACE = uuid.UUID('5e0e1c47-2b1c-4bd6-9c59-2f5b0cbb1d1a')
_STORE = None
_STORE_LOCK = threading.Lock()


def library_id(name):
    """Stable id of a library policy loaded from a file."""
    return str(uuid.uuid5(_NAMESPACE, name))


def read_files(library_path):
    """The policy documents of the YAML files in ``library_path``."""
    if not library_path or not os.path.isdir(library_path):
        return []
    documents = []
    for path in sorted(glob.glob(os.path.join(library_path, '*.yaml')) +
                       glob.glob(os.path.join(library_path, '*.yml'))):
        try:
            with open(path) as handle:
                document = yaml.safe_load(handle)
        except (OSError, yaml.YAMLError) as exc:
            LOG.warning('Library policy file %(p)s unreadable: %(e)s',
                        {'p': path, 'e': exc})
            continue
        if not isinstance(document, dict) or not document.get('name'):
            LOG.warning('Library policy file %s has no name; skipped', path)
            continue
        documents.append(document)
    return documents


class LibraryStore(object):
    """The library of one process; loads ``library_path`` once."""

    def __init__(self, library_path):
        self.library_path = library_path
        self._loaded = False
        self._lock = threading.Lock()

    def _load_files(self):
        with self._lock:
            if self._loaded:
                return
            for document in read_files(self.library_path):
                if library_db.get(document['name']) is None:
                    try:
                        library_db.create(library_id(document['name']),
                                          document)
                    except exception.Conflict:
                        pass  # another process loaded it meanwhile
            self._loaded = True

    def list(self, name=None):
        self._load_files()
        return library_db.list_all(name=name)

    def get(self, policy_id):
        self._load_files()
        document = library_db.get(policy_id)
        if document is None:
            raise exception.NotFound(resource=_('Library policy'),
                                     id=policy_id)
        return document

    def create(self, document):
        self._load_files()
        return library_db.create(str(uuid.uuid4()), document)

    def replace(self, policy_id, document):
        self._load_files()
        replaced = library_db.replace(policy_id, document)
        if replaced is None:
            raise exception.NotFound(resource=_('Library policy'),
                                     id=policy_id)
        return replaced

    def delete(self, policy_id):
        self._load_files()
        deleted = library_db.delete(policy_id)
        if deleted is None:
            raise exception.NotFound(resource=_('Library policy'),
                                     id=policy_id)
        return deleted


def get_store():
    """The store of this process, for the options in force."""
    global _STORE
    library_path = CONF.policy_engine.policy_library_path
    with _STORE_LOCK:
        if _STORE is None or _STORE.library_path != library_path:
            _STORE = LibraryStore(library_path)
        return _STORE
