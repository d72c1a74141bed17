"""Model adapters. Each is selected by a ``conf/model/<id>.yaml`` whose ``_target_`` is its class."""
