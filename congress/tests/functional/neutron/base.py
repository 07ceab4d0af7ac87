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

"""Neutron objects on the real test bed, and the neutronv2 / neutronv2_qos
drivers hosted on the in-process bus, for functional tests.

The objects are made through openstacksdk as admin, in the ``demo``
project unless told otherwise, each with a cleanup; what the tests expect
is read back from the raw Neutron API (:meth:`NeutronTestCase.api_list`),
independently of both the SDK's and the driver's translation.
"""

import uuid

from openstack import connection
from openstack import exceptions as sdk_exceptions

from congress.cloudservices import loader
from congress.tests.functional.fixtures import testbed
from congress.tests.functional import hosted

wait_for = hosted.wait_for

DATASOURCES = ('neutronv2', 'neutronv2_qos')


def ignore_not_found(call, *args, **kwargs):
    """Run a cleanup call; an object already gone is fine."""
    try:
        call(*args, **kwargs)
    except sdk_exceptions.NotFoundException:
        pass


class NeutronTestCase(hosted.HostedServicesTestCase):
    """The real Neutron of the test bed, an admin SDK connection
    (``self.net``, its network proxy) and helpers that create objects."""

    NODE_ID = 'node-neutron'

    def setUp(self):
        super().setUp()
        self.tb = testbed.use(self)
        self.bed = self.tb.info
        self.session = self.tb.session('admin', timeout=60)
        self.conn = connection.Connection(session=self.session,
                                          region_name=self.tb.region)
        self.net = self.conn.network
        self.project_ids = self.bed['project_ids']
        self.demo = self.project_ids['demo']
        self.prefix = 'cg-%s' % uuid.uuid4().hex[:8]

    # the drivers

    def driver_config(self, **extra):
        config = dict(self.tb.credentials('admin'),
                      region_name=self.tb.region, poll_time=600)
        config.update(extra)
        return config

    def start_neutron(self, names=DATASOURCES, poll_time=600):
        """Host each data source named (name = driver) on the bus."""
        drivers = {}
        for name in names:
            cls = loader.driver_class(name)
            drivers[name] = cls(name, self.driver_config())
            self.host(name, drivers[name], poll_time)
        return drivers

    # the raw API

    def api_list(self, path, key, **params):
        """``GET /v2.0/<path>`` as admin: the list under ``key``, paged
        through to its end."""
        ep = {'service_type': 'network', 'interface': 'public',
              'region_name': self.tb.region}
        params = dict(params, limit=500)
        found = []
        while True:
            body = self.session.get('/v2.0/' + path, endpoint_filter=ep,
                                    params=params).json()
            page = body[key]
            found.extend(page)
            if len(page) < params['limit']:
                return found
            params['marker'] = page[-1]['id']

    def api_get(self, path, key):
        ep = {'service_type': 'network', 'interface': 'public',
              'region_name': self.tb.region}
        return self.session.get('/v2.0/' + path,
                                endpoint_filter=ep).json()[key]

    # objects, each deleted at cleanup

    def name(self, what):
        return '%s-%s' % (self.prefix, what)

    def network(self, what='net', project_id=None, **attrs):
        network = self.net.create_network(
            name=self.name(what), project_id=project_id or self.demo,
            **attrs)
        self.addCleanup(ignore_not_found, self.net.delete_network, network)
        return network

    def subnet(self, network, cidr, what='subnet', **attrs):
        attrs.setdefault('ip_version', 4)
        subnet = self.net.create_subnet(
            name=self.name(what), network_id=network.id, cidr=cidr,
            project_id=network.project_id, **attrs)
        self.addCleanup(ignore_not_found, self.net.delete_subnet, subnet)
        return subnet

    def security_group(self, what='sg', project_id=None):
        group = self.net.create_security_group(
            name=self.name(what), description='%s %s' % (self.prefix, what),
            project_id=project_id or self.demo)
        self.addCleanup(ignore_not_found, self.net.delete_security_group,
                        group)
        return group

    def security_group_rule(self, group, **attrs):
        attrs.setdefault('direction', 'ingress')
        attrs.setdefault('ethertype', 'IPv4')
        return self.net.create_security_group_rule(
            security_group_id=group.id, project_id=group.project_id,
            **attrs)

    def port(self, network, what='port', **attrs):
        port = self.net.create_port(
            name=self.name(what), network_id=network.id,
            project_id=network.project_id if 'project_id' not in attrs
            else attrs.pop('project_id'), **attrs)
        self.addCleanup(ignore_not_found, self.net.delete_port, port)
        return port

    def router(self, what='router', project_id=None, **attrs):
        router = self.net.create_router(
            name=self.name(what), project_id=project_id or self.demo,
            **attrs)
        self.addCleanup(ignore_not_found, self.net.delete_router, router)
        return router

    def router_interface(self, router, subnet):
        self.net.add_interface_to_router(router, subnet_id=subnet.id)
        self.addCleanup(ignore_not_found,
                        self.net.remove_interface_from_router, router,
                        subnet_id=subnet.id)

    def floating_ip(self, port, project_id=None):
        fip = self.net.create_ip(
            floating_network_id=self.bed['public_network_id'],
            port_id=port.id, project_id=project_id or self.demo)
        self.addCleanup(ignore_not_found, self.net.delete_ip, fip)
        return fip

    def qos_policy(self, what='qos', project_id=None):
        policy = self.net.create_qos_policy(
            name=self.name(what), description='%s %s' % (self.prefix, what),
            project_id=project_id or self.demo, shared=False)
        self.addCleanup(ignore_not_found, self.net.delete_qos_policy,
                        policy)
        return policy
