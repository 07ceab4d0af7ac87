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

"""Service clients of the Congress API, registered with tempest as
``congress`` (see CongressTempestPlugin.get_service_clients)."""

from congress_tempest_tests.services.policy.policy_client import \
    CloudServicesClient
from congress_tempest_tests.services.policy.policy_client import \
    DataSourcesClient
from congress_tempest_tests.services.policy.policy_client import \
    DriversClient
from congress_tempest_tests.services.policy.policy_client import \
    ExecutionsClient
from congress_tempest_tests.services.policy.policy_client import \
    LibraryPoliciesClient
from congress_tempest_tests.services.policy.policy_client import \
    PoliciesClient
from congress_tempest_tests.services.policy.policy_client import \
    PolicyRulesClient
from congress_tempest_tests.services.policy.policy_client import \
    VersionsClient

__all__ = ['CloudServicesClient', 'DataSourcesClient', 'DriversClient',
           'ExecutionsClient', 'LibraryPoliciesClient', 'PoliciesClient',
           'PolicyRulesClient', 'VersionsClient']
