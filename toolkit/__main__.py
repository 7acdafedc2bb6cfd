"""`python -m toolkit` is `ctk`."""

from toolkit.cli import main

if __name__ == "__main__":
    main()
