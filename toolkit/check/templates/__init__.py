"""Files `ctk init` writes. A package, not a namespace: an editable install then puts
no path-hook placeholder on sys.path."""
