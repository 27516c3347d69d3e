"""The one error the ops commands raise: its message is shown to the operator as it is."""

from __future__ import annotations


class OpsError(Exception):
    """A backup or restore that cannot go on; nothing was changed unless the message says."""
