"""Shipped decision-policy files (data only): ``default.toml`` states the defaults of ``DecisionPolicy``.

Deployments put their own files in ``IDP_POLICY_DIR``; :mod:`queues.policies` finds, merges and checks them.
"""
