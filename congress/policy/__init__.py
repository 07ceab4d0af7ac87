"""Congress's Datalog policy engine.

The engine is a library: :class:`congress.policy.engine.PolicyEngine` holds
policies and data and keeps every derived table up to date as rules and
data change; code around it (the bus, the REST API) drives it.
"""
