"""`python -m oneprice` runs the command line."""

from oneprice.cli import main

main()
