"""One module per subcommand of the command line (see `annotator.cli`)."""

from annotator.commands import (cache, curate, export, gui, import_docs, review, schema, stats,
                                suggest, team)

COMMANDS = [import_docs, export, stats, schema, suggest, cache, curate, team, review, gui]
