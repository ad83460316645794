"""What the reading view shows when there is no article text: the welcome, the stub note.

Markdown, laid out like an article (`render.layout`); ours, never archive text (the
library's path, given on the command line, goes in quoted, or not at all).
"""

import shlex

WELCOME = """\
# Welcome to reader

Your library is empty. Import saved articles from the command line: tag page and
digest dumps, saved web pages, feeds, WordPress and read-it-later exports,
Markdown and text files, or whole folders and zips of them.

```
reader import PATH…
```

To see how a file would be split without writing anything:

```
reader import --preview PATH…
```

Or open the demo archive, a handful of articles written for reader:

```
reader demo
```

Press **?** for the keys, **ctrl+p** for commands and **q** to quit.
"""

STUB = """\
*A saved link without its text.* It came from a read-it-later export that kept
only the address; reader never fetches the web. The address is above: **o** opens
it in the browser (showing it first), **u** copies it, **l** lists it as link 0.
"""


def welcome(db: str | None) -> str:
    """The welcome; with the library chosen by `--db`, its commands name it too."""
    if not db or any(c in db for c in "`\n\r") or not db.isprintable():
        return WELCOME
    option = " --db " + shlex.quote(db)
    return (WELCOME.replace("reader import ", "reader" + option + " import ")
            .replace("reader demo\n", "reader" + option + " demo\n"))
