from bizops.cli import main

main()
