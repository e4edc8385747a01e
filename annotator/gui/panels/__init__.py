"""The window's panels: each shows one part of the workspace and edits only through actions."""
