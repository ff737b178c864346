"""Statutory reporting of pay equity: the UK/EU measures and the Art. 10 category assessment the
dashboard and PDF show (measures.py), and the mechanisms the rule packs of pipelines/rules/ run
(`equity report NAME`): exact organisation-level populations (population.py), the UK/EU/BC gap
reports (gaps.py), France's Egapro index (egapro*.py), NYC Local Law 144's bias audit
(ll144.py) and the runner (report.py)."""
