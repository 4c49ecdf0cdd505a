"""The exceptions a template raises the way Tera refuses it."""

from __future__ import annotations


class TeraError(Exception):
    """A template went wrong the way Tera would refuse it (bad filter input, ``throw``...)."""


class DataNotFound(TeraError):
    """``load_data`` found no such file in the site (``required=false`` makes it null)."""
