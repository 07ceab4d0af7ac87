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

"""Benchmark of POST ?action=execute through the whole API stack.

It starts a real keystone (``tools/openstack-testbed.sh up
--keystone-only`` in its own state dir), a ``congress-server --api``
process with ``auth_strategy = keystone`` (keystonemiddleware with its
in-process token cache) and a ``--datasources`` process serving a ``fake``
data source, over RabbitMQ and MariaDB (or SQLite with ``--db sqlite``).

For each concurrency level it measures, with persistent HTTP connections:

* ``GET /``: the floor (same server, same paste pipeline, no token check);
* ``GET /v1/system/drivers``: a token-checked, policy-checked read;
* ``POST /v1/data-sources/fake?action=execute`` with ``dry_run``:
  validation, token and policy checks, the directory lookup and the
  record written, no cast;
* ``POST /v1/data-sources/fake?action=execute``: the same, the cast on
  RabbitMQ, and the worker process running ``things.list`` and updating
  the record meanwhile.

After the table, the floors at c = 1, from this process on the same
MariaDB and RabbitMQ: a one-row INSERT + COMMIT, and an oslo.messaging
cast with the broker's confirm, the two things an execute must do before
its 202 (the record durable before its cast, the cast taken before the
answer). With the token-checked read they bound what execute can reach at
c = 1: ``GET /`` ÷ (read + insert + cast), printed as the ceiling.

Each figure is the median of ``--repeat`` runs of ``--seconds`` each,
with its ratio to the floor measured in the same run, and the database's
own counters over the run (SHOW GLOBAL STATUS: commits, fsyncs and row
lock waits a second, connections opened a second; the server is shared,
so they count every client's). It runs the whole table once per
``--workers`` value (``[api] workers`` of the API server), then counts
the records: every 202 must end in a terminal record. It prints figures
only; nothing is asserted.

    python benchmarks/api_execute.py [--concurrency 1,4,16,32] [--repeat 3]
        [--workers 1,2]
"""

import argparse
import http.client
import json
import os
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))

from oslo_utils import timeutils  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from congress import conf  # noqa: E402
from congress.db import api as db_api  # noqa: E402
from congress.db import migration  # noqa: E402
from congress.db import models  # noqa: E402
from congress.dse import rpc  # noqa: E402
from congress.execution import status  # noqa: E402
from congress.tests.functional.api import base as api_base  # noqa: E402
from congress.tests.functional import databases  # noqa: E402
from congress.tests.functional import processes  # noqa: E402

EXECUTE_BODY = json.dumps({'name': 'things.list',
                           'args': {'positional': [], 'named': {}}})
DRY_RUN_BODY = json.dumps({'name': 'things.list', 'dry_run': True})


def _worker(port, method, path, body, token, stop, latencies, errors):
    connection = http.client.HTTPConnection('127.0.0.1', port, timeout=30)
    headers = {'Content-Type': 'application/json'}
    if token:
        headers['X-Auth-Token'] = token
    while not stop.is_set():
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            ok = response.status < 400
        except (OSError, http.client.HTTPException):
            connection.close()
            connection = http.client.HTTPConnection('127.0.0.1', port,
                                                    timeout=30)
            ok = False
        elapsed = time.perf_counter() - started
        if ok:
            latencies.append(elapsed)
        else:
            errors.append(elapsed)
    connection.close()


def measure(port, method, path, body, token, concurrency, seconds):
    stop = threading.Event()
    latencies, errors = [], []
    threads = [threading.Thread(target=_worker,
                                args=(port, method, path, body, token, stop,
                                      latencies, errors))
               for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    if not latencies:
        return {'rps': 0.0, 'p50': float('nan'), 'p99': float('nan'),
                'errors': len(errors), 'count': 0}
    return {'rps': len(latencies) / elapsed, 'count': len(latencies),
            'p50': latencies[len(latencies) // 2] * 1000.0,
            'p99': latencies[min(len(latencies) - 1,
                                 int(len(latencies) * 0.99))] * 1000.0,
            'errors': len(errors)}


def median_of(runs):
    return {key: statistics.median(run[key] for run in runs)
            for key in runs[0]}


#: MariaDB's counters shown per case, as rates over its runs.
DB_COUNTERS = ('Com_commit', 'Innodb_data_fsyncs', 'Innodb_row_lock_waits',
               'Connections')


def db_counters():
    """The MariaDB counters of DB_COUNTERS (empty on another database)."""
    if db_api.get_engine().dialect.name != 'mysql':
        return {}
    with db_api.get_engine().connect() as connection:
        return {name: int(value) for name, value in connection.execute(
            sa.text('SHOW GLOBAL STATUS')) if name in DB_COUNTERS}


def record_counts(since, timeout=120):
    """``{status: count}`` of the execution records created ``since``,
    once none is accepted or dispatched any more (or after ``timeout``
    seconds)."""
    table = models.Execution
    deadline = time.monotonic() + timeout
    while True:
        with db_api.get_engine().connect() as connection:
            counts = dict(connection.execute(
                sa.select(table.status, sa.func.count())
                .where(table.created_at >= since)
                .group_by(table.status)).all())
        open_ = sum(n for s, n in counts.items() if s not in status.TERMINAL)
        if not open_ or time.monotonic() > deadline:
            return counts
        time.sleep(0.5)


def unsuccessful(since, limit=3):
    """The most frequent errors of the records created ``since`` that
    neither succeeded nor were dry runs, with their counts."""
    table = models.Execution
    with db_api.get_engine().connect() as connection:
        rows = connection.execute(
            sa.select(table.status, table.error, sa.func.count())
            .where(table.status.notin_([status.SUCCEEDED, status.DRY_RUN]),
                   table.created_at >= since)
            .group_by(table.status, table.error)
            .order_by(sa.func.count().desc()).limit(limit)).all()
    return ['%d %s: %s' % (count, state, (error or '')[:100])
            for state, error, count in rows]


def _median_ms(fn, count):
    times = []
    for n in range(count):
        started = time.perf_counter()
        fn(n)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000.0


def insert_floor(count):
    """Median ms of a one-row INSERT + COMMIT (a row the size of an
    execution record) into a scratch table of the benchmark's database."""
    scratch = sa.Table('bench_floor', sa.MetaData(),
                       sa.Column('id', sa.String(36), primary_key=True),
                       sa.Column('body', sa.Text))
    engine = db_api.get_engine()
    scratch.create(engine)
    body = 'x' * 600
    try:
        with engine.connect() as connection:
            def insert(n):
                with connection.begin():
                    connection.execute(sa.insert(scratch),
                                       {'id': uuid.uuid4().hex,
                                        'body': body})
            return _median_ms(insert, count)
    finally:
        scratch.drop(engine)


def cast_floor(conf_path, count):
    """Median ms of an oslo.messaging cast (configured as the servers are,
    from their config file) to a topic of its own, the broker's confirm
    included."""
    rpc.init()
    conf.CONF(['--config-file', conf_path], project='congress')
    client = rpc.get_client('congress-bench-floor-%s' % uuid.uuid4().hex,
                            '1.0')
    try:
        return _median_ms(lambda n: client.cast({}, 'ping', n=n), count)
    finally:
        rpc.cleanup()


def print_floors(stack, at_one, count=500):
    """The floors at c = 1 and the ceiling they put on execute
    (``at_one``: the p50 ms of the table's cases at c = 1)."""
    insert = insert_floor(count)
    cast = cast_floor(stack.conf_path, count)
    read = at_one[READ]
    print('floors at c = 1 (p50 ms): GET / %.2f; token-checked read %.2f; '
          'INSERT + COMMIT %.2f; cast with confirm %.2f'
          % (at_one[FLOOR], read, insert, cast))
    print('ceiling of POST execute at c = 1: GET / / (read + insert + '
          'cast) = %.0f%% (measured %.0f%%)'
          % (100 * at_one[FLOOR] / (read + insert + cast),
             100 * at_one[FLOOR] / at_one[EXECUTE]))


class Stack(object):
    """keystone + congress API + a data-source worker."""

    def __init__(self, db_backend, threads, workers=1):
        self.db_backend = db_backend
        self.threads = threads
        self.workers = workers
        self.cleanups = []

    def start(self):
        self.tmp = tempfile.mkdtemp(prefix='congress-bench-')
        self.cleanups.append(lambda: shutil.rmtree(self.tmp))
        keystone = api_base.Keystone()
        keystone.setUp()
        self.cleanups.append(keystone.cleanUp)
        self.keystone = keystone
        self.db_url = databases.create(self.db_backend, self.tmp)
        self.cleanups.append(lambda: databases.drop(self.db_url))
        db_api.configure(self.db_url)
        migration.upgrade('head')
        self.port = api_base.free_port()
        service = keystone.credentials('service')
        self.conf_path, _ = processes.write_config(
            self.tmp, self.db_url, deployment_defaults=True,
            DEFAULT={'transport_url': processes.RABBIT_URL,
                     'state_path': self.tmp, 'debug': 'false',
                     'default_log_levels': 'congress.api.app=WARN'},
            api={'bind_host': '127.0.0.1', 'bind_port': str(self.port),
                 'auth_strategy': 'keystone', 'threads': str(self.threads),
                 'workers': str(self.workers)},
            keystone_authtoken=api_base.authtoken_section(
                service, token_cache_time='300'),
            execution={'time_to_live': '600'})
        suffix = uuid.uuid4().hex[:6]
        for node_id, roles in (('bench-ds-%s' % suffix, ['datasources']),
                               ('bench-api-%s' % suffix, ['api'])):
            server = processes.CongressServer(self.conf_path, node_id,
                                              roles, self.tmp)
            server.setUp()
            self.cleanups.append(server.cleanUp)
        processes.wait_for(self._up, timeout=60, message='the API')
        self.token = keystone.session('admin').get_token()
        status, body = self.request('POST', '/v1/data-sources', json.dumps(
            {'name': 'fake', 'driver': 'fake', 'config': {}}))
        if status != 201:
            raise RuntimeError('data source not created: %s %s'
                               % (status, body))
        processes.wait_for(
            lambda: self.request('POST',
                                 '/v1/data-sources/fake?action=execute',
                                 EXECUTE_BODY)[0] == 202,
            timeout=60, message='the fake service on the bus')

    def _up(self):
        try:
            return self.request('GET', '/', token=False)[0] == 200
        except OSError:
            return False

    def request(self, method, path, body=None, token=True):
        connection = http.client.HTTPConnection('127.0.0.1', self.port,
                                                timeout=30)
        headers = {'Content-Type': 'application/json'}
        if token:
            headers['X-Auth-Token'] = self.token
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def stop(self):
        for cleanup in reversed(self.cleanups):
            try:
                cleanup()
            except Exception as exc:
                print('cleanup failed: %s' % exc, file=sys.stderr)


FLOOR = 'GET / (floor)'
READ = 'GET /v1/system/drivers'
EXECUTE = 'POST execute'


def run_cases(stack, levels, repeat, seconds):
    """Measure every case at every level; returns the 202s answered and
    ``{case: p50 ms}`` at c = 1 (empty without that level)."""
    cases = [
        (FLOOR, 'GET', '/', None, None),
        (READ, 'GET', '/v1/system/drivers', None, stack.token),
        ('POST execute (dry run)', 'POST',
         '/v1/data-sources/fake?action=execute', DRY_RUN_BODY, stack.token),
        (EXECUTE, 'POST', '/v1/data-sources/fake?action=execute',
         EXECUTE_BODY, stack.token),
    ]
    accepted = 0
    at_one = {}
    print('%-24s %4s %8s %6s %8s %8s %6s %8s %7s %6s %7s'
          % ('request', 'conc', 'req/s', 'ratio', 'p50 ms', 'p99 ms',
             'errors', 'commit/s', 'fsync/s', 'lockw', 'conn/s'))
    for concurrency in levels:
        floor = None
        for label, method, path, body, token in cases:
            runs = []
            before, started = db_counters(), time.monotonic()
            for _ in range(repeat):
                runs.append(measure(stack.port, method, path, body, token,
                                    concurrency, seconds))
                if method == 'POST':
                    accepted += runs[-1]['count']
            after, elapsed = db_counters(), time.monotonic() - started
            rate = {name: (after[name] - before[name]) / elapsed
                    for name in after}
            figures = median_of(runs)
            floor = floor or figures['rps']
            if concurrency == 1:
                at_one[label] = figures['p50']
            print('%-24s %4d %8.1f %5.0f%% %8.2f %8.2f %6d %8.0f %7.0f '
                  '%6.0f %7.1f'
                  % (label, concurrency, figures['rps'],
                     100 * figures['rps'] / floor, figures['p50'],
                     figures['p99'], figures['errors'],
                     rate.get('Com_commit', 0),
                     rate.get('Innodb_data_fsyncs', 0),
                     rate.get('Innodb_row_lock_waits', 0) * elapsed,
                     rate.get('Connections', 0)))
            sys.stdout.flush()
    return accepted, at_one


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--concurrency', default='1,4,16,32')
    parser.add_argument('--repeat', type=int, default=3)
    parser.add_argument('--seconds', type=float, default=3.0)
    parser.add_argument('--threads', type=int, default=16,
                        help='[api] threads of the server')
    parser.add_argument('--workers', default='1,2',
                        help='[api] workers of the server, one run each')
    parser.add_argument('--db', default='mysql',
                        choices=databases.BACKENDS)
    args = parser.parse_args()
    levels = [int(c) for c in args.concurrency.split(',')]
    stop_keystone = not api_base.Keystone.running()
    # SIGTERM ends the run as Ctrl-C does: through the cleanups below
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(143))
    try:
        for workers in [int(w) for w in args.workers.split(',')]:
            bench_stack(args, levels, workers)
    finally:
        if stop_keystone:
            # started here, so stopped here too
            api_base.Keystone.stop()


def bench_stack(args, levels, workers):
    stack = Stack(args.db, args.threads, workers)
    try:
        started = time.monotonic()
        stack.start()
        print('\nstack up in %.1f s (API threads %d, [api] workers %d, '
              'database %s); load average %s' % (
                  time.monotonic() - started, args.threads, workers,
                  args.db, ' '.join('%.1f' % x for x in os.getloadavg())))
        # the start's records (refused while the worker was not on the
        # bus yet, then one accepted) are not the run's
        run_started = timeutils.utcnow()
        accepted, at_one = run_cases(stack, levels, args.repeat,
                                     args.seconds)
        counts = record_counts(run_started)
        terminal = sum(n for s, n in counts.items() if s in status.TERMINAL)
        print('202 answers %d; records of the run %d, terminal %d (%s); '
              'load average %s' % (
                  accepted, sum(counts.values()), terminal,
                  ', '.join('%s %d' % item for item in sorted(
                      counts.items())),
                  ' '.join('%.1f' % x for x in os.getloadavg())))
        for line in unsuccessful(run_started):
            print('  not succeeded: %s' % line)
        if at_one and workers == 1:
            print_floors(stack, at_one)
    finally:
        # whatever start() got to, a failure half-way included
        stack.stop()


if __name__ == '__main__':
    main()
