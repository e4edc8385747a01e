"""One module per subcommand of the command line (see `annotator.cli`)."""

from annotator.commands import (agreement, assign, cache, copy, curate, export, gui, import_docs,
                                lint, merge, review, schema, stats, suggest, team)

COMMANDS = [import_docs, export, stats, schema, suggest, cache, curate, lint, assign, team,
            agreement, review, copy, merge, gui]
