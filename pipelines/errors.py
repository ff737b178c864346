"""Errors users see. Each carries one clear sentence; the CLI maps them to exit codes."""


class EquityError(Exception):
    """Base class: an expected failure with a message meant for the user."""

    exit_code = 1


class DataError(EquityError):
    """The input data (or its config) is wrong: exit code 1.

    Messages name the file, the line and the column whenever they are known.
    """

    exit_code = 1

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None, column: str | None = None):
        self.file, self.line, self.column = file, line, column
        self.reason = message
        where = ", ".join(
            p
            for p in (file, f"line {line}" if line is not None else None, f"column '{column}'" if column else None)
            if p
        )
        super().__init__(f"{where}: {message}" if where else message)


class UsageError(EquityError):
    """The command was called wrongly (unknown metric, bad option): exit code 2."""

    exit_code = 2


# import name of an optional package -> (the extra that installs it, what needs it)
EXTRAS = {
    "weasyprint": ("pdf", "the PDF snapshot"),
    "kaleido": ("pdf", "charts in the PDF snapshot"),
    "pydyf": ("pdf", "the PDF snapshot"),
    "pyspark": ("spark", "--engine spark"),
    "sqlglot": ("spark", "--engine spark"),
    "authlib": ("auth", "dashboard sign-in"),
}


class MissingExtra(UsageError):
    """An optional dependency is not installed: one sentence naming the extra, exit code 1
    (the command was right; the install lacks a part)."""

    exit_code = 1


def missing_extra(exc: ImportError) -> MissingExtra | None:
    """The MissingExtra for an import of an optional package that failed, else None."""
    name = (getattr(exc, "name", None) or "").split(".")[0]
    if name.lower() not in EXTRAS:
        return None
    extra, purpose = EXTRAS[name.lower()]
    return MissingExtra(
        f"{purpose} needs the optional package {name}, which is not installed; "
        f"install it with: pip install 'equity-metrics[{extra}]'"
    )
