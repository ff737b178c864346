"""Hiring, computed: the funnel (reach, pass-through, withdrawal, selection, offer acceptance,
applicant share, source mix: metrics.py over funnel.py and rows.py), adverse impact with its
statistics (impact.py, stats.py) published from protected counts (published.py), the view
within strata with Cochran-Mantel-Haenszel (strata.py), Kaplan-Meier time in stage
(time_in_stage.py), the readable tables the CLI and the dashboard print (display.py) and the
`equity hiring` commands (cli.py). The registry file is metrics.yml.

Only hiring's own packages import these modules (dashboard/families/hiring/ shows them); the
engine finds the registry's functions by their `function:` paths."""
