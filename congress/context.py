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

"""The request context that travels with every API call and bus message."""

from oslo_context import context


class RequestContext(context.RequestContext):
    """Who asked for something: user, project, roles and request id.

    ``policy`` and ``rule_id`` are set when the policy engine itself asks
    (a rule fired an action), with the user and project who created the
    rule and the ``policy_owner``.
    """

    def __init__(self, policy=None, rule_id=None, policy_owner=None,
                 **kwargs):
        super().__init__(**kwargs)
        self.policy = policy
        self.rule_id = rule_id
        self.policy_owner = policy_owner

    def to_dict(self):
        values = super().to_dict()
        values.update(policy=self.policy, rule_id=self.rule_id,
                      policy_owner=self.policy_owner)
        return values

    @classmethod
    def from_dict(cls, values, **kwargs):
        kwargs.setdefault('policy', values.get('policy'))
        kwargs.setdefault('rule_id', values.get('rule_id'))
        kwargs.setdefault('policy_owner', values.get('policy_owner'))
        return super().from_dict(values, **kwargs)


def get_admin_context():
    """The context of Congress acting on its own behalf."""
    return RequestContext(is_admin=True, overwrite=False)
