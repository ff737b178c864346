"""Pay equity, computing side: the registry's pay metrics (metrics.yml, metrics.py), the pay
snapshot and its factors (snapshot.py, factors.py), gaps, quartiles and the adjusted model
(gaps.py, quartiles.py, regression.py), the Oaxaca-Blinder decomposition (oaxaca.py), the
cohort review (cohorts.py), the statutory measures and Art. 10 assessment (statutory.py), the
remediation plan (remediation*.py) with its privacy layer (protect.py), and the `equity pay`
commands (cli.py). Other packages import these modules' names directly; no other family does."""
