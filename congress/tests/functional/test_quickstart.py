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

"""The commands of the quick-start page, run exactly as the page prints
them (``openstack congress`` from python-congressclient, ``curl``) against
``congress-server`` on the embedded default, and their output compared
with the page's.

The server and the commands run in a network namespace of their own, so
the page's address (127.0.0.1:1789) is theirs whatever else runs here.
"""

import os
import re
import shlex
import shutil
import subprocess
import sys
import time

import fixtures
import testtools

from congress.tests import base
from congress.tests.functional.api import clients

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..',
                                    '..'))
PAGE = os.path.join(ROOT, 'doc', 'source', 'quickstart.rst')

#: ``.. quickstart: <how>`` before a console block: ``skip`` (not run
#: here: installing), ``background`` (the server), else run and compare.
_MARK = re.compile(r'^\.\. quickstart: (skip|background)\s*$')
_BLOCK = re.compile(r'^\.\. code-block:: console\s*$')

#: What differs from one run to the next, and how long a command is
#: repeated until its output is the page's (polls run in the background).
_VOLATILE = (
    (re.compile(r'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-'
                r'[0-9a-f]{12}'), '<uuid>'),
    (re.compile(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?'), '<time>'),
    (re.compile(r'req-<uuid>'), '<request>'),
)
SETTLE_TIME = 20.0
_CHANGES = re.compile(r'\b(create|delete|set|unset|update)\b|-X ?(POST|PUT|'
                      r'PATCH|DELETE)')


class Command(object):
    """A command of the page with the output the page shows."""

    def __init__(self, line, output, how):
        self.line = line
        self.output = output
        self.how = how

    def __repr__(self):
        return self.line


def read_commands(path=PAGE):
    """The ``$`` commands of the page's console blocks, in order."""
    with open(path) as page:
        lines = page.read().splitlines()
    commands = []
    how = 'run'
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        mark = _MARK.match(line)
        if mark:
            how = mark.group(1)
            continue
        if not _BLOCK.match(line):
            continue
        block = []
        while index < len(lines) and (not lines[index].strip() or
                                      lines[index].startswith(' ')):
            block.append(lines[index].strip())
            index += 1
        commands += _block_commands(block, how)
        how = 'run'
    return commands


def _block_commands(block, how):
    commands = []
    for line in block:
        if line.startswith('$ '):
            commands.append(Command(line[2:], [], how))
        elif commands and line:
            commands[-1].output.append(line)
    return commands


def normalise(lines):
    """The lines without what changes between runs, in a stable order
    (the rows of a table come in any order)."""
    result = []
    for line in lines:
        line = ' '.join(line.split())
        for pattern, replacement in _VOLATILE:
            line = pattern.sub(replacement, line)
        if line:
            result.append(line)
    return sorted(result)


class NetworkNamespace(fixtures.Fixture):
    """A network namespace with its loopback up, held by a sleeping
    process; ``command()`` prefixes a command to run inside it."""

    def _setUp(self):
        self.holder = subprocess.Popen(
            ['unshare', '--net', '--', 'sh', '-c',
             'ip link set lo up && echo up && exec sleep 3600'],
            stdout=subprocess.PIPE, text=True)
        self.addCleanup(self._stop)
        if self.holder.stdout.readline().strip() != 'up':
            raise AssertionError('no network namespace')

    def _stop(self):
        self.holder.kill()
        self.holder.wait()

    def command(self, argv):
        return ['nsenter', '--net=/proc/%d/ns/net' % self.holder.pid] + argv


def _can_unshare():
    if not (shutil.which('unshare') and shutil.which('nsenter')):
        return False
    return subprocess.run(['unshare', '--net', 'true'],
                          capture_output=True).returncode == 0


class QuickStartTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        if not _can_unshare():
            self.skipTest('needs unshare --net (root) for the page\'s port')
        clients.ensure_venv()
        self.netns = self.useFixture(NetworkNamespace())
        self.work = self.useFixture(fixtures.TempDir()).path
        # the page runs "from the top of the source tree"
        shutil.copytree(os.path.join(ROOT, 'etc'),
                        os.path.join(self.work, 'etc'))
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith('OS_')}
        self.env['PATH'] = os.pathsep.join([
            os.path.dirname(clients.openstack_command()),
            os.path.dirname(sys.executable), self.env.get('PATH', '')])

    def test_page_has_five_commands(self):
        run = [c for c in read_commands() if c.how == 'run'
               and not c.line.startswith('export ')]
        self.assertEqual(5, len(run), run)
        self.assertEqual({'openstack', 'curl'},
                         {shlex.split(c.line)[0] for c in run})

    def test_commands_as_printed(self):
        for command in read_commands():
            if command.how == 'skip':
                continue
            if command.how == 'background':
                self._start_server(command.line)
            elif command.line.startswith('export '):
                for assignment in shlex.split(command.line)[1:]:
                    name, _sep, value = assignment.partition('=')
                    self.env[name] = value
            else:
                self._run(command)

    def _start_server(self, line):
        log = open(os.path.join(self.work, 'server.log'), 'w')
        self.addCleanup(log.close)
        server = subprocess.Popen(
            self.netns.command(['bash', '-c', 'exec ' + line]),
            cwd=self.work, env=self.env, stdout=log,
            stderr=subprocess.STDOUT)
        self.addCleanup(base.terminate, server)
        probe = self.netns.command([
            'curl', '-sf', 'http://127.0.0.1:1789/v1/data-sources/demo/'
            'status'])
        base.wait_for(lambda: '"initialized": "True"' in subprocess.run(
            probe, capture_output=True, text=True).stdout, timeout=60,
            message='the embedded server and its demo cloud')

    def _run(self, command):
        deadline = time.monotonic() + SETTLE_TIME
        while True:
            proc = subprocess.run(
                self.netns.command(['bash', '-c', command.line]),
                cwd=self.work, env=self.env, capture_output=True, text=True,
                timeout=120)
            shown = normalise(command.output)
            got = normalise(proc.stdout.splitlines())
            if proc.returncode == 0 and shown == got:
                return
            # a command that changes something is run once: run again, it
            # would answer something else (a 409)
            if time.monotonic() >= deadline or _CHANGES.search(command.line):
                self.assertEqual(0, proc.returncode, '%s: %s' % (
                    command, proc.stderr))
                self.assertEqual(shown, got, '%s printed:\n%s' % (
                    command, proc.stdout))
            time.sleep(0.5)
