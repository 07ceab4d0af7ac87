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

"""Which openstacksdk network proxy methods the neutronv2 driver offers as
actions, and how neutronclient-style calls are mapped onto them.

Every public method of ``openstack.network.v2._proxy.Proxy`` that changes
Neutron is an action under its own name (``update_port``,
``delete_security_group_rule``, ``add_interface_to_router``, ...), except
those these rules leave out. The rules read the SDK's own code, so a new
openstacksdk release needs no new list:

``base``
    Methods the network proxy inherits (``openstack.proxy.Proxy`` and the
    keystoneauth1 ``Adapter``: ``get``, ``post``, ``get_endpoint``, the
    generic ``_get``/``_list`` machinery, ...): HTTP plumbing, not Neutron
    API calls.
``read-only``
    Methods whose name does not start with a verb that changes something
    (:data:`MUTATING_VERBS`): ``get_*``, ``find_*``, the listing
    generators (``ports``, ``networks``, ...), ``check_tag``,
    ``validate_auto_allocated_topology``. Reading is what the tables are
    for.
``client-side``
    ``wait_for_status`` and ``wait_for_delete``: the SDK's polling loops,
    which make no change of their own.
``deprecated``
    Methods whose docstring calls them deprecated or kept only for backwards
    compatibility.
``unusable``
    Methods with a parameter that must be an SDK ``Resource`` object (its
    annotation admits no ID string), such as ``add_tag(resource, tag)``:
    an action's arguments are strings, numbers and JSON values.

The listed arguments and descriptions are the SDK's (signature and
docstring); most creating and updating methods take the resource's fields
as keyword arguments (``**attrs``).

neutronclient compatibility
    Policies written for the reference driver call neutronclient methods
    with a ``body`` holding the resource under its key, often as one JSON
    string built in the rule::

        execute[neutronv2:create_security_group(json)]
        # json = '{"security_group": {"name": "x", "project_id": "..."}}'

    A ``create_*`` or ``update_*`` action given a body (the ``body`` keyword
    argument, or one positional argument more than the SDK method requires)
    decodes it when it is a string (JSON, else YAML), takes the attributes
    from under the resource key when the body is wrapped in one
    (``security_group``, or the key without the SDK's ``qos_`` prefix) and
    passes them as keyword arguments. The neutronclient names of the
    floating IP calls (``create_floatingip``, ``update_floatingip``,
    ``delete_floatingip``) run the SDK's ``*_ip`` methods, and
    ``add_interface_router(router, body)`` / ``remove_interface_router``
    run ``add_interface_to_router`` / ``remove_interface_from_router`` with
    the body's ``subnet_id`` or ``port_id`` (see :data:`ALIASES`).
"""

import inspect
import json
import re

from openstack.network.v2 import _proxy as network_proxy
from openstack import resource as sdk_resource
import yaml

from congress.cloudservices import manager_actions
from congress import exception
from congress.i18n import _

PROXY_CLASS = network_proxy.Proxy

#: Name prefixes of the methods that change Neutron.
MUTATING_VERBS = ('create', 'update', 'delete', 'add', 'remove', 'insert',
                  'set', 'unset', 'associate', 'disassociate', 'activate',
                  'onboard')

#: Methods that only wait for Neutron to reach a state.
CLIENT_SIDE = frozenset(('wait_for_status', 'wait_for_delete'))

#: neutronclient action names -> (the SDK method they run, renames of
#: their body's keys to the SDK method's arguments).
ALIASES = {
    'create_floatingip': ('create_ip', {}),
    'update_floatingip': ('update_ip', {}),
    'delete_floatingip': ('delete_ip', {}),
    'add_interface_router': ('add_interface_to_router',
                             {'subnet_id': 'subnet', 'port_id': 'port'}),
    'remove_interface_router': ('remove_interface_from_router',
                                {'subnet_id': 'subnet', 'port_id': 'port'}),
}

#: Methods whose body may be a JSON/YAML string (besides the aliases).
_BODY_PREFIXES = ('create_', 'update_')

_MUTATING = re.compile(r'^(%s)_' % '|'.join(MUTATING_VERBS))
_DEPRECATED = re.compile(r'\bdeprecated\b|\bbackwards?[ -]compatibility\b',
                         re.I)


def proxy_functions(proxy_class=PROXY_CLASS):
    """``(name, function)`` of every public method of the proxy class."""
    for name in sorted(dir(proxy_class)):
        if name.startswith('_'):
            continue
        member = inspect.getattr_static(proxy_class, name)
        if inspect.isfunction(member):
            yield name, member


def exclusion_reason(name, function, proxy_class=PROXY_CLASS):
    """Why the proxy method ``name`` is no action, or None."""
    owner = next((cls for cls in proxy_class.__mro__
                  if name in vars(cls)), None)
    if owner is None or owner.__module__ != proxy_class.__module__:
        where = owner.__module__ if owner is not None else '?'
        return 'base: inherited from %s, not a Neutron API call' % where
    if name in CLIENT_SIDE:
        return 'client-side: waits for Neutron, changes nothing'
    if not _MUTATING.match(name):
        return ('read-only: changes nothing (actions are the %s_* '
                'methods)' % '_*, '.join(MUTATING_VERBS))
    summary = manager_actions.docstring_summary(function)
    if _DEPRECATED.search(summary):
        return 'deprecated: docstring says "%s"' % ' '.join(summary.split())
    needs_object = _resource_only_parameter(function)
    if needs_object is not None:
        return ('unusable: %s must be an SDK Resource object, which an '
                'action cannot be given' % needs_object)
    return None


def _resource_only_parameter(function):
    """The first parameter annotated as an SDK Resource class alone (no
    ``str`` beside it), or None."""
    signature = manager_actions.signature_of(function)
    for parameter in (signature.parameters.values() if signature else ()):
        annotation = parameter.annotation
        if (inspect.isclass(annotation)
                and issubclass(annotation, sdk_resource.Resource)):
            return parameter.name
    return None


def _required_positional(function):
    signature = manager_actions.signature_of(function)
    if signature is None:
        return 0
    return sum(1 for p in signature.parameters.values()
               if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
               and p.default is p.empty)


def decode_body(body, action):
    """A body given as a JSON or YAML string, as a dict."""
    if isinstance(body, (bytes, bytearray)):
        body = body.decode('utf-8')
    if isinstance(body, str):
        try:
            body = json.loads(body)
        except ValueError:
            try:
                body = yaml.safe_load(body)
            except yaml.YAMLError as exc:
                raise exception.InvalidActionArguments(
                    reason=_('%(action)s: the body is neither JSON nor '
                             'YAML: %(err)s') % {'action': action,
                                                 'err': exc})
    if not isinstance(body, dict):
        raise exception.InvalidActionArguments(
            reason=_('%s: the body must be an object (or its JSON text)')
            % action)
    return body


def unwrap(body, action):
    """The attributes of a body: what is under the resource key when the
    body is ``{resource: {...}}`` (``create_port`` -> ``port``; the SDK's
    ``qos_`` prefix may be left out), else the body itself."""
    if len(body) == 1:
        (key, value), = body.items()
        resource = action.split('_', 1)[-1]
        keys = {resource, 'qos_' + resource}
        if resource.startswith('qos_'):
            keys.add(resource[len('qos_'):])
        if isinstance(value, dict) and key in keys:
            return value
    return body


def neutronclient_arguments(action, function, args, kwargs):
    """``(args, kwargs)`` for the SDK method, with a neutronclient-style
    body (see the module docstring) turned into keyword arguments."""
    renames = ALIASES.get(action, (None, None))[1]
    if renames is None and not action.startswith(_BODY_PREFIXES):
        return args, kwargs
    args = list(args)
    kwargs = dict(kwargs)
    if 'body' in kwargs:
        body = kwargs.pop('body')
    elif (len(args) == _required_positional(function) + 1
          and isinstance(args[-1], (str, bytes, dict))):
        body = args.pop()
    else:
        return args, kwargs
    attrs = unwrap(decode_body(body, action), action)
    for key, value in attrs.items():
        key = str(key)
        kwargs.setdefault((renames or {}).get(key, key), value)
    return args, kwargs
