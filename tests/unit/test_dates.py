"""Dates as archives print them."""

from __future__ import annotations

import pytest

from reader.dates import date_line, parse_date


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("February 12, 2019", "2019-02-12"),
        ("Feb 12, 2019", "2019-02-12"),
        ("12 February 2019", "2019-02-12"),
        ("2019-02-12", "2019-02-12"),
        ("2019/02/12", "2019-02-12"),
        ("Tuesday, June 23rd, 2009", "2009-06-23"),
        ("Tuesday, June 23rd, 2009 at 3:11 pm", "2009-06-23"),
        ("Posted on 14 March 2019 by marta", "2019-03-14"),
        ("Posted on March 14, 2019", "2019-03-14"),
        ("Published: March 14, 2019", "2019-03-14"),
        ("March 14, 2019 by Ann | 3 Comments", "2019-03-14"),
        ("By Ann Lee on March 14, 2019", "2019-03-14"),
        ("Saturday, November 12, 2019", "2019-11-12"),
        ("23/06/2009", "2009-06-23"),
        ("2019年2月12日", "2019-02-12"),
        ("2019-02-12T10:35:00", "2019-02-12"),
        ("February 12 2019", "2019-02-12"),
        ("5 min read · Mar 3, 2021", "2021-03-03"),
        ("12 min read | 3 March 2021", "2021-03-03"),
        ("Feb 22 nd , 2013", "2013-02-22"),  # markup spaced out by the copy
        ("By ann , Sat, 03/16/2019 - 20:44", "2019-03-16"),
        ("Jan 1 '21", "2021-01-01"),
        ("Jan 5, '09", "2009-01-05"),
        ("Mar 3rd, ’19", "2019-03-03"),
        ("3 Mar ‘99", "1999-03-03"),
        ("Ann Lee · May 30 '20 · 4 min read", "2020-05-30"),
    ],
)
def test_date_lines(line: str, iso: str) -> None:
    assert date_line(line) == iso


@pytest.mark.parametrize(
    "line",
    [
        "Appeared in the February 9, 2019, print edition as ‘One World, Two Internets.’",
        "Correction: May 2, 2019 A previous version of this article misstated the location",
        "— Huawei Facts (@HuaweiFacts) May 19, 2019 was the day it all changed for them",
        "The vote on March 3 was close.",
        "February 30, 2019",
        "Starting December 1, people can rake in up to 600,000 yuan ($86,000) for reporting",
        "4:59",
        "I was born in '85 in Ohio",
        "Rock 'n' roll 1 '21",
        "Jan 1 '210",
    ],
)
def test_body_lines_are_not_date_lines(line: str) -> None:
    assert date_line(line) is None


def test_parse_date_finds_a_date_in_a_footer() -> None:
    footer = "This entry was posted on Sunday, April 7th, 2019 at 9:14 am and is filed under Rides."
    assert parse_date(footer) == "2019-04-07"
    assert parse_date("no date here") is None


def test_has_digit_is_the_pattern_s_answer() -> None:
    from reader.dates import _DIGIT, has_digit

    for text in ["", "abc", "page 7", "٣ days", "x\u0660", "½", "²", "9", "no digits — here", "١٢"]:
        assert has_digit(text) == (_DIGIT.search(text) is not None), text
    assert has_digit("page 7") and has_digit("٣ days") and not has_digit("½ and ²")


def test_ascii_dates_are_read_lower_cased_as_the_case_blind_finders_read_them() -> None:
    from reader.dates import _any_finders, _first_match

    lines = ["August 12, 2015", "POSTED ON 14 MARCH 2019 BY ANN", "Tuesday, June 23rd, 2009",
             "2019-02-12T10:00", "2019-02-12t10:00", "Publiziert Am 13. Januar 2014",
             "By ann, Sat, 03/16/2019 - 20:44", "12 DE FEBRERO DE 2019", "30 Kasim 2019",
             "30 KASIM 2019", "May 30 TH, 2016", "1º de maio de 2019"]
    for line in lines:
        expected = min((m for f in _any_finders() if (m := f.search(line))),
                       key=lambda m: (m.start(), -m.end()), default=None)
        got = _first_match(line)
        assert got is not None and expected is not None, line
        assert (got.span(), got.group().lower()) == (expected.span(),
                                                     expected.group().lower()), line
    assert date_line("POSTED ON 14 MARCH 2019 BY ANN") == "2019-03-14"
    assert date_line("TUESDAY, JUNE 23RD, 2009 AT 3:11 PM") == "2009-06-23"
