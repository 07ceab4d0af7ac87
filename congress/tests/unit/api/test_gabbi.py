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

"""The API contract, declared: each YAML file in ``gabbits/`` is a
sequence of HTTP requests and the answers they must get (statuses, error
codes, Location headers, paging, executions polled to their end), run
against the app of :mod:`fixtures_gabbi`."""

import os

from gabbi import driver

from congress.tests.unit.api import fixtures_gabbi

TESTS_DIR = os.path.join(os.path.dirname(__file__), 'gabbits')


def load_tests(loader, tests, pattern):
    return driver.build_tests(TESTS_DIR, loader, host=None,
                              intercept=fixtures_gabbi.app,
                              fixture_module=fixtures_gabbi,
                              test_loader_name=__name__)
