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

"""oslo.messaging plumbing: one transport per process, clients and servers
that carry the request context."""

import threading

import oslo_messaging as messaging

from congress import conf
from congress import context as congress_context
from congress.dse import topics
from congress import exception
from congress.policy import errors

CONF = conf.CONF

# errors raised on the other side of a call that come back as themselves
# (any other comes back as oslo.messaging's RemoteError)
REMOTE_EXCEPTION_MODULES = [exception.__name__, errors.__name__]

_lock = threading.Lock()
_transport = None


def init():
    """Set the exchange default; call before the config files are read."""
    messaging.set_transport_defaults(control_exchange=topics.EXCHANGE)


def in_process():
    """Whether the configured transport is the in-process one
    (``fake://``): it reaches no other process."""
    try:
        return messaging.TransportURL.parse(CONF).transport == 'fake'
    except messaging.InvalidTransportURL:
        return False


def get_transport():
    global _transport
    with _lock:
        if _transport is None:
            _transport = messaging.get_rpc_transport(
                CONF, allowed_remote_exmods=REMOTE_EXCEPTION_MODULES)
        return _transport


def cleanup():
    global _transport
    with _lock:
        if _transport is not None:
            _transport.cleanup()
        _transport = None


class ContextSerializer(messaging.NoOpSerializer):
    """Sends the request context as a dict and rebuilds it on arrival."""

    def serialize_context(self, context):
        if isinstance(context, dict):
            return context
        return context.to_dict()

    def deserialize_context(self, context):
        return congress_context.RequestContext.from_dict(context)


def get_client(topic, version, server=None, fanout=False, timeout=None,
               version_cap=None):
    """An RPC client on ``topic``; ``version_cap``: the newest API version
    it may send (see ``[upgrade_levels]``)."""
    target = messaging.Target(topic=topic, version=version, server=server,
                              fanout=fanout)
    return messaging.get_rpc_client(
        get_transport(), target, serializer=ContextSerializer(),
        timeout=timeout or CONF.dse.rpc_response_timeout,
        retry=CONF.dse.send_retries, version_cap=version_cap)


def get_server(topic, server, endpoints):
    """An RPC server on ``topic`` run by oslo.messaging's threading
    executor; ``server`` is the node id, for messages sent to one node."""
    target = messaging.Target(topic=topic, server=server)
    return messaging.get_rpc_server(
        get_transport(), target, endpoints,
        serializer=ContextSerializer(),
        access_policy=messaging.DefaultRPCAccessPolicy)
