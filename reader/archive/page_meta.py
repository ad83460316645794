"""A saved page's metadata: title, byline, date, site name, tags, canonical URL.

Read from JSON-LD, `og:`/`article:` meta, microdata, `<time>` and `<title>`.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from reader.archive.html_markdown import safe_url
from reader.clean import clean_title, sanitize, split_source, squash
from reader.dates import parse_date

_ARTICLE_TYPES = {"article", "newsarticle", "blogposting", "reportagenewsarticle",
                  "analysisnewsarticle", "opinionnewsarticle", "reviewnewsarticle",
                  "backgroundnewsarticle", "scholarlyarticle", "techarticle", "report",
                  "socialmediaposting", "liveblogposting", "review", "webpage", "medicalwebpage",
                  "creativework", "podcastepisode", "videoobject", "discussionforumposting"}


@dataclass(slots=True)
class PageMetadata:
    title: str | None = None
    author: str | None = None
    date: str | None = None
    site: str | None = None
    url: str | None = None
    base: str | None = None
    tags: tuple[str, ...] = ()
    guessed: bool = False
    """The title is the `<title>` element's and names the site (a link home says
    so), not the article: old table layouts do that."""


# Pages wrap their JSON-LD in CDATA sections or HTML comments.
_LD_WRAPPER = re.compile(r"^\s*(?:<!\[CDATA\[|<!--)|(?:\]\]>|-->)\s*$")


def _jsonld_objects(doc: Any) -> Iterator[dict[str, Any]]:
    for script in doc.xpath('//script[@type="application/ld+json"]'):
        raw = _LD_WRAPPER.sub("", script.text or "")
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                yield item
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(reversed(graph))


def _types(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).lower() for k in kinds if k}


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    return []


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if not isinstance(value, str):
        return None
    text = squash(sanitize(html_lib.unescape(value)))
    return text or None


def _date(value: str | None) -> str | None:
    if not value:
        return None
    match = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value)
    if match:
        return "-".join(match.groups())
    return parse_date(value[:200])


_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:»·•/\\_]\s+|\s*[|_]\s*")


def _strip_site(title: str, site: str | None, guess: bool = True) -> tuple[str, str | None]:
    """Title without a ` | Site` suffix (or `Site | ` prefix), and the site it named.

    With `guess`, a suffix that reads like a publication goes even when the
    page names no site; without, only the named site does (a declared title's
    ` - The Bountiful Update` is part of it).
    """
    if site:
        low, low_site = title.casefold(), site.casefold()
        for match in _TITLE_SEPARATORS.finditer(title):
            head, tail = title[: match.start()].strip(), title[match.end():].strip()
            if tail.casefold() == low_site and len(head.split()) >= 1:
                return head, site
            if head.casefold() == low_site and tail:
                return tail, site
        if low.endswith(low_site) and low != low_site:
            # Only after a separator: `New CEO at Experience` keeps its last word.
            head = title[: -len(site)].rstrip()
            if head and head[-1] in "|-–—:·•»/\\_" and head.rstrip(" |-–—:·•»/\\_"):
                return head.rstrip(" |-–—:·•»/\\_"), site
    if not guess:
        return title, None
    head, source = split_source(title)
    return head, source


def _headline_of(doc: Any, page_title: str) -> tuple[str, str] | None:
    """The page's headline and the site after it, when <title> is `Headline · Site`.

    A heading the <title> starts with is the article's own title, whatever
    separator the site chose (`_科技_腾讯网`, ` [LWN.net]`, ` · V8`); the rest
    names the site. A heading it ends with, after a separator, is the site's
    banner (`Evolve: Shared Mutable History — evolve extension for Mercurial`).
    """
    for node in doc.xpath('//*[@itemprop="headline"] | //h1'):
        text = _text(node.text_content())
        if not text or (len(text.split()) < 2 and len(text) < 8):
            continue
        if page_title.endswith(text) and page_title != text:
            # The site's own banner heading after a separator: `Headline — Site`.
            match = re.search(r"\s+[|\-–—:»·•/\\_]\s+$", page_title[: -len(text)])
            if match and page_title[: match.start()].strip():
                return page_title[: match.start()].strip(), text
            continue
        if not page_title.startswith(text):
            continue
        rest = page_title[len(text):]
        if not rest or rest[0].isalnum():
            continue
        pieces = [p for p in _TITLE_SEPARATORS.split(rest.strip(" -–—|:·•»/\\_[](){}")) if p]
        site = pieces[-1].strip(" []()") if pieces else ""
        if site and len(site.split()) <= 8:
            return text, site
    return None


_AUTHOR_META = ("author", "dc.creator", "dc:creator", "article:author", "og:article:author",
                "parsely-author", "sailthru.author")


def _meta_authors(doc: Any) -> list[str]:
    """Authors named in <meta>, every one of a repeated key (`DC.Creator` twice)."""
    found: dict[str, list[str]] = {}
    for node in doc.xpath("//meta[@content]"):
        key = (node.get("property") or node.get("name") or "").strip().lower()
        if key in _AUTHOR_META and node.get("content", "").strip():
            found.setdefault(key, []).append(node.get("content").strip())
    for key in _AUTHOR_META:
        if key in found:
            return found[key]
    return []


# Readability.js's byline rule: rel/itemprop author, or a class or id naming one
# (in any case: `FeatureByline`).
_LOWER = "translate({}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
_BYLINE = ('//*[@rel="author" or contains(@itemprop, "author")'
           ' or contains({c}, "byline") or contains({i}, "byline")'
           ' or contains({c}, "author") or contains({c}, "dateline")'
           ' or contains({c}, "writtenby")][not(ancestor::*[contains({c}, "comment")])]'
           ).format(c=_LOWER.format("@class"), i=_LOWER.format("@id"))
_NOT_BYLINE = re.compile(r"comment|©|copyright|\babout the author\b", re.IGNORECASE)


_BYLINE_LEAD = re.compile(
    r"^(?:(?:(?:written|posted|words|text|photos?)\s+)?(?:by|par|von|por|door|di|av)\s*:?"
    r"|(?:text|texto|texte|testo|tekst|текст|автор|autor|author|words|reporter)\s*:)\s+",
    re.IGNORECASE)
_MONTH_WORDS = re.compile(
    r"\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?$", re.IGNORECASE)


def clean_byline(text: str) -> str | None:
    """A person's name out of a byline as pages print it.

    `By Joshua Sokol May 20, 2019` → `Joshua Sokol`; `Aleš Vávra před 2 hodinami`
    → `Aleš Vávra`; a line that is only a date (`21.dez.2018 às 10h55`) → None.
    """
    text = _BYLINE_LEAD.sub("", squash(re.sub(r"\(?https?://\S+\)?", "", text)))
    digit = re.search(r"\d", text)
    if digit:
        text = text[: digit.start()]
    words = text.replace(" and ", ", ").split()
    # Names are capitalised: drop trailing lower-case words (`před`, `às`, `le`)
    # and a month name left by a cut date.
    while words and (words[-1][:1].islower() or not any(c.isalpha() for c in words[-1])):
        words.pop()
    text = _MONTH_WORDS.sub("", " ".join(words)).strip(" ,;|·-–—")
    if len(text) < 3 or not any(c.isupper() for c in text):
        return None
    return text


_CALENDAR_WORDS = frozenset((
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "today",
    "yesterday", "updated", "published", "posted", "by", "am", "pm", "utc", "gmt", "last",
    "modified", "edited", "on", "at",
))


_HOME_LINKS = ('//a[@href="/" or @href="./" or @href="../" or starts-with(@href, "index.")'
               ' or starts-with(@href, "/index.") or @rel="home"]')


def _names_the_site(doc: Any, title: str) -> bool:
    """Whether a page's `<title>` is its site's name: the words of a link (or the
    alt text of its logo) back to the home page."""
    wanted = squash(title).casefold()
    for link in doc.xpath(_HOME_LINKS)[:20]:
        texts = [link.text_content(), *(img.get("alt") or "" for img in link.iter("img"))]
        if any(squash(t).casefold() == wanted for t in texts if t):
            return True
    return False


def _a_name(text: str) -> bool:
    """Whether an author field names someone, not a date (`January`, `Mon, 3 May`)."""
    words = re.findall(r"[^\W\d_]+", text.casefold())
    return bool(words) and not all(w in _CALENDAR_WORDS for w in words)


def _agrees(candidate: str, anchor: str) -> bool:
    a, b = squash(candidate).casefold(), squash(anchor).casefold()
    return bool(a and b) and (a in b or b in a)


def _declared_title(doc: Any, ld: dict[str, Any], meta: dict[str, str],
                    page_title: str | None) -> tuple[str | None, bool]:
    """The title the page declares for its article, and whether its own headline or
    <title> agrees with it.

    JSON-LD's `headline` comes first, but Wikipedia (and others) put a short
    description there: a declared title that neither the `<h1>` nor the
    `<title>` contains loses to one they do.
    """
    names = [_text(ld.get("headline")), _text(meta.get("dc.title")), _text(meta.get("dc:title")),
             _text(meta.get("og:title")), _text(meta.get("twitter:title")),
             _text(meta.get("title")), _text(meta.get("parsely-title")), _text(ld.get("name"))]
    candidates = [n for n in names if n]
    if not candidates:
        return None, False
    anchors = [t for t in (page_title, *(_text(h.text_content()) for h in doc.xpath("//h1")[:3]))
               if t]
    if not anchors or candidates[0] != names[0]:
        # Only JSON-LD's headline is a description in disguise; a declared og:/DC
        # title stands even when the page's heading says something else.
        return candidates[0], True
    for candidate in candidates:
        if any(_agrees(candidate, anchor) for anchor in anchors):
            return candidate, candidate is candidates[0] or len(candidates) == 1
    return candidates[0], True


def page_metadata(doc: Any) -> PageMetadata:
    """Metadata of a parsed page (an lxml document)."""
    meta: dict[str, str] = {}
    for node in doc.xpath("//meta[@content]"):
        key = (node.get("property") or node.get("name") or node.get("itemprop") or "").lower()
        if key and key not in meta:
            meta[key.strip()] = node.get("content") or ""
    tags: list[str] = [node.get("content") or "" for node in
                       doc.xpath('//meta[@property="article:tag" or @name="article:tag"]')]
    ld: dict[str, Any] = {}
    for obj in _jsonld_objects(doc):
        useful = "headline" in obj or "author" in obj or "datePublished" in obj or not ld
        better = not ld or ("webpage" in _types(ld) and "webpage" not in _types(obj))
        if _types(obj) & _ARTICLE_TYPES and useful and better:
            ld = obj
    data = PageMetadata()
    ld_site = _names(ld.get("publisher"))
    data.site = _text(meta.get("og:site_name")) or _text(ld_site[:1]) or _text(
        meta.get("application-name"))
    # A title the page declares for its article loses only a suffix naming
    # the site; the <title> element is guessed at more freely.
    page_title = _text(" ".join(doc.xpath("//head/title//text() | //title[1]//text()")[:1]))
    declared, confirmed = _declared_title(doc, ld, meta, page_title)
    title: str | None = None
    if declared:
        title = _strip_site(declared, data.site, guess=False)[0]
        found = _headline_of(doc, declared) if not confirmed else None
        if found:
            title, data.site = found[0], data.site or found[1]
    else:
        headline = _headline_of(doc, page_title) if page_title else None
        if headline:
            title, data.site = headline[0], data.site or headline[1]
        elif page_title:
            title, named = _strip_site(page_title, data.site)
            data.site = data.site or named
            data.guessed = _names_the_site(doc, title)
    h1 = doc.xpath("//h1")
    if not title and h1:
        title = _text(h1[0].text_content())
    if title and data.site and title.casefold() == data.site.casefold():
        # The page names only its site (old table layouts): its own heading says more.
        headings = doc.xpath("//h1") or doc.xpath("//h2")
        heading = next((t for t in (_text(h.text_content()) for h in headings)
                        if t and len(t.split()) >= 2 and t.casefold() != title.casefold()),
                       None)
        title = heading or title
    data.title = clean_title(title) if title else None
    authors = _names(ld.get("author")) or _meta_authors(doc)
    authors = [a for a in authors if not re.match(r"https?://", a.strip()) and _a_name(a)]
    if not authors:
        for node in doc.xpath(_BYLINE):
            name_node = node.xpath('.//*[@itemprop="name"]')
            # Words of separate elements stay apart (`Carrie Arnold` `November 18`).
            text = squash(" ".join((name_node[0] if name_node else node).itertext()))
            if 2 < len(text) <= 100 and not _NOT_BYLINE.search(text):
                name = clean_byline(text)
                if name and _a_name(name):
                    authors = [name]
                    break
    if authors:
        names = list(dict.fromkeys(squash(a) for a in authors if a))
        # `Jong, Michiel de` and `Kooman, F.` are two people, not four.
        joiner = "; " if any("," in n for n in names) else ", "
        data.author = clean_title(joiner.join(names))[:200]
    published = (ld.get("datePublished") or meta.get("article:published_time")
                 or meta.get("datepublished") or meta.get("date") or meta.get("dc.date")
                 or meta.get("parsely-pub-date") or meta.get("publishdate")
                 or meta.get("pubdate") or meta.get("sailthru.date"))
    if not published:
        times = doc.xpath('//*[@itemprop="datePublished"]/@datetime | //time/@datetime'
                          ' | //*[@itemprop="datePublished"]/@content')
        published = times[0] if times else None
    data.date = _date(_text(str(published)) if published else None)
    keywords = ld.get("keywords")
    if isinstance(keywords, str):
        tags.extend(keywords.split(","))
    elif isinstance(keywords, list):
        tags.extend(k for k in keywords if isinstance(k, str))
    data.tags = tuple(dict.fromkeys(t for t in (_text(t) for t in tags)
                                    if t and len(t) <= 60))[:20]
    base = doc.xpath("//base/@href")
    canonical = doc.xpath('//link[@rel="canonical"]/@href')
    url = (canonical[0] if canonical else None) or meta.get("og:url") or _text(ld.get("url"))
    data.url = safe_url(url, None) if url else None
    data.base = safe_url(base[0], data.url) if base else data.url
    return data
