"""reader: a terminal reader for archives of saved web articles."""

__version__ = "0.1.0"
