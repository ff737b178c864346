"""Employee voice, as computed: what the family owns (docs/architecture.md).

- `metrics.yml`, `metrics.py`: the registry's metrics (favourability per construct and per
  item, the inclusion index, the response rate), all under the survey threshold survey_k;
- `sql.py`: the survey answers and respondents SQL, waves as periods, the `voice:` settings;
- `guard.py`: the differencing guard that refuses a filtered view singling out a small group;
- `stats.py`: the difference of two shares (Newcombe interval, two-proportion z-test);
- `compare.py`: each group against everyone else, and the change since the previous wave;
- `outcomes.py`: the inclusion index beside HR outcome rates, matched by label only;
- `cli.py`: `equity voice ...`.

No other family uses these; the dashboard's voice package (dashboard/families/voice/) does.
"""
