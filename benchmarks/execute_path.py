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

"""Throughput and latency of the execute path on the real RabbitMQ.

In one run, on the same broker:

* the floor: raw oslo.messaging casts from this process to an RPC server
  in another process that does nothing but count them;
* DseRuntime.execute -> ExecutionDriver.execute across processes (the fake
  driver in one or two ``congress-server --datasources`` workers, MariaDB
  for the execution records): throughput of a burst, and latency from the
  call to the driver at light load.

Each figure is the median of ``--repeats`` runs. Run: ``tox -e bench`` or
``python benchmarks/execute_path.py``.
"""

import argparse
import concurrent.futures
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

# congress first: importing it keeps eventlet out of this process and of
# the floor's server (see congress/__init__.py), as in congress-server
import congress  # noqa: F401
import oslo_messaging as messaging

from congress import conf
from congress.db import api as db_api
from congress.db import datasources as datasources_db
from congress.db import executions as executions_db
from congress.db import migration
from congress.dse import node as node_mod
from congress.dse import rpc
from congress.execution import status
from congress.policy import dseruntime
from congress.tests.functional import databases
from congress.tests.functional import processes

CONF = conf.CONF


class _Counter(object):
    target = messaging.Target(version='1.0')

    def __init__(self, path):
        self.path = path
        self.count = 0

    def ping(self, context, n):
        self.count += 1
        with open(self.path, 'a') as out:
            out.write('%d %f\n' % (n, time.time()))


def raw_server(topic, path):
    """Child process: a bare RPC server counting casts."""
    rpc.init()
    CONF(['--config-file', os.environ['BENCH_CONFIG']], project='congress')
    server = rpc.get_server(topic, 'raw-server', [_Counter(path)])
    server.start()
    open(path + '.ready', 'w').close()
    while True:
        time.sleep(3600)


def _lines(path):
    if not os.path.exists(path):
        return []
    with open(path) as source:
        return source.read().splitlines()


def _in_threads(threads, count, fn):
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        return list(pool.map(fn, range(count)))


def measure_floor(count, topic, path, threads):
    """Messages per second, from the first cast to the last message
    received."""
    open(path, 'w').close()
    client = rpc.get_client(topic, '1.0')
    start = time.time()
    _in_threads(threads, count, lambda n: client.cast({}, 'ping', n=n))
    processes.wait_for(lambda: len(_lines(path)) >= count, timeout=120,
                       interval=0.01, message='raw casts received')
    last = max(float(line.split()[1]) for line in _lines(path))
    return count / (last - start)


def _driver_times(record_file):
    return {json.loads(line)['positional'][0]: json.loads(line)['t']
            for line in _lines(record_file)}


def measure_burst(runtime, count, record_file, tag, threads):
    """Executions per second, from the first call to the last driver run.
    """
    open(record_file, 'w').close()
    start = time.time()
    ids = _in_threads(threads, count, lambda i: runtime.execute(
        'fake:things.work', ['%s-%d' % (tag, i)])['id'])
    call_rate = count / (time.time() - start)
    processes.wait_for(lambda: len(_lines(record_file)) >= count,
                       timeout=300, interval=0.01, message='burst run')
    last = max(_driver_times(record_file).values())
    processes.wait_for(
        lambda: executions_db.get(ids[-1])['status'] in status.TERMINAL,
        message='last record terminal')
    return count / (last - start), call_rate


def measure_latency(runtime, count, record_file, tag, interval=0.02):
    """Milliseconds from the call to the driver, one call at a time."""
    open(record_file, 'w').close()
    sent = {}
    for i in range(count):
        label = '%s-%d' % (tag, i)
        sent[label] = time.time()
        runtime.execute('fake:things.work', [label])
        time.sleep(interval)
    processes.wait_for(lambda: len(_lines(record_file)) >= count,
                       timeout=120, interval=0.01, message='latency run')
    ran = _driver_times(record_file)
    latencies = sorted((ran[label] - sent[label]) * 1000 for label in sent)
    return (statistics.median(latencies),
            latencies[int(len(latencies) * 0.99) - 1])


def record_counts(timeout=120):
    """``{status: count}`` of every execution record, once none is open
    (or after ``timeout`` seconds)."""
    deadline = time.monotonic() + timeout
    while True:
        counts = {}
        for record in _all_records():
            counts[record['status']] = counts.get(record['status'], 0) + 1
        if time.monotonic() > deadline or not any(
                s not in status.TERMINAL for s in counts):
            return counts
        time.sleep(0.5)


def _all_records():
    records, marker = [], None
    while True:
        page = executions_db.list_records(limit=1000, marker=marker)
        records += page
        if len(page) < 1000:
            return records
        marker = page[-1]['id']


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--count', type=int, default=1000,
                        help='casts / executions per throughput run')
    parser.add_argument('--latency-count', type=int, default=200)
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--threads', type=int, default=8,
                        help='caller threads, for the floor and execute '
                             'alike (the API serves with several)')
    parser.add_argument('--raw-server', nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.raw_server:
        return raw_server(*args.raw_server)

    work = tempfile.mkdtemp(prefix='congress-bench-')
    db_url = databases.create('mysql', work)
    # the defaults of a deployment, not the functional tests' settings
    conf_path, values = processes.write_config(
        work, db_url, deployment_defaults=True)
    os.environ['BENCH_CONFIG'] = conf_path
    rpc.init()
    CONF(['--config-file', conf_path], project='congress')
    db_api.configure(db_url)
    migration.upgrade('head')
    record_file = os.path.join(work, 'runs.jsonl')
    datasources_db.create('fake', 'fake', {'record_file': record_file},
                          secret_names=())
    children = []
    try:
        topic = 'congress-bench-raw-%s' % values['dse']['bus_id']
        raw_path = os.path.join(work, 'raw.txt')
        children.append(subprocess.Popen(
            [sys.executable, __file__, '--raw-server', topic, raw_path]))
        processes.wait_for(lambda: os.path.exists(raw_path + '.ready'),
                           message='raw server up')
        node = node_mod.DseNode('bench-caller')
        runtime = dseruntime.DseRuntime(node)
        results = {}
        for workers in (1, 2):
            while len(children) - 1 < workers:
                index = len(children)
                children.append(processes.CongressServer(
                    conf_path, 'worker-%d' % index, ['datasources'], work))
                children[-1].start()
            processes.wait_for(
                lambda: len(node.directory.lookup('fake')) == workers,
                message='%d workers' % workers)
            floor, burst, calls, p50, p99 = [], [], [], [], []
            for repeat in range(args.repeats):
                floor.append(measure_floor(args.count, topic, raw_path,
                                           args.threads))
                rate, call_rate = measure_burst(
                    runtime, args.count, record_file,
                    'b%d%d' % (workers, repeat), args.threads)
                burst.append(rate)
                calls.append(call_rate)
                lat = measure_latency(runtime, args.latency_count,
                                      record_file,
                                      'l%d%d' % (workers, repeat))
                p50.append(lat[0])
                p99.append(lat[1])
            results[workers] = {
                'floor': statistics.median(floor),
                'execute': statistics.median(burst),
                'calls': statistics.median(calls),
                'p50': statistics.median(p50),
                'p99': statistics.median(p99)}
        print('\nexecute path on RabbitMQ: %d per burst from %d caller '
              'threads, median of %d runs' % (args.count, args.threads,
                                              args.repeats))
        print('%-8s %14s %16s %8s %14s %9s %9s' % (
            'workers', 'raw cast/s', 'execute/s', 'ratio', 'calls/s',
            'p50 ms', 'p99 ms'))
        for workers, r in results.items():
            print('%-8d %14.0f %16.0f %7.0f%% %14.0f %9.1f %9.1f' % (
                workers, r['floor'], r['execute'],
                100 * r['execute'] / r['floor'], r['calls'], r['p50'],
                r['p99']))
        print('targets: execute/s >= 50% of raw cast/s; p99 < 20 ms at '
              'light load (one call every 20 ms)')
        counts = record_counts()
        print('records %d, terminal %d (%s): every execution stays a '
              'durable record' % (
                  sum(counts.values()),
                  sum(n for s, n in counts.items() if s in status.TERMINAL),
                  ', '.join('%s %d' % item for item in sorted(
                      counts.items()))))
        print('load average %s' % ' '.join('%.1f' % x
                                           for x in os.getloadavg()))
    finally:
        for child in children:
            if isinstance(child, processes.CongressServer):
                child.terminate()
            else:
                child.kill()
                child.wait()
        rpc.cleanup()
        db_api.configure()
        databases.drop(db_url)


if __name__ == '__main__':
    sys.exit(main())
