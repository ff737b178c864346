"""Metric families, one package each (docs/architecture.md): `pipelines/families/<family>/`
holds what the family computes — its registry file `metrics.yml`, the registry's functions
`metrics.py`, its compute modules and its CLI commands `cli.py` (`register(main)`).
The engine (`pipelines/metrics/`) finds them; it never imports one by name."""
