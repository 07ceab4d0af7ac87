"""Congress's own flake8 checks (registered in tox.ini, flake8 section).

C301  eventlet must not be imported: Congress runs on plain threads, and
      eventlet's monkey-patching or its hub would change what every lock,
      socket and thread of the service does.
"""

import re

_EVENTLET_IMPORT = re.compile(r'^\s*(import\s+eventlet\b|from\s+eventlet\b)')


def no_eventlet_import(logical_line):
    """C301: no module imports eventlet."""
    if _EVENTLET_IMPORT.match(logical_line):
        yield 0, 'C301: eventlet must not be imported (Congress uses threads)'
