"""One module per subcommand of the command line (see `annotator.cli`)."""

from annotator.commands import (assign, cache, curate, export, gui, import_docs, lint, schema,
                                stats, suggest, team)

COMMANDS = [import_docs, export, stats, schema, suggest, cache, curate, lint, assign, team, gui]
