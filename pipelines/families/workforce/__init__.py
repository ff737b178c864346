"""The workforce family: headcount, representation, flows (hires, exits, turnover), the leaky
pipeline, promotions, retention and Kaplan-Meier curves, parental leave, policy-event impact
and targets. Its registry is metrics.yml (functions in metrics.py), its commands cli.py.

Other packages import only the names below (tests/test_import_contract.py): the level order
(statutory indicators rank levels as promotions do), the targets' straight-line projection
(commitments grade checkpoints with it) and the policy-event analysis (commitments read an
event as the Retention page does)."""

from .common import ordered_levels
from .impact import impact as event_impact
from .targets import project

__all__ = ["event_impact", "ordered_levels", "project"]
