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

"""The tempest plugin of Congress (entry point ``tempest.test_plugins``:
``congress_tests``)."""

import os

from tempest import config
from tempest.test_discover import plugins

from congress_tempest_tests import config as congress_config


class CongressTempestPlugin(plugins.TempestPlugin):

    def load_tests(self):
        base_path = os.path.split(os.path.dirname(
            os.path.abspath(__file__)))[0]
        test_dir = 'congress_tempest_tests/tests'
        full_test_dir = os.path.join(base_path, test_dir)
        return full_test_dir, base_path

    def register_opts(self, conf):
        config.register_opt_group(conf, config.service_available_group,
                                  [congress_config.service_option])
        config.register_opt_group(conf, congress_config.congress_group,
                                  congress_config.CongressGroup)
        config.register_opt_group(conf,
                                  congress_config.congress_feature_group,
                                  congress_config.CongressFeatureGroup)

    def get_opt_lists(self):
        return [
            (congress_config.congress_group.name,
             congress_config.CongressGroup),
            (congress_config.congress_feature_group.name,
             congress_config.CongressFeatureGroup),
            ('service_available', [congress_config.service_option]),
        ]

    def get_service_clients(self):
        """The Congress clients, for this and other plugins' tests:
        ``manager.congress.PoliciesClient()`` and so on."""
        params = config.service_client_config('congress')
        params.update({
            'name': 'congress',
            'service_version': 'congress.v1',
            'module_path': 'congress_tempest_tests.services.policy',
            'client_names': [
                'PoliciesClient', 'PolicyRulesClient', 'DataSourcesClient',
                'ExecutionsClient', 'DriversClient',
                'LibraryPoliciesClient', 'VersionsClient',
                'CloudServicesClient',
            ],
        })
        return [params]
