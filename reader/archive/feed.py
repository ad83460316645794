"""RSS 0.9x/1.0/2.0 and Atom feeds, read by feedparser from bytes.

feedparser is always handed a byte stream, never a string it could take for a
URL or a path. Full content (`content:encoded`, Atom content) is preferred
over summaries and goes through the same HTML → Markdown path as saved
pages. Characters XML forbids (control characters) are removed before the
parse, so a feed holding one is still read strictly. An ill-formed feed keeps
what parsed; a feed cut short keeps only the entries that closed before the
cut, and the loss is reported.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from reader.archive.format import Format, Input
from reader.archive.markup import FEED_ROOTS, declares_wxr, root_element
from reader.archive.source import ArchiveError
from reader.archive.xmlsafe import refuse_entities, xml_bytes
from reader.clean import clean_title, sanitize, squash
from reader.models import ParsedArticle, Provenance

_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF|RDF)[\s>]", re.IGNORECASE)
_ENTRY_END = re.compile(rb"</(?:item|entry|[\w-]+:item)\s*>", re.IGNORECASE)
_ROOT_END = re.compile(rb"</(?:rss|feed|rdf:RDF|RDF)\s*>\s*(?:<!--.*?-->\s*)*$",
                       re.IGNORECASE | re.DOTALL)
_HTML_TYPES = {"text/html", "application/xhtml+xml", "html", "xhtml"}


def looks_like_feed(head: bytes) -> bool:
    """Whether the first bytes are an RSS/RDF/Atom feed (not a WordPress export)."""
    return _FEED_ROOT.search(head[:8192]) is not None and not declares_wxr(head)


@dataclass(slots=True)
class FeedResult:
    articles: list[ParsedArticle]
    problems: list[str] = field(default_factory=list)


def _text(value: str | None) -> str:
    """Plain text of a feed title or name (they may hold markup and entities)."""
    if not value:
        return ""
    if "<" in value or "&" in value:
        import html

        import lxml.html

        try:
            value = lxml.html.fragment_fromstring(value, create_parent="div").text_content()
        except Exception:  # not markup after all
            value = html.unescape(value)
    return clean_title(value)


def _date(entry: Any) -> str | None:
    """The entry's date as printed: read by `reader.dates` (any language, `2019/06/03`,
    Unix seconds), else as feedparser read it (which turns what it cannot read into a
    wrong day, and an RFC 822 time into the UTC day)."""
    from reader.archive.saved import iso_date
    from reader.dates import parse_date

    for key in ("published", "updated", "created"):
        # (`dict.get`: not feedparser's own, which maps one key to another and warns)
        raw = dict.get(entry, key)
        if isinstance(raw, str) and raw.strip():
            raw = sanitize(raw)[:200]
            found = iso_date(raw) or parse_date(raw)
            if found:
                return found
            parsed = dict.get(entry, key + "_parsed")
            if parsed and str(parsed.tm_year) in raw:
                return time.strftime("%Y-%m-%d", parsed)
    return None


def _body(entry: Any) -> str:
    contents = [c for c in entry.get("content") or [] if c.get("value")]
    contents.sort(key=lambda c: c.get("type") not in _HTML_TYPES)
    summary = entry.get("summary_detail") or {}
    chosen = contents[0] if contents else summary
    if contents and chosen.get("type") not in _HTML_TYPES and len(
            summary.get("value") or "") > len(chosen.get("value") or ""):
        chosen = summary  # (a media caption feedparser took for the content)
    value = chosen.get("value") or entry.get("summary") or ""
    base = chosen.get("base") or entry.get("link")
    if chosen.get("type", "text/html") in _HTML_TYPES or "<" in value:
        from reader.archive.html_markdown import markdown_from_html

        return markdown_from_html(value, base)
    return sanitize(value).strip()


def parse_feed(data: bytes, name: str, tags: tuple[str, ...] = (),
               share: tuple[int, int] | None = None) -> FeedResult:
    """Every entry of a feed; problems (ill-formed, cut short) reported, not raised.

    `share` (k, n): only every n-th entry from the k-th is converted and returned
    (n processes convert a large feed together; the entry numbers put them back
    in order).
    """
    import feedparser

    from reader.archive.html_markdown import drop_leading_title, title_from_body

    data = xml_bytes(data)  # a control character would leave only the lenient parser
    refuse_entities(data)
    if data[:1].isspace():  # blank lines a server printed before the declaration
        data = data.lstrip()
    # Our HTML path drops scripts, styles and unsafe links and resolves relative
    # ones; feedparser doing it too would only double the work.
    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=False, resolve_relative_uris=False)
    entries = list(parsed.entries)
    problems: list[str] = []
    if not entries and parsed.get("bozo"):
        raise ArchiveError(f"not a readable feed ({_reason(parsed)})")
    truncated = _ROOT_END.search(data.rstrip()[-512:]) is None
    if truncated:
        whole = len(_ENTRY_END.findall(data))
        if whole < len(entries):
            problems.append(f"feed is cut short: {len(entries) - whole} unfinished "
                            f"entr{'y' if len(entries) - whole == 1 else 'ies'} not imported, "
                            f"{whole} kept")
            entries = entries[:whole]
        else:
            problems.append("feed is cut short after its last entry")
    elif parsed.get("bozo") and not isinstance(parsed.get("bozo_exception"),
                                               feedparser.CharacterEncodingOverride):
        problems.append(f"ill-formed feed, read leniently ({_reason(parsed)})")
    source = _text(parsed.feed.get("title")) or None
    feed_author = _author(parsed.feed)  # an Atom feed's author is its entries' own
    base = _base(parsed.feed)
    articles = []
    for n, entry in enumerate(entries, 1):
        if share is not None and (n - 1) % share[1] != share[0]:
            continue
        body = _body(entry)
        title = _text(entry.get("title"))
        if not title:
            title = title_from_body(body, 60) if body.strip() else f"Entry {n}"
        body = drop_leading_title(body, title)
        if not body.strip():
            body = title
        entry_tags = [_text(t.get("label") or t.get("term")) for t in entry.get("tags") or []]
        articles.append(ParsedArticle(
            title=title, body=body, provenance=Provenance(name, "feed", n, n),
            date=_date(entry), source=source, url=_url(entry, base),
            author=_author(entry) or feed_author,
            tags=tuple(dict.fromkeys(t for t in (*tags, *entry_tags) if t)),
        ))
    return FeedResult(articles, problems)


_MAILBOX = re.compile(r"^\s*\S+@\S+\s*(?:\((?P<name>[^()]*)\))?\s*$")
_NAME_MAIL = re.compile(r"^(?P<name>.*?)\s*[(<]\s*\S+@\S+\s*[)>]\s*$")


def _author(item: Any) -> str | None:
    """An entry's (or feed's) author's name, without an e-mail address: Atom's `<name>`,
    RSS's `mail (Name)`; a bare address is no name."""
    detail = item.get("author_detail") or {}
    name = item.get("author") or detail.get("name") or ""  # (the detail splits `a@b (A)` ill)
    if "@" in name:
        m = _MAILBOX.match(name) or _NAME_MAIL.match(name)
        name = (m.group("name") or "") if m else name
    return _text(name) or None


def _web(url: Any) -> str | None:
    from reader.archive.saved import link

    found = link(url)
    return found if found and found.startswith(("http://", "https://")) else None


def _base(feed: Any) -> str | None:
    """What a feed's relative links are relative to: its own address (`rel="self"`),
    its site's link resolved against that."""
    from urllib.parse import urljoin

    own = next((_web(x.get("href")) for x in feed.get("links") or []
                if x.get("rel") == "self" and _web(x.get("href"))), None)
    site = feed.get("link")
    if isinstance(site, str) and site.strip():
        return _web(urljoin(own, site.strip())) if own else _web(site)
    return own


def _url(entry: Any, base: str | None) -> str | None:
    """The entry's web address: FeedBurner's original link over its redirect, a
    relative one resolved against the entry's `xml:base` or the feed's link; never a
    `tag:` id or other non-web value."""
    from urllib.parse import urljoin

    raw = entry.get("feedburner_origlink") or entry.get("link")
    if not isinstance(raw, str) or not raw.strip():
        return None
    if "://" not in raw:
        where = (entry.get("title_detail") or {}).get("base") or base
        where = _web(where)
        if where is None:
            return None
        raw = urljoin(where, raw.strip())
    return _web(raw)


def _reason(parsed: Any) -> str:
    exc = parsed.get("bozo_exception")
    return squash(str(exc))[:120] if exc else "unknown error"


def parse(data: bytes, name: str, tags: tuple[str, ...], problems: list[str],
          share: tuple[int, int] | None = None) -> Iterator[ParsedArticle]:
    result = parse_feed(data, name, tags, share)
    problems.extend(result.problems)
    yield from result.articles


def _read(src: Input) -> Iterator[ParsedArticle]:
    return parse(src.data, src.name, src.tags, src.problems, src.share)


def _sniff(head: bytes) -> bool:
    return root_element(head) in FEED_ROOTS and looks_like_feed(head)


FORMAT = Format("feed", _read, sniff=_sniff, shared=True, xml=True)
