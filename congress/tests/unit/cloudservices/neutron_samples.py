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

"""Neutron API objects recorded from the test bed's Neutron (29.0.0).

Recorded with ``GET /v2.0/<resources>`` as admin after creating, through
the API: an external flat network with a subnet, a private flat network
with an IPv4 subnet (two allocation pools, two DNS servers, a host route)
and an IPv6 SLAAC subnet, a security group with a rule opening port 22 to
0.0.0.0/0, a port in that group, a port with no group, a router with an
external gateway and an interface, a router without gateway, an
associated and an unassociated floating IP. QoS objects are not enabled
on the bed: :data:`QOS_POLICIES` follows the Neutron API reference's
example bodies.
"""

NETWORKS = [
    {
        'admin_state_up': True,
        'availability_zone_hints': [],
        'availability_zones': [],
        'created_at': '2026-12-01T12:44:40Z',
        'description': '',
        'id': 'd14b4182-d384-47bf-bebf-f67000763851',
        'ipv4_address_scope': None,
        'ipv6_address_scope': None,
        'mtu': 1500,
        'name': 'private',
        'project_id': 'a3d4e11416f84ffcb846c0cbc712d5d9',
        'provider:network_type': 'flat',
        'provider:physical_network': 'private',
        'provider:segmentation_id': None,
        'qinq': False,
        'revision_number': 3,
        'router:external': False,
        'shared': False,
        'status': 'ACTIVE',
        'subnets': [
            '1257c79a-a089-408f-b179-1bb8e8b8833e',
            '24f48d33-0d6d-4e54-912f-cbec641ccf57'
        ],
        'tags': [],
        'tenant_id': 'a3d4e11416f84ffcb846c0cbc712d5d9',
        'updated_at': '2026-12-01T12:44:41Z',
        'vlan_transparent': False
    },
    {
        'admin_state_up': True,
        'availability_zone_hints': [],
        'availability_zones': [],
        'created_at': '2026-12-01T12:44:40Z',
        'description': '',
        'id': 'ef991429-3666-440f-8b88-63295aea5089',
        'ipv4_address_scope': None,
        'ipv6_address_scope': None,
        'is_default': False,
        'mtu': 1500,
        'name': 'public',
        'project_id': 'a3d4e11416f84ffcb846c0cbc712d5d9',
        'provider:network_type': 'flat',
        'provider:physical_network': 'public',
        'provider:segmentation_id': None,
        'qinq': False,
        'revision_number': 2,
        'router:external': True,
        'shared': False,
        'status': 'ACTIVE',
        'subnets': [
            '154f4db4-7942-40eb-bf41-49a6e112992a'
        ],
        'tags': [],
        'tenant_id': 'a3d4e11416f84ffcb846c0cbc712d5d9',
        'updated_at': '2026-12-01T12:44:40Z',
        'vlan_transparent': False
    }
]

PORTS = [
    {
        'admin_state_up': True,
        'allowed_address_pairs': [],
        'binding:host_id': '',
        'binding:profile': {},
        'binding:vif_details': {},
        'binding:vif_type': 'unbound',
        'binding:vnic_type': 'normal',
        'created_at': '2026-12-01T12:44:42Z',
        'description': '',
        'device_id': '11111111-2222-3333-4444-555555555555',
        'device_owner': 'compute:nova',
        'extra_dhcp_opts': [],
        'fixed_ips': [
            {
                'ip_address': '10.0.0.37',
                'subnet_id': '1257c79a-a089-408f-b179-1bb8e8b8833e'
            },
            {
                'ip_address': 'fd00::1:f816:3eff:feb3:6ab3',
                'subnet_id': '24f48d33-0d6d-4e54-912f-cbec641ccf57'
            }
        ],
        'id': '1f8bc2f9-0291-430e-95dc-d4f0c2c989f6',
        'mac_address': 'fa:16:3e:b3:6a:b3',
        'name': 'web-port',
        'network_id': 'd14b4182-d384-47bf-bebf-f67000763851',
        'project_id': 'a3d4e11416f84ffcb846c0cbc712d5d9',
        'revision_number': 1,
        'security_groups': [
            'ef51d192-f648-41a9-bab0-46167b798187'
        ],
        'status': 'DOWN',
        'tags': [],
        'tenant_id': 'a3d4e11416f84ffcb846c0cbc712d5d9',
        'updated_at': '2026-12-01T12:44:42Z'
    },
    {
        'admin_state_up': True,
        'allowed_address_pairs': [],
        'binding:host_id': '',
        'binding:profile': {},
        'binding:vif_details': {},
        'binding:vif_type': 'unbound',
        'binding:vnic_type': 'normal',
        'created_at': '2026-12-01T12:44:48Z',
        'description': '',
        'device_id': '520b78b6-d275-43a3-9b30-080ed7253c63',
        'device_owner': 'network:floatingip',
        'extra_dhcp_opts': [],
        'fixed_ips': [
            {
                'ip_address': '172.24.4.69',
                'subnet_id': '154f4db4-7942-40eb-bf41-49a6e112992a'
            }
        ],
        'id': '2613b60f-1f5e-446f-86d1-8bf995098ae4',
        'mac_address': 'fa:16:3e:c3:be:df',
        'name': '',
        'network_id': 'ef991429-3666-440f-8b88-63295aea5089',
        'project_id': '',
        'revision_number': 2,
        'security_groups': [],
        'status': 'N/A',
        'tags': [],
        'tenant_id': '',
        'updated_at': '2026-12-01T12:44:49Z'
    },
    {
        'admin_state_up': True,
        'allowed_address_pairs': [],
        'binding:host_id': '',
        'binding:profile': {},
        'binding:vif_details': {},
        'binding:vif_type': 'unbound',
        'binding:vnic_type': 'normal',
        'created_at': '2026-12-01T12:44:46Z',
        'description': '',
        'device_id': '4879bc5f-720c-4d33-8b3c-1c702d33c40d',
        'device_owner': 'network:router_interface',
        'extra_dhcp_opts': [],
        'fixed_ips': [
            {
                'ip_address': '10.0.0.1',
                'subnet_id': '1257c79a-a089-408f-b179-1bb8e8b8833e'
            }
        ],
        'id': '552d1f51-60ff-44e7-97ac-39aa7144e437',
        'mac_address': 'fa:16:3e:9e:0d:f4',
        'name': '',
        'network_id': 'd14b4182-d384-47bf-bebf-f67000763851',
        'project_id': 'a3d4e11416f84ffcb846c0cbc712d5d9',
        'revision_number': 1,
        'security_groups': [],
        'status': 'DOWN',
        'tags': [],
        'tenant_id': 'a3d4e11416f84ffcb846c0cbc712d5d9',
        'updated_at': '2026-12-01T12:44:47Z'
    },
    {
        'admin_state_up': True,
        'allowed_address_pairs': [],
        'binding:host_id': '',
        'binding:profile': {},
        'binding:vif_details': {},
        'binding:vif_type': 'unbound',
        'binding:vnic_type': 'normal',
        'created_at': '2026-12-01T12:44:49Z',
        'description': '',
        'device_id': '1bafd1b9-30d8-4688-807f-779420b1fa35',
        'device_owner': 'network:floatingip',
        'extra_dhcp_opts': [],
        'fixed_ips': [
            {
                'ip_address': '172.24.4.129',
                'subnet_id': '154f4db4-7942-40eb-bf41-49a6e112992a'
            }
        ],
        'id': '92ee97aa-6dc3-4dda-9078-d1174bf53722',
        'mac_address': 'fa:16:3e:9f:9f:73',
        'name': '',
        'network_id': 'ef991429-3666-440f-8b88-63295aea5089',
        'project_id': '',
        'revision_number': 2,
        'security_groups': [],
        'status': 'N/A',
        'tags': [],
        'tenant_id': '',
        'updated_at': '2026-12-01T12:44:50Z'
    },
    {
        'admin_state_up': True,
        'allowed_address_pairs': [],
        'binding:host_id': '',
        'binding:profile': {},
        'binding:vif_details': {},
        'binding:vif_type': 'unbound',
        'binding:vnic_type': 'normal',
        'created_at': '2026-12-01T12:44:44Z',
        'description': '',
        'device_id': '',
        'device_owner': '',
        'extra_dhcp_opts': [],
        'fixed_ips': [
            {
                'ip_address': '10.0.0.16',
                'subnet_id': '1257c79a-a089-408f-b179-1bb8e8b8833e'
            },
            {
                'ip_address': 'fd00::1:f816:3eff:fee8:7713',
                'subnet_id': '24f48d33-0d6d-4e54-912f-cbec641ccf57'
            }
        ],
        'id': 'a15f2ed5-2e83-45fd-8e58-8a0c87b23bf9',
        'mac_address': 'fa:16:3e:e8:77:13',
        'name': 'bare-port',
        'network_id': 'd14b4182-d384-47bf-bebf-f67000763851',
        'project_id': 'a3d4e11416f84ffcb846c0cbc712d5d9',
        'revision_number': 1,
        'security_groups': [],
        'status': 'DOWN',
        'tags': [],
        'tenant_id': 'a3d4e11416f84ffcb846c0cbc712d5d9',
        'updated_at': '2026-12-01T12:44:44Z'
    },
    {
        'admin_state_up': True,
        'allowed_address_pairs': [],
        'binding:host_id': '',
        'binding:profile': {},
        'binding:vif_details': {},
        'binding:vif_type': 'unbound',
        'binding:vnic_type': 'normal',
        'created_at': '2026-12-01T12:44:45Z',
        'description': '',
        'device_id': '4879bc5f-720c-4d33-8b3c-1c702d33c40d',
        'device_owner': 'network:router_gateway',
        'extra_dhcp_opts': [],
        'fixed_ips': [
            {
                'ip_address': '172.24.4.125',
                'subnet_id': '154f4db4-7942-40eb-bf41-49a6e112992a'
            }
        ],
        'id': 'eb4bac3e-f9e9-4000-ab9d-23d761f42ed6',
        'mac_address': 'fa:16:3e:6f:99:5b',
        'name': '',
        'network_id': 'ef991429-3666-440f-8b88-63295aea5089',
        'project_id': '',
        'revision_number': 1,
        'security_groups': [],
        'status': 'DOWN',
        'tags': [],
        'tenant_id': '',
        'updated_at': '2026-12-01T12:44:45Z'
    }
]

SUBNETS = [
    {
        'allocation_pools': [
            {
                'end': '10.0.0.100',
                'start': '10.0.0.10'
            },
            {
                'end': '10.0.0.200',
                'start': '10.0.0.150'
            }
        ],
        'cidr': '10.0.0.0/24',
        'created_at': '2026-12-01T12:44:41Z',
        'description': '',
        'dns_nameservers': [
            '8.8.8.8',
            '1.1.1.1'
        ],
        'enable_dhcp': True,
        'gateway_ip': '10.0.0.1',
        'host_routes': [
            {
                'destination': '192.168.0.0/24',
                'nexthop': '10.0.0.254'
            }
        ],
        'id': '1257c79a-a089-408f-b179-1bb8e8b8833e',
        'ip_version': 4,
        'ipv6_address_mode': None,
        'ipv6_ra_mode': None,
        'name': 'private-sub',
        'network_id': 'd14b4182-d384-47bf-bebf-f67000763851',
        'project_id': 'a3d4e11416f84ffcb846c0cbc712d5d9',
        'revision_number': 0,
        'router:external': False,
        'service_types': [],
        'subnetpool_id': None,
        'tags': [],
        'tenant_id': 'a3d4e11416f84ffcb846c0cbc712d5d9',
        'updated_at': '2026-12-01T12:44:41Z'
    },
    {
        'allocation_pools': [
            {
                'end': '172.24.4.254',
                'start': '172.24.4.2'
            }
        ],
        'cidr': '172.24.4.0/24',
        'created_at': '2026-12-01T12:44:40Z',
        'description': '',
        'dns_nameservers': [],
        'enable_dhcp': True,
        'gateway_ip': '172.24.4.1',
        'host_routes': [],
        'id': '154f4db4-7942-40eb-bf41-49a6e112992a',
        'ip_version': 4,
        'ipv6_address_mode': None,
        'ipv6_ra_mode': None,
        'name': 'public-sub',
        'network_id': 'ef991429-3666-440f-8b88-63295aea5089',
        'project_id': 'a3d4e11416f84ffcb846c0cbc712d5d9',
        'revision_number': 0,
        'router:external': True,
        'service_types': [],
        'subnetpool_id': None,
        'tags': [],
        'tenant_id': 'a3d4e11416f84ffcb846c0cbc712d5d9',
        'updated_at': '2026-12-01T12:44:40Z'
    },
    {
        'allocation_pools': [
            {
                'end': 'fd00::1:ffff:ffff:ffff:ffff',
                'start': 'fd00:0:0:1::1'
            }
        ],
        'cidr': 'fd00:0:0:1::/64',
        'created_at': '2026-12-01T12:44:41Z',
        'description': '',
        'dns_nameservers': [],
        'enable_dhcp': True,
        'gateway_ip': 'fd00:0:0:1::',
        'host_routes': [],
        'id': '24f48d33-0d6d-4e54-912f-cbec641ccf57',
        'ip_version': 6,
        'ipv6_address_mode': 'slaac',
        'ipv6_ra_mode': 'slaac',
        'name': 'private-v6',
        'network_id': 'd14b4182-d384-47bf-bebf-f67000763851',
        'project_id': 'a3d4e11416f84ffcb846c0cbc712d5d9',
        'revision_number': 0,
        'router:external': False,
        'service_types': [],
        'subnetpool_id': None,
        'tags': [],
        'tenant_id': 'a3d4e11416f84ffcb846c0cbc712d5d9',
        'updated_at': '2026-12-01T12:44:41Z'
    }
]

ROUTERS = [
    {
        'admin_state_up': True,
        'availability_zone_hints': [],
        'availability_zones': [],
        'created_at': '2026-12-01T12:44:48Z',
        'description': '',
        'distributed': False,
        'external_gateway_info': None,
        'flavor_id': None,
        'ha': False,
        'id': '00ca0b17-2c17-4574-a13a-f74a239903f3',
        'name': 'r2',
        'project_id': 'a3d4e11416f84ffcb846c0cbc712d5d9',
        'revision_number': 1,
        'routes': [],
        'status': 'ACTIVE',
        'tags': [],
        'tenant_id': 'a3d4e11416f84ffcb846c0cbc712d5d9',
        'updated_at': '2026-12-01T12:44:48Z'
    },
    {
        'admin_state_up': True,
        'availability_zone_hints': [],
        'availability_zones': [],
        'created_at': '2026-12-01T12:44:44Z',
        'description': '',
        'distributed': False,
        'external_gateway_info': {
            'enable_snat': True,
            'external_fixed_ips': [
                {
                    'ip_address': '172.24.4.125',
                    'subnet_id': '154f4db4-7942-40eb-bf41-49a6e112992a'
                }
            ],
            'network_id': 'ef991429-3666-440f-8b88-63295aea5089'
        },
        'flavor_id': None,
        'ha': False,
        'id': '4879bc5f-720c-4d33-8b3c-1c702d33c40d',
        'name': 'r1',
        'project_id': 'a3d4e11416f84ffcb846c0cbc712d5d9',
        'revision_number': 3,
        'routes': [],
        'status': 'ACTIVE',
        'tags': [],
        'tenant_id': 'a3d4e11416f84ffcb846c0cbc712d5d9',
        'updated_at': '2026-12-01T12:44:46Z'
    }
]

SECURITY_GROUPS = [
    {
        'created_at': '2026-12-01T12:44:42Z',
        'description': 'web servers',
        'id': 'ef51d192-f648-41a9-bab0-46167b798187',
        'name': 'web',
        'project_id': 'a3d4e11416f84ffcb846c0cbc712d5d9',
        'revision_number': 1,
        'security_group_rules': [
            {
                'belongs_to_default_sg': None,
                'created_at': '2026-12-01T12:44:42Z',
                'description': '',
                'direction': 'ingress',
                'ethertype': 'IPv4',
                'id': '0ff29185-ce19-4108-95f0-d8c2d391070a',
                'normalized_cidr': '0.0.0.0/0',
                'port_range_max': 22,
                'port_range_min': 22,
                'project_id': 'a3d4e11416f84ffcb846c0cbc712d5d9',
                'protocol': 'tcp',
                'remote_address_group_id': None,
                'remote_group_id': None,
                'remote_ip_prefix': '0.0.0.0/0',
                'revision_number': 0,
                'security_group_id': 'ef51d192-f648-41a9-bab0-46167b798187',
                'standard_attr_id': 10,
                'tags': [],
                'tenant_id': 'a3d4e11416f84ffcb846c0cbc712d5d9',
                'updated_at': '2026-12-01T12:44:42Z'
            }
        ],
        'shared': False,
        'stateful': True,
        'tags': [],
        'tenant_id': 'a3d4e11416f84ffcb846c0cbc712d5d9',
        'updated_at': '2026-12-01T12:44:42Z'
    },
    {
        'created_at': '2026-12-01T12:44:39Z',
        'description': 'Default security group',
        'id': 'f847ec0a-7ce9-4c02-ae15-9c949efe9402',
        'name': 'default',
        'project_id': 'a3d4e11416f84ffcb846c0cbc712d5d9',
        'revision_number': 0,
        'security_group_rules': [],
        'shared': False,
        'stateful': True,
        'tags': [],
        'tenant_id': 'a3d4e11416f84ffcb846c0cbc712d5d9',
        'updated_at': '2026-12-01T12:44:39Z'
    }
]

FLOATING_IPS = [
    {
        'created_at': '2026-12-01T12:44:50Z',
        'description': '',
        'fixed_ip_address': None,
        'floating_ip_address': '172.24.4.129',
        'floating_network_id': 'ef991429-3666-440f-8b88-63295aea5089',
        'id': '1bafd1b9-30d8-4688-807f-779420b1fa35',
        'port_details': None,
        'port_forwardings': [],
        'port_id': None,
        'project_id': 'a3d4e11416f84ffcb846c0cbc712d5d9',
        'revision_number': 0,
        'router_id': None,
        'status': 'DOWN',
        'tags': [],
        'tenant_id': 'a3d4e11416f84ffcb846c0cbc712d5d9',
        'updated_at': '2026-12-01T12:44:50Z'
    },
    {
        'created_at': '2026-12-01T12:44:49Z',
        'description': '',
        'fixed_ip_address': '10.0.0.37',
        'floating_ip_address': '172.24.4.69',
        'floating_network_id': 'ef991429-3666-440f-8b88-63295aea5089',
        'id': '520b78b6-d275-43a3-9b30-080ed7253c63',
        'port_details': {
            'admin_state_up': True,
            'device_id': '11111111-2222-3333-4444-555555555555',
            'device_owner': 'compute:nova',
            'mac_address': 'fa:16:3e:b3:6a:b3',
            'name': 'web-port',
            'network_id': 'd14b4182-d384-47bf-bebf-f67000763851',
            'status': 'DOWN'
        },
        'port_forwardings': [],
        'port_id': '1f8bc2f9-0291-430e-95dc-d4f0c2c989f6',
        'project_id': 'a3d4e11416f84ffcb846c0cbc712d5d9',
        'revision_number': 0,
        'router_id': '4879bc5f-720c-4d33-8b3c-1c702d33c40d',
        'status': 'DOWN',
        'tags': [],
        'tenant_id': 'a3d4e11416f84ffcb846c0cbc712d5d9',
        'updated_at': '2026-12-01T12:44:49Z'
    }
]

# QoS (shape of the Neutron API reference's "List QoS policies" answer)
QOS_POLICY_ID = 'bdfa3d55-0b2f-4b4c-9d4b-8c3e5b6e7f80'
QOS_POLICY_2_ID = '0e0f6a43-4a7e-4f4b-9a2e-6d6a0f0f8a11'
QOS_POLICIES = [
    {
        'created_at': '2026-12-01T12:50:00Z',
        'description': 'This policy limits the ports to 10Mbit max.',
        'id': QOS_POLICY_ID,
        'is_default': False,
        'name': '10Mbit',
        'project_id': '8d4c70a21fed4aeba121a1a429ba0d04',
        'revision_number': 3,
        'rules': [
            {
                'direction': 'egress',
                'id': '5f126d84-551a-4dcf-bb01-0e9c0df0c793',
                'max_burst_kbps': 0,
                'max_kbps': 10000,
                'qos_policy_id': QOS_POLICY_ID,
                'type': 'bandwidth_limit'
            },
            {
                'dscp_mark': 26,
                'id': '8eb8c1e2-3e8f-4a8b-9f0b-1f0d3c2a7b11',
                'qos_policy_id': QOS_POLICY_ID,
                'type': 'dscp_marking'
            },
            {
                'direction': 'egress',
                'id': '1eddf7af-0b4c-42c5-8ae1-390b32f1de08',
                'min_kbps': 1000,
                'qos_policy_id': QOS_POLICY_ID,
                'type': 'minimum_bandwidth'
            }
        ],
        'shared': False,
        'tags': [],
        'tenant_id': '8d4c70a21fed4aeba121a1a429ba0d04',
        'updated_at': '2026-12-01T12:51:00Z'
    },
    {
        'description': '',
        'id': QOS_POLICY_2_ID,
        'is_default': False,
        'name': 'empty',
        'project_id': '8d4c70a21fed4aeba121a1a429ba0d04',
        'rules': [],
        'shared': True
    }
]

# Ports as the QoS extension shows them: a scalar qos_policy_id (real
# Neutron) and, in one, the qos_policies list the reference reads.
QOS_PORTS = [
    {'id': '1f8bc2f9-0291-430e-95dc-d4f0c2c989f6',
     'qos_network_policy_id': None,
     'qos_policy_id': QOS_POLICY_ID},
    {'id': '2613b60f-1f5e-446f-86d1-8bf995098ae4',
     'qos_network_policy_id': None,
     'qos_policy_id': None},
    {'id': '3c2d1e0f-aaaa-4bbb-8ccc-dddddddddddd',
     'qos_policies': [QOS_POLICY_ID, QOS_POLICY_2_ID],
     'qos_policy_id': QOS_POLICY_2_ID},
]
