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

"""Tempest options of the Congress plugin.

Only oslo.config is imported here, so that devstack and unit tests can
check option names without tempest installed.
"""

from oslo_config import cfg

service_option = cfg.BoolOpt(
    'congress', default=True,
    help='Whether or not Congress (the policy service) is expected to be '
         'available.')

congress_group = cfg.OptGroup(
    name='congress', title='Congress (policy service) options')

CongressGroup = [
    cfg.StrOpt('catalog_type', default='policy',
               help='Catalog type of the Congress service.'),
    cfg.StrOpt('endpoint_type', default='publicURL',
               choices=['public', 'admin', 'internal',
                        'publicURL', 'adminURL', 'internalURL'],
               help='The endpoint type to use for the Congress service.'),
    cfg.StrOpt('region', default='',
               help='The Congress region name to use. If empty, the value '
                    'of identity.region is used instead.'),
    cfg.IntOpt('build_timeout', default=None,
               help='Seconds to wait for a resource to reach a state (an '
                    'execution to end, a data source to poll). If not '
                    'set, compute.build_timeout is used.'),
    cfg.IntOpt('build_interval', default=None,
               help='Seconds between two checks of a resource state. If '
                    'not set, compute.build_interval is used.'),
    cfg.StrOpt('nova_datasource', default='nova',
               help='Name of the data source of the deployment that reads '
                    'this cloud\'s Nova (driver "nova").'),
    cfg.IntOpt('datasource_poll_time', default=10,
               help='Seconds between two polls of the Nova data source; '
                    'tests that wait for a poll wait a few of these.'),
    cfg.StrOpt('cinder_datasource', default='cinder',
               help='Name of the data source of the deployment that reads '
                    'this cloud\'s Cinder (driver "cinder"); its tests run '
                    'when [service_available] cinder is true.'),
    cfg.StrOpt('keystone_datasource', default='keystonev3',
               help='Name of the data source of the deployment that reads '
                    'this cloud\'s Keystone (driver "keystonev3").'),
    cfg.StrOpt('glance_datasource', default='glancev2',
               help='Name of the data source of the deployment that reads '
                    'this cloud\'s Glance (driver "glancev2").'),
    cfg.StrOpt('neutronv2_datasource', default='neutronv2',
               help='Name of the data source of the deployment that reads '
                    'this cloud\'s Neutron (driver "neutronv2").'),
    cfg.StrOpt('neutronv2_qos_datasource', default='neutronv2_qos',
               help='Name of the data source of the deployment that reads '
                    'this cloud\'s Neutron QoS policies (driver '
                    '"neutronv2_qos").'),
]

congress_feature_group = cfg.OptGroup(
    name='congress-feature-enabled',
    title='Congress features the deployment has')

CongressFeatureGroup = [
    cfg.BoolOpt('execution', default=True,
                help='Actions run on cloud services ([execution] enabled '
                     '= True in congress.conf). When False, only dry-run '
                     'tests run.'),
    cfg.BoolOpt('nova_driver', default=True,
                help='A data source with the "nova" driver, named '
                     'congress.nova_datasource, reads this cloud\'s Nova.'),
    cfg.BoolOpt('fake_driver', default=False,
                help='The in-memory "fake" driver is among [datasources] '
                     'enabled_drivers (it is not by default: test '
                     'deployments such as devstack\'s add it); API tests '
                     'use it for data sources they create and delete.'),
    cfg.BoolOpt('dry_run', default=True,
                help='Execute requests accept "dry_run": true.'),
    cfg.BoolOpt('library_policies', default=True,
                help='The /v1/librarypolicies API is available.'),
    cfg.BoolOpt('keystone_driver', default=True,
                help='A data source with the "keystonev3" driver, named '
                     'congress.keystone_datasource, reads this cloud\'s '
                     'Keystone.'),
    cfg.BoolOpt('glance_driver', default=True,
                help='A data source with the "glancev2" driver, named '
                     'congress.glance_datasource, reads this cloud\'s '
                     'Glance.'),
    cfg.BoolOpt('doctor_driver', default=True,
                help='The "doctor" push driver is among [datasources] '
                     'enabled_drivers; a test creates a doctor data source '
                     'and pushes rows to it.'),
    cfg.BoolOpt('neutronv2_driver', default=True,
                help='A data source with the "neutronv2" driver, named '
                     'congress.neutronv2_datasource, reads this cloud\'s '
                     'Neutron.'),
    cfg.BoolOpt('neutronv2_qos_driver', default=True,
                help='A data source with the "neutronv2_qos" driver, named '
                     'congress.neutronv2_qos_datasource, reads this '
                     'cloud\'s Neutron QoS extension.'),
]


def list_opts():
    return [
        ('service_available', [service_option]),
        (congress_group.name, CongressGroup),
        (congress_feature_group.name, CongressFeatureGroup),
    ]
