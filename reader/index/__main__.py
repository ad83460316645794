"""`python -m reader.index LIBRARY [PARENT_PID]`: catch the index up beside an import."""

import sys

from reader.index.follower import follow

if len(sys.argv) == 3 and sys.argv[2].isdigit():
    follow(sys.argv[1], int(sys.argv[2]))
elif len(sys.argv) == 2:
    follow(sys.argv[1])
