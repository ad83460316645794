"""Dates as archives print them, to `YYYY-MM-DD`.

Two questions: `parse_date` finds a date anywhere in a short text;
`date_line` says whether a whole line is a post's date line (`February 12,
2019`, `Posted on 14 March 2019 by Ann`, `Tuesday, June 23rd, 2009 at 3:11
pm`) and returns the date. Body lines that merely contain a date
(`Appeared in the February 9, 2019, print edition`) are not date lines.
"""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)"
_ORD = r"(?:st|nd|rd|th)?"

_DATE_FORMS = [
    # Tuesday, June 23rd, 2009 / June 23, 2009 / Jun 23 2009
    rf"{_WEEKDAY}?{_MONTH}\s+(?P<day>\d{{1,2}}){_ORD},?\s+(?P<year>\d{{4}})",
    # Sunday, 10 February, 2019 / 12 February 2019 / 12th Feb 2019
    rf"{_WEEKDAY}?(?P<day>\d{{1,2}}){_ORD}\s+(?:of\s+)?{_MONTH},?\s+(?P<year>\d{{4}})",
    # 2019-02-12, 2019/02/12, 2019.02.12
    r"(?P<year>\d{4})[-/.](?P<mnum>\d{1,2})[-/.](?P<day>\d{1,2})(?![\d])",
    # 12/02/2019, 12.02.2019 (day-first unless that is impossible)
    r"(?P<n1>\d{1,2})[/.](?P<n2>\d{1,2})[/.](?P<year>\d{4})",
    # 2019年2月12日
    r"(?P<year>\d{4})\s*年\s*(?P<mnum>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日",
]
_DATE = "(?:" + "|".join(re.sub(r"\(\?P<\w+>", "(?:", f"(?:{form})") for form in _DATE_FORMS) + ")"
_FINDERS = [re.compile(rf"(?<![\w]){form}(?![\w])", re.IGNORECASE) for form in _DATE_FORMS]

_TIME = (
    r"(?:\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?"
    r"|\d{1,2}\s*[ap]\.?m\.?)"
)
_LEAD = (
    r"(?:(?:posted|published|updated|written|last\s+updated|date|dated|created)"
    r"(?:\s+(?:on|at))?\s*:?\s*|on\s+|(?:posted\s+)?by\s+.{1,50}?\s+(?:on|at|-|–|—|\|)\s+|"
    r"(?:[^\W\d][\w.'-]*\s*){1,4}(?:-|–|—|\||·|/)\s*)?"
)
_TAIL = (
    rf"(?:\s*(?:,|at|@|-|–|—|\||·|T)?\s*{_TIME})?"
    r"(?:\s*(?:by|\||·|-|–|—|/|,|in)\s*.{0,80})?"
    r"(?:\s*\(?\d+\s+comments?\)?)?"
)
_DATE_LINE = re.compile(rf"^\s*{_LEAD}(?P<date>{_DATE}){_TAIL}\s*$", re.IGNORECASE)
# A date line is short; a body sentence with a date in it is not.
_MAX_DATE_LINE = 140
_SENTENCE_WORDS = re.compile(
    r"\b(?:edition|said|says|was|were|is|are|will|has|have|had|previous|version|article|"
    r"appeared|correction|print|the\s+\w+\s+of)\b",
    re.IGNORECASE,
)


def _to_iso(m: re.Match[str]) -> str | None:
    groups = m.groupdict()
    try:
        year = int(groups["year"])
        if groups.get("month"):
            month = _MONTHS[groups["month"].lower().rstrip(".")]
            day = int(groups["day"])
        elif groups.get("mnum"):
            month, day = int(groups["mnum"]), int(groups["day"])
        else:
            first, second = int(groups["n1"]), int(groups["n2"])
            day, month = (first, second) if second <= 12 else (second, first)
        return dt.date(year, month, day).isoformat()
    except (ValueError, KeyError, TypeError):
        return None


def _first_match(text: str) -> re.Match[str] | None:
    best: re.Match[str] | None = None
    for finder in _FINDERS:
        m = finder.search(text)
        if m and (best is None or m.start() < best.start()):
            best = m
    return best


_DIGIT = re.compile(r"\d")


def parse_date(text: str) -> str | None:
    """The first real calendar date in `text` as `YYYY-MM-DD`, else None."""
    if not _DIGIT.search(text):
        return None
    for finder in _FINDERS:
        for m in finder.finditer(text):
            iso = _to_iso(m)
            if iso and 1900 <= int(iso[:4]) <= 2100:
                return iso
    return None


def date_line(line: str) -> str | None:
    """If the whole line is a post's date line, the date as `YYYY-MM-DD`."""
    if len(line) > _MAX_DATE_LINE or not _DIGIT.search(line):
        return None
    m = _DATE_LINE.match(line)
    if m is None:
        return None
    date_m = _first_match(m.group("date"))
    if date_m is None:
        return None
    rest = (line[: m.start("date")] + " " + line[m.end("date"):]).strip()
    if rest and _SENTENCE_WORDS.search(rest) and not re.match(
        r"^(?:posted|published|updated|written)\b", rest, re.IGNORECASE
    ):
        return None
    iso = _to_iso(date_m)
    if iso and 1900 <= int(iso[:4]) <= 2100:
        return iso
    return None
