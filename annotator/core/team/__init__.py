"""Team work: handing out documents, bringing people's projects together, agreement."""
