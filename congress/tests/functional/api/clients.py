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

"""python-congressclient and python-openstackclient in their own venv.

The venv (``CONGRESS_CLIENTS_VENV``, default /var/cache/congress-clients)
is created on first use; later uses only check it.
"""

import fcntl
import os
import subprocess
import sys
import time

VENV = os.environ.get('CONGRESS_CLIENTS_VENV', '/var/cache/congress-clients')
PACKAGES = ('python-congressclient', 'python-openstackclient')
PYTHON = os.environ.get('CONGRESS_CLIENTS_PYTHON', sys.executable)


def openstack_command():
    return os.path.join(VENV, 'bin', 'openstack')


def ensure_venv(timeout=900):
    """Create the venv if needed; returns seconds spent installing (0.0
    when it was there)."""
    marker = os.path.join(VENV, '.congress-clients-ready')
    if os.path.exists(marker):
        return 0.0
    os.makedirs(os.path.dirname(VENV) or '/', exist_ok=True)
    started = time.monotonic()
    with open(VENV.rstrip('/') + '.lock', 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if os.path.exists(marker):
            return 0.0
        python = PYTHON
        # a venv's own python would make a venv of the venv; use its base
        base = getattr(sys, '_base_executable', None)
        if base and python == sys.executable:
            python = base
        subprocess.run([python, '-m', 'venv', '--clear', VENV], check=True,
                       timeout=timeout, stdout=subprocess.DEVNULL)
        subprocess.run([os.path.join(VENV, 'bin', 'pip'), 'install', '-q',
                        '--disable-pip-version-check'] + list(PACKAGES),
                       check=True, timeout=timeout,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        with open(marker, 'w') as ready:
            ready.write('%s\n' % ' '.join(PACKAGES))
    return time.monotonic() - started


if __name__ == '__main__':
    print('installed in %.1f s' % ensure_venv())
