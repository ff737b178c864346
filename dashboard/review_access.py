"""Who may write to the committee review log from the dashboard (issue 17).

The log is evidence of what a committee decided, and a review entry counts as activity for
"no recent action", so an anonymous visitor must not be able to add back-dated entries or
replace a reviewer's entry. The rules:

- [auth] configured (.streamlit/secrets.toml): only a signed-in visitor writes, under the
  identity the sign-in gives (email, else name).
- no [auth]: writing is off, unless the environment variable EQUITY_REVIEW_WRITES=anyone
  turns it on (a dashboard only a trusted team can reach, e.g. on 127.0.0.1); entries are
  then recorded as "not signed in".
- in both cases an entry can only supersede one recorded by the same identity
  (ReviewLog.append enforces that, and a trigger in the file does too).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

ENV = "EQUITY_REVIEW_WRITES"
ANONYMOUS = "not signed in"


@dataclass(frozen=True)
class WriteAccess:
    allowed: bool
    recorder: str  # the identity entries are recorded under
    verified: bool  # the identity comes from a sign-in
    reason: str = ""  # why writing is off (shown instead of the form)


def write_access(
    auth_configured: bool, signed_in: bool, identity: str | None, env: dict[str, str] | None = None
) -> WriteAccess:
    """May this visitor write review entries, and under which identity?"""
    env = os.environ if env is None else env
    if auth_configured:
        if signed_in and identity:
            return WriteAccess(True, identity, True)
        return WriteAccess(False, ANONYMOUS, False, "Sign in to record a review entry.")
    if env.get(ENV, "").strip().lower() == "anyone":
        return WriteAccess(True, ANONYMOUS, False)
    return WriteAccess(
        False,
        ANONYMOUS,
        False,
        "Recording review entries is off: no sign-in is configured, so anyone who can "
        "reach this dashboard could write them. Configure sign-in ([auth], see README), "
        f"or set {ENV}=anyone for a dashboard only your team can reach "
        "(docs/security.md).",
    )
