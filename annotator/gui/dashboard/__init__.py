"""Project → Dashboard: the project's figures (`core.curate.dashboard`) as charts."""
