"""Many articles at once: batch runs into the store (`batch`)."""
