"""One module per subcommand of the command line (see `annotator.cli`)."""

from annotator.commands import cache, export, gui, import_docs, schema, stats, suggest

COMMANDS = [import_docs, export, stats, schema, suggest, cache, gui]
