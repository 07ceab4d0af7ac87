# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License. You may obtain
# a copy of the License at
#
#     http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
# WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
# License for the specific language governing permissions and limitations
# under the License.

"""Serve an OpenStack WSGI application with cheroot.

Used by tools/openstack-testbed.sh, run with the python of the venv that
holds the service::

    python wsgi_serve.py --name keystone --app keystone.wsgi.api:application \
        --host 127.0.0.1 --port 5000

The oslo.config based applications parse ``sys.argv`` when they are
imported, so the command line is parsed first and ``sys.argv`` is cleared
before the application module is imported (under gunicorn the same apps
crash-loop on "unrecognized arguments").  Each app finds its configuration
through its own environment variable (OS_KEYSTONE_CONFIG_FILES,
OS_NOVA_CONFIG_DIR, ...), which the caller sets.
"""

import argparse
import importlib
import logging
import signal
import sys
import time


def _parse(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--name', required=True,
                        help='service name, for the log lines')
    parser.add_argument('--app', required=True,
                        help='module:attribute of the WSGI application')
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, required=True)
    parser.add_argument('--threads', type=int, default=16)
    parser.add_argument('--testbed', default='',
                        help='state dir of the testbed; only there so that '
                             'the command line names it')
    parser.add_argument('--configure-mappers', action='store_true',
                        help='run sqlalchemy.orm.configure_mappers() after '
                             'loading the app (neutron needs it)')
    parser.add_argument('--app-config-file', action='append', default=[],
                        help='passed to the app as --config-file (for apps '
                             'that read their config files only from the '
                             'command line, e.g. cinder); repeatable')
    return parser.parse_args(argv)


def main(argv=None):
    args = _parse(sys.argv[1:] if argv is None else argv)
    # oslo.config must not see our options.
    sys.argv = [sys.argv[0]]
    for path in args.app_config_file:
        sys.argv += ['--config-file', path]
    logging.basicConfig(
        level=logging.INFO, stream=sys.stderr,
        format='%(asctime)s wsgi_serve[' + args.name + '] %(message)s')
    log = logging.getLogger('wsgi_serve')
    started = time.monotonic()
    module_name, _, attr = args.app.partition(':')
    module = importlib.import_module(module_name)
    app = getattr(module, attr or 'application')
    if args.configure_mappers:
        from sqlalchemy import orm
        orm.configure_mappers()
    log.info('loaded %s in %.1f s', args.app, time.monotonic() - started)

    from cheroot import wsgi
    server = wsgi.Server((args.host, args.port), app,
                         numthreads=args.threads,
                         server_name=args.name)
    server.shutdown_timeout = 2

    def _stop(signum, frame):
        log.info('signal %d: stopping', signum)
        raise KeyboardInterrupt()

    signal.signal(signal.SIGTERM, _stop)
    log.info('serving on http://%s:%d', args.host, args.port)
    sys.stderr.flush()
    try:
        server.start()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        log.info('stopped')
    return 0


if __name__ == '__main__':
    sys.exit(main())
