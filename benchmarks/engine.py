"""Benchmark of the policy engine on a nova-like workload.

For each size N it loads N ``nova:servers`` rows and 50 ``nova:flavors``
rows under the rules below, inserts an execute rule over the loaded data
(which the blast-radius limit rejects), queries ``error`` and times single
changes.  Each N runs in a fresh subprocess so that peak memory figures do
not mix.  It prints figures only; nothing is asserted.

    python benchmarks/engine.py [--sizes 1000,10000,100000] [--repeat 15]
"""

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time

RULES = [
    'big_flavor(f) :- nova:flavors(id=f, ram=r), builtin:gt(r, 8192)',
    'bad_server(s) :- nova:servers(id=s, flavor_id=f, status="ACTIVE"), '
    'big_flavor(f)',
    'error(s, t) :- nova:servers(id=s, tenant_id=t), bad_server(s), '
    'not exempt(t)',
    'exempt("tenant-3")',
]
EXECUTE_RULE = 'execute[nova:servers.pause(s)] :- error(s, t)'
SCHEMA = {
    'servers': ['id', 'name', 'host_id', 'status', 'tenant_id', 'user_id',
                'image_id', 'flavor_id', 'zone', 'host_name', 'created_at'],
    'flavors': ['id', 'name', 'vcpus', 'ram', 'disk', 'ephemeral',
                'rxtx_factor'],
}
RAMS = (1024, 2048, 4096, 8192, 16384)
FLAVORS = 50
TENANTS = 20
HOSTS = 100
TARGETS = {'query_s': 1.0, 'fire_ms': 5.0, 'quiet_ms': 1.0,
           'peak_mib_100000': 300.0}


class _Sink(object):
    def __init__(self):
        self.fired = 0
        self.rejected = 0
        self.last_fired_at = None

    def fire(self, requests):
        self.last_fired_at = time.perf_counter()
        self.fired += len(requests)

    def reject(self, requests, reason):
        self.rejected += len(requests)


def _uuid(rng):
    hexa = '%032x' % rng.getrandbits(128)
    return '-'.join((hexa[:8], hexa[8:12], hexa[12:16], hexa[16:20],
                     hexa[20:]))


def _flavors():
    return [('flavor-%d' % i, 'm1.f%d' % i, 1 + i % 8, RAMS[i % len(RAMS)],
             20 * (1 + i % 4), 0, 1.0) for i in range(FLAVORS)]


def _server(rng, index, status=None, flavor=None, tenant=None):
    host = rng.randrange(HOSTS)
    if status is None:
        status = 'ERROR' if rng.random() < 0.1 else 'ACTIVE'
    return (_uuid(rng), 'vm-%d' % index, 'host-id-%d' % host, status,
            tenant or 'tenant-%d' % rng.randrange(TENANTS),
            'user-%d' % rng.randrange(100), 'image-%d' % rng.randrange(10),
            flavor or 'flavor-%d' % rng.randrange(FLAVORS),
            'zone-%d' % (host % 3), 'compute-%d' % host,
            '2024-01-%02dT12:00:00Z' % (1 + index % 28))


def _measure(size, repeat):
    from congress.policy import engine as engine_mod

    rng = random.Random(size)
    sink = _Sink()
    engine = engine_mod.PolicyEngine(
        action_sink=sink,
        schema_lookup=lambda service: SCHEMA if service == 'nova' else None)
    engine.create_policy('bench')
    for rule in RULES:
        engine.insert_rule('bench', rule)
    servers = [_server(rng, i) for i in range(size)]
    start = time.perf_counter()
    engine.initialize_table('nova', 'flavors', _flavors())
    engine.initialize_table('nova', 'servers', servers)
    load = time.perf_counter() - start
    del servers

    start = time.perf_counter()
    engine.insert_rule('bench', EXECUTE_RULE)
    rule_insert = time.perf_counter() - start
    rejected = sink.rejected

    start = time.perf_counter()
    errors, _trace = engine.query('bench', 'error(x, y)')
    query = time.perf_counter() - start

    big_flavor = 'flavor-%d' % RAMS.index(16384)
    fire_times = []
    for i in range(repeat):
        row = _server(rng, size + i, status='ACTIVE', flavor=big_flavor,
                      tenant='tenant-1')
        fired = sink.fired
        start = time.perf_counter()
        engine.receive_delta('nova', 'servers', [row], [])
        if sink.fired == fired + 1:
            fire_times.append(sink.last_fired_at - start)
    quiet_times = []
    for i in range(repeat):
        row = _server(rng, size + repeat + i, status='ERROR')
        fired = sink.fired
        start = time.perf_counter()
        engine.receive_delta('nova', 'servers', [row], [])
        elapsed = time.perf_counter() - start
        if sink.fired == fired:
            quiet_times.append(elapsed)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        'size': size, 'load_s': load, 'rule_insert_s': rule_insert,
        'rejected': rejected, 'errors': len(errors), 'query_s': query,
        'fire_ms': statistics.median(fire_times) * 1000
        if fire_times else None,
        'fired': len(fire_times),
        'quiet_ms': statistics.median(quiet_times) * 1000
        if quiet_times else None,
        'peak_mib': peak_kib / 1024.0,
    }


def _report(results):
    print('%-9s %8s %9s %9s %8s %9s %10s %10s %9s' % (
        'N', 'load s', 'rule s', 'rejected', 'errors', 'query s',
        'fire ms', 'quiet ms', 'peak MiB'))
    for r in results:
        print('%-9d %8.2f %9.3f %9d %8d %9.4f %10.3f %10.3f %9.1f' % (
            r['size'], r['load_s'], r['rule_insert_s'], r['rejected'],
            r['errors'], r['query_s'], r['fire_ms'] or float('nan'),
            r['quiet_ms'] or float('nan'), r['peak_mib']))
    print()
    print('Targets (medians of single changes):')
    for r in results:
        peak_target = (' (target < %.0f MiB)' % TARGETS['peak_mib_100000']
                       if r['size'] == 100000 else '')
        print('  N=%-7d query %.4f s (target < %.1f s), new row to fired '
              'action %.3f ms (target < %.1f ms), non-firing change %.3f ms '
              '(target < %.1f ms), peak %.1f MiB%s' % (
                  r['size'], r['query_s'], TARGETS['query_s'],
                  r['fire_ms'] or float('nan'), TARGETS['fire_ms'],
                  r['quiet_ms'] or float('nan'), TARGETS['quiet_ms'],
                  r['peak_mib'], peak_target))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--sizes', default='1000,10000,100000',
                        help='comma-separated numbers of servers')
    parser.add_argument('--repeat', type=int, default=15,
                        help='single changes timed for each median')
    parser.add_argument('--one', type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(_measure(args.one, args.repeat)))
        return
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        filter(None, [root, os.environ.get('PYTHONPATH')])))
    results = []
    for size in [int(s) for s in args.sizes.split(',') if s.strip()]:
        output = subprocess.run(
            [sys.executable, __file__, '--one', str(size), '--repeat',
             str(args.repeat)], check=True, capture_output=True, text=True,
            env=env)
        results.append(json.loads(output.stdout.strip().splitlines()[-1]))
        print('N=%d done' % size, file=sys.stderr)
    _report(results)


if __name__ == '__main__':
    main()
