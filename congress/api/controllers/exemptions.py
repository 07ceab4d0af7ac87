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

"""/v1/exemptions: actions of a policy's rules that are not run, per
resource, until they expire (see ``congress.policy.exemptions``)."""

import datetime
import urllib.parse

import pecan

from oslo_utils import timeutils

from congress.api.controllers import base
from congress.api.controllers import executions
from congress.api.controllers import policies
from congress.api import validation
from congress import conf
from congress.db import exemptions as exemptions_db
from congress.db import models
from congress.db import policies as policies_db
from congress import exception
from congress.i18n import _

CONF = conf.CONF

ARGUMENT = {'type': ['string', 'number', 'boolean', 'null'],
            'maxLength': 4096}

EXEMPTION = {
    'type': 'object',
    'properties': {
        'policy': policies.POLICY_NAME,
        'rule_id': validation.string(models.Exemption.rule_id,
                                     nullable=True, minLength=1),
        'action': validation.string(models.Exemption.action, nullable=True,
                                    minLength=1),
        'args': {'type': 'object',
                 'propertyNames': {'pattern': '^(0|[1-9][0-9]{0,3})$'},
                 'additionalProperties': ARGUMENT,
                 'maxProperties': 64},
        'reason': validation.string(models.Exemption.reason, minLength=1),
        'expires_at': {'type': 'string', 'format': 'date-time',
                       'minLength': 1, 'maxLength': 64},
    },
    'required': ['policy', 'reason', 'expires_at'],
    'additionalProperties': False,
}


def _expiry(text):
    """``expires_at`` as naive UTC, in the future and within
    ``[execution] exemption_max_days``."""
    try:
        expires_at = timeutils.normalize_time(timeutils.parse_isotime(text))
    except ValueError:
        raise exception.BadRequest(
            reason=_('"expires_at": %r is not an ISO 8601 date and time')
            % text)
    now = timeutils.utcnow()
    if expires_at <= now:
        raise exception.BadRequest(
            reason=_('"expires_at": %s is not in the future') % text)
    max_days = CONF.execution.exemption_max_days
    if max_days and expires_at > now + datetime.timedelta(days=max_days):
        raise exception.BadRequest(
            reason=_('"expires_at": %(at)s is more than exemption_max_days '
                     '(%(days)s) ahead') % {'at': text, 'days': max_days})
    return expires_at


class ExemptionController(object):

    def __init__(self, exemption_id):
        self.exemption_id = exemption_id

    @base.expose_resource
    def index(self):
        pass

    def _not_found(self):
        return exception.NotFound(resource=_('Exemption'),
                                  id=self.exemption_id)

    @base.when(index, 'GET')
    def get(self, **kwargs):
        base.authorize('congress:exemption:get')
        exemption = exemptions_db.get(self.exemption_id)
        if exemption is None:
            raise self._not_found()
        return base.primitive(exemption)

    @base.when(index, 'DELETE')
    def delete(self, **kwargs):
        base.authorize('congress:exemption:delete')
        if not exemptions_db.delete(self.exemption_id):
            raise self._not_found()
        # the engines reload congress:exemptions
        policies._notify_engines()
        base.set_status(204)


class ExemptionsController(object):

    @base.expose_resource
    def index(self):
        pass

    @base.when(index, 'GET', params=('policy', 'limit', 'marker'))
    def get_all(self, **kwargs):
        base.authorize('congress:exemption:list')
        policy = base.query_param('policy')
        limit = executions._limit()
        marker = base.query_param('marker')
        found = exemptions_db.list_exemptions(policy=policy, limit=limit,
                                              marker=marker)
        if found is None:
            raise exception.BadRequest(
                reason=_('marker %s is not the id of an exemption') % marker)
        answer = {'results': base.primitive(found)}
        if len(found) == limit:
            params = [('policy', policy)] if policy is not None else []
            params += [('limit', limit), ('marker', found[-1]['id'])]
            answer['next'] = '%s?%s' % (base.link('v1', 'exemptions'),
                                        urllib.parse.urlencode(params))
        return answer

    @base.when(index, 'POST')
    def post(self, **kwargs):
        base.authorize('congress:exemption:create')
        body = base.json_object()
        validation.validate(body, EXEMPTION)
        expires_at = _expiry(body['expires_at'])
        policy = policies_db.get_policy(body['policy'])
        if policy is None or policy['name'] != body['policy']:
            raise exception.BadRequest(
                reason=_('"policy": no policy is named %s') % body['policy'])
        rule_id = body.get('rule_id')
        if rule_id and policies_db.get_rule(policy['id'], rule_id) is None:
            raise exception.BadRequest(
                reason=_('"rule_id": policy %(p)s has no rule %(r)s') %
                {'p': policy['name'], 'r': rule_id})
        context = base.context()
        exemption = exemptions_db.create({
            'policy': policy['name'], 'rule_id': rule_id,
            'action': body.get('action'), 'args': body.get('args') or {},
            'reason': body['reason'], 'user_id': context.user_id,
            'project_id': context.project_id, 'expires_at': expires_at})
        # the engines reload congress:exemptions
        policies._notify_engines()
        base.set_status(201, base.link('v1', 'exemptions', exemption['id']))
        return base.primitive(exemption)

    @pecan.expose()
    def _lookup(self, exemption_id, *remainder):
        return ExemptionController(exemption_id), remainder
