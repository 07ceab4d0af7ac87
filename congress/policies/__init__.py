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
