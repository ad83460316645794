"""The format registry: every format a module's descriptor, detection in registry order."""

from __future__ import annotations

import json

import pytest

from reader.archive import (
    FORMATS,
    LINK_FORMATS,
    RECORD_FORMATS,
    REGISTRY,
    SHARED_FORMATS,
    ArchiveError,
    detect_bytes,
    parse_bytes,
)


def test_every_format_reads_and_names_are_the_forced_choices() -> None:
    names = {entry.name for entry in REGISTRY if entry.read is not None}
    assert names == set(FORMATS)
    assert "json" not in FORMATS  # a container, told apart once loaded


def test_byte_detection_follows_the_registry_order() -> None:
    sniffed = [entry.name for entry in REGISTRY if entry.sniff is not None]
    # Bookmarks before pages and Pocket; a page before feeds unless it opens like one,
    # and a page again once feeds and WordPress exports have said no.
    assert sniffed == ["bookmarks", "pocket", "json", "kindle", "pocket", "instapaper", "html",
                       "wxr", "feed", "html"]


def test_the_first_matching_format_wins() -> None:
    # A Netscape bookmark file is HTML too: the earlier entry takes it.
    head = b"<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<html><body><DL><DT><A HREF='x'>x</A></DL>"
    assert detect_bytes(head) == "bookmarks"
    assert detect_bytes(b'[{"url": "https://a.example/"}]') == "json"
    assert detect_bytes(b"just some words") is None


def test_record_formats_are_the_json_ones() -> None:
    json_read = {entry.name for entry in REGISTRY if entry.reads == "json" and entry.read}
    assert set(RECORD_FORMATS) == json_read
    assert {"wallabag", "omnivore", "pinboard", "firefox"} <= set(RECORD_FORMATS)
    assert "feed" not in RECORD_FORMATS and "reader-json" not in RECORD_FORMATS
    assert set(SHARED_FORMATS) == {"feed", "wxr", "wallabag"}
    assert set(LINK_FORMATS) == {"bookmarks", "pinboard", "delicious", "readability",
                                 "elcurator", "firefox", "chrome"}


def test_a_format_written_two_ways_is_read_by_the_matching_variant() -> None:
    csv = b"title,url,time_added,tags\nA page,https://a.example/,1500000000,x\n"
    parsed = parse_bytes(csv, "saved.csv", "pocket")
    assert [a.url for a in parsed.articles] == ["https://a.example/"]
    assert parsed.format == "pocket"


def test_json_told_apart_by_shape_and_refused_when_unknown() -> None:
    pinboard = json.dumps([{"href": "https://p.example/", "description": "P",
                            "time": "2020-01-02T00:00:00Z", "tags": "a b"}]).encode()
    parsed = parse_bytes(pinboard, "pinboard.json")
    assert parsed.format == "pinboard"
    assert [a.tags for a in parsed.articles] == [("a", "b")]
    with pytest.raises(ArchiveError, match="not an export reader knows"):
        parse_bytes(json.dumps([{"something": 1}]).encode(), "other.json")
    with pytest.raises(ArchiveError, match="no records"):
        parse_bytes(b"[]", "empty.json")


def test_many_comments_before_the_first_tag_are_read_in_one_pass() -> None:
    # A WordPress export opens with a dozen comments; tried comment by comment, the
    # page patterns backtracked through every way of grouping them (2^n).
    comments = b"".join(b"<!-- line %d of the header -->\n" % n for n in range(40))
    wxr = (b'<?xml version="1.0" encoding="UTF-8" ?>\n' + comments
           + b'<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>')
    assert detect_bytes(wxr) == "wxr"
    page = comments + b"<!DOCTYPE html>\n<html><body><p>Hello</p></body></html>"
    assert detect_bytes(page) == "html"
    # Between two comments anything may stand, as before: still a page.
    assert detect_bytes(b"<!-- a --> stray <!-- b -->\n<html><body>x</body></html>") == "html"
