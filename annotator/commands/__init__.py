"""One module per subcommand of the command line (see `annotator.cli`)."""

from annotator.commands import gui, import_docs, schema, stats, suggest

COMMANDS = [import_docs, stats, schema, suggest, gui]
