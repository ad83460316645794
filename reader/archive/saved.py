"""What the read-it-later exports share: hostile fields made safe, dates, stubs.

Every string an export holds came from the web and is sanitised here; links
keep only http(s)/mailto URLs. A record without its text becomes a *stub*
(`ParsedArticle.stub`): its title, link, tags and date, never fetched.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

from reader.clean import clean_title, sanitize, slug_title
from reader.models import ImportedHighlight, ParsedArticle, Provenance

_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def text(value: Any) -> str:
    """One line of an export's text, sanitised, HTML entities unescaped once
    (`Privacy &amp; Technology`); '' for anything that is not text."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return ""
    if "&" in value and _ENTITY.search(value):
        value = html.unescape(value)
    return clean_title(value)


def flag(value: Any) -> bool:
    """Booleans as exports write them: true, 1, "1", "true", "yes"."""
    if isinstance(value, str):
        return value.strip().casefold() in ("1", "true", "yes", "y")
    return bool(value) if isinstance(value, (bool, int, float)) else False


def iso_date(value: Any) -> str | None:
    """`YYYY-MM-DD` of an ISO timestamp, or of Unix seconds; None when there is none."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value <= 0:
            return None
        try:
            return dt.datetime.fromtimestamp(value, dt.UTC).strftime("%Y-%m-%d")
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str):
        m = _ISO_DATE.match(value)
        if m and 1900 <= int(m.group(1)) <= 2100 and 1 <= int(m.group(2)) <= 12 and 1 <= int(
                m.group(3)) <= 31:
            return f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    return None


_CHROME_EPOCH = dt.datetime(1601, 1, 1, tzinfo=dt.UTC)


def micro_date(value: Any, *, since_1601: bool = False) -> str | None:
    """`YYYY-MM-DD` of a count of microseconds (browsers' bookmarks): since 1970, or
    since 1601 (Chrome); None when there is none or it makes no sense."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        return None
    epoch = _CHROME_EPOCH if since_1601 else dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    try:
        day = epoch + dt.timedelta(microseconds=value)
    except OverflowError:
        return None
    return day.strftime("%Y-%m-%d") if 1900 <= day.year <= 2100 else None


def link(value: Any) -> str | None:
    """A record's URL when it is a web (or mail) link; other schemes are dropped."""
    # The HTML path is loaded by the first record that needs it, not by every format
    # that shares these helpers.
    from reader.archive.html_markdown import safe_url

    return safe_url(value.strip(), None) if isinstance(value, str) and value.strip() else None


def tag_list(values: Any, separators: str = ",") -> tuple[str, ...]:
    """Tags from a list or a separated string, sanitised, empty ones dropped, order kept."""
    if isinstance(values, str):
        values = re.split("[" + re.escape(separators) + "]", values)
    if not isinstance(values, list):
        return ()
    names = []
    for value in values:
        if isinstance(value, dict):  # {"label": …} / {"name": …} shapes
            value = value.get("label") or value.get("name") or value.get("slug")
        name = text(value)
        if name:
            names.append(name)
    return tuple(dict.fromkeys(names))


def body_from_html(content: Any, url: str | None, title: str) -> str:
    """An export's stored HTML through the same HTML → Markdown path as saved pages."""
    if not isinstance(content, str) or not content.strip():
        return ""
    from reader.archive.html_markdown import drop_leading_title, markdown_from_html

    return drop_leading_title(markdown_from_html(content, url), title)


def article(*, title: str, body: str, name: str, fmt: str, line: int, url: str | None,
            date: str | None = None, source: str | None = None, author: str | None = None,
            tags: tuple[str, ...] = (), read: bool | None = None, starred: bool | None = None,
            highlights: tuple[ImportedHighlight, ...] = ()) -> ParsedArticle:
    """A record as an article; one without text is a stub titled by its link if need be."""
    stub = not body.strip()
    if not title:
        title = slug_title(body, 60) if body.strip() else (url or "Untitled")
    return ParsedArticle(
        title=title, body="" if stub else body, provenance=Provenance(name, fmt, line, line),
        date=date, source=source or None, url=url, author=author or None, tags=tags,
        read=read, starred=starred, stub=stub, highlights=highlights,
    )


def note_text(value: Any) -> str:
    """A multi-line note or quote: sanitised, line breaks kept, ends trimmed."""
    if not isinstance(value, str):
        return ""
    return sanitize(value.replace("\r\n", "\n")).strip()


def browser_only(value: Any) -> bool:
    """A browser's own entry rather than a saved page: a `place:` query, a bookmarklet."""
    return isinstance(value, str) and value.strip().casefold().startswith(
        ("place:", "javascript:"))


def report_skipped(bad: list[int], problems: list[str], unit: str = "record") -> None:
    """One line for the records skipped because they hold no web link."""
    if bad:
        shown = ", ".join(map(str, bad[:10])) + (" …" if len(bad) > 10 else "")
        problems.append(f"{len(bad)} record{'s' if len(bad) != 1 else ''} skipped: no web "
                        f"link ({unit} {shown})")
