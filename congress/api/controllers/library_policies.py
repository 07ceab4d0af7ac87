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

"""/v1/librarypolicies: policy templates."""

import pecan

from congress.api.controllers import base
from congress.api import library_store
from congress.api import validation


def _schema():
    # the same document as a policy, rules included
    from congress.api.controllers import policies
    return policies.POLICY


def _without_rules(document, include_rules):
    if include_rules:
        return document
    return {k: v for k, v in document.items() if k != 'rules'}


class LibraryPolicyController(object):

    def __init__(self, policy_id):
        self.policy_id = policy_id

    @base.expose_resource
    def index(self):
        pass

    @base.when(index, 'GET', params=('include_rules',))
    def get(self, **kwargs):
        base.authorize('congress:library_policy:get')
        include_rules = base.bool_param('include_rules', default=True)
        return _without_rules(library_store.get_store().get(self.policy_id),
                              include_rules)

    @base.when(index, 'PUT')
    def put(self, **kwargs):
        base.authorize('congress:library_policy:update')
        body = base.json_object()
        validation.validate(body, _schema())
        store = library_store.get_store()
        current = store.get(self.policy_id)
        return store.replace(current['id'], body)

    @base.when(index, 'DELETE')
    def delete(self, **kwargs):
        base.authorize('congress:library_policy:delete')
        store = library_store.get_store()
        return store.delete(store.get(self.policy_id)['id'])


class LibraryPoliciesController(object):

    @base.expose_resource
    def index(self):
        pass

    @base.when(index, 'GET', params=('include_rules', 'name'))
    def get_all(self, **kwargs):
        base.authorize('congress:library_policy:list')
        include_rules = base.bool_param('include_rules', default=True)
        name = base.query_param('name')
        return {'results': [
            _without_rules(document, include_rules)
            for document in library_store.get_store().list(name=name)]}

    @base.when(index, 'POST')
    def post(self, **kwargs):
        base.authorize('congress:library_policy:create')
        body = base.json_object()
        validation.validate(body, _schema())
        created = library_store.get_store().create(body)
        base.set_status(201, base.link('v1', 'librarypolicies',
                                       created['id']))
        return created

    @pecan.expose()
    def _lookup(self, policy_id, *remainder):
        return LibraryPolicyController(policy_id), remainder
