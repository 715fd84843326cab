for line in ["key=value", "novalue", "a=b=c"]:
    print(line.partition("="), line.rpartition("="))
