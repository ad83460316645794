"""Links in laid-out text: the mark on a line, and each link's text across lines."""

from __future__ import annotations

from reader import render
from reader.ui.widgets.article_links import link_on, link_texts

BODY = ("Read [the long report on harbour engines](https://example.org/a) first, "
        "then [notes](https://example.org/b).\n\nNothing linked here.")


def test_each_links_text_across_lines_and_the_mark_on_a_line():
    doc = render.document(BODY, 24)
    doc.finish()
    lines = list(doc.lines)
    assert len(doc.links) == 2
    assert link_texts(lines, 2) == ["the long report on harbour engines", "notes"]
    marked = [link_on(line, 2) for line in lines]
    assert [n for n in marked if n is not None][:2] == [1, 2]  # then the list of links
    plain = next(line for line in lines if "Nothing linked" in render.plain(line))
    assert link_on(plain, 2) is None
    assert all(link_on(line, 1) != 2 for line in lines)  # only marks of links there are
    assert link_texts(lines, 0) == []
