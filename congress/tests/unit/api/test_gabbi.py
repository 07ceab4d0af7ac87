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
