from cplkpi.entry import main

main()
