"""Cleaning and sanitising shared by every archive format.

Archive text comes from the web and is treated as hostile: terminal control
sequences and bidi overrides are removed here, at import, so that nothing
downstream has to remember to do it (SPEC §6); which characters go, and why,
is written once in `reader.controls`. The line classifiers below (junk, meta,
separators), the body and title cleaners are shared by the dump parsers; dates
are read by `reader.dates`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from reader import controls

# --- sanitising -------------------------------------------------------------

# Whole escape sequences go first so that their printable tails (`[31m`,
# `]52;c;…`) do not survive as visible junk once the ESC byte is gone. Every
# pattern is bounded and none crosses a line: a payload holds no control
# character (a newline included) and is at most `_PAYLOAD` long, and a string
# sequence (OSC, DCS, APC…) counts only with its terminator. An unterminated
# one loses its introducer and nothing else: the text after it is never taken
# for a payload (SPEC §6: no text is ever lost to sanitising).
_PAYLOAD = 2048
_ESCAPE_SEQUENCE = re.compile(
    rf"""
    \x1b\[[0-?]{{0,32}}[ -/]{{0,8}}[@-~]                     # CSI … final byte
    | \x1b\][^\x00-\x1f\x7f-\x9f]{{0,{_PAYLOAD}}}(?:\x07|\x1b\\|\x9c)  # OSC … BEL/ST
    | \x1b[PX^_][^\x00-\x1f\x7f-\x9f]{{0,{_PAYLOAD}}}(?:\x1b\\|\x9c)    # DCS/SOS/PM/APC … ST
    | \x1b\]\d{{0,4}};?                                     # OSC cut short: introducer only
    | \x9b[0-?]{{0,32}}[ -/]{{0,8}}[@-~]                       # 8-bit CSI
    | \x9d\d{{1,4}};[^\x00-\x1f\x7f-\x9f]{{0,{_PAYLOAD}}}(?:\x07|\x9c)  # 8-bit OSC
    | \x1b[@-Z\\-_]                                        # other two-byte escapes
    """,
    re.VERBOSE,
)
# What is never shown and why: `reader.controls`.
_CONTROL = re.compile(f"[{controls.NEVER_SHOWN}]")
_LINE_SEPARATORS = re.compile(f"[{controls.LINE_SEPARATORS}]")

# UTF-8 read as Latin-1 or Windows-1252: a lead byte (Â…ô) followed by what a
# continuation byte (0x80–0xBF) becomes in either. `“` read so is `â\x80\x9c`
# or `â€œ`. Only lines holding such a pair are given to ftfy (slow, and loaded
# only then), which repairs them when they really are mojibake.
_CONTINUATION = ("\x80-\xbf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
                 "\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039"
                 "\u203a\u20ac\u2122")
_MOJIBAKE = re.compile(f"[\xc2-\xf4][{_CONTINUATION}]")
_C1 = re.compile(f"[{controls.C1}]")
_HINTS = ("\u00c3", "\u00c2", "\u00e2\u20ac", "\u00c5", "\u00c4", "\u00d0", "\u00d1")
"""Ã Â â€ Å Ä Ð Ñ: how the commonest mojibake (Latin, punctuation, Central European,
Cyrillic) begins when read as Windows-1252; Latin-1 mojibake holds C1 controls."""


def _repair_line(line: str) -> str:
    import ftfy

    try:
        return ftfy.fix_encoding(line)
    except Exception:  # pragma: no cover - a repair never costs the text
        return line


def repair_mojibake(text: str) -> str:
    """Repair UTF-8 text that was decoded as Latin-1 or Windows-1252, line by line.

    `He said â\x80\x9chelloâ\x80\x9d` becomes `He said “hello”`; lines without
    the signs of mojibake are not looked at.
    """
    if not may_be_mojibake(text) and _C1.search(text) is None:
        return text
    lines: list[str] | None = None
    done = -1
    last = 0
    for match in _MOJIBAKE.finditer(text):
        if match.start() <= done:
            continue
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.end())
        end = len(text) if end < 0 else end
        if lines is None:
            lines = []
        lines += [text[last:start], _repair_line(text[start:end])]
        last = done = end
    if lines is None:
        return text
    lines.append(text[last:])
    return "".join(lines)


def may_be_mojibake(text: str) -> bool:
    """Whether `text` shows a sign of Windows-1252 mojibake `sanitize` may repair (a few
    scans at C speed; Latin-1 mojibake holds C1 controls, which `needs_sanitizing` finds)."""
    # `_HINTS` written out: a generator over them costs more than the seven scans.
    # A one-character scan is several times faster than a two-character one, so `â€`
    # is looked for only in a text holding `€`.
    return not text.isascii() and (
        "\u00c3" in text or "\u00c2" in text
        or ("\u20ac" in text and "\u00e2\u20ac" in text) or "\u00c5" in text
        or "\u00c4" in text or "\u00d0" in text or "\u00d1" in text)


def sanitize(text: str) -> str:
    """Repair mojibake, then remove terminal escape sequences, control characters and
    bidi overrides.

    Newlines and tabs stay; U+2028/U+2029 become spaces so that line numbers
    are those of the file's LF-separated lines. Only the sequences themselves
    go: a sequence never reaches past its own line.
    """
    text = repair_mojibake(text)
    if "\x1b" in text or "\x9b" in text or "\x9d" in text:
        text = _ESCAPE_SEQUENCE.sub("", text)
    text = _LINE_SEPARATORS.sub(" ", text)
    return _CONTROL.sub("", text)


def strip_controls(text: str) -> str:
    """Remove escape sequences, control characters (but newline and tab) and bidi
    controls, changing nothing else: for text on its way to a terminal."""
    if "\x1b" in text or "\x9b" in text or "\x9d" in text:
        text = _ESCAPE_SEQUENCE.sub("", text)
    return _CONTROL.sub("", _LINE_SEPARATORS.sub(" ", text))


_UNSAFE = re.compile(f"[{controls.SANITIZED}]")
_SANITIZED = frozenset(chr(c) for c in controls.code_points(controls.SANITIZED))
_LATIN1_KEPT = bytes(b for b in range(256) if chr(b) not in _SANITIZED)
"""The Latin-1 characters `sanitize` leaves alone, as bytes: deleting them from a
Latin-1 text's bytes leaves exactly the characters it changes."""
_PRINTABLE_SAFE = not any(ch.isprintable() for ch in _SANITIZED)
"""Every character `sanitize` changes is unprintable to `str.isprintable` (controls,
format characters, line separators), so a text it finds printable needs no sanitising."""
_LONG = 4096
"""From this length on a text is first tested by a scan at C speed (a decoded chunk of
a dump: several times faster than `_UNSAFE`)."""


def needs_sanitizing(text: str, utf8: bytes | None = None) -> bool:
    """Whether `text` holds anything `sanitize` removes (one fast scan).

    `utf8`: bytes holding the text's UTF-8 encoding (more bytes around it may only make
    the answer True where False would do): a long text wider than Latin-1 is tested
    there (`utf8_clean`), faster than character by character."""
    if _PRINTABLE_SAFE and text.isprintable():
        return False  # (a line: `isprintable` stops at a text's first newline)
    if len(text) >= _LONG:
        try:
            return len(text.encode("latin-1").translate(None, _LATIN1_KEPT)) > 0
        except UnicodeEncodeError:
            clean = utf8_clean(utf8) if utf8 is not None else None
            if clean is not None:
                return not clean
            # wider characters: tested below
        if _PRINTABLE_SAFE:
            # Newlines and tabs are kept but unprintable: spaces for them, then one scan.
            spaced = text.replace("\n", " ")
            if "\t" in spaced:
                spaced = spaced.replace("\t", " ")
            if spaced.isprintable():
                return False
    return _UNSAFE.search(text) is not None


_SUSPECT = bytes(range(0x00, 0x09)) + bytes(range(0x0b, 0x20)) + b"\x7f\xc2\xd8\xe2\xef"
"""In UTF-8, the bytes that are or begin a character `sanitize` changes
(`controls.SANITIZED`): C0 controls but tab and newline, DEL, and the lead bytes of C1
controls (`\xc2`), the Arabic letter mark (`\xd8`), bidi marks, bidi controls and line
separators (`\xe2`) and the byte order mark (`\xef`)."""
_NOT_SUSPECT = bytes(b for b in range(256) if b not in _SUSPECT)
_LEADS = b"\xc2\xd8\xe2\xef"
_LOOKED_AT = 4000
"""Lead bytes `utf8_clean` looks at one by one at most (beyond, it cannot tell: looking
costs more than the scan of the text)."""


def _sanitized_at(data: bytes, i: int) -> bool:
    """Whether the UTF-8 character beginning with lead byte `data[i]` is one `sanitize`
    changes: a C1 control, U+061C, U+200E/F, U+2028–202E, U+2066–2069 or U+FEFF."""
    lead = data[i]
    second = data[i + 1] if i + 1 < len(data) else -1
    if lead == 0xC2:
        return 0x80 <= second <= 0x9F
    if lead == 0xD8:
        return second == 0x9C
    third = data[i + 2] if i + 2 < len(data) else -1
    if lead == 0xE2:
        return (second == 0x80 and (third in (0x8E, 0x8F) or 0xA8 <= third <= 0xAE)) \
            or (second == 0x81 and 0xA6 <= third <= 0xA9)
    return second == 0xBB and third == 0xBF  # (lead 0xEF)


def utf8_clean(data: bytes) -> bool | None:
    """Whether valid UTF-8 bytes encode no character `sanitize` changes: True certainly,
    False when they hold one, None when too many bytes would have to be looked at to
    tell. One deletion at C speed keeps the suspect bytes (`_SUSPECT`): none is the
    common case, a control is one, and each lead byte left (a dash or a curly quote
    begins with `\xe2`) is looked at with the bytes after it."""
    left = data.translate(None, _NOT_SUSPECT)
    if not left:
        return True
    if left.translate(None, _LEADS):
        return False  # a control
    if len(left) > _LOOKED_AT:
        return None
    for lead in set(left):
        i = data.find(lead)
        while i >= 0:
            if _sanitized_at(data, i):
                return False
            i = data.find(lead, i + 1)
    return True


# --- patterns for lower-cased text ------------------------------------------

_ASCII_LETTER_ANY_CASE = re.compile("[a-z]", re.IGNORECASE)


def ascii_twins(source: str) -> str:
    """`source` for lower-cased ASCII text, to compile without IGNORECASE (about twice as
    fast): its literals are lower case already; a non-ASCII letter that IGNORECASE
    matches to an ASCII one (`ı` to `i`) also matches that letter."""
    for ch in sorted({c for c in source if not c.isascii()}):
        if _ASCII_LETTER_ANY_CASE.fullmatch(ch) is None:
            continue  # (the few letters that have an ASCII twin all match `[a-z]` so)
        twin = re.compile(re.escape(ch), re.IGNORECASE)
        twins = [a for a in "abcdefghijklmnopqrstuvwxyz" if twin.fullmatch(a)]
        if twins:
            source = source.replace(ch, "(?:" + "|".join([ch, *twins]) + ")")
    return source



# --- whitespace and comparison ----------------------------------------------

def squash(text: str) -> str:
    """Collapse runs of spaces (NBSP and other Unicode spaces too) and strip."""
    return " ".join(text.split())


_STYLE_VARIANTS = [
    *((ch, "'") for ch in "\u2018\u2019\u201a\u201b\u2032`\u00b4"),
    *((ch, '"') for ch in "\u201c\u201d\u201e\u201f\u00ab\u00bb"),
    *((ch, "-") for ch in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"),
    ("\u2026", "..."),
]


_ASCII_SPACES = "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"
"""ASCII characters `str.split` splits at besides the space."""

_UNICODE_SPACES = ("\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
                   "\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
"""The other characters `str.split` splits at: every one `isspace` (tested)."""

_LONG = 256
"""From this length `comparable` takes the way that pays on an article's body."""

_LATIN1_FOLD = bytes(i if i in (0xB5, 0xDF) else ord(chr(i).casefold()) for i in range(256))
"""`casefold` of each Latin-1 character; µ and ß (left as they are here) fold to
characters outside Latin-1 (tested)."""


def comparable(text: str) -> str:
    """A form of a text for equality tests that ignores quote, dash, space and case style."""
    if len(text) >= _LONG:
        return _comparable_long(text)
    if not text.isascii():
        # `in` and `replace` run at C speed; a regex or translate table is several times
        # slower on long bodies, and this runs on every imported article.
        for variant, plain in _STYLE_VARIANTS:
            if variant in text:
                text = text.replace(variant, plain)
        return " ".join(text.split()).casefold()
    # `" ".join(text.split())` without a string for every word (an article's body
    # is hashed so): spaces for the other ASCII spaces, runs of spaces halved.
    for space in _ASCII_SPACES:
        if space in text:
            text = text.replace(space, " ")
    while "  " in text:
        text = text.replace("  ", " ")
    return text.strip(" ").casefold()


def _comparable_long(text: str) -> str:
    """`comparable` of a long text (an article's body, hashed on every import): the
    same string, without a string object for every word or `casefold`'s general
    case for Latin-1 text."""
    if not text.isascii():
        for variant, plain in _STYLE_VARIANTS:
            if variant in text:
                text = text.replace(variant, plain)
        # In a Latin-1 text, `in` answers for a wider character without reading it.
        for space in _UNICODE_SPACES:
            if space in text:
                return " ".join(text.split()).casefold()
    return _casefold(_squash_ascii_spaces(text))


def _squash_ascii_spaces(text: str) -> str:
    """`" ".join(text.split())` for a text whose only spaces are ASCII: lines (a few
    dozen strings, not one a word) joined by a space, then any runs of spaces halved."""
    for space in _ASCII_SPACES:
        if space != "\n" and space in text:
            text = text.replace(space, "\n")
    if "\n" in text:
        text = " ".join(filter(None, text.split("\n")))
    while "  " in text:
        text = text.replace("  ", " ")
    return text.strip(" ")


def _casefold(text: str) -> str:
    """`text.casefold()`; a Latin-1 text (but for µ and ß) through a byte table."""
    if text.isascii() or "\xb5" in text or "\xdf" in text:
        return text.casefold()  # CPython folds ASCII at C speed already
    try:
        data = text.encode("latin-1")
    except UnicodeEncodeError:
        return text.casefold()
    return data.translate(_LATIN1_FOLD).decode("latin-1")


_OPENERS = "'\"‘’“”«»-–— ."


@lru_cache(maxsize=4096)
def _first_key(ch: str) -> str:
    """`comparable(ch)[:1]` of a line's first character, remembered (once a body)."""
    return comparable(ch)[:1]


def _may_repeat(prev: str, line: str) -> bool:
    """Cheap test before `comparable`: could `line` repeat `prev` (maybe plus a credit)?"""
    return len(line) >= len(prev) - 4 and (
        prev.lstrip(_OPENERS)[:1].casefold() == line.lstrip(_OPENERS)[:1].casefold()
    )


def content_key(title: str, body: str, *, comparable_body: str | None = None) -> str:
    """The normalised text an article's identity is computed from (`comparable_body`:
    `comparable(body)`, when the caller has it).

    Bodies long enough to be distinctive identify the article alone, so the
    same piece arriving with a slightly different headline is still one
    article; short bodies need the title too.
    """
    norm_body = comparable(body) if comparable_body is None else comparable_body
    if len(norm_body) >= 200:
        return norm_body
    return comparable(title) + "\x00" + norm_body


# --- line classes -----------------------------------------------------------

# Post footers: meta lines and widgets that end a post on a tag page.
_META_LINES = r"""
      posted\ in\ .*
    | filed\ (?:under|in)\b.*
    | tagged(?:\ with)?:?\ .*
    | (?:tags|labels|categories):\ .*
    | this\ entry\ was\ posted\b.*
    | posted\ by\ .{1,60}\ at\ \d{1,2}:\d{2}.*
    | bookmark\ the\ permalink\W*
    | (?:\d+|no|one)\ (?:comments?|responses?|replies)(?:\ so\ far)?\W*
    | leave\ a\ (?:comment|reply)\W*
    | comments?\ (?:are\ )?(?:off|closed)\b.*
    | (?:share|like)\ this(?:\ (?:article|story|post))?:?
    | like\ loading\W*
"""
# Lines that are never part of an article's text: the footers above, alt
# text, ads, share buttons, video widgets, image file names, promos.
_JUNK_LINES = r"""
    | image\ result\ for\b.*
    | advertisements?
    | sponsored(?:\ content)?
    | story\ continues\ below(?:\ advertisement)?
    | share(?:\ on\ \w+)?:?
    | share\ via\ \w+
    | (?:tweet|pin\ it|email|print|facebook|twitter|linkedin|whatsapp|reddit|pinterest|telegram)
    | click\ to\ (?:share|email|print)\b.*
    | be\ the\ first\ to\ like\ this\.?
    | (?:now\ playing|watch\ this|watch\ now|up\ next)\ ?:?
    | \d{1,2}:\d{2}(?::\d{2})?
    | (?:image|photo|video|play|embed|copy\ link|expand)
    | (?:get|sign\ up\ for|subscribe\ to)\ (?:our|the)\b.{0,40}\bnewsletters?\W*
    | upgrade\ your\ inbox\b.*
    | download\ this\ podcast
    | [a-z0-9]+(?:-[a-z0-9]+){2,}(?:\.(?:jpe?g|png|gif|webp))?
    | [a-z0-9-]+\.(?:jpe?g|png|gif|webp)
"""
_META = re.compile(f"^(?:{_META_LINES})$", re.VERBOSE | re.IGNORECASE)
_JUNK = re.compile(f"^(?:{_META_LINES}{_JUNK_LINES})$", re.VERBOSE | re.IGNORECASE)

_SEPARATOR = re.compile(
    r"""^[\W_]{0,3}(?:
      read\ (?:the\ )?more(?:\ (?:here|(?:on|at|from)\ .{1,40}))?
    | full\ (?:story|article)
    | continue\ reading\b.*
    | keep\ reading
    | read\ (?:the\ )?(?:full|whole|rest\ of\ the)\ (?:story|article|post)
      (?:\ (?:here|on\ .{1,40}))?
    | read\ full\ (?:story|article)
    | view\ (?:the\ )?(?:full\ )?(?:article|story|original)
    )[\W_]{0,4}$""",
    re.VERBOSE | re.IGNORECASE,
)

_CREDIT_TAIL = re.compile(
    r"^\s*(?:photo(?:graph)?s?|image|credit|illustration|video)\s*(?::|by\b)", re.IGNORECASE
)


_JUNK_HEADS = frozenset((
    "posted", "filed", "tagged", "tagged:", "tags:", "labels:", "categories:", "this",
    "bookmark", "no", "one", "leave", "comment", "comments", "share", "like", "image",
    "story", "sponsored", "pin", "click", "be", "now", "watch", "up", "copy", "get", "sign",
    "subscribe", "upgrade", "download"))
"""The first word (up to the first space) of every line of `_META_LINES` and `_JUNK_LINES`
that holds a space, but a number."""


def _may_be_junk(line: str) -> bool:
    """Whether `_JUNK` may match `line`: a word, or a line that begins with a number or
    one of `_JUNK_HEADS` (a set lookup: most lines of text fail it, at a tenth of the
    cost of the regex). A head not in ASCII is given to the regex (`ſ` matches `s`)."""
    space = line.find(" ")
    if space < 0:
        return True
    head = line[:space]
    return not head.isascii() or head[:1].isdigit() or head.lower() in _JUNK_HEADS


def is_junk(line: str) -> bool:
    """A widget, ad, alt-text or meta line that is not part of an article's text."""
    return len(line) < 160 and _may_be_junk(line) and _JUNK.match(line) is not None


def is_meta(line: str) -> bool:
    """A post footer line: `Posted in …`, `Tagged …`, comment counts, share widgets."""
    return len(line) < 300 and _META.match(line) is not None


def is_separator(line: str) -> bool:
    """A `Read More` / `Continue reading →` line that ends an item."""
    return len(line) < 120 and _SEPARATOR.match(line) is not None


# --- bodies -----------------------------------------------------------------


def clean_lines(lines: Iterable[str], title: str | None = None) -> list[str]:
    """Clean the lines of a plain-text body.

    Drops junk lines, the repeated title, duplicated captions (kept once, the
    copy with the credit wins) and runs of blank lines. Lines are stripped;
    a no-break space inside a line is kept, it is the author's typography.
    """
    out: list[str] = []
    append = out.append
    junk = _JUNK.match
    title_key = comparable(title) if title else None
    prev: str | None = None  # out[-1] when it is text (None: out is empty or ends blank)
    for raw in lines:
        line = raw.strip()
        if not line:
            if prev is not None:
                append("")
                prev = None
            continue
        if len(line) < 160 and _may_be_junk(line) and junk(line) is not None:  # `is_junk`
            continue
        if prev is None:
            if title_key is not None and not out \
                    and _first_key(line[0]) == title_key[:1] and comparable(line) == title_key:
                continue  # (the first letters compared first: most first lines differ there)
        elif len(line) >= len(prev) - 4 and _may_repeat(prev, line):
            key, prev_key = comparable(line), comparable(prev)
            if key == prev_key:
                continue
            if key.startswith(prev_key) and _CREDIT_TAIL.match(line[len(prev):]):
                out[-1] = prev = line
                continue
        append(line)
        prev = line
    if out and not out[-1]:
        out.pop()  # (blank lines are kept one at a time, after text)
    return out


# --- titles and sources -----------------------------------------------------

_SUFFIX_SPLIT = re.compile(r"\s+(?:\u2013|-|\|)\s+")
_SMALL_WORDS = {"of", "the", "and", "for", "on", "de", "la", "le", "du", "des", "der", "die",
                "das", "y", "el", "in", "at", "&", "a", "an", "to"}
_DOMAIN = re.compile(r"^[\w.-]+\.[a-z]{2,6}$", re.IGNORECASE)


def _looks_like_publication(name: str) -> bool:
    if not name or len(name) > 40:
        return False
    if _DOMAIN.match(name):
        return True
    words = name.split()
    if len(words) > 6 or name[-1] in ".?!:,;\"'’”)":
        return False
    if not (name[0].isupper() or name[0].isdigit()):
        return False
    return all(w[0].isupper() or w[0].isdigit() or w.lower() in _SMALL_WORDS or not w[0].isalpha()
               for w in words)


def split_source(title: str) -> tuple[str, str | None]:
    """Split a publication suffix (` – CNET`, ` | Business | The Guardian`) off a title.

    An inner ` – ` that belongs to the title stays: only the last segment is
    taken, and only when it reads like a publication name.
    """
    if "-" not in title and "|" not in title and "\u2013" not in title:
        return title, None  # (no separator `_SUFFIX_SPLIT` finds: found at C speed)
    parts = list(_SUFFIX_SPLIT.finditer(title))
    if not parts:
        return title, None
    last = parts[-1]
    source = title[last.end():].strip()
    head = title[: last.start()].strip()
    if len(head.split()) < 2 or not _looks_like_publication(source):
        return title, None
    # ` | Section | Site`: a short capitalised section before a piped site name goes too.
    if last.group().strip() == "|":
        section = re.search(r"\s+\|\s+([^|]+)$", head)
        if section and len(section.group(1).split()) <= 3 and _looks_like_publication(
            section.group(1).strip()
        ) and len(head[: section.start()].split()) >= 2:
            head = head[: section.start()].strip()
    return head, source


def clean_title(title: str) -> str:
    return squash(sanitize(title))


def slug_title(text: str, limit: int = 80) -> str:
    """A title made from the first words of a text, for untitled articles."""
    words = squash(text).split()
    out = ""
    for word in words:
        if len(out) + len(word) + 1 > limit:
            return out + "…"
        out = f"{out} {word}" if out else word
    return out


