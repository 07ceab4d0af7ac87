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

"""SQLAlchemy models of Congress' database tables."""

from oslo_db.sqlalchemy import models
import sqlalchemy as sa
from sqlalchemy import orm

from congress.db.types import JsonText
from congress.db.types import Timestamp


class Base(models.ModelBase, orm.DeclarativeBase):
    """Declarative base of every Congress table."""


class Execution(Base):
    """One requested action on a cloud service and what became of it."""

    __tablename__ = 'executions'
    __table_args__ = (
        sa.Index('ix_executions_status_expires', 'status', 'expires_at'),
        sa.Index('ix_executions_service_created', 'service', 'created_at'),
        sa.Index('ix_executions_created', 'created_at', 'id'),
        sa.Index('ix_executions_rule_created', 'rule_id', 'created_at'),
        sa.Index('ix_executions_finished', 'finished_at'),
    )

    id = sa.Column(sa.String(36), primary_key=True)
    service = sa.Column(sa.String(255), nullable=False)
    action = sa.Column(sa.String(255), nullable=False)
    args = sa.Column(JsonText, nullable=False)
    status = sa.Column(sa.String(32), nullable=False)
    origin = sa.Column(sa.String(16), nullable=False)
    policy = sa.Column(sa.String(255))
    rule_id = sa.Column(sa.String(36))
    why = sa.Column(JsonText)
    user_id = sa.Column(sa.String(255))
    project_id = sa.Column(sa.String(255))
    request_id = sa.Column(sa.String(255))
    worker = sa.Column(sa.String(255))
    result = sa.Column(JsonText)
    error = sa.Column(sa.Text)
    created_at = sa.Column(Timestamp, nullable=False)
    updated_at = sa.Column(Timestamp, nullable=False)
    expires_at = sa.Column(Timestamp, nullable=False)
    started_at = sa.Column(Timestamp)
    finished_at = sa.Column(Timestamp)
    # The process of ``worker`` that took it (a node restarted under the
    # same node id is another incarnation).
    incarnation = sa.Column(sa.String(32))
    # When the action was last sent to the service's workers.
    cast_at = sa.Column(Timestamp)
    # The arguments as sent, encrypted; kept only while the record is
    # accepted, so that the action can be sent again.
    payload = sa.Column(sa.Text)
    # A failure the reaper or a restarted worker recorded without knowing
    # the outcome: the worker's real outcome, should it come, replaces it.
    in_doubt = sa.Column(sa.Boolean, nullable=False, default=False,
                         server_default=sa.false())
    # rule-fired records: the owner of the policy (user_id and project_id
    # are those of who created the rule)
    policy_owner = sa.Column(sa.String(255))
    # who approved or rejected an action awaiting approval, and when
    decided_by = sa.Column(sa.String(255))
    decided_at = sa.Column(Timestamp)


class FiredAction(Base):
    """A row of an ``execute[...]`` table that a leading engine acted on
    (its record says whether the action was sent or refused).

    The leader writes it with the record, in one transaction, and deletes
    it when the row leaves the table; a new leader fires the rows that have
    none. The key is the same on every engine replica, so of two leaders
    only one acts on a row.
    """

    __tablename__ = 'fired_actions'

    row_key = sa.Column(sa.String(64), primary_key=True)
    policy = sa.Column(sa.String(255), nullable=False)
    execution_id = sa.Column(sa.String(36), nullable=False)
    created_at = sa.Column(Timestamp, nullable=False)


class DseLeader(Base):
    """Which node holds the leader lock of a role (a data source's
    polling node, the firing engine), for the nodes that need to ask it.
    """

    __tablename__ = 'dse_leaders'

    bus_id = sa.Column(sa.String(255), primary_key=True)
    role = sa.Column(sa.String(255), primary_key=True)
    node_id = sa.Column(sa.String(255), nullable=False)
    elected_at = sa.Column(Timestamp, nullable=False)


class DseService(Base):
    """A service offered on the bus by one node, with its last heartbeat."""

    __tablename__ = 'dse_services'
    __table_args__ = (
        sa.UniqueConstraint('bus_id', 'service', 'node_id',
                            name='uniq_dse_services0bus0service0node'),
        sa.Index('ix_dse_services_node', 'bus_id', 'node_id'),
    )

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    bus_id = sa.Column(sa.String(255), nullable=False)
    service = sa.Column(sa.String(255), nullable=False)
    node_id = sa.Column(sa.String(255), nullable=False)
    kind = sa.Column(sa.String(32), nullable=False)
    actions = sa.Column(JsonText, nullable=False)
    started_at = sa.Column(Timestamp, nullable=False)
    heartbeat_at = sa.Column(Timestamp, nullable=False)
    # Which process of the node wrote the row.
    incarnation = sa.Column(sa.String(32))


class DataSource(Base):
    """A configured cloud service: which driver, with which settings.

    Secret settings are stored encrypted (see ``congress.db.secrets``).
    """

    __tablename__ = 'datasources'
    __table_args__ = (
        sa.UniqueConstraint('name', name='uniq_datasources0name'),
    )

    id = sa.Column(sa.String(36), primary_key=True)
    name = sa.Column(sa.String(255), nullable=False)
    driver = sa.Column(sa.String(255), nullable=False)
    config = sa.Column(JsonText, nullable=False)
    description = sa.Column(sa.Text)
    enabled = sa.Column(sa.Boolean, nullable=False, default=True)
    created_at = sa.Column(Timestamp, nullable=False)


class PushedTable(Base):
    """The rows last pushed to one table of a data source whose driver
    keeps them (``persist_data``), restored when the driver starts."""

    __tablename__ = 'pushed_tables'

    datasource_id = sa.Column(sa.String(36), primary_key=True)
    table_name = sa.Column(sa.String(255), primary_key=True)
    rows = sa.Column(JsonText, nullable=False)
    updated_at = sa.Column(Timestamp, nullable=False)


class Policy(Base):
    """A named set of rules evaluated by the policy engine."""

    __tablename__ = 'policies'
    __table_args__ = (
        sa.UniqueConstraint('name', name='uniq_policies0name'),
    )

    id = sa.Column(sa.String(36), primary_key=True)
    name = sa.Column(sa.String(255), nullable=False)
    abbreviation = sa.Column(sa.String(5), nullable=False)
    description = sa.Column(sa.Text, nullable=False)
    owner_id = sa.Column(sa.String(255), nullable=False)
    kind = sa.Column(sa.String(32), nullable=False)
    created_at = sa.Column(Timestamp, nullable=False)
    # enforce, audit or approve (congress.policy.modes)
    enforcement = sa.Column(sa.String(16), nullable=False,
                            server_default='enforce')
    # the share-of-table limit of this policy's rules in percent, instead
    # of [policy_engine] max_table_share_percent (None: that option)
    max_table_share_percent = sa.Column(sa.Float)


class PolicyRule(Base):
    """One rule of a policy, kept as the text its author wrote."""

    __tablename__ = 'policy_rules'
    __table_args__ = (
        sa.UniqueConstraint('policy_id', 'rule_hash',
                            name='uniq_policy_rules0policy0hash'),
        sa.Index('ix_policy_rules_policy', 'policy_id', 'created_at'),
    )

    id = sa.Column(sa.String(36), primary_key=True)
    policy_id = sa.Column(sa.String(36),
                          sa.ForeignKey('policies.id', ondelete='CASCADE'),
                          nullable=False)
    rule = sa.Column(sa.Text, nullable=False)
    rule_hash = sa.Column(sa.String(64), nullable=False)
    name = sa.Column(sa.String(255))
    comment = sa.Column(sa.Text)
    created_at = sa.Column(Timestamp, nullable=False)
    # who created the rule
    user_id = sa.Column(sa.String(255))
    project_id = sa.Column(sa.String(255))


class LibraryPolicy(Base):
    """A policy template: a policy document with its rules, from which
    policies are created."""

    __tablename__ = 'library_policies'
    __table_args__ = (
        sa.UniqueConstraint('name', name='uniq_library_policies0name'),
    )

    id = sa.Column(sa.String(36), primary_key=True)
    name = sa.Column(sa.String(255), nullable=False)
    document = sa.Column(JsonText, nullable=False)
    created_at = sa.Column(Timestamp, nullable=False)
    # set while the policy is the one loaded from a library file: that
    # file (relative to the library path) and the sha256 of the document
    # as loaded; both None for a policy created or replaced through the API
    source_file = sa.Column(sa.String(1024))
    source_digest = sa.Column(sa.String(64))


class PolicyEnforcementChange(Base):
    """A change of a policy's enforcement mode: who made it and when."""

    __tablename__ = 'policy_enforcement_changes'
    __table_args__ = (
        sa.Index('ix_policy_enforcement_changes_policy', 'policy_id',
                 'changed_at'),
    )

    id = sa.Column(sa.String(36), primary_key=True)
    policy_id = sa.Column(sa.String(36),
                          sa.ForeignKey('policies.id', ondelete='CASCADE'),
                          nullable=False)
    old_mode = sa.Column(sa.String(16), nullable=False)
    new_mode = sa.Column(sa.String(16), nullable=False)
    user_id = sa.Column(sa.String(255))
    project_id = sa.Column(sa.String(255))
    changed_at = sa.Column(Timestamp, nullable=False)


class Exemption(Base):
    """An exception to a policy: the actions its rules (or one rule of
    it) fire that match ``action`` and ``args`` are recorded ``exempted``
    and not run, until ``expires_at``."""

    __tablename__ = 'exemptions'
    __table_args__ = (
        sa.Index('ix_exemptions_policy_expires', 'policy', 'expires_at'),
        sa.Index('ix_exemptions_created', 'created_at', 'id'),
    )

    id = sa.Column(sa.String(36), primary_key=True)
    policy = sa.Column(sa.String(255), nullable=False)
    # None: every rule of the policy
    rule_id = sa.Column(sa.String(36))
    # "service:action", a glob over it, or None: any action
    action = sa.Column(sa.String(255))
    # {"<position>": exact value or glob}: what the action's positional
    # arguments must be
    args = sa.Column(JsonText, nullable=False)
    reason = sa.Column(sa.Text, nullable=False)
    user_id = sa.Column(sa.String(255))
    project_id = sa.Column(sa.String(255))
    created_at = sa.Column(Timestamp, nullable=False)
    expires_at = sa.Column(Timestamp, nullable=False)
