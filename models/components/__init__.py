"""spaCy pipeline components of solieu, registered under versioned names."""
