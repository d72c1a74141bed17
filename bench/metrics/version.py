"""The version of the metric definitions. Bump it whenever any score could change for the same inputs
(a matching rule, an average, the zero-division rule, the bootstrap); tables refuse to mix versions."""

METRICS_VERSION = "1.0"
