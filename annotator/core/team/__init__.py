"""Team work: handing out documents, bringing projects together, measuring agreement."""
