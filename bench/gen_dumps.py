"""Deterministic synthetic plain-text archive dumps for the import benchmarks.

Two shapes, as users collect them (see SPEC.md section 1):

- ``tag``: a tag page dump. A ``Posts Tagged 'topic'`` header, then posts:
  title, blank, date (``February 12, 2019``), blank, paragraphs separated by
  blank lines; posts separated by one or two blank lines.
- ``digest``: a digest dump. Per item: title, blank, the same title again,
  blank, paragraphs separated by blank lines, ``Read More``, two blank lines.
  Some titles carry a source suffix (`` – Example News``).

All text is made up: words are drawn from a fixed vocabulary of common English
words and invented ones with a Zipf-like frequency, so an FTS index built over
the dump has a realistic shape. Bodies hold the junk the cleaner must remove
(doubled photo captions, ``Image result for …, pictures`` alt-text lines).

The same seed gives byte-identical output (on a given generator version and
Python). Articles are written one at a time, so memory stays flat.

CLI::

    python bench/gen_dumps.py --format digest --articles 100000 --out d.txt
"""

from __future__ import annotations

import argparse
import math
import os
import random
import sys
import time
from array import array
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Literal, TextIO

Format = Literal["tag", "digest"]
FORMATS: tuple[Format, ...] = ("tag", "digest")

#: Bump when the output for a given seed changes, so cached dumps are rebuilt.
GENERATOR_VERSION = 1
DEFAULT_SEED = 1

MIN_WORDS, MAX_WORDS = 300, 1500
MEDIAN_WORDS = 650
MIN_PARAGRAPHS, MAX_PARAGRAPHS = 5, 25
MIN_TITLE_WORDS, MAX_TITLE_WORDS = 5, 14

# Escapes rather than literal typographic characters, so linters stay quiet.
LQUO, RQUO, EN_DASH = "\u2018", "\u2019", "\u2013"

MONTHS = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)  # fmt: skip

# The head of the Zipf distribution: frequent English words, most frequent
# first. FTS sees them as the long posting lists they are in real text.
_COMMON_TEXT = """
the of and to a in is that for it was on with as he be by at this have from
or had not but are an they which you one were all we her she there would
their will when who him been has more if no out do so can what up said about
other into than its time only could new them man some these then two first
may any like now my such make over our even most me state after also made
many did must before back see through way where get much go well your know
should down work year because come people just say each those take day good
how long own too little use us very great still men here life both between
old under last never place same another think house while high right might
came off find states since used give against three himself look few general
hand school part small american home during number again mrs around thought
went without however govern don does got public united point end become head
once course fact upon need system set every war put form water took program
present government thing told possible group large until always city didn
order away called want eyes something unite going face far asked interest
later show knew though less night early almost let open enough side case days
yet better nothing tell problem toward given why national room young social
light business president help power country next things word looked real
john line second church seem certain big four felt several children service
market policy company report data network phone money trade world china
internet users platform security growth price users online share video search
court law officials industry technology week month service plan support free
"""
# Deduped in order: a few words appear twice above.
COMMON_WORDS = list(dict.fromkeys(_COMMON_TEXT.split()))

ONSETS = (
    "b", "br", "c", "ch", "cl", "d", "dr", "f", "fl", "g", "gr", "h", "j",
    "k", "l", "m", "n", "p", "pl", "pr", "qu", "r", "s", "sh", "sk", "sl",
    "st", "t", "th", "tr", "v", "w", "z", "",
)  # fmt: skip
VOWELS = ("a", "e", "i", "o", "u", "a", "e", "i", "o", "ai", "ea", "ou", "y")
# Rare accented vowels, so remove_diacritics has something to fold.
ACCENTED = ("\u00e9", "\u00f6", "\u00ef", "\u00e1", "\u00fc")
CODAS = ("", "", "", "n", "r", "s", "t", "l", "m", "nd", "st", "rk", "ng", "x")
NUMBERS = ("2019", "2020", "5G", "$1,995", "12%", "100", "3.5", "40,000", "1990s")

SOURCES = (
    "Example News", "The Daily Ledger", "Northwind Times", "Gazette Online",
    "Harbor Post", "Tech Example", "Morning Bulletin", "Riverside Herald",
)  # fmt: skip
SECTION_SOURCES = ("Business | The Example Post", "Technology | Daily Ledger")
AGENCIES = ("EXAMPLE PRESS", "AGENCE EXEMPLE", "NORTHWIND IMAGES", "STAFF")

VOCAB_SEED = 20190212
TABLE_BITS = 16


def _made_up_words(count: int) -> list[str]:
    """Invented words from syllables; about a tenth capitalised as names."""
    rng = random.Random(VOCAB_SEED)
    seen = set(COMMON_WORDS)
    words: list[str] = []
    while len(words) < count:
        syllables = rng.choice((1, 2, 2, 2, 2, 3, 3))
        word = "".join(
            rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS) for _ in range(syllables)
        )
        if rng.random() < 0.04:
            i = rng.randrange(len(word))
            word = word[:i] + rng.choice(ACCENTED) + word[i + 1 :]
        if len(word) < 3 or word in seen:
            continue
        seen.add(word)
        words.append(word.capitalize() if rng.random() < 0.1 else word)
    return words


def build_vocabulary(size: int = 4000) -> list[str]:
    """The vocabulary by rank: common words, a few numbers, invented words."""
    head = COMMON_WORDS + list(NUMBERS)
    return head + _made_up_words(size - len(head))


def build_table(vocabulary: Sequence[str]) -> list[str]:
    """A 2**16-entry sampling table where rank r appears ~1/(r + 2.7) often.

    Drawing uniform 16-bit indices into it samples a Zipf-Mandelbrot law in C
    speed (``map`` over an ``array``), which is what keeps 100k articles fast.
    A few entries carry a trailing comma, for punctuation.
    """
    size = 1 << TABLE_BITS
    weights = [1.0 / (rank + 2.7) for rank in range(len(vocabulary))]
    total = math.fsum(weights)
    table: list[str] = []
    for word, weight in zip(vocabulary, weights, strict=True):
        table.extend([word] * max(1, round(weight / total * size)))
    del table[size:]
    while len(table) < size:
        table.append(vocabulary[len(table) % len(vocabulary)])
    rng = random.Random(VOCAB_SEED + 1)
    for i in rng.sample(range(size), size // 30):
        table[i] += ","
    return table


class DumpGenerator:
    """Builds articles one by one from a seeded random stream."""

    def __init__(self, seed: int = DEFAULT_SEED) -> None:
        self.rng = random.Random(seed)
        self.vocabulary = build_vocabulary()
        self.table = build_table(self.vocabulary)
        invented = self.vocabulary[len(COMMON_WORDS) + len(NUMBERS) :]
        self.names = [w.capitalize() for w in invented]
        self._big_endian = sys.byteorder == "big"

    def words(self, count: int) -> list[str]:
        """``count`` words drawn from the Zipf table."""
        indices = array("H", self.rng.randbytes(2 * count))
        if self._big_endian:
            indices.byteswap()
        return list(map(self.table.__getitem__, indices))

    def sentence(self, words: Sequence[str]) -> str:
        text = " ".join(words).rstrip(",")
        return text[:1].upper() + text[1:] + "."

    def title(self) -> str:
        count = self.rng.randint(MIN_TITLE_WORDS, MAX_TITLE_WORDS)
        return " ".join(w.rstrip(",").capitalize() for w in self.words(count))

    def date(self) -> str:
        month = self.rng.choice(MONTHS)
        return f"{month} {self.rng.randint(1, 28)}, {self.rng.randint(2005, 2023)}"

    def word_count(self) -> int:
        """Body length: lognormal around MEDIAN_WORDS, kept within bounds."""
        while True:
            n = round(self.rng.lognormvariate(math.log(MEDIAN_WORDS), 0.45))
            if MIN_WORDS <= n <= MAX_WORDS:
                return n

    def paragraphs(self) -> list[str]:
        """Body paragraphs (each possibly multi-line), junk included."""
        rng = self.rng
        total = self.word_count()
        count = round(total / rng.uniform(35.0, 75.0))
        count = min(MAX_PARAGRAPHS, max(MIN_PARAGRAPHS, count))
        shares = [rng.uniform(0.5, 1.5) for _ in range(count)]
        scale = total / math.fsum(shares)
        words = self.words(total)
        paragraphs: list[str] = []
        pos = 0
        for share in shares:
            end = min(total, pos + max(8, round(share * scale)))
            sentences: list[str] = []
            while pos < end:
                stop = min(end, pos + rng.randint(6, 28))
                sentences.append(self.sentence(words[pos:stop]))
                pos = stop
            if sentences:
                paragraphs.append(" ".join(sentences))
        if rng.random() < 0.25:
            for _ in range(rng.randint(1, 2)):
                paragraphs.insert(rng.randrange(1, len(paragraphs)), self.caption())
        if rng.random() < 0.2:
            for _ in range(rng.randint(1, 3)):
                paragraphs.insert(rng.randrange(1, len(paragraphs) + 1), self.alt_text())
        return paragraphs

    def caption(self) -> str:
        """A photo caption printed twice, the second time with its credit."""
        text = self.sentence(self.words(self.rng.randint(8, 18)))
        first, last = (self.rng.choice(self.names) for _ in range(2))
        credit = f"{first} {last}/{self.rng.choice(AGENCIES)}".upper()
        return f"{text}\n{text} PHOTO: {credit}"

    def alt_text(self) -> str:
        terms = ", ".join(w.rstrip(",") for w in self.words(self.rng.randint(1, 3)))
        kind = "pictures" if self.rng.random() < 0.8 else "photos"
        return f"Image result for {terms}, {kind}"

    def digest_title(self) -> str:
        """A title, three times in ten with a source suffix in one of three styles."""
        title = self.title()
        roll = self.rng.random()
        if roll < 0.2:
            return f"{title} {EN_DASH} {self.rng.choice(SOURCES)}"
        if roll < 0.27:
            return f"{title} - {self.rng.choice(SOURCES)}"
        if roll < 0.3:
            return f"{title} | {self.rng.choice(SECTION_SOURCES)}"
        return title

    def tag_header(self) -> str:
        topic = self.rng.choice(self.names)
        return f"Posts Tagged {LQUO}{topic}{RQUO}\n\n"

    def tag_post(self, first: bool) -> str:
        gap = "" if first else "\n" * self.rng.choice((1, 2))
        body = "\n\n".join(self.paragraphs())
        return f"{gap}{self.title()}\n\n{self.date()}\n\n{body}\n"

    def digest_item(self) -> str:
        title = self.digest_title()
        body = "\n\n".join(self.paragraphs())
        return f"{title}\n\n{title}\n\n{body}\n\nRead More\n\n\n"

    def chunks(self, fmt: Format, articles: int) -> Iterator[str]:
        """The dump as a stream of text chunks, one per article."""
        if fmt == "tag":
            yield self.tag_header()
            for i in range(articles):
                yield self.tag_post(first=i == 0)
        elif fmt == "digest":
            for _ in range(articles):
                yield self.digest_item()
        else:
            raise ValueError(f"unknown format: {fmt!r}")


def write_dump(fmt: Format, articles: int, out: TextIO, seed: int = DEFAULT_SEED) -> None:
    """Write a dump of ``articles`` articles to an open text stream."""
    for chunk in DumpGenerator(seed).chunks(fmt, articles):
        out.write(chunk)


def generate(fmt: Format, articles: int, out_path: Path, seed: int = DEFAULT_SEED) -> int:
    """Write a dump to ``out_path`` atomically; return its size in bytes."""
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(f"{out_path.name}.{os.getpid()}.part")
    try:
        with tmp.open("w", encoding="utf-8", newline="\n", buffering=1 << 20) as out:
            write_dump(fmt, articles, out, seed)
        tmp.replace(out_path)
    finally:
        tmp.unlink(missing_ok=True)
    return out_path.stat().st_size


def cached_dump(cache_dir: Path, fmt: Format, articles: int, seed: int = DEFAULT_SEED) -> Path:
    """The dump for (format, articles, seed), generated on first use."""
    path = cache_dir / f"{fmt}-{articles}-s{seed}-v{GENERATOR_VERSION}.txt"
    if not path.exists():
        generate(fmt, articles, path, seed)
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic archive dump.")
    parser.add_argument("--format", choices=FORMATS, required=True)
    parser.add_argument("--articles", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    if args.articles < 1:
        parser.error("--articles must be at least 1")
    start = time.perf_counter()
    size = generate(args.format, args.articles, args.out, args.seed)
    elapsed = time.perf_counter() - start
    print(
        f"wrote {args.out}: {args.articles} {args.format} articles, "
        f"{size / 1e6:.1f} MB in {elapsed:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
