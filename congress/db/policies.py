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

"""Stored policies and rules: the source of truth every policy engine
loads and follows."""

import hashlib

from oslo_db import exception as db_exc
from oslo_utils import timeutils
from oslo_utils import uuidutils
import sqlalchemy as sa

from congress.db import api as db_api
from congress.db import models
from congress import exception
from congress.i18n import _
from congress.policy import modes

_POLICY_FIELDS = ('id', 'name', 'abbreviation', 'description', 'owner_id',
                  'kind', 'enforcement', 'max_table_share_percent')
_RULE_FIELDS = ('id', 'rule', 'name', 'comment', 'user_id', 'project_id')
_CHANGE_FIELDS = ('old_mode', 'new_mode', 'user_id', 'project_id',
                  'changed_at')


def _policy_dict(row):
    return {f: getattr(row, f) for f in _POLICY_FIELDS}


def _rule_dict(row):
    return {f: getattr(row, f) for f in _RULE_FIELDS}


def rule_hash(text):
    """Hash of a rule's text with white space folded."""
    return hashlib.sha256(' '.join(text.split()).encode('utf-8')).hexdigest()


def create_policy(name, abbreviation=None, kind='nonrecursive',
                  description=None, owner_id='user', policy_id=None,
                  enforcement=modes.ENFORCE, max_table_share_percent=None):
    """Store a policy.

    :raises Conflict: a policy of that name exists.
    """
    values = {'id': policy_id or uuidutils.generate_uuid(), 'name': name,
              'abbreviation': abbreviation or name[:5],
              'description': description or '', 'owner_id': owner_id,
              'kind': kind, 'created_at': timeutils.utcnow(),
              'enforcement': enforcement,
              'max_table_share_percent': max_table_share_percent}
    try:
        with db_api.writer() as session:
            session.execute(sa.insert(models.Policy).values(**values))
    except db_exc.DBDuplicateEntry:
        raise exception.Conflict(
            reason=_('a policy named %s exists') % name)
    return {f: values[f] for f in _POLICY_FIELDS}


def get_policy(name_or_id):
    return db_api.get_dict(models.Policy, name_or_id, _policy_dict)


def list_policies():
    with db_api.reader() as session:
        return [_policy_dict(row) for row in session.scalars(
            sa.select(models.Policy).order_by(models.Policy.created_at,
                                              models.Policy.name))]


def set_table_share(policy_id, percent):
    """Set the share-of-table limit of a policy (None: the engines'
    default); returns the policy, or None."""
    table = models.Policy
    with db_api.writer() as session:
        session.execute(sa.update(table).where(table.id == policy_id)
                        .values(max_table_share_percent=percent))
    return get_policy(policy_id)


def delete_policy(name_or_id):
    """Delete a policy with its rules; returns it, or None."""
    with db_api.writer() as session:
        row = db_api.find_by_name_or_id(session, models.Policy, name_or_id)
        if row is None:
            return None
        result = _policy_dict(row)
        session.execute(sa.delete(models.PolicyRule).where(
            models.PolicyRule.policy_id == row.id))
        session.execute(sa.delete(models.PolicyEnforcementChange).where(
            models.PolicyEnforcementChange.policy_id == row.id))
        session.delete(row)
        return result


def create_rule(policy_id, rule, name=None, comment=None, rule_id=None,
                user_id=None, project_id=None):
    """Store a rule of a policy, created by ``user_id`` of
    ``project_id``.

    :raises DuplicateRule: the policy has a rule with the same text.
    """
    values = {'id': rule_id or uuidutils.generate_uuid(),
              'policy_id': policy_id, 'rule': rule,
              'rule_hash': rule_hash(rule), 'name': name,
              'comment': comment, 'created_at': timeutils.utcnow(),
              'user_id': user_id, 'project_id': project_id}
    try:
        with db_api.writer() as session:
            session.execute(sa.insert(models.PolicyRule).values(**values))
    except db_exc.DBDuplicateEntry:
        raise exception.DuplicateRule(policy=policy_id, rule=rule)
    return {f: values[f] for f in _RULE_FIELDS}


def list_rules(policy_id):
    table = models.PolicyRule
    with db_api.reader() as session:
        return [_rule_dict(row) for row in session.scalars(
            sa.select(table).where(table.policy_id == policy_id)
            .order_by(table.created_at, table.id))]


def get_rule(policy_id, rule_id):
    table = models.PolicyRule
    with db_api.reader() as session:
        row = session.scalars(sa.select(table).where(
            table.policy_id == policy_id, table.id == rule_id)).first()
        return None if row is None else _rule_dict(row)


def delete_rule(policy_id, rule_id):
    table = models.PolicyRule
    with db_api.writer() as session:
        row = session.scalars(sa.select(table).where(
            table.policy_id == policy_id, table.id == rule_id)).first()
        if row is None:
            return None
        result = _rule_dict(row)
        session.delete(row)
        return result


def set_enforcement(policy_id, mode, user_id=None, project_id=None):
    """Switch the policy to ``mode``, recording who did it (nothing is
    recorded when it has that mode already).

    :returns: the mode it had, or None if there is no such policy.
    """
    table = models.Policy
    with db_api.writer() as session:
        row = session.scalars(sa.select(table).where(table.id == policy_id)
                              .with_for_update()).first()
        if row is None:
            return None
        old = row.enforcement
        if old != mode:
            row.enforcement = mode
            session.execute(sa.insert(models.PolicyEnforcementChange).values(
                id=uuidutils.generate_uuid(), policy_id=policy_id,
                old_mode=old, new_mode=mode, user_id=user_id,
                project_id=project_id, changed_at=timeutils.utcnow()))
        return old


def enforcement_changes(policy_id, limit=20):
    """The newest ``limit`` mode changes of a policy, newest first."""
    table = models.PolicyEnforcementChange
    with db_api.reader() as session:
        return [{f: getattr(row, f) for f in _CHANGE_FIELDS}
                for row in session.scalars(
                    sa.select(table).where(table.policy_id == policy_id)
                    .order_by(table.changed_at.desc(), table.id)
                    .limit(limit))]


def fingerprint():
    """Changes whenever a policy or rule is added or deleted, or a
    policy's mode changes: counts and the newest creation times, read in
    one query."""
    policies, rules = models.Policy, models.PolicyRule
    changes = models.PolicyEnforcementChange
    with db_api.reader() as session:
        return tuple(session.execute(sa.select(
            sa.select(sa.func.count()).select_from(policies)
            .scalar_subquery(),
            sa.select(sa.func.max(policies.created_at)).scalar_subquery(),
            sa.select(sa.func.count()).select_from(rules).scalar_subquery(),
            sa.select(sa.func.max(rules.created_at)).scalar_subquery(),
            sa.select(sa.func.count()).select_from(changes)
            .scalar_subquery(),
        )).one())


def all_rules():
    """``{policy_id: [rule dicts]}`` of every policy, for engines
    loading everything at once."""
    table = models.PolicyRule
    result = {}
    with db_api.reader() as session:
        for row in session.scalars(sa.select(table).order_by(
                table.created_at, table.id)):
            result.setdefault(row.policy_id, []).append(_rule_dict(row))
    return result


def ensure_builtin_policies(builtins):
    """Create the built-in policies ``builtins`` (``(name, kind)`` pairs,
    the engine's ``BUILTIN_POLICIES``) if the database lacks them."""
    for name, kind in builtins:
        if get_policy(name) is None:
            try:
                create_policy(name, kind=kind,
                              description='Built-in %s policy' % name)
            except exception.Conflict:
                pass
