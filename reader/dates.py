"""Dates as archives print them, to `YYYY-MM-DD`.

Two questions: `parse_date` finds a date anywhere in a short text;
`date_line` says whether a whole line is a post's date line (`February 12,
2019`, `Posted on 14 March 2019 by Ann`, `Tuesday, June 23rd, 2009 at 3:11
pm`, `Publiziert am 13. Januar 2014 von Ann`, `By ann, Sat, 03/16/2019 -
20:44`, `2019年11月20日`) and returns the date. Body lines that merely
contain a date (`Appeared in the February 9, 2019, print edition`) are not
date lines.

Month names and abbreviations are known in English, German, French,
Spanish, Italian, Portuguese, Dutch and Indonesian (and the full names in
Russian, Polish, Swedish, Danish, Norwegian and Turkish); ordinals (`22nd`,
`30 th`, `1er`, `1º`) and weekdays are read past; times are ignored.
All-numeric dates (`03/04/2019`) are ambiguous: `numeric_order` decides a
file's order from its own lines (a day above 12 anywhere settles it) and
`date_line(..., order=)` applies it. Relative dates (`2d`, `3 hours ago`)
are not dates: a wrong date is worse than none.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from functools import lru_cache

from reader.clean import ascii_twins

_MONTH_NAMES = {
    1: "january jan januar jän janvier janv enero ene gennaio gen janeiro januari",
    2: "february feb februar février fevrier févr fevr febrero febbraio fevereiro fev februari",
    3: "march mar märz maerz mär mars marzo março marco maart mrt maret",
    4: "april apr avril avr abril aprile",
    5: "may mai mayo maggio mag maio mei",
    6: "june jun juni juin junio giugno giu junho",
    7: "july jul juli juillet juil julio luglio lug julho",
    8: "august aug août aout agosto ago augustus agustus agu agt",
    9: "september sep sept septembre septiembre setiembre settembre set setembro",
    10: "october oct oktober okt octobre octubre ottobre ott outubro out",
    11: "november nov novembre noviembre novembro",
    12: "december dec dezember dez décembre decembre déc diciembre dic dicembre dezembro "
        "desember des",
}
_MORE_MONTH_NAMES = {
    # Russian (nominative, genitive), Polish (genitive), Swedish, Danish and
    # Norwegian, Turkish: beyond the eight languages promised, cheap to know.
    1: "январь января stycznia styczeń januar ocak",
    2: "февраль февраля lutego luty februar şubat subat",
    3: "март марта marca marzec mars mart",
    4: "апрель апреля kwietnia kwiecień nisan",
    5: "май мая maja maj mayıs mayis",
    6: "июнь июня czerwca czerwiec haziran",
    7: "июль июля lipca lipiec temmuz",
    8: "август августа sierpnia sierpień augusti ağustos agustos",
    9: "сентябрь сентября września wrzesień eylül eylul",
    10: "октябрь октября października październik ekim",
    11: "ноябрь ноября listopada listopad kasım kasim",
    12: "декабрь декабря grudnia grudzień aralık aralik",
}
_MONTHS = {name: number for table in (_MONTH_NAMES, _MORE_MONTH_NAMES)
           for number, names in table.items() for name in names.split()}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY_NAMES = (
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs "
    "fri sat sun montag dienstag mittwoch donnerstag freitag samstag sonntag mo di mi do fr sa so "
    "lundi mardi mercredi jeudi vendredi samedi dimanche lunes martes miércoles miercoles jueves "
    "viernes sábado sabado domingo lunedì lunedi martedì martedi mercoledì mercoledi giovedì "
    "giovedi venerdì venerdi sabato domenica segunda terça terca quarta quinta sexta "
    "segunda-feira terça-feira quarta-feira quinta-feira sexta-feira maandag dinsdag woensdag "
    "donderdag vrijdag zaterdag zondag senin selasa rabu kamis jumat jum'at sabtu minggu"
)
_WEEKDAY = (r"(?:(?:" + "|".join(sorted(set(_WEEKDAY_NAMES.split()), key=len, reverse=True))
            + r")\.?,?\s+)")
_ORD = r"(?:\s?(?:st|nd|rd|th)|er|º|°)?"
_OF = r"(?:\s+(?:of|de|del|di))?"

_DATE_FORMS = [
    # Tuesday, June 23rd, 2009 / June 23, 2009 / Jun 23 2009 / May 30 th, 2016 /
    # Feb 22 nd , 2013 (a page's markup spaced out)
    rf"{_WEEKDAY}?{_MONTH}\s+(?P<day>\d{{1,2}}){_ORD}\s?,?\s+(?P<year>\d{{4}})",
    # Sunday, 10 February, 2019 / 12th Feb 2019 / 13. Januar 2014 / 12 de febrero de 2019
    rf"{_WEEKDAY}?(?P<day>\d{{1,2}})\.?{_ORD}{_OF}\s+{_MONTH},?{_OF}\s+(?P<year>\d{{4}})",
    # 2019-02-12, 2019/02/12, 2019.02.12
    r"(?P<year>\d{4})[-/.](?P<mnum>\d{1,2})[-/.](?P<day>\d{1,2})(?![\d])",
    # 12/02/2019, 12.02.2019, 02-12-2019: order decided per file
    r"(?P<n1>\d{1,2})[/.-](?P<n2>\d{1,2})[/.-](?P<year>\d{4})",
    # 2019年2月12日, 2019년 2월 12일
    r"(?P<year>\d{4})\s*[年년]\s*(?P<mnum>\d{1,2})\s*[月월]\s*(?P<day>\d{1,2})\s*[日일]?",
    # Jan 1 '21, Mar 3rd, '19 / 3 Mar '21: a year's last two digits after an apostrophe
    rf"{_WEEKDAY}?{_MONTH}\s+(?P<day>\d{{1,2}}){_ORD},?\s+['’‘](?P<yy>\d\d)(?!\d)",
    rf"{_WEEKDAY}?(?P<day>\d{{1,2}}){_ORD}\s+{_MONTH},?\s+['’‘](?P<yy>\d\d)(?!\d)",
]
_FINDER_SOURCES = [rf"(?<![\w]){form}(?!(?!T\d)\w)" for form in _DATE_FORMS]
"""The date forms as found in a line (compiled when first needed: their month and
weekday names make them slow to compile, and a text in English needs only their
lower-case ASCII twins)."""
_NUMERIC = re.compile(r"(?<![\w/.-])(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?![\w])")

_SENTENCE_WORDS = re.compile(
    r"\b(?:edition|said|says|was|were|is|are|will|has|have|had|previous|version|article|"
    r"appeared|correction|print|updated\s+on|starting|until|since|from|between|"
    r"the\s+\w+\s+of|wurde|ist|sind|est|était|fue|es|era|è|foi|werd|adalah)\b",
    re.IGNORECASE,
)
_LEAD_WORD = re.compile(r"^[^\W\d][\w.'’-]*[,:]?$")
_MAX_DATE_LINE = 200
_READING_TIME = re.compile(r"^(?:\d+|one|a)\s*(?:min(?:ute)?s?|mins?)\.?\s+read\b\s*",
                           re.IGNORECASE)
"""A reading time printed before a date (`5 min read · Mar 3, 2021`): not words of a
sentence the date would be part of."""
_MAX_LEAD_WORDS = 5
_SHORT_YEAR_PIVOT = 50
"""`'50` and before are this century's years, `'51` on the last century's."""


def _to_iso(m: re.Match[str], order: str | None = None) -> str | None:
    groups = m.groupdict()
    try:
        if groups.get("yy"):
            short = int(groups["yy"])
            year = short + (2000 if short <= _SHORT_YEAR_PIVOT else 1900)
        else:
            year = int(groups["year"])
        if groups.get("month"):
            month = _MONTHS[groups["month"].lower().rstrip(".")]
            day = int(groups["day"])
        elif groups.get("mnum"):
            month, day = int(groups["mnum"]), int(groups["day"])
        else:
            first, second = int(groups["n1"]), int(groups["n2"])
            if first > 12 or (order == "dmy" and second <= 12):
                day, month = first, second
            elif second > 12 or order == "mdy":
                day, month = second, first
            else:
                day, month = first, second
        if not 1900 <= year <= 2100:
            return None
        return dt.date(year, month, day).isoformat()
    except (ValueError, KeyError, TypeError):
        return None


def _for_lower(source: str) -> re.Pattern[str]:
    """The pattern `source` (case-blind) for lower-cased ASCII text, without IGNORECASE:
    three to five times faster (the case-blind alternatives of month and weekday names
    cannot be skipped by their first letter). The forms' letters are lower case but the
    `T` of a time."""
    return re.compile(ascii_twins(source.replace(r"(?!T\d)", r"(?!t\d)")))


@lru_cache(maxsize=1)
def _ascii_finders() -> list[re.Pattern[str]]:
    return [_for_lower(source) for source in _FINDER_SOURCES]


@lru_cache(maxsize=1)
def _any_finders() -> list[re.Pattern[str]]:
    """The finders for any other text."""
    return [re.compile(source, re.IGNORECASE) for source in _FINDER_SOURCES]


@lru_cache(maxsize=1)
def _ascii_sentence_words() -> re.Pattern[str]:
    return _for_lower(_SENTENCE_WORDS.pattern)


_SHORT_YEAR_FORMS = 2
"""The last forms of `_DATE_FORMS` (a year's two digits after an apostrophe): searched
only in a text holding an apostrophe."""


def _finders(text: str) -> tuple[str, list[re.Pattern[str]]]:
    """The text to search and the finders to search it with: an ASCII text lower-cased,
    for the faster finders (its matches are at the same places; the month name read
    from it is lower-cased anyway); the forms of a two-digit year only where an
    apostrophe is."""
    apostrophe = "'" in text or "’" in text or "‘" in text
    if text.isascii():
        finders = _ascii_finders()
        return text.lower(), finders if apostrophe else finders[:-_SHORT_YEAR_FORMS]
    finders = _any_finders()
    return text, finders if apostrophe else finders[:-_SHORT_YEAR_FORMS]


def _first_match(text: str) -> re.Match[str] | None:
    best: re.Match[str] | None = None
    text, finders = _finders(text)
    for finder in finders:
        m = finder.search(text)
        if m and (best is None or m.start() < best.start()
                  or (m.start() == best.start() and m.end() > best.end())):
            best = m
    return best


_DIGIT = re.compile(r"\d")


def has_digit(text: str) -> bool:
    """`_DIGIT.search(text)`: an ASCII text by ten scans at C speed (several times faster
    than the pattern, which looks each character's category up)."""
    if text.isascii():
        return "0" in text or "1" in text or "2" in text or "3" in text or "4" in text \
            or "5" in text or "6" in text or "7" in text or "8" in text or "9" in text
    return _DIGIT.search(text) is not None
_YEAR = re.compile(r"(?<!\d)(?:19|20|21)\d\d(?!\d)|['’‘]\d\d(?!\d)")
"""Every date form has a year, of four digits or two after an apostrophe (`'21`): lines
without one are read no further."""


def parse_date(text: str, order: str | None = None) -> str | None:
    """A real calendar date in `text` as `YYYY-MM-DD`, else None.

    The forms are tried in turn (month name then day, day then month name,
    `2019-02-12`, `12/02/2019`, `2019年2月12日`) and the first date of the
    first form that holds a valid one wins: not always the first date in the
    text (`2019-02-12, then June 3, 2018` gives 2018-06-03). Meant for a text
    holding one date; `date_line` reads a line by its first date.
    """
    if not has_digit(text):
        return None
    text, finders = _finders(text)
    for finder in finders:
        for m in finder.finditer(text):
            iso = _to_iso(m, order)
            if iso:
                return iso
    return None


def numeric_order(lines: Iterable[str]) -> str | None:
    """`dmy` or `mdy` when the file's all-numeric dates show their order, else None.

    A first number above 12 means day first; a second number above 12 means
    month first. When both are seen the majority wins.
    """
    dmy = mdy = 0
    for line in lines:
        if not has_digit(line):
            continue
        for m in _NUMERIC.finditer(line):
            first, second = int(m.group(1)), int(m.group(2))
            if first > 12 and second <= 12:
                dmy += 1
            elif second > 12 and first <= 12:
                mdy += 1
    if dmy == mdy:
        return None
    return "dmy" if dmy > mdy else "mdy"


def date_line(line: str, order: str | None = None) -> str | None:
    """If the whole line is a post's date line, the date as `YYYY-MM-DD`.

    A date line is short and made of a date with at most a few words before
    it (`Posted on`, `Publiziert am`, `By ann,`, a weekday) and meta after it
    (a time, `by Ann`, `· 3 min read`, `/ Posted in News`), never a sentence.
    """
    # Every four-digit year starts with a `1` or a `2`, a two-digit one follows an
    # apostrophe: most lines fail that test, faster than `_YEAR`.
    if len(line) > _MAX_DATE_LINE or ("1" not in line and "2" not in line
                                      and "'" not in line and "’" not in line
                                      and "‘" not in line) \
            or not _YEAR.search(line):
        return None
    line = line.strip()
    m = _first_match(line)
    if m is None:
        return None
    lead = _READING_TIME.sub("", line[: m.start()].strip())
    words = lead.split()
    if len(words) > _MAX_LEAD_WORDS:
        return None
    if any(not _LEAD_WORD.match(w) and w not in "-–—|·•/:@," for w in words):
        return None
    rest = line[m.end():].strip()
    if len(rest.split()) > 24:
        return None
    around = lead + " " + rest
    if (_ascii_sentence_words().search(around.lower()) if around.isascii()
            else _SENTENCE_WORDS.search(around)) and not re.match(
        r"^(?:posted|published|updated|written)\b", lead, re.IGNORECASE
    ):
        return None
    if rest.endswith(".") and len(rest.split()) > 4:
        return None
    return _to_iso(m, order)


def date_lead(line: str) -> str:
    """The words printed before a date line's date (`Posted on`, `By ann,`), or ''."""
    m = _first_match(line)
    return line[: m.start()].strip() if m else ""


def date_rest(line: str) -> str:
    """What a date line prints after its date (`· 5 notes`, `by Ann`), or ''."""
    m = _first_match(line)
    return line[m.end():].strip(" ,.") if m else ""


_ANY_MONTH = _MONTH.replace("(?P<month>", "(?:")
_DAY_ONLY = re.compile(
    rf"^{_WEEKDAY}?(?:{_ANY_MONTH}\s+\d{{1,2}}{_ORD}|\d{{1,2}}\.?{_ORD}{_OF}\s+{_ANY_MONTH})\.?$",
    re.IGNORECASE,
)


def day_without_year(line: str) -> bool:
    """A date line without its year (`March 3`, `Sunday, 3. März`): a post's date slot,
    but no date can be read from it (the year is unknown)."""
    return len(line) <= 40 and has_digit(line) and _DAY_ONLY.match(line.strip()) is not None


AGO = (r"\d+\s*(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)\s+ago"
       r"|\d+\s+\w+\s+(?:ago|lalu|fa|geleden)|(?:vor|il\s+y\s+a|hace|há)\s+\d+\s+\w+")
"""A relative date in words (`3 hours ago`, `vor 3 Stunden`, `il y a 2 jours`, `hace 2
horas`, `2 ore fa`, `3 uur geleden`, `2 jam lalu`): a regular expression, case-blind."""
AGE = (r"\d+\s*(?:s|m|h|d|w|mo|y|mins?|hrs?|hours?|days?|weeks?|months?|years?)(?:\s+ago)?"
       rf"|{AGO}|yesterday|today|just\s+now")
"""Any relative date (`2d`, `5mo`, `3 hours ago`, `yesterday`). Relative dates give no
date (a wrong date is worse than none); their words are listed here only, and
`reader/archive/lines.py` reads lines made of them as meta lines."""
