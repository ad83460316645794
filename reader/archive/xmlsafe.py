"""Refusing hostile XML before any parser sees it.

Entity declarations (billion laughs, quadratic blowup, external entities)
and external DTD subsets are refused outright: no feed or export needs
them, and refusing on sight costs one scan of the prolog.
"""

from __future__ import annotations

import re

from reader.archive.source import ArchiveError

_DOCTYPE = re.compile(rb"<!DOCTYPE\b", re.IGNORECASE)
_ENTITY = re.compile(rb"<!ENTITY\b", re.IGNORECASE)
_EXTERNAL = re.compile(rb"<!DOCTYPE[^>\[]*\b(?:SYSTEM|PUBLIC)\b", re.IGNORECASE)


def refuse_entities(data: bytes) -> None:
    """Raise ArchiveError when XML declares entities or points at an external DTD."""
    match = _DOCTYPE.search(data, 0, 1 << 16)
    if match is None:
        return
    prolog = data[match.start(): match.start() + (1 << 20)]
    if _ENTITY.search(prolog):
        raise ArchiveError("XML declares entities (possible XML bomb or external entity); "
                           "refused")
    # RSS 0.91 feeds name Netscape's or UserLand's DTD; it is never fetched.
    # XHTML pages name the W3C's; neither is ever fetched.
    if _EXTERNAL.match(prolog) and not prolog[:14].lower().startswith(
            (b"<!doctype rss", b"<!doctype html")):
        raise ArchiveError("XML refers to an external DTD; refused")
