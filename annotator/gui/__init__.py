"""The PySide6 face of the core: thin views and commands over `annotator.core`."""
