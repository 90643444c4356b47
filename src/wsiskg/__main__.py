"""``python -m wsiskg``: the same as the ``wsiskg`` command."""

from wsiskg.cli import main

if __name__ == "__main__":
    main(prog_name="wsiskg")
