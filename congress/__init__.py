"""Congress: policy as a service for OpenStack."""

from oslo_service import backend as _service_backend

# oslo.messaging imports oslo.service, whose default backend is eventlet.
# Congress runs on plain threads: choose the threading backend before
# anything imports oslo.messaging.
_service_backend.register_backend_default_hook(
    lambda: _service_backend.BackendType.THREADING)
