"""Library policies: policy templates a policy can be created from.

The templates come from the YAML files of ``[policy_engine]
policy_library_path`` (read-only here) and from the API, whose additions,
replacements and deletions are kept in ``$state_path/library_policies.json``
(written atomically under a file lock, so API processes of one host share
it).
"""

import fcntl
import glob
import json
import os
import threading
import uuid

from oslo_log import log as logging
import yaml

from congress import conf
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


class LibraryStore(object):

    def __init__(self, library_path, state_file):
        self.library_path = library_path
        self.state_file = state_file
        self._lock = threading.Lock()

    # the files

    def _load_files(self):
        documents = {}
        if not self.library_path or not os.path.isdir(self.library_path):
            return documents
        paths = sorted(glob.glob(os.path.join(self.library_path, '*.yaml')) +
                       glob.glob(os.path.join(self.library_path, '*.yml')))
        for path in paths:
            try:
                with open(path) as handle:
                    document = yaml.safe_load(handle)
            except (OSError, yaml.YAMLError) as exc:
                LOG.warning('Library policy file %(p)s unreadable: %(e)s',
                            {'p': path, 'e': exc})
                continue
            if not isinstance(document, dict) or not document.get('name'):
                LOG.warning('Library policy file %s has no name; skipped',
                            path)
                continue
            document = dict(document)
            document['id'] = library_id(document['name'])
            documents[document['id']] = document
        return documents

    def _read_state(self):
        try:
            with open(self.state_file) as handle:
                state = json.load(handle)
        except FileNotFoundError:
            state = {}
        except (OSError, ValueError) as exc:
            LOG.error('Library state file %(f)s unreadable: %(e)s',
                      {'f': self.state_file, 'e': exc})
            state = {}
        state.setdefault('policies', {})
        state.setdefault('deleted', [])
        return state

    def _write_state(self, state):
        directory = os.path.dirname(self.state_file)
        os.makedirs(directory, exist_ok=True)
        temp = '%s.%d.tmp' % (self.state_file, os.getpid())
        with open(temp, 'w') as handle:
            json.dump(state, handle, indent=1, sort_keys=True)
        os.replace(temp, self.state_file)

    def _locked(self):
        directory = os.path.dirname(self.state_file)
        os.makedirs(directory, exist_ok=True)
        return _FileLock(self.state_file + '.lock', self._lock)

    def _all(self, state):
        documents = self._load_files()
        for policy_id in state['deleted']:
            documents.pop(policy_id, None)
        documents.update(state['policies'])
        return documents

    # the API

    def list(self, name=None):
        with self._locked():
            documents = self._all(self._read_state())
        result = sorted(documents.values(), key=lambda d: d['name'])
        if name is not None:
            result = [d for d in result if d['name'] == name]
        return result

    def get(self, policy_id):
        with self._locked():
            documents = self._all(self._read_state())
        document = documents.get(policy_id)
        if document is None:
            for candidate in documents.values():
                if candidate['name'] == policy_id:
                    return candidate
            raise exception.NotFound(resource=_('Library policy'),
                                     id=policy_id)
        return document

    def _check_name(self, documents, name, own_id=None):
        for document in documents.values():
            if document['name'] == name and document['id'] != own_id:
                raise exception.Conflict(
                    reason=_('a library policy named %s exists') % name)

    def create(self, document):
        with self._locked():
            state = self._read_state()
            self._check_name(self._all(state), document['name'])
            document = dict(document, id=str(uuid.uuid4()))
            state['policies'][document['id']] = document
            self._write_state(state)
        return document

    def replace(self, policy_id, document):
        with self._locked():
            state = self._read_state()
            documents = self._all(state)
            if policy_id not in documents:
                raise exception.NotFound(resource=_('Library policy'),
                                         id=policy_id)
            self._check_name(documents, document['name'], policy_id)
            document = dict(document, id=policy_id)
            state['policies'][policy_id] = document
            self._write_state(state)
        return document

    def delete(self, policy_id):
        with self._locked():
            state = self._read_state()
            documents = self._all(state)
            document = documents.get(policy_id)
            if document is None:
                raise exception.NotFound(resource=_('Library policy'),
                                         id=policy_id)
            state['policies'].pop(policy_id, None)
            if policy_id not in state['deleted']:
                state['deleted'].append(policy_id)
            self._write_state(state)
        return document


class _FileLock(object):
    """A thread lock plus an flock on a file, for processes of one host."""

    def __init__(self, path, thread_lock):
        self.path = path
        self.thread_lock = thread_lock
        self.handle = None

    def __enter__(self):
        self.thread_lock.acquire()
        try:
            self.handle = open(self.path, 'a')
            fcntl.flock(self.handle, fcntl.LOCK_EX)
        except Exception:
            self.thread_lock.release()
            raise
        return self

    def __exit__(self, *exc_info):
        try:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()
        finally:
            self.thread_lock.release()


def get_store():
    """The store of this process, for the options in force."""
    global _STORE
    library_path = CONF.policy_engine.policy_library_path
    state_file = os.path.join(CONF.state_path, 'library_policies.json')
    with _STORE_LOCK:
        if (_STORE is None or _STORE.library_path != library_path or
                _STORE.state_file != state_file):
            _STORE = LibraryStore(library_path, state_file)
        return _STORE
