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

"""Every policy of the shipped library (etc/congress/library) loads as the
API loads it, shows what the API lists, and compiles in the engine against
the schemas of the drivers it reads."""

import os
import re

import ddt

from congress.api import library_store
from congress.cloudservices import loader
from congress import exception
from congress.policy import engine as engine_mod
from congress.tests import base

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..',
                                    '..'))
LIBRARY = os.path.join(ROOT, 'etc', 'congress', 'library')
FILES = library_store.library_files(LIBRARY)

#: The data sources the library reads, named as devstack and the tempest
#: stack name them (the driver's name), except the embedded demo cloud.
DRIVER_OF = {'demo': 'fake'}

#: Columns of the neutronv2 tables the library reads, in the reference's
#: order (design/reference-schemas.md section 3): the policies are checked
#: against them while the driver is not installed, and the driver, once
#: installed, must publish the same columns.
REFERENCE_COLUMNS = {
    'neutronv2': {
        'networks': ['id', 'tenant_id', 'name', 'status', 'admin_state_up',
                     'shared'],
        'ports': ['id', 'tenant_id', 'name', 'network_id', 'mac_address',
                  'admin_state_up', 'status', 'device_id', 'device_owner'],
        'security_group_port_bindings': ['port_id', 'security_group_id'],
        'security_groups': ['id', 'tenant_id', 'name', 'description'],
        'security_group_rules': [
            'security_group_id', 'id', 'tenant_id', 'remote_group_id',
            'direction', 'ethertype', 'protocol', 'port_range_min',
            'port_range_max', 'remote_ip_prefix'],
    },
}

_ATOM = re.compile(r'\b([A-Za-z_][\w.-]*):([A-Za-z_][\w.]*)\(')


def driver_schema(service):
    """``{table: [column]}`` of the driver behind ``service``, or None."""
    try:
        driver = loader.driver_class(DRIVER_OF.get(service, service))
    except exception.DriverNotFound:
        return None
    return {table: [column['name'] for column in columns]
            for table, columns in driver.get_schema().items()}


def schema(service):
    return driver_schema(service) or REFERENCE_COLUMNS.get(service)


def services_read(document):
    """The data sources and policies a library policy's rules name."""
    return {match.group(1) for rule in document['rules']
            for match in _ATOM.finditer(rule['rule'])
            if match.group(1) not in ('execute', 'builtin')}


def documents():
    return {relpath: library_store.read_file(os.path.join(LIBRARY, relpath))
            for relpath in FILES}


@ddt.ddt
class ShippedLibraryTest(base.TestCase):

    def test_the_library_is_not_empty(self):
        self.assertGreaterEqual(len(FILES), 10)

    @ddt.data(*FILES)
    def test_file_is_a_complete_library_policy(self, relpath):
        document = library_store.read_file(os.path.join(LIBRARY, relpath))
        # named after its file, with what /v1/librarypolicies shows
        self.assertEqual(os.path.splitext(os.path.basename(relpath))[0],
                         document['name'])
        self.assertEqual({'name', 'description', 'kind', 'rules'},
                         set(document))
        self.assertTrue(document['description'].strip())
        self.assertEqual('nonrecursive', document['kind'])
        self.assertTrue(document['rules'])
        for rule in document['rules']:
            self.assertTrue(rule.get('comment'), rule)

    def test_names_are_unique(self):
        names = [d['name'] for d in documents().values()]
        self.assertEqual(sorted(set(names)), sorted(names))

    @ddt.data(*FILES)
    def test_compiles_against_the_schemas_it_reads(self, relpath):
        library = {d['name']: d for d in documents().values()}
        document = library[os.path.splitext(os.path.basename(relpath))[0]]
        # the library policies it uses first, then the policy itself
        order, pending = [], [document['name']]
        while pending:
            name = pending.pop()
            if name in order:
                continue
            order.insert(0, name)
            pending.extend(s for s in services_read(library[name])
                           if s in library)
        missing = sorted(s for name in order
                         for s in services_read(library[name])
                         if s not in library and schema(s) is None)
        if missing:
            self.skipTest('the driver of %s is not installed' %
                          ', '.join(missing))
        engine = engine_mod.PolicyEngine(schema_lookup=schema)
        for name in order:
            engine.create_policy(name, kind=library[name]['kind'])
        for name in order:
            for rule in library[name]['rules']:
                engine.insert_rule(name, rule['rule'], name=rule.get('name'))

    def test_installed_drivers_publish_the_reference_columns(self):
        checked = 0
        for service, tables in REFERENCE_COLUMNS.items():
            published = driver_schema(service)
            if published is None:
                continue
            for table, columns in tables.items():
                self.assertEqual(columns, published[table][:len(columns)],
                                 '%s:%s' % (service, table))
                checked += 1
        if not checked:
            self.skipTest('the drivers of %s are not installed' %
                          ', '.join(sorted(REFERENCE_COLUMNS)))

    def test_nulls_and_booleans_of_the_data_match_as_strings(self):
        # rows as the neutronv2 driver publishes them, with Python None and
        # booleans: the policies match them as 'None' and 'True'
        library = {d['name']: d for d in documents().values()}
        engine = engine_mod.PolicyEngine(schema_lookup=schema)
        for name in ('neutron_open_security_group_rules',
                     'neutron_shared_networks'):
            engine.create_policy(name)
            for rule in library[name]['rules']:
                engine.insert_rule(name, rule['rule'])
        engine.initialize_table('neutronv2', 'networks', [
            ('n1', 'p1', 'public', 'ACTIVE', True, True),
            ('n2', 'p1', 'private', 'ACTIVE', True, False)])
        engine.initialize_table('neutronv2', 'security_groups', [
            ('g1', 'p1', 'web', '')])
        engine.initialize_table('neutronv2', 'security_group_rules', [
            ('g1', 'r1', 'p1', None, 'ingress', 'IPv4', None, None, None,
             None),
            ('g1', 'r2', 'p1', 'g1', 'ingress', 'IPv4', None, None, None,
             None),
            ('g1', 'r3', 'p1', None, 'ingress', 'IPv4', 'tcp', 22, 22,
             '0.0.0.0/0'),
            ('g1', 'r4', 'p1', None, 'egress', 'IPv4', None, None, None,
             '0.0.0.0/0')])
        self.assertEqual(
            [('r1', 'g1', 'web', 'p1', 'None', 'None', 'None'),
             ('r3', 'g1', 'web', 'p1', 'tcp', 22, 22)],
            engine.select('neutron_open_security_group_rules',
                          'open_ingress_rule')[0])
        self.assertEqual([('n1', 'public', 'p1')], engine.select(
            'neutron_shared_networks', 'shared_network')[0])
