"""Every `<pre>` is one fenced block with its text and language, whatever is inside."""

from __future__ import annotations

import pytest

from reader.archive.html import parse_page
from reader.archive.html_markdown import markdown_from_html

PROSE = "<p>" + "A paragraph about the code around it, written to be long enough. " * 4 + "</p>"

HUGO = ('<div class="highlight"><pre tabindex="0" class="chroma"><code class="language-go" '
        'data-lang="go"><span class="line"><span class="cl"><span class="kd">func</span> '
        '<span class="nf">main</span><span class="p">()</span> <span class="p">{</span>\n'
        '</span></span><span class="line"><span class="cl">\t<span class="nx">fmt</span>.'
        '<span class="nf">Println</span>(<span class="s">"hi"</span>)\n</span></span>'
        '<span class="line"><span class="cl"><span class="p">}</span>\n</span></span>'
        '</code></pre></div>')
HUGO_CODE = 'func main() {\n\tfmt.Println("hi")\n}'
CHROMA_TABLE = ('<div class="highlight"><div class="chroma"><table class="lntable"><tr>'
                '<td class="lntd"><pre tabindex="0" class="chroma"><code><span class="lnt">1\n'
                '</span><span class="lnt">2\n</span></code></pre></td><td class="lntd"><pre '
                'tabindex="0" class="chroma"><code class="language-rust" data-lang="rust">'
                '<span class="line"><span class="cl">let x = 1;\n</span></span><span '
                'class="line"><span class="cl">let y = x + 1;\n</span></span></code></pre>'
                '</td></tr></table></div></div>')
MKDOCS = ('<div class="language-python highlight"><pre><span></span><code><span class="k">def'
          '</span> <span class="nf">double</span>(x):\n    <span class="k">return</span> x * 2'
          '\n</code></pre></div>')
PYGMENTS_TABLE = ('<table class="highlighttable"><tr><td class="linenos"><div class="linenodiv">'
                  '<pre>1\n2\n3</pre></div></td><td class="code"><div class="highlight"><pre>'
                  '<span class="n">a</span> = 1\nb = 2\nprint(a + b)\n</pre></div></td></tr>'
                  '</table>')
HLJS_LINES = ('<pre><code class="hljs language-bash"><table class="hljs-ln"><tbody><tr>'
              '<td class="hljs-ln-numbers"><div class="hljs-ln-n" data-line-number="1"></div>'
              '</td><td class="hljs-ln-code">cd build</td></tr><tr><td class="hljs-ln-numbers">'
              '<div class="hljs-ln-n" data-line-number="2"></div></td><td class="hljs-ln-code">'
              'make -j2</td></tr></tbody></table></code></pre>')
BREAKS = '<pre class="brush: js">var a = 1;<br>var b = 2;<br/>console.log(a &lt; b);</pre>'
MARKUP_SAMPLE = ('<pre><code class="language-html">&lt;script src="https://example.org/app.js"'
                 '&gt;&lt;/script&gt;\n&lt;p&gt;Hello&lt;/p&gt;</code></pre>')
SPHINX = ('<div class="highlight-python notranslate"><div class="highlight"><pre><span></span>'
          'import os\nprint(os.sep)\n</pre></div></div>')

CASES = [
    (HUGO, "go", HUGO_CODE),
    (CHROMA_TABLE, "rust", "let x = 1;\nlet y = x + 1;"),
    (MKDOCS, "python", "def double(x):\n    return x * 2"),
    (PYGMENTS_TABLE, "", "a = 1\nb = 2\nprint(a + b)"),
    (HLJS_LINES, "bash", "cd build\nmake -j2"),
    (BREAKS, "js", "var a = 1;\nvar b = 2;\nconsole.log(a < b);"),
    (MARKUP_SAMPLE, "html", '<script src="https://example.org/app.js"></script>\n<p>Hello</p>'),
    (SPHINX, "python", "import os\nprint(os.sep)"),
]


def fences(markdown: str) -> list[str]:
    return [line for line in markdown.split("\n") if line.startswith("```")]


@pytest.mark.parametrize(("html", "lang", "code"), CASES)
def test_fragments_become_one_fenced_block(html: str, lang: str, code: str) -> None:
    markdown = markdown_from_html(PROSE + html + PROSE)
    assert f"\n```{lang}\n{code}\n```\n" in markdown
    assert len(fences(markdown)) == 2


@pytest.mark.parametrize(("html", "lang", "code"), CASES)
def test_extracted_pages_keep_the_pages_own_blocks(html: str, lang: str, code: str) -> None:
    page = (f"<html><head><title>On code</title></head><body><nav>Home</nav><article>"
            f"<h1>On code</h1>{PROSE}{html}{PROSE}</article><footer>Footer</footer></body></html>")
    body = parse_page(page, "page").body
    assert f"\n```{lang}\n{code}\n```\n" in body
    assert len(fences(body)) == 2


def test_a_fence_is_longer_than_backticks_inside() -> None:
    markdown = markdown_from_html("<pre><code>echo ```three``` ticks</code></pre>")
    assert markdown == "````\necho ```three``` ticks\n````"


def test_inline_code_in_prose_stays_inline() -> None:
    page = ("<html><head><title>Inline</title></head><body><article><h1>Inline</h1>"
            f"{PROSE}<p>Run <code>make</code> first, then read on: the build takes a while and "
            f"prints what it does, so there is time to read the rest.</p><pre>make</pre>{PROSE}"
            "</article></body></html>")
    body = parse_page(page, "page").body
    assert "Run `make` first" in body


def test_blank_lines_inside_a_block_are_kept_as_written() -> None:
    # Runs of blank lines in prose become one; in code they are the code's own.
    markdown = markdown_from_html("<p>a</p>\n\n\n<p>b</p><pre>import os\n\n\ndef f():\n\n\n\n"
                                  "    return 1</pre><p>c</p>")
    assert markdown == "a\n\nb\n\n```\nimport os\n\n\ndef f():\n\n\n\n    return 1\n```\n\nc"
