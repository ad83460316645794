"""Search: the query language, safety against anything typed, non-ASCII text, ranking."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader import search
from reader.models import Anchor, ParsedArticle, Provenance
from reader.search import Filter, Term, find_in_text, parse
from reader.store import _MIGRATIONS, Store, _split_sql

HOSTILE = ["C++", "don't", "AND", "OR", "NOT", "NEAR", "e-mail", '"unbalanced', "*", "-", "title:",
           "", "   ", "\t\n", "\x00", "a\x00b", '"', '""', "(", ")", "^", ":", "tag:", "-*",
           "before:", "after:2019-13-45", "is:", "has:", "OR OR", "-OR", '"a" OR', "col:x",
           "{title}: x", "title:-", "NEAR(a b)", "a:b:c", "''", "\\", "%", "_", "\u200b",
           "\ufeff", "x" * 5000, "\U0001F600", "ﷺ", "\u0301", "*" * 50]


def art(title: str, body: str, *, date: str | None = None, tags: tuple[str, ...] = (),
        source: str | None = None, n: int = 1) -> ParsedArticle:
    return ParsedArticle(title=title, body=body, provenance=Provenance("/x.txt", "text", n, n + 1),
                         date=date, source=source, tags=tags)


FILLER = [art(f"Filler number {i}", f"Nothing much to report on day {i}, only weather and tea.", n=100 + i)
          for i in range(12)]


@pytest.fixture
def library(fresh_store: Store) -> Store:
    fresh_store.add_articles([
        *FILLER,
        art("Running in Zürich", "The best e-mail client is mail.\n\nPeople don't run here. "
            "微信支付 is popular; ﬁnance and foo\u200bbar.", date="2019-02-12",
            tags=("travel", "微信"), n=1),
        art("Sea walls", "Climate change and sea level rise threaten the harbour in Zurich too.",
            date="2020-06-01", source="The Guardian", tags=("climate",), n=2),
        art("Notes on C++", "Templates, C++ and the e-mail thread about them.", date="2018-05-05",
            source="Example News", n=3),
    ])
    return fresh_store


def titles(store: Store, query: str, **kw: object) -> list[str]:
    return [h.title for h in store.search(query, **kw)]  # type: ignore[arg-type]


# -- parsing -----------------------------------------------------------------

def test_words_phrases_prefixes_exclusions_and_or() -> None:
    q = parse('Climate "sea level" adapt* -opinion wechat OR weixin')
    assert q.match_expression() == (
        '("climate" AND "sea level" AND "adapt"* AND ("wechat" OR "weixin")) NOT ("opinion")')
    assert [t.kind for t in q.terms] == ["word", "phrase", "prefix", "word", "word"]


def test_filters_are_parsed_with_dates_normalised() -> None:
    q = parse("tag:china source:guardian before:2019 after:2018-02 is:unread is:starred "
              "has:highlights has:notes title:war")
    atoms = [c.atoms[0] for c in q.clauses]
    assert atoms[:8] == [Filter("tag", "china"), Filter("source", "guardian"),
                         Filter("before", "2019-01-01"), Filter("after", "2018-02-01"),
                         Filter("is", "unread"), Filter("is", "starred"),
                         Filter("has", "highlights"), Filter("has", "notes")]
    assert atoms[8] == Term("war", "word", title_only=True)
    assert parse("after:2019-02-12").clauses[0].atoms[0] == Filter("after", "2019-02-12")


def test_bad_filter_values_read_as_words_and_empty_filters_as_nothing() -> None:
    assert parse("is:bogus").match_expression() == '"is bogus"'
    assert parse("before:2019-13").match_expression() == '"before 2019 13"'
    assert parse("title:").empty and parse("tag:").empty and parse("before:").empty
    assert parse("http://example.org").match_expression() == '"http example org"'


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_parses_to_a_quoted_expression(text: str) -> None:
    q = parse(text)
    expr = q.match_expression()
    if expr is not None:
        conn = sqlite3.connect(":memory:")
        conn.execute(f"CREATE VIRTUAL TABLE f USING fts5 ({', '.join(search.FTS_COLUMNS)},"
                     f" tokenize='{search.TOKENIZE}')")
        conn.execute("SELECT * FROM f WHERE f MATCH ?", (expr,)).fetchall()


def test_every_term_is_quoted() -> None:
    assert parse("C++").match_expression() == '"c"'
    assert parse("don't").match_expression() == '"don t"'
    assert parse("AND").match_expression() == '"and"'
    assert parse("e-mail").match_expression() == '"e mail"'
    assert parse('"unbalanced phrase').match_expression() == '"unbalanced phrase"'
    for empty in ("*", "-", "", "   ", "\x00", '""', "\u200b"):
        assert parse(empty).empty, empty


def test_live_reads_the_last_word_as_a_prefix_too() -> None:
    assert parse("sea lev", live=True).match_expression() == '"sea" AND ("lev" OR "lev"*)'
    assert parse("sea lev ", live=True).match_expression() == '"sea" AND "lev"'
    assert parse("sea -lev", live=True).match_expression() == '("sea") NOT ("lev")'


def test_nfkc_and_zero_width_are_normalised_in_queries() -> None:
    assert parse("ＷｅＣｈａｔ").match_expression() == '"wechat"'
    assert parse("ﬁnance").match_expression() == '"finance"'
    assert parse("we\u200bchat").match_expression() == '"wechat"'


def test_cjk_runs_become_bigram_phrases_in_the_extra_columns() -> None:
    assert parse("微信").match_expression() == '{title_extra body_extra} : "微信"'
    assert parse("微信支付").match_expression() == '{title_extra body_extra} : "微信 信支 支付"'
    assert search.index_extra("用微信支付") == "用微 微信 信支 支付 付"
    assert search.index_extra("plain ascii") == ""


# -- the store ---------------------------------------------------------------

def test_hostile_input_never_raises_in_the_store(library: Store) -> None:
    for text in HOSTILE:
        library.search(text)
        library.search(text, live=True, view="unread", tag="travel")
        library.search_count(text)


def test_words_are_stemmed_and_folded(library: Store) -> None:
    assert titles(library, "runs") == ["Running in Zürich"]
    assert set(titles(library, "zurich")) == {"Running in Zürich", "Sea walls"}
    assert set(titles(library, "ZÜRICH")) == {"Running in Zürich", "Sea walls"}
    assert titles(library, "e-mail") == ["Running in Zürich", "Notes on C++"] or \
        set(titles(library, "e-mail")) == {"Running in Zürich", "Notes on C++"}


def test_two_character_chinese_word_is_found_and_marked(library: Store) -> None:
    (hit,) = library.search("微信")
    assert hit.title == "Running in Zürich"
    start, end = hit.snippet_hits[0]
    assert hit.snippet[start:end] == "微信"
    assert library.search("信支")[0].id == hit.id
    assert library.search("支付")[0].id == hit.id
    assert library.search("付款") == []


def test_nfkc_and_zero_width_text_in_articles_is_found(library: Store) -> None:
    (hit,) = library.search("finance")
    start, end = hit.snippet_hits[0]
    assert hit.snippet[start:end] == "ﬁnance"
    (hit,) = library.search("foobar")
    start, end = hit.snippet_hits[0]
    assert hit.snippet[start:end] == "foo\u200bbar"


def test_phrase_prefix_exclusion_or(library: Store) -> None:
    assert titles(library, '"sea level"') == ["Sea walls"]
    assert titles(library, '"level sea"') == []
    assert titles(library, "harb*") == ["Sea walls"]
    assert titles(library, "zurich -climate") == ["Running in Zürich"]
    assert set(titles(library, "templates OR harbour")) == {"Sea walls", "Notes on C++"}
    assert len(titles(library, "-weather")) == 3


def test_filters(library: Store) -> None:
    zurich = library.search("running")[0].id
    library.set_starred(zurich)
    library.set_read(zurich)
    assert titles(library, "tag:travel") == ["Running in Zürich"]
    assert titles(library, "tag:TRAV*") == ["Running in Zürich"]
    assert titles(library, "source:guardian") == ["Sea walls"]
    assert titles(library, "before:2019") == ["Notes on C++"]
    assert titles(library, "after:2019-02-12 before:2020") == ["Running in Zürich"]
    assert titles(library, "after:2020-06-02") == []
    assert titles(library, "is:starred") == ["Running in Zürich"]
    assert "Running in Zürich" not in titles(library, "is:unread", limit=100)
    assert titles(library, "zurich -is:starred") == ["Sea walls"]
    assert titles(library, "title:sea") == ["Sea walls"]
    assert titles(library, "title:zurich") == ["Running in Zürich"]
    assert titles(library, "tag:travel OR source:guardian") == ["Sea walls", "Running in Zürich"]
    assert titles(library, "has:highlights") == []
    library.add_annotation(zurich, Anchor("best"), note="a note")
    assert titles(library, "has:highlights") == ["Running in Zürich"]
    assert titles(library, "has:notes") == ["Running in Zürich"]


def test_filters_combine_with_the_view_and_tag_of_the_interface(library: Store) -> None:
    assert titles(library, "zurich", tag="climate") == ["Sea walls"]
    assert titles(library, "zurich", view="starred") == []
    assert library.search_count("zurich") == 2
    assert library.search_count("zurich", tag="travel") == 1


def test_title_ranks_above_body_and_recency_breaks_ties(fresh_store: Store) -> None:
    fresh_store.add_articles([
        *FILLER,
        art("A morning swim", "Notes on the lake walk and a kettle of tea today.", n=1),
        art("Notes on a kettle", "A morning swim in the lake and tea afterwards.", n=2),
        art("Third of these", "Alpha beta gamma delta.", date="2001-01-01", n=3),
        art("Fourth of these", "Alpha beta gamma epsilon.", date="2021-01-01", n=4),
    ])
    assert titles(fresh_store, "kettle")[0] == "Notes on a kettle"
    assert titles(fresh_store, "swim")[0] == "A morning swim"
    assert titles(fresh_store, "alpha") == ["Fourth of these", "Third of these"]
    hits = fresh_store.search("kettle")
    assert hits[0].score > hits[1].score > 0


def test_hits_carry_marks_counts_and_metadata(library: Store) -> None:
    (hit,) = library.search("templates")
    assert (hit.date, hit.source, hit.tags) == ("2018-05-05", "Example News", ())
    (hit,) = library.search("harbour sea")
    assert hit.tags == ("climate",)
    assert hit.hit_count == 3  # sea in the title, sea and harbour in the body
    assert [hit.title[s:e] for s, e in hit.title_hits] == ["Sea"]
    assert [hit.snippet[s:e] for s, e in hit.snippet_hits] == ["sea", "harbour"]
    assert "\n" not in hit.snippet


def test_paging(fresh_store: Store) -> None:
    fresh_store.add_articles([art(f"Weather report {i}", f"Rain again {i}.", n=i, date=f"2020-01-{i + 1:02d}")
                              for i in range(30)])
    first = fresh_store.search("rain", limit=20)
    rest = fresh_store.search("rain", limit=20, offset=20)
    assert len(first) == 20 and len(rest) == 10
    assert not {h.id for h in first} & {h.id for h in rest}
    assert fresh_store.search_count("rain") == 30


def test_an_updated_article_is_reindexed_with_its_extra_columns(fresh_store: Store) -> None:
    fresh_store.add_articles([art("Tea", "今天喝茶 and nothing more to say about it.", n=1)])
    assert len(fresh_store.search("喝茶")) == 1
    fresh_store.add_articles([art("Tea", "今天喝咖啡 and nothing more to say about it.", n=1)])
    assert fresh_store.search("喝茶") == []
    assert len(fresh_store.search("咖啡")) == 1
    assert fresh_store.search_index.searcher(fresh_store.conn).num_docs == 1 + 1  # and its log mark


def test_a_version_1_library_is_migrated_and_searchable(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    for statement in _split_sql(_MIGRATIONS[1]):
        conn.execute(statement)
    conn.execute("INSERT INTO articles (hash, title, body, added_at) VALUES"
                 " ('h', 'Zahlen in Zürich', '用微信支付 running late', 'now')")
    conn.execute("INSERT INTO articles_fts (rowid, title, body, tags_text, notes_text)"
                 " SELECT id, title, body, tags_text, notes_text FROM articles")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with Store(path) as store:
        assert [h.title for h in store.search("微信")] == ["Zahlen in Zürich"]
        assert [h.title for h in store.search("run zurich")] == ["Zahlen in Zürich"]
        assert "articles_fts" not in {r[0] for r in store.conn.execute(
            "SELECT name FROM sqlite_master")}  # the search index is beside the library now


# -- hits in a text ----------------------------------------------------------

def test_case_folded_forms_are_marked_where_they_are_found() -> None:
    text = "Die Straße und die Maße; no strasse-like word here: street."
    assert [text[s:e] for s, e in find_in_text("strasse", text)] == ["Straße", "strasse"]
    assert [text[s:e] for s, e in find_in_text("masse", text)] == ["Maße"]
    assert find_in_text("zzz", text) == []


def test_find_in_text_uses_the_same_rules() -> None:
    text = "People RUN; the runner runs. Zürich’s e-mail: ﬁnance, foo\u200bbar, 微信支付."
    found = [text[s:e] for s, e in find_in_text("run zurich e-mail finance foobar 微信", text)]
    assert found == ["RUN", "runs", "Zürich", "e-mail", "ﬁnance", "foo\u200bbar", "微信"]
    assert [text[s:e] for s, e in find_in_text('"the runner"', text)] == ["the runner"]
    assert [text[s:e] for s, e in find_in_text("runn*", text)] == ["runner"]
    assert find_in_text("-run tag:x", text) == []
    assert find_in_text("title:run", text) == []
    assert find_in_text("title:run", text, title=True) == [(7, 10), (23, 27)]
    assert find_in_text("run", "") == []
    assert find_in_text("a\x02b", "a\x02b\x03 a b") == [(0, 3), (5, 8)]  # markers in text are inert


# -- anything at all ---------------------------------------------------------

PIECES = [*'abcAZ zürich"*-:()^{}+\'.,\x00\u200b微信支付', " OR ", "AND", "NOT", "tag:", "title:",
          "is:unread", "has:notes", "before:2019", "after:", "source:", "-", '"', "*", "e-mail"]
QUERY_TEXT = st.text(max_size=30) | st.lists(
    st.sampled_from(PIECES) | st.text(max_size=3), max_size=12).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=QUERY_TEXT)
def test_any_text_parses_into_a_valid_expression(text: str) -> None:
    q = parse(text)
    expr = q.match_expression()
    assert expr is None or expr.strip()
    parse(text, live=True)
    find_in_text(q, "abc zürich 微信支付 a-b \"quoted\" OR AND")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=QUERY_TEXT, live=st.booleans())
def test_any_text_searches_without_error_and_sensibly(library: Store, text: str, live: bool) -> None:
    hits = library.search(text, live=live)
    count = library.search_count(text, live=live)
    assert len(hits) == min(count, 50)
    assert len({h.id for h in hits}) == len(hits)
    for hit in hits:
        for start, end in hit.snippet_hits:
            assert 0 <= start < end <= len(hit.snippet)
        for start, end in hit.title_hits:
            assert 0 <= start < end <= len(hit.title)
    if parse(text).empty:
        assert hits == []


# -- every match ranked ----------------------------------------------------------

def test_phrases_and_filters_find_exactly_their_matches(fresh_store: Store) -> None:
    """Results are exactly the matches, and pages do not repeat or skip anything."""
    batch = []
    for i in range(90):
        if i % 3 == 0:
            body = f"A quiet river runs past house {i}. " + "quiet river " * (i % 5)
        else:
            body = f"The river was never quiet near house {i}; river, then quiet."
        batch.append(art(f"House {i}", body, date=f"20{10 + i % 10}-01-{1 + i % 28:02d}",
                         tags=("odd",) if i % 2 else (), n=i * 10))
    fresh_store.add_articles(batch)
    ids = fresh_store.article_ids()
    for article_id in ids[::7]:
        fresh_store.set_starred(article_id)
    starred = set(ids[::7])
    by_title = {fresh_store.article(i).title: i for i in ids}  # type: ignore[union-attr]
    phrase = {by_title[f"House {i}"] for i in range(0, 90, 3)}
    odd = {by_title[f"House {i}"] for i in range(1, 90, 2)}
    for query, expected in [
        ('"quiet river"', phrase),
        ('"quiet river" is:starred', phrase & starred),
        ('"quiet river" tag:odd', phrase & odd),
        ("river -tag:odd", set(ids) - odd),
        ('river -"quiet river"', set(ids) - phrase),
        ("quiet is:starred", starred),
    ]:
        first = fresh_store.search(query, limit=20)
        rest = fresh_store.search(query, limit=100, offset=20)
        found = [h.id for h in first + rest]
        assert len(found) == len(set(found)), query
        assert set(found) == expected, query
        assert fresh_store.search_count(query) == len(expected), query
        # Every page is a slice of one order.
        assert [h.id for h in fresh_store.search(query, limit=120)] == found, query


def test_texts_are_lower_cased_as_str_lower_does() -> None:
    from reader.search.marks import _lower
    every = "".join(map(chr, range(0x250)))
    for text in (every, every[:256], "Zürich ÀÉÎ ÕÜ ß µ ÿ", "İstanbul Zürich", "ΣΑΣ plain"):
        assert _lower(text) == text.lower()


def test_one_word_hits_are_known_as_such_and_give_the_same_snippets() -> None:
    from reader.search import Marker, snippet_around
    texts = ["The people met. " * 20 + "PEOPLE and the people again.",
             "peoples of the world, people " * 10, "Nothing here but the " * 30]
    marker = Marker(parse("people"))
    seen = []
    for text in texts:
        hits = marker.find(text, search.text_info(text))
        seen.append(marker.one_word)
        for width in (40, 160):
            assert snippet_around(text, hits, width, marker.one_word) == snippet_around(
                text, hits, width)
    # `peoples` is a second word hit: no longer one word from then on.
    assert seen == [True, False, False]
    the = Marker(parse("the"))
    the.find(texts[2], "a")
    assert the.one_word
