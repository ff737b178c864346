"""The PDF snapshot for leadership: `equity snapshot` and the dashboard's download button
produce the same document (snapshot.snapshot_pdf)."""

from .snapshot import SnapshotError, snapshot_pdf

__all__ = ["SnapshotError", "snapshot_pdf"]
