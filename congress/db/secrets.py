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

"""Encryption at rest of secret data-source settings.

The key is a Fernet key in ``[datasources] encryption_key_file``, created
(mode 0600) the first time it is needed. Every node of a deployment needs
the same file.
"""

import os
import threading

from cryptography import fernet

from congress import conf
from congress import exception
from congress.i18n import _

CONF = conf.CONF

PREFIX = 'fernet:'

_lock = threading.Lock()
_cipher = None
_cipher_path = None


def _get_cipher():
    global _cipher, _cipher_path
    path = CONF.datasources.encryption_key_file
    with _lock:
        if _cipher is None or _cipher_path != path:
            _cipher = fernet.Fernet(_load_or_create_key(path))
            _cipher_path = path
        return _cipher


def _load_or_create_key(path):
    try:
        with open(path, 'rb') as key_file:
            return key_file.read().strip()
    except FileNotFoundError:
        pass
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    key = fernet.Fernet.generate_key()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        with open(path, 'rb') as key_file:
            return key_file.read().strip()
    with os.fdopen(fd, 'wb') as key_file:
        key_file.write(key)
    return key


def encrypt(value):
    token = _get_cipher().encrypt(str(value).encode('utf-8'))
    return PREFIX + token.decode('ascii')


def decrypt(value):
    if not isinstance(value, str) or not value.startswith(PREFIX):
        return value
    try:
        return _get_cipher().decrypt(
            value[len(PREFIX):].encode('ascii')).decode('utf-8')
    except fernet.InvalidToken:
        raise exception.CongressException(
            _('A secret setting cannot be decrypted with the key in %s: '
              'every node must share the same [datasources] '
              'encryption_key_file') % CONF.datasources.encryption_key_file)
