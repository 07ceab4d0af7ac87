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

"""Poll and translate N servers (default 10,000) from a Nova API double.

Prints, as medians over several polls: seconds per poll, of which HTTP +
JSON (the driver's fetch) and translation into rows, and the peak RSS of
the polling process (ru_maxrss high-water mark; the double,
:class:`congress.tests.fakes.nova_api.FakeNovaAPI`, runs in a child
process), beside the target: translation under 0.5 s per 10,000 servers.

    python benchmarks/nova_poll.py [--servers 10000] [--polls 5]
"""

import argparse
import gc
import multiprocessing
import resource
import statistics
import sys
import time

TARGET_TRANSLATE_PER_10K = 0.5


def _serve_double(page_size, servers, config_queue, stop):
    from congress.tests.fakes import nova_api

    # max_limit is Nova's page size cap: pages of page_size servers
    nova = nova_api.FakeNovaAPI(max_limit=page_size).start()
    nova.populate(servers, tags=True)
    config_queue.put(nova.driver_config())
    stop.wait()
    nova.stop()


def start_double(page_size, servers):
    """The double in a child process, so that the peak RSS measured here is
    the driver's alone; returns its driver config and a stop function."""
    context = multiprocessing.get_context('fork')
    config_queue, stop = context.Queue(), context.Event()
    process = context.Process(target=_serve_double, daemon=True,
                              args=(page_size, servers, config_queue, stop))
    process.start()

    def stop_double():
        stop.set()
        process.join(10)
    return config_queue.get(timeout=300), stop_double


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--servers', type=int, default=10000)
    parser.add_argument('--polls', type=int, default=5)
    parser.add_argument('--page-size', type=int, default=1000)
    args = parser.parse_args(argv)

    from congress.cloudservices import nova_driver

    config, stop_double = start_double(args.page_size, args.servers)
    try:
        driver = nova_driver.NovaDriver('nova', config)
        rss_before = peak_rss_mib()
        driver.poll()   # warm up: token, microversion, imports
        fetch_times, translate_times, poll_times = [], [], []
        for _ in range(args.polls):
            gc.collect()
            start = time.perf_counter()
            objects = driver.fetch()
            fetched = time.perf_counter()
            state = {}
            for table in driver.TABLES:
                table.translate(objects.get(table.name, ()), into=state)
            done = time.perf_counter()
            fetch_times.append(fetched - start)
            translate_times.append(done - fetched)
            poll_times.append(done - start)
            del objects
        # the driver's own poll(), end to end, for comparison
        start = time.perf_counter()
        assert driver.poll() is not None, driver.get_status()
        full_poll = time.perf_counter() - start
        rows = len(state['servers'])
        if rows != args.servers:
            print('ERROR: %d servers polled, %d expected' % (rows,
                                                             args.servers))
            return 1
    finally:
        stop_double()

    translate = statistics.median(translate_times)
    per_10k = translate * 10000.0 / max(args.servers, 1)
    print('nova poll benchmark: %d servers, page size %d, %d polls '
          '(medians)' % (args.servers, args.page_size, args.polls))
    print('  seconds per poll             %7.3f s   (driver.poll(): %.3f s)'
          % (statistics.median(poll_times), full_poll))
    print('    HTTP + JSON (fetch)        %7.3f s' %
          statistics.median(fetch_times))
    print('    translation                %7.3f s' % translate)
    print('  translation per 10,000       %7.3f s   target < %.1f s: %s' % (
        per_10k, TARGET_TRANSLATE_PER_10K,
        'OK' if per_10k < TARGET_TRANSLATE_PER_10K else 'MISSED'))
    print('  rows: servers %d, addresses %d, tags %d' % (
        len(state['servers']), len(state['servers.addresses']),
        len(state['tags'])))
    print('  peak RSS                     %7.1f MiB (%.1f MiB before '
          'polling)' % (peak_rss_mib(), rss_before))
    return 0 if per_10k < TARGET_TRANSLATE_PER_10K else 2


if __name__ == '__main__':
    sys.exit(main())
