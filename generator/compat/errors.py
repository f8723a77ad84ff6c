"""The error the compatibility gate raises for a version or a release record it cannot use."""

from __future__ import annotations


class CompatError(Exception):
    """A spec version or a release record cannot be used; the message names the file or field and the problem."""
