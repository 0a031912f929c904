"""The order in which school lists are printed: natural, as a person reads a registry."""

from __future__ import annotations

import re

_QUOTES_RE = re.compile(r"[\"'«»“”„‟‘’‚‛`´]")
_DIGITS_RE = re.compile(r"(\d+)")


def natural_key(name: str) -> tuple[str | int, ...]:
    """A sort key for a name: numbers compare as numbers (№2 before №10), quotes and case are
    ignored (a quoted name does not come first for its «), ё sorts as е.

    The one order of every reference table that lists schools (the registry holds no order of its
    own to keep).
    """
    text = " ".join(_QUOTES_RE.sub("", name).casefold().replace("ё", "е").split())
    parts = _DIGITS_RE.split(text)  # text at even positions, digits at odd ones, always
    return tuple(int(part) if i % 2 else part for i, part in enumerate(parts))
