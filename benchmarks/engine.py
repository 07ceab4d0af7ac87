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

"""Benchmark of the policy engine.

Two workloads, each size in a fresh subprocess so that peak memory figures
do not mix.  They print figures only; nothing is asserted.

``nova``: N ``nova:servers`` rows and 50 ``nova:flavors`` rows under the
rules below; it inserts an execute rule over the loaded data (which the
blast-radius limit rejects), queries ``error`` and times single changes.

``joins``: a multi-way join with a negation and a builtin, written in an
adversarial atom order (the first two atoms share no variable), over N
``src:ports``, N/10 ``src:servers``, N/100 ``src:networks`` and N/1000
``src:tenants`` rows.  It times the insert of that rule over loaded data,
an ad hoc query that is also written in an adversarial order, the insert
of an execute rule over every exposed row (a batch the blast-radius limit
rejects, each request explained), and a single new port -> the action the
execute rule fires.  Peak memory is shown before the execute rule's
rejected batch, and overall.

``--baseline DIR`` runs the same workload with the congress package of
another checkout (e.g. the lead's main) and prints both side by side with
the targets; ``--timeout`` bounds each run (a run that does not finish is
shown as such).

    python benchmarks/engine.py [--workload nova|joins]
        [--sizes 1000,10000,100000] [--repeat 15]
        [--baseline /work/main] [--timeout 600]
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
        return len(requests), 0

    def reject(self, requests, reason):
        self.rejected += len(requests)
        return len(requests)

    def withdraw(self, rows):
        pass


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


JOIN_SCHEMA = {
    'tenants': ['tenant_id', 'level'],
    'networks': ['network_id', 'owner_id'],
    'servers': ['server_id', 'tenant_id', 'status'],
    'ports': ['port_id', 'server_id', 'network_id'],
}
# Adversarial order: networks and tenants share no variable, and the
# literal that links them comes last.
JOIN_RULES = [
    'trusted("tenant-1")',
    'trusted("tenant-2")',
]
JOIN_RULE = (
    'exposed(p, s) :- src:networks(network_id=n, owner_id=o), '
    'src:tenants(tenant_id=t, level=l), '
    'src:ports(port_id=p, server_id=s, network_id=n), '
    'src:servers(server_id=s, tenant_id=t, status="ACTIVE"), '
    'builtin:lt(l, 3), not trusted(o)')
JOIN_EXECUTE_RULE = 'execute[svc:alert(p)] :- exposed(p, s)'
JOIN_QUERY = ('src:networks(n, o), src:tenants(t, 0), src:ports(p, s, n), '
              'src:servers(s, t, "ERROR"), not trusted(o)')
JOIN_TARGETS = {'rule_insert_s': 3.0, 'rule_insert_cpu_s': 3.0,
                'query_s': 1.0, 'query_cpu_s': 1.0, 'fire_ms': 5.0,
                'peak_mib': 1024.0, 'peak_all_mib': 1024.0}


def _join_data(size, rng):
    """(table, rows) of each table in turn, generated when asked for."""
    tenants = max(size // 1000, 10)
    networks = max(size // 100, 10)
    servers = max(size // 10, 10)
    yield 'tenants', [('tenant-%d' % i, i % 5) for i in range(tenants)]
    yield 'networks', [('net-%d' % i, 'tenant-%d' % rng.randrange(tenants))
                       for i in range(networks)]
    yield 'servers', [('srv-%d' % i, 'tenant-%d' % rng.randrange(tenants),
                       'ERROR' if rng.random() < 0.01 else 'ACTIVE')
                      for i in range(servers)]
    yield 'ports', [('port-%d' % i, 'srv-%d' % rng.randrange(servers),
                     'net-%d' % rng.randrange(networks))
                    for i in range(size)]


def _timed(call, *args):
    """``call(*args)``'s result, wall seconds and CPU seconds of this
    process: on a loaded machine the CPU time is what the engine spent."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = call(*args)
    return (result, time.perf_counter() - wall,
            time.process_time() - cpu)


def _measure_joins(size, repeat):
    from congress.policy import engine as engine_mod

    rng = random.Random(size)
    sink = _Sink()
    engine = engine_mod.PolicyEngine(
        action_sink=sink,
        schema_lookup=lambda service: JOIN_SCHEMA if service == 'src'
        else None)
    engine.create_policy('bench')
    for rule in JOIN_RULES:
        engine.insert_rule('bench', rule)
    load = 0.0
    for table, rows in _join_data(size, rng):
        start = time.perf_counter()
        engine.initialize_table('src', table, rows)
        load += time.perf_counter() - start
        # a new port on an ACTIVE server of a tenant of level 0 (< 3), on a
        # network whose owner is not trusted: exposed, so its action fires
        if table == 'servers':
            server = next(row[0] for row in rows
                          if row[2] == 'ACTIVE' and row[1] == 'tenant-0')
        elif table == 'networks':
            network = next(row[0] for row in rows
                           if row[1] not in ('tenant-1', 'tenant-2'))
        del rows

    rule_insert, rule_insert_cpu = _timed(
        engine.insert_rule, 'bench', JOIN_RULE)[1:]
    exposed = len(engine.select('bench', 'exposed')[0])

    (answers, _trace), query, query_cpu = _timed(
        engine.query, 'bench', JOIN_QUERY)
    peak_before_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    # every exposed row at once: the blast-radius limit rejects the batch,
    # each rejected request with its explanation
    execute_insert, execute_insert_cpu = _timed(
        engine.insert_rule, 'bench', JOIN_EXECUTE_RULE)[1:]

    fire_times = []
    for i in range(repeat):
        row = ('port-new-%d' % i, server, network)
        fired = sink.fired
        start = time.perf_counter()
        engine.receive_delta('src', 'ports', [row], [])
        if sink.fired == fired + 1:
            fire_times.append(sink.last_fired_at - start)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        'code': os.path.dirname(os.path.dirname(engine_mod.__file__)),
        'size': size, 'load_s': load, 'rule_insert_s': rule_insert,
        'rule_insert_cpu_s': rule_insert_cpu,
        'execute_insert_s': execute_insert,
        'execute_insert_cpu_s': execute_insert_cpu, 'exposed': exposed,
        'answers': len(answers), 'query_s': query, 'query_cpu_s': query_cpu,
        'fire_ms': statistics.median(fire_times) * 1000
        if fire_times else None,
        'fired': len(fire_times), 'peak_mib': peak_before_kib / 1024.0,
        'peak_all_mib': peak_kib / 1024.0,
    }


def _fmt(value, spec):
    if value is None:
        return '-'
    return spec % value


def _report_joins(columns):
    """``columns``: [(label, {size: result or None})]."""
    fields = [('load s', 'load_s', '%.2f'),
              ('rule insert s', 'rule_insert_s', '%.3f'),
              ('  CPU s', 'rule_insert_cpu_s', '%.3f'),
              ('execute rule s', 'execute_insert_s', '%.3f'),
              ('  CPU s', 'execute_insert_cpu_s', '%.3f'),
              ('exposed rows', 'exposed', '%d'),
              ('query s', 'query_s', '%.4f'),
              ('  CPU s', 'query_cpu_s', '%.4f'),
              ('query answers', 'answers', '%d'),
              ('change->action ms', 'fire_ms', '%.3f'),
              ('peak MiB (no exec)', 'peak_mib', '%.1f'),
              ('peak MiB with exec', 'peak_all_mib', '%.1f')]
    sizes = sorted({size for _label, results in columns for size in results})
    for size in sizes:
        print('N=%d (ports; servers N/10, networks N/100, tenants N/1000)'
              % size)
        header = '  %-20s' % 'figure' + ''.join(
            '%22s' % label for label, _results in columns) + '%12s' % 'target'
        print(header)
        for title, key, spec in fields:
            line = '  %-20s' % title
            for _label, results in columns:
                result = results.get(size)
                if result is None:
                    line += '%22s' % 'no answer'
                elif 'timeout' in result:
                    line += '%22s' % ('> %d s' % result['timeout'])
                else:
                    line += '%22s' % _fmt(result.get(key), spec)
            target = JOIN_TARGETS.get(key)
            line += '%12s' % ('< %g' % target if target else '')
            print(line)
        print()


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


def _run_one(workload, size, repeat, code, timeout):
    """One measurement in a subprocess importing congress from ``code``."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        filter(None, [code, os.environ.get('PYTHONPATH')])))
    try:
        output = subprocess.run(
            [sys.executable, os.path.abspath(__file__), '--workload',
             workload, '--one', str(size), '--repeat', str(repeat)],
            check=True, capture_output=True, text=True, env=env,
            timeout=timeout, cwd=code)
    except subprocess.TimeoutExpired:
        return {'size': size, 'timeout': timeout}
    return json.loads(output.stdout.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--workload', choices=('nova', 'joins'),
                        default='nova')
    parser.add_argument('--sizes', default=None,
                        help='comma-separated sizes (nova: servers, '
                             'default 1000,10000,100000; joins: ports, '
                             'default 100000,1000000)')
    parser.add_argument('--repeat', type=int, default=15,
                        help='single changes timed for each median')
    parser.add_argument('--baseline', help='another checkout whose '
                        'congress package runs the same workload')
    parser.add_argument('--timeout', type=float, default=None,
                        help='seconds each run may take')
    parser.add_argument('--one', type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    measure = _measure_joins if args.workload == 'joins' else _measure
    if args.one:
        print(json.dumps(measure(args.one, args.repeat)))
        return
    sizes = args.sizes or ('100000,1000000' if args.workload == 'joins'
                           else '1000,10000,100000')
    sizes = [int(s) for s in sizes.split(',') if s.strip()]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    checkouts = [('this checkout', root)]
    if args.baseline:
        checkouts.insert(0, ('baseline', os.path.abspath(args.baseline)))
    columns = []
    for label, code in checkouts:
        results = {}
        for size in sizes:
            results[size] = _run_one(args.workload, size, args.repeat, code,
                                     args.timeout)
            print('%s N=%d done' % (label, size), file=sys.stderr)
        columns.append((label, results))
    if args.workload == 'joins':
        _report_joins(columns)
        return
    for label, results in columns:
        if len(columns) > 1:
            print('== %s' % label)
        _report([r for r in results.values() if 'timeout' not in r])


if __name__ == '__main__':
    main()
