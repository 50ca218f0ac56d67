"""`python -m fichegen`: the same command as `fichegen`."""

from fichegen.cli import main

if __name__ == "__main__":
    main(prog_name="fichegen")
