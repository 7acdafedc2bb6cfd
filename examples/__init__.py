"""Reference services built on contract-toolkit's generated packages (not part of `toolkit`)."""
