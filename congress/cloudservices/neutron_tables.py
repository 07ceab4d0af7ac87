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

"""Tables of the Neutron drivers: how Neutron's JSON becomes rows.

The drivers read Neutron's JSON bodies (dicts, as ``GET /v2.0/<resources>``
returns them); openstacksdk ``Resource`` objects translate too (the
translators read attributes when an object is not a dict). Table names,
column names and column order are the reference Congress ones, so policies
written against the reference read the same values by name and position;
sub-tables start with the parent's id.

Choices worth knowing:

* ``tenant_id`` is Neutron's ``tenant_id`` field; when Neutron leaves it out
  (newer releases may give only ``project_id``) the column holds
  ``project_id`` instead, so the owner is never lost. The reference reads
  only ``tenant_id`` and would say ``None`` there.
* ``status`` columns of networks, ports and routers are ``ACTIVE``,
  ``DOWN``, ``BUILD`` or ``ERROR``; any other status Neutron reports is
  ``OTHER`` (floating IPs: ``ACTIVE``, ``DOWN``, ``ERROR``, else ``OTHER``),
  as the reference's enum types map them. A missing status stays ``None``.
* IP address columns are normalised: an IPv4-mapped IPv6 address
  (``::ffff:10.0.0.1``) becomes the plain IPv4 address, IPv6 addresses are
  compressed (``2001:db8::1``); IPv4 addresses are kept as Neutron writes
  them (already canonical) and text that is no address is kept as it is.
* ``external_gateway_infos`` has one row per router with a gateway (none
  when ``external_gateway_info`` is null); its ``external_fixed_ips`` are
  linked straight to the router id, as in the reference.
* ``security_group_rules`` starts with the id of the group holding the rule,
  then the rule's own id.
* neutronv2_qos ``qos_policy_port_bindings`` has one row per QoS policy of a
  port: the port's ``qos_policy_id`` (the field real Neutron has) and every
  id of a ``qos_policies`` list (the field the reference reads).
"""

import functools
import ipaddress

from congress.cloudservices import translators

# neutronv2
NETWORKS = 'networks'
PORTS = 'ports'
FIXED_IPS = 'fixed_ips'
SECURITY_GROUP_PORT_BINDINGS = 'security_group_port_bindings'
SUBNETS = 'subnets'
ALLOCATION_POOLS = 'allocation_pools'
DNS_NAMESERVERS = 'dns_nameservers'
HOST_ROUTES = 'host_routes'
ROUTERS = 'routers'
EXTERNAL_GATEWAY_INFOS = 'external_gateway_infos'
EXTERNAL_FIXED_IPS = 'external_fixed_ips'
SECURITY_GROUPS = 'security_groups'
SECURITY_GROUP_RULES = 'security_group_rules'
FLOATING_IPS = 'floating_ips'

# neutronv2_qos
QOS_PORTS = 'ports'
QOS_POLICY_PORT_BINDINGS = 'qos_policy_port_bindings'
QOS_POLICIES = 'policies'
QOS_RULES = 'rules'

NEUTRON_STATUSES = frozenset(('ACTIVE', 'DOWN', 'BUILD', 'ERROR'))
FLOATING_IP_STATUSES = frozenset(('ACTIVE', 'DOWN', 'ERROR'))
OTHER = 'OTHER'


def _get(obj, key, default=None):
    """Field ``key`` of a JSON dict, or of an openstacksdk Resource (a
    dict subclass whose items are read by API name through ``[]``), or
    attribute ``key`` of another object."""
    if type(obj) is dict:
        return obj.get(key, default)
    if obj is None:
        return default
    try:
        return obj[key]
    except (KeyError, TypeError, AttributeError, IndexError):
        return getattr(obj, key, default)


def tenant_id(obj):
    """``tenant_id``, or ``project_id`` when Neutron omits ``tenant_id``."""
    value = _get(obj, 'tenant_id')
    if value is None:
        value = _get(obj, 'project_id')
    return value


def enum(value, allowed):
    """``value`` if it is one of ``allowed``, ``OTHER`` if it is another
    value, ``None`` if missing."""
    if value is None or value in allowed:
        return value
    return OTHER


@functools.lru_cache(maxsize=4096)
def _ipv6(text):
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return text
    mapped = getattr(address, 'ipv4_mapped', None)
    return str(mapped if mapped is not None else address)


def ip_address(value):
    """An IP address in its canonical text (see the module docstring)."""
    if isinstance(value, str) and ':' in value:
        return _ipv6(value)
    return value


def _field(key):
    return lambda obj: _get(obj, key)


def _column(name, description, path=None):
    return translators.Column(name, description, fn=_field(path or name))


def _ip_column(name, description, path=None):
    path = path or name
    return translators.Column(name, description,
                              fn=lambda obj: ip_address(_get(obj, path)))


def _tenant_column(what):
    return translators.Column(
        'tenant_id', 'ID of the project that owns the %s (Neutron\'s '
        'tenant_id; its project_id when Neutron gives no tenant_id)' % what,
        fn=tenant_id)


def _status_column(what, allowed=NEUTRON_STATUSES):
    return translators.Column(
        'status', 'Status of the %s: %s, or %s for any other status' % (
            what, ', '.join(sorted(allowed)), OTHER),
        fn=lambda obj: enum(_get(obj, 'status'), allowed))


def _each(field):
    """The items of a list field (none when it is missing or null)."""
    return lambda obj: _get(obj, field) or ()


def _itself(value):
    return value


def _gateway(router):
    info = _get(router, 'external_gateway_info')
    return (info,) if info else ()


def _gateway_fixed_ips(router):
    info = _get(router, 'external_gateway_info')
    return (_get(info, 'external_fixed_ips') or ()) if info else ()


def _port_id(description='ID of the port'):
    return _column('port_id', description, path='id')


def port_qos_policy_ids(port):
    """IDs of the QoS policies of a port: its ``qos_policy_id`` and the
    items of a ``qos_policies`` list."""
    ids = list(_get(port, 'qos_policies') or ())
    scalar = _get(port, 'qos_policy_id')
    if scalar is not None and scalar not in ids:
        ids.append(scalar)
    return ids


# ----------------------------------------------------------------- neutronv2

NETWORKS_TABLE = translators.Table(
    NETWORKS,
    (_column('id', 'UUID of the network'),
     _tenant_column('network'),
     _column('name', 'Name of the network'),
     _status_column('network'),
     _column('admin_state_up', 'Administrative state of the network '
             '(True: up)'),
     _column('shared', 'Whether the network is shared with every '
             'project')),
    description='Networks of every project')

FIXED_IPS_TABLE = translators.ChildTable(
    FIXED_IPS, _port_id(), _each('fixed_ips'),
    (_ip_column('ip_address', 'A fixed IP address of the port'),
     _column('subnet_id', 'ID of the subnet the address is on')),
    description='Fixed IP addresses of the ports')

SECURITY_GROUP_PORT_BINDINGS_TABLE = translators.ChildTable(
    SECURITY_GROUP_PORT_BINDINGS, _port_id(), _each('security_groups'),
    (translators.Column('security_group_id', 'ID of a security group of '
                        'the port', fn=_itself),),
    description='Security groups of the ports')

PORTS_TABLE = translators.Table(
    PORTS,
    (_column('id', 'UUID of the port'),
     _tenant_column('port'),
     _column('name', 'Name of the port'),
     _column('network_id', 'ID of the network the port is on'),
     _column('mac_address', 'MAC address of the port'),
     _column('admin_state_up', 'Administrative state of the port '
             '(True: up)'),
     _status_column('port'),
     _column('device_id', 'ID of the device using the port (e.g. the '
             'server\'s UUID)'),
     _column('device_owner', 'Kind of device using the port (e.g. '
             'compute:nova, network:router_interface)')),
    description='Ports of every project',
    children=(FIXED_IPS_TABLE, SECURITY_GROUP_PORT_BINDINGS_TABLE))

ALLOCATION_POOLS_TABLE = translators.ChildTable(
    ALLOCATION_POOLS, _column('subnet_id', 'ID of the subnet', path='id'),
    _each('allocation_pools'),
    (_column('start', 'First IP address of the pool'),
     _column('end', 'Last IP address of the pool')),
    description='Allocation pools of the subnets')

DNS_NAMESERVERS_TABLE = translators.ChildTable(
    DNS_NAMESERVERS, _column('subnet_id', 'ID of the subnet', path='id'),
    _each('dns_nameservers'),
    (translators.Column('dns_nameserver', 'A DNS name server of the '
                        'subnet', fn=_itself),),
    description='DNS name servers of the subnets')

HOST_ROUTES_TABLE = translators.ChildTable(
    HOST_ROUTES, _column('subnet_id', 'ID of the subnet', path='id'),
    _each('host_routes'),
    (_column('destination', 'Destination CIDR of the route'),
     _column('nexthop', 'Next hop IP address of the route')),
    description='Host routes of the subnets')

SUBNETS_TABLE = translators.Table(
    SUBNETS,
    (_column('id', 'UUID of the subnet'),
     _tenant_column('subnet'),
     _column('name', 'Name of the subnet'),
     _column('network_id', 'ID of the network of the subnet'),
     _column('ip_version', 'IP version: 4 or 6'),
     _column('cidr', 'CIDR of the subnet'),
     _ip_column('gateway_ip', 'Gateway IP address of the subnet (None: '
                'no gateway)'),
     _column('enable_dhcp', 'Whether DHCP is enabled on the subnet'),
     _column('ipv6_ra_mode', 'IPv6 router advertisement mode (slaac, '
             'dhcpv6-stateful, dhcpv6-stateless or None)'),
     _column('ipv6_address_mode', 'IPv6 address mode (slaac, '
             'dhcpv6-stateful, dhcpv6-stateless or None)')),
    description='Subnets of every project',
    children=(ALLOCATION_POOLS_TABLE, DNS_NAMESERVERS_TABLE,
              HOST_ROUTES_TABLE))

EXTERNAL_GATEWAY_INFOS_TABLE = translators.ChildTable(
    EXTERNAL_GATEWAY_INFOS,
    _column('router_id', 'ID of the router', path='id'), _gateway,
    (_column('network_id', 'ID of the external network of the gateway'),
     _column('enable_snat', 'Whether source NAT is enabled on the '
             'gateway')),
    description='External gateways of the routers (one row per router '
                'that has one)')

EXTERNAL_FIXED_IPS_TABLE = translators.ChildTable(
    EXTERNAL_FIXED_IPS,
    _column('router_id', 'ID of the router', path='id'), _gateway_fixed_ips,
    (_column('subnet_id', 'ID of the external subnet'),
     _ip_column('ip_address', 'IP address of the gateway on the external '
                'subnet')),
    description='IP addresses of the routers\' external gateways')

ROUTERS_TABLE = translators.Table(
    ROUTERS,
    (_column('id', 'UUID of the router'),
     _tenant_column('router'),
     _status_column('router'),
     _column('admin_state_up', 'Administrative state of the router '
             '(True: up)'),
     _column('name', 'Name of the router'),
     _column('distributed', 'Whether the router is distributed (DVR); '
             'None when the API does not say (non-admin, no DVR '
             'extension)')),
    description='Routers of every project',
    children=(EXTERNAL_GATEWAY_INFOS_TABLE, EXTERNAL_FIXED_IPS_TABLE))

SECURITY_GROUP_RULES_TABLE = translators.ChildTable(
    SECURITY_GROUP_RULES,
    _column('security_group_id', 'ID of the security group holding the '
            'rule', path='id'),
    _each('security_group_rules'),
    (_column('id', 'UUID of the rule'),
     _tenant_column('rule'),
     _column('remote_group_id', 'ID of the remote security group the rule '
             'admits traffic from or to (None: any)'),
     _column('direction', 'ingress or egress'),
     _column('ethertype', 'IPv4 or IPv6'),
     _column('protocol', 'IP protocol (tcp, udp, icmp, a number, or None '
             'for any)'),
     _column('port_range_min', 'Lowest port of the range (None: any)'),
     _column('port_range_max', 'Highest port of the range (None: any)'),
     _column('remote_ip_prefix', 'Remote CIDR the rule admits (None: '
             'any)')),
    description='Rules of the security groups')

SECURITY_GROUPS_TABLE = translators.Table(
    SECURITY_GROUPS,
    (_column('id', 'UUID of the security group'),
     _tenant_column('security group'),
     _column('name', 'Name of the security group'),
     _column('description', 'Description of the security group')),
    description='Security groups of every project',
    children=(SECURITY_GROUP_RULES_TABLE,))

FLOATING_IPS_TABLE = translators.Table(
    FLOATING_IPS,
    (_column('id', 'UUID of the floating IP'),
     _column('router_id', 'ID of the router that routes the floating IP '
             '(None: not associated)'),
     _tenant_column('floating IP'),
     _column('floating_network_id', 'ID of the external network of the '
             'floating IP'),
     _ip_column('fixed_ip_address', 'Fixed IP address of the port the '
                'floating IP is associated with (None: not associated)'),
     _ip_column('floating_ip_address', 'The floating IP address'),
     _column('port_id', 'ID of the port the floating IP is associated '
             'with (None: not associated)'),
     _status_column('floating IP', FLOATING_IP_STATUSES)),
    description='Floating IPs of every project')

#: Root tables of neutronv2, in the order they are polled.
TABLES = (NETWORKS_TABLE, PORTS_TABLE, SUBNETS_TABLE, ROUTERS_TABLE,
          SECURITY_GROUPS_TABLE, FLOATING_IPS_TABLE)

# ------------------------------------------------------------- neutronv2_qos

QOS_POLICY_PORT_BINDINGS_TABLE = translators.ChildTable(
    QOS_POLICY_PORT_BINDINGS, _port_id(), port_qos_policy_ids,
    (translators.Column('qos_policy_id', 'ID of a QoS policy of the port',
                        fn=_itself),),
    description='QoS policies bound to the ports (the port\'s '
                'qos_policy_id, and each ID of a qos_policies list)')

QOS_PORTS_TABLE = translators.Table(
    QOS_PORTS, (_column('id', 'UUID of the port'),),
    description='Ports of every project',
    children=(QOS_POLICY_PORT_BINDINGS_TABLE,))

QOS_RULES_TABLE = translators.ChildTable(
    QOS_RULES,
    _column('qos_policy_id', 'ID of the QoS policy holding the rule',
            path='id'),
    _each('rules'),
    (_column('id', 'UUID of the rule'),
     _column('min_kbps', 'Minimum bandwidth in kbps (minimum_bandwidth '
             'rules; None for other types)'),
     _column('direction', 'ingress or egress (bandwidth_limit and '
             'minimum_bandwidth rules; None for other types)'),
     _column('type', 'Rule type: bandwidth_limit, dscp_marking, '
             'minimum_bandwidth, ...'),
     _column('dscp_mark', 'DSCP mark (dscp_marking rules; None for other '
             'types)'),
     _column('max_burst_kbps', 'Maximum burst in kilobits '
             '(bandwidth_limit rules; None for other types)'),
     _column('max_kbps', 'Maximum bandwidth in kbps (bandwidth_limit '
             'rules; None for other types)')),
    description='Rules of the QoS policies')

QOS_POLICIES_TABLE = translators.Table(
    QOS_POLICIES,
    (_column('id', 'UUID of the QoS policy'),
     _tenant_column('QoS policy'),
     _column('name', 'Name of the QoS policy'),
     _column('description', 'Description of the QoS policy'),
     _column('shared', 'Whether the QoS policy is shared with every '
             'project')),
    description='QoS policies of every project',
    children=(QOS_RULES_TABLE,))

#: Root tables of neutronv2_qos.
QOS_TABLES = (QOS_PORTS_TABLE, QOS_POLICIES_TABLE)
