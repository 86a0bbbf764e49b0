"""`python -m bot …` is the same as `tougao …`."""

from bot.cli import main

main()
