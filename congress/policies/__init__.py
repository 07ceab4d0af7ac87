"""oslo.policy defaults of the REST API, one module per resource.

Rule names are ``congress:<resource>:<verb>``.
"""

import itertools

from congress.policies import base
from congress.policies import data_source
from congress.policies import driver
from congress.policies import execution
from congress.policies import exemption
from congress.policies import library_policy
from congress.policies import policy


def list_rules():
    return list(itertools.chain(
        base.list_rules(),
        data_source.list_rules(),
        driver.list_rules(),
        execution.list_rules(),
        policy.list_rules(),
        library_policy.list_rules(),
        exemption.list_rules(),
    ))
