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
