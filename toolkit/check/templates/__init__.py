"""Files `ctk init` writes (a package, not a namespace: an editable install then adds no path hook)."""
