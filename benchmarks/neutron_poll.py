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

"""Poll and translate N ports (default 10,000) from a Neutron API double.

The double (:class:`congress.tests.fakes.neutron_api.FakeNeutronAPI`, in a
child process so that the peak RSS measured here is the driver's alone)
serves generated answers over HTTP: N ports, N/20 networks and subnets,
N/10 security groups with 4 rules each, N/100 routers, N/10 floating IPs.
Prints, as medians over several polls, beside the floor (plain
``requests`` GETs of the same pages, JSON decoded, no driver):

* seconds per poll, of which fetch (HTTP + JSON through openstacksdk's
  network proxy on the keystoneauth1 session) and translation into rows;
* translation per 10,000 ports, against the target (under 0.5 s of CPU
  time: on a shared machine the wall-clock time, printed beside it, also
  measures the other processes; the load average is printed too);
* with ``--compare-sdk``, the ports read as SDK ``Port`` resources
  (``network.ports()``), the road not taken;
* the peak RSS of the polling process (ru_maxrss high-water mark).

    python benchmarks/neutron_poll.py [--ports 10000] [--polls 5]
                                      [--compare-sdk]
"""

import argparse
import gc
import multiprocessing
import os
import resource
import statistics
import sys
import time

TARGET_TRANSLATE_PER_10K = 0.5


def _serve_double(page_size, ports, config_queue, stop):
    from congress.cloudservices import neutron_driver
    from congress.tests.fakes import neutron_api

    neutron = neutron_api.FakeNeutronAPI(max_limit=page_size)
    neutron.start()
    neutron.populate(ports)
    config_queue.put((neutron.driver_config(page_size=page_size),
                      neutron.page_urls(page_size, [
                          '/v2.0' + path for _table, path, _key in
                          neutron_driver.NEUTRON_COLLECTIONS])))
    stop.wait()
    neutron.stop()


def start_double(page_size, ports):
    """The double in a child process; returns its driver config, the URLs
    of every page and a stop function."""
    context = multiprocessing.get_context('fork')
    config_queue, stop = context.Queue(), context.Event()
    process = context.Process(target=_serve_double, daemon=True,
                              args=(page_size, ports, config_queue, stop))
    process.start()

    def stop_double():
        stop.set()
        process.join(10)
    config, urls = config_queue.get(timeout=300)
    return config, urls, stop_double


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def raw_gets(urls):
    """The floor: GET every page with a plain requests session and decode
    its JSON; returns the number of objects read."""
    import requests

    count = 0
    with requests.Session() as http:
        for url in urls:
            response = http.get(url)
            response.raise_for_status()
            for value in response.json().values():
                if isinstance(value, list) and not (
                        value and 'rel' in value[0]):
                    count += len(value)
    return count


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--ports', type=int, default=10000)
    parser.add_argument('--polls', type=int, default=5)
    parser.add_argument('--page-size', type=int, default=1000)
    parser.add_argument('--compare-sdk', action='store_true',
                        help='also read the ports as SDK Port resources '
                             '(slow: about a minute for 10,000)')
    args = parser.parse_args(argv)

    from congress.cloudservices import neutron_driver
    from congress.cloudservices import neutron_tables

    config, urls, stop_double = start_double(args.page_size, args.ports)
    try:
        driver = neutron_driver.NeutronV2Driver('neutronv2', config)
        rss_before = peak_rss_mib()
        assert driver.poll() is not None, driver.get_status()   # warm up
        fetch_times, translate_times, poll_times, floor_times = [], [], [], []
        translate_cpu, sdk_times = [], []
        for _ in range(args.polls):
            gc.collect()
            start = time.perf_counter()
            objects = driver.fetch()
            fetched = time.perf_counter()
            cpu = time.process_time()
            state = {}
            for table in driver.TABLES:
                table.translate(objects.get(table.name, ()), into=state)
            translate_cpu.append(time.process_time() - cpu)
            done = time.perf_counter()
            fetch_times.append(fetched - start)
            translate_times.append(done - fetched)
            poll_times.append(done - start)
            n_objects = sum(len(v) for v in objects.values())
            del objects
            gc.collect()
            start = time.perf_counter()
            floor_objects = raw_gets(urls)
            floor_times.append(time.perf_counter() - start)
        if args.compare_sdk:
            gc.collect()
            start = time.perf_counter()
            n_sdk = len(list(driver.network().ports(
                limit=args.page_size)))
            sdk_times.append(time.perf_counter() - start)
            if n_sdk != args.ports:
                print('ERROR: %d SDK ports' % n_sdk)
                return 1
        start = time.perf_counter()
        assert driver.poll() is not None, driver.get_status()
        full_poll = time.perf_counter() - start
        # the QoS driver reads the same ports and the QoS policies
        qos = neutron_driver.NeutronV2QosDriver('neutronv2_qos', config)
        assert qos.poll() is not None, qos.get_status()
        start = time.perf_counter()
        assert qos.poll() is not None, qos.get_status()
        qos_poll = time.perf_counter() - start
        rows = len(state[neutron_tables.PORTS])
        if rows != args.ports:
            print('ERROR: %d ports polled, %d expected' % (rows, args.ports))
            return 1
    finally:
        stop_double()

    translate = statistics.median(translate_times)
    cpu = statistics.median(translate_cpu)
    # the verdict is on CPU time: on a shared machine wall-clock time
    # measures the other processes as much as the translation
    per_10k = cpu * 10000.0 / max(args.ports, 1)
    floor = statistics.median(floor_times)
    print('neutron poll benchmark: %d ports, %d objects in all, page size '
          '%d, %d polls (medians)' % (args.ports, n_objects, args.page_size,
                                      args.polls))
    print('  floor: raw GETs + JSON        %7.3f s   (%d pages, %d objects, '
          'plain requests)' % (floor, len(urls), floor_objects))
    print('  seconds per poll              %7.3f s   (%.1f x floor; '
          'driver.poll(): %.3f s)' % (statistics.median(poll_times),
                                      statistics.median(poll_times) / floor,
                                      full_poll))
    print('    HTTP + JSON (fetch)         %7.3f s   (%.1f x floor)' % (
        statistics.median(fetch_times),
        statistics.median(fetch_times) / floor))
    print('    translation                 %7.3f s   (%.0f %% of the poll; '
          'CPU %.3f s)' % (translate,
                           100.0 * translate / statistics.median(poll_times),
                           cpu))
    verdict = 'OK' if per_10k < TARGET_TRANSLATE_PER_10K else 'MISSED'
    print('  translation per 10,000 ports  %7.3f s   CPU (wall %.3f s); '
          'target < %.1f s: %s' % (per_10k,
                                   translate * 10000.0 / max(args.ports, 1),
                                   TARGET_TRANSLATE_PER_10K, verdict))
    if sdk_times:
        print('  ports as SDK Port resources   %7.3f s   (network.ports(), '
              'ports only; not used)' % sdk_times[0])
    print('  neutronv2_qos poll            %7.3f s' % qos_poll)
    print('  rows: ' + ', '.join('%s %d' % (table, len(rows))
                                 for table, rows in sorted(state.items())))
    print('  load average                  %7.2f    (%d CPUs)' % (
        os.getloadavg()[0], os.cpu_count()))
    print('  peak RSS                      %7.1f MiB (%.1f MiB before '
          'polling)' % (peak_rss_mib(), rss_before))
    return 0 if per_10k < TARGET_TRANSLATE_PER_10K else 2


if __name__ == '__main__':
    sys.exit(main())
