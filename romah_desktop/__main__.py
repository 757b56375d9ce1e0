"""`python -m romah_desktop`: the same as the `romah` command."""

from romah_desktop.cli import main

main(prog_name="romah")
