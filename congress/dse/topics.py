"""Names of every topic on the bus, built here and nowhere else."""

from congress import conf

CONF = conf.CONF

EXCHANGE = 'congress'

#: The name under which the policy engines offer their service (and take
#: their leader lock) in the directory.
ENGINE_SERVICE = '_policy_engine'


def service_topic(service, bus_id=None):
    """Topic a cloud service's workers consume: one worker gets each cast."""
    return 'congress-service-%s-%s' % (service, bus_id or CONF.dse.bus_id)


def data_topic(service, bus_id=None):
    """Fanout topic on which a service publishes its table changes."""
    return 'congress-data-%s-%s' % (service, bus_id or CONF.dse.bus_id)


def engine_topic(bus_id=None):
    """Topic of the policy engines: every engine holds every policy, so
    any one of them can answer a query."""
    return 'congress-engine-%s' % (bus_id or CONF.dse.bus_id)
