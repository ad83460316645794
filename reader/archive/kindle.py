"""Kindle `My Clippings.txt`, and KOReader's two clippings exports.

Kindle appends every highlight, note and bookmark to one file, in the order
they were made, whatever the book:

    Title of the Book (Author Name)
    - Your Highlight on page 12 | Location 170-172 | Added on Sunday, 3 March 2019 10:15:04

    The highlighted passage.
    ==========

The second line is in the device's language (`- Ihre Markierung bei
Position 170-172 | Hinzugefügt am …`, `- 位置No. 170-172のハイライト |作成日: …`);
only its kind (highlight, note, bookmark), its location and its date are
read. KOReader writes the same shape (`- Your highlight on page 12 | …`), or
its own text export: the title after an ideographic space, then clippings
`-- Page: 12, added on …`, the note after a `---` line, each ended by
`-=-=-=-=-=-`.

Each book becomes one article: titled and signed as the clippings say, its
body the highlighted passages in reading order (a passage Kindle wrote twice
or extended later is kept once, the longest), each passage a highlight with
its note. A note made apart from any passage is a note on the whole book.
Bookmarks hold no text and are left out. Re-importing a newer file updates
each book in place and adds only the clippings it does not hold yet (see
`Store`: articles of this format are matched by title and author).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from reader.archive.format import Format, Input
from reader.archive.source import ArchiveError
from reader.clean import clean_title, sanitize, squash
from reader.dates import parse_date
from reader.models import ImportedHighlight, ParsedArticle, Provenance

NAME = "kindle"
SEPARATOR = "=========="
KOREADER_SEPARATOR = "-=-=-=-=-=-"
WIDE_SPACE = "\u3000"

# A title line, then `- <kind> … | … <date with its year>`, then a blank line.
_KINDLE_HEAD = re.compile(
    r"^\ufeff?[^\r\n]{1,1000}\r?\n- [^\r\n]{0,300}\|[^\r\n]{0,200}"
    r"(?:19|20)\d\d[^\r\n]{0,100}\r?\n\r?\n")
_KOREADER_HEAD = re.compile(r"^\ufeff?\u3000[^\r\n]+\r?\n\u3000\r?\n")

_BOOKMARK = re.compile(r"bookmark|lesezeichen|signet|marque-page|marcador|segnalibro|"
                       r"bladwijzer|zakładka|закладк|ブックマーク|书签|書籤|북마크", re.IGNORECASE)
_NOTE = re.compile(r"\bnote\b|notiz|\bnota\b|notitie|notatka|заметк|メモ|笔记|筆記|메모",
                   re.IGNORECASE)
_RANGE = re.compile(r"(\d+)(?:\s*-\s*(\d+))?")
_THOUSANDS = re.compile(r"(?<=\d)[,.\u00a0\u202f](?=\d{3}(?!\d))")
_CLIPPING_LIMIT = re.compile(r"^\s*<\s*you have reached the clipping limit", re.IGNORECASE)

_MONTHS = {
    # German, French, Spanish, Italian, Portuguese, Dutch month names (and their stems)
    "jan": 1, "janv": 1, "januar": 1, "janvier": 1, "enero": 1, "gennaio": 1, "janeiro": 1,
    "januari": 1, "feb": 2, "februar": 2, "février": 2, "fevrier": 2, "febrero": 2,
    "febbraio": 2, "fevereiro": 2, "februari": 2, "mär": 3, "märz": 3, "mars": 3, "marzo": 3,
    "março": 3, "maart": 3, "april": 4, "avril": 4, "abril": 4, "aprile": 4, "mai": 5,
    "mayo": 5, "maggio": 5, "maio": 5, "mei": 5, "juni": 6, "juin": 6, "junio": 6,
    "giugno": 6, "junho": 6, "juli": 7, "juillet": 7, "julio": 7, "luglio": 7, "julho": 7,
    "august": 8, "août": 8, "aout": 8, "agosto": 8, "augustus": 8, "september": 9,
    "septembre": 9, "septiembre": 9, "settembre": 9, "setembro": 9, "oktober": 10,
    "octobre": 10, "octubre": 10, "ottobre": 10, "outubro": 10, "november": 11,
    "novembre": 11, "noviembre": 11, "novembro": 11, "dezember": 12, "décembre": 12,
    "decembre": 12, "diciembre": 12, "dicembre": 12, "dezembro": 12, "december": 12,
}
_ABBREVIATIONS = {name: n for n, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_CJK_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})\.?\s+(?:de\s+)?([^\W\d_]+)\.?\s+(?:de\s+)?(\d{4})")
_ASCTIME = re.compile(r"\b([A-Z][a-z]{2})\s+(\d{1,2})\s+[\d:]+\s+(\d{4})\b")


def looks_like_clippings(head: bytes) -> bool:
    """Whether a file starts like Kindle's (or KOReader's) clippings file."""
    text = head[:65536].decode("utf-8", errors="replace")
    if _KOREADER_HEAD.match(text):
        return KOREADER_SEPARATOR in text
    if _KINDLE_HEAD.match(text) is None:
        return False
    return re.search(r"^\ufeff?={10}\r?$", text, re.MULTILINE) is not None


def clipping_date(text: str) -> str | None:
    """`YYYY-MM-DD` of a clipping's "Added on …" text, in the languages Kindle writes."""
    found = parse_date(text[:200])
    if found:
        return found
    match = _CJK_DATE.search(text)
    if match:
        year, month, day = map(int, match.groups())
    elif (match := _DAY_MONTH_YEAR.search(text)) and match.group(2).lower() in _MONTHS:
        day, month, year = int(match.group(1)), _MONTHS[match.group(2).lower()], int(
            match.group(3))
    elif (match := _ASCTIME.search(text)) and match.group(1).lower() in _ABBREVIATIONS:
        month = _ABBREVIATIONS[match.group(1).lower()]
        day, year = int(match.group(2)), int(match.group(3))
    else:
        return None
    if 1900 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return None


@dataclass(slots=True)
class Clipping:
    """One entry of a clippings file."""

    kind: str
    """"highlight", "note" or "bookmark"."""
    text: str
    start: int
    end: int
    date: str | None
    line: int
    note: str = ""


@dataclass(slots=True)
class Book:
    title: str
    author: str | None
    clippings: list[Clipping] = field(default_factory=list)


def split_title(line: str) -> tuple[str, str | None]:
    """`Title (Author)` → (title, author); `Last, First` reads `First Last`."""
    line = squash(sanitize(line.replace("\ufeff", "")))
    match = re.match(r"^(.*\S)\s*\(([^()]*)\)$", line)
    if not match or not match.group(1).strip():
        return clean_title(line) or "Untitled", None
    title, author = match.group(1).strip(), squash(match.group(2))
    if author.casefold() in ("", "unknown", "anonymous", "anonyme", "unbekannt"):
        return clean_title(title), None
    names = author.split(";")
    if len(names) == 1 and author.count(",") == 1:
        last, first = (part.strip() for part in author.split(","))
        if first and last and len(first.split()) <= 3 and len(last.split()) <= 3:
            author = f"{first} {last}"
    return clean_title(title), clean_title(author) or None


def clip_position(meta: str) -> tuple[int, int]:
    """(start, end) of a clipping's location (or page) in its meta line."""
    segments = meta.split("|")
    # The last segment says when; the location is the last numbered one before it.
    for segment in reversed(segments[:-1] if len(segments) > 1 else segments):
        found = _RANGE.findall(_THOUSANDS.sub("", segment))  # `Location 1,234-1,240`
        if found:
            start_text, end_text = found[-1] if len(segments) > 1 else found[0]
            start = int(start_text)
            if not end_text:
                return start, start
            end = int(end_text)
            if end < start and len(end_text) < len(start_text):  # `Loc. 1345-47`
                end = int(start_text[: len(start_text) - len(end_text)] + end_text)
            return start, max(start, end)
    return 0, 0


def _kind(meta: str) -> str:
    head = meta.split("|")[0]
    if _BOOKMARK.search(head):
        return "bookmark"
    if _NOTE.search(head):
        return "note"
    return "highlight"


def _kindle_entries(text: str) -> Iterator[tuple[int, str, str, str]]:
    """(line, title line, meta line, text) of each entry of a Kindle-shaped file."""
    line = 1
    for chunk in re.split(r"^\ufeff?={10}[ \t]*$\n?", text, flags=re.MULTILINE):
        lines = chunk.split("\n")
        skipped = 0
        while lines and not lines[0].strip():
            lines.pop(0)
            skipped += 1
        if len(lines) >= 2 and lines[1].startswith("- "):
            body = "\n".join(lines[2:]).strip()
            yield line + skipped, lines[0], lines[1][2:], body
        line += chunk.count("\n")


def _koreader_entries(text: str) -> Iterator[tuple[int, str, str, str]]:
    """The same for KOReader's text export (title lines after an ideographic space).

    A book's clippings start with its title; a chunk starting right after the
    previous separator (or after a blank line, in older versions) opens a new
    book, other title-like lines name chapters.
    """
    title = ""
    line = 1
    for n, chunk in enumerate(text.split(KOREADER_SEPARATOR)):
        lines = chunk.split("\n")
        new_book = n == 0 or chunk.startswith((WIDE_SPACE, "\n\n", "\ufeff"))
        meta_index = None
        for i, raw in enumerate(lines):
            if raw.startswith(WIDE_SPACE * 2):
                meta_index = i
                break
            name = raw.strip(" \t\r\ufeff" + WIDE_SPACE)
            if name and new_book:
                title, new_book = name, False
        if meta_index is not None:
            meta = lines[meta_index].strip(" \t\r" + WIDE_SPACE).lstrip("- ").strip()
            meta = meta.replace(",", " |", 1)
            body = "\n".join(lines[meta_index + 1:]).strip()
            note = ""
            if "\n---\n" in f"\n{body}\n":
                body, _, note = f"\n{body}\n".partition("\n---\n")
                body, note = body.strip(), note.strip()
            yield line + meta_index, title, meta, body
            if note:
                yield line + meta_index, title, "note " + meta, note
        line += chunk.count("\n")


def read_books(text: str) -> list[Book]:
    """The books of a clippings file, in order of their first clipping."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    entries = (_koreader_entries(text) if _KOREADER_HEAD.match(text)
               else _kindle_entries(text))
    books: dict[tuple[str, str | None], Book] = {}
    for line, title_line, meta, body in entries:
        title, author = split_title(title_line)
        book = books.setdefault((title.casefold(), (author or "").casefold() or None),
                                Book(title, author))
        kind = _kind(meta)
        start, end = clip_position(meta)
        date = clipping_date(meta.split("|")[-1])
        body = sanitize(body).strip()
        if kind != "bookmark" and (not body or _CLIPPING_LIMIT.match(body)):
            continue
        book.clippings.append(Clipping(kind, body, start, end, date, line))
    return list(books.values())


def _passages(book: Book) -> tuple[list[Clipping], list[Clipping]]:
    """The book's highlights in reading order, each once, notes attached; and the
    notes made apart from any highlight."""
    highlights: list[Clipping] = []
    for clip in book.clippings:
        if clip.kind != "highlight":
            continue
        # A passage made again, or extended: the longer one stays.
        same = next((h for h in highlights if _same_passage(h, clip)), None)
        if same is None:
            highlights.append(clip)
        elif len(clip.text) > len(same.text):
            same.text, same.start, same.end = clip.text, clip.start, clip.end
    loose: list[Clipping] = []
    for clip in book.clippings:
        if clip.kind != "note":
            continue
        owner = _note_owner(clip, highlights)
        if owner is None:
            if all(clip.text != c.text for c in loose):
                loose.append(clip)
        elif clip.text not in owner.note:
            owner.note = f"{owner.note}\n\n{clip.text}" if owner.note else clip.text
    return sorted(highlights, key=lambda h: (h.start, h.line)), loose


def _core(text: str) -> str:
    return squash(text).strip(" .,;:!?…\"'“”‘’()[]").casefold()


def _same_passage(a: Clipping, b: Clipping) -> bool:
    """One passage highlighted twice, or extended: one text holds the other, where
    they overlap in the book (when the clippings say where)."""
    if a.start and b.start and (a.start > b.end or b.start > a.end):
        return False
    core_a, core_b = _core(a.text), _core(b.text)
    return bool(core_a and core_b) and (core_a in core_b or core_b in core_a)


def _note_owner(note: Clipping, highlights: list[Clipping]) -> Clipping | None:
    """The highlight a note was made on: Kindle puts it at the passage's end location."""
    if not note.start:
        return None
    fitting = [h for h in highlights if h.start <= note.start <= h.end and h.start]
    if not fitting:
        return None
    # The nearest one written before the note (or just after it) in the file.
    return min(fitting, key=lambda h: (abs(h.end - note.start), abs(h.line - note.line)))


def book_article(book: Book, name: str, tags: tuple[str, ...] = ()) -> ParsedArticle | None:
    """A book as an article; None when it holds no highlight or note."""
    passages, loose = _passages(book)
    if not passages and not loose:
        return None
    highlights = [ImportedHighlight(quote=h.text, note=h.note) for h in passages]
    highlights += [ImportedHighlight(quote="", note=c.text) for c in loose]
    body = "\n\n".join(h.text for h in passages) or "\n\n".join(c.text for c in loose)
    lines = [c.line for c in (*passages, *loose)]
    dates = sorted(c.date for c in book.clippings if c.date)
    return ParsedArticle(
        title=book.title, body=body,
        provenance=Provenance(name, NAME, min(lines, default=1), max(lines, default=1)),
        date=dates[0] if dates else None, author=book.author, tags=tags,
        highlights=tuple(highlights),
    )


def parse(text: str, name: str, tags: tuple[str, ...] = ()) -> Iterator[ParsedArticle]:
    """One article per book of a clippings file."""
    books = read_books(text)
    if not books:
        raise ArchiveError("no clippings in this file")
    for book in books:
        article = book_article(book, name, tags)
        if article is not None:
            yield article


def _read(src: Input) -> Iterator[ParsedArticle]:
    return parse(src.text(), src.name, src.tags)


FORMAT = Format(NAME, _read, sniff=looks_like_clippings)
