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
