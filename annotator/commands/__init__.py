"""One module per subcommand of the command line (see `annotator.cli`)."""

from annotator.commands import (cache, copy, curate, export, gui, import_docs, merge, schema,
                                stats, suggest, team)

COMMANDS = [import_docs, export, stats, schema, suggest, cache, curate, team, copy, merge, gui]
