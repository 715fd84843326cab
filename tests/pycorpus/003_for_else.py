def find_first_even(xs):
    for x in xs:
        if x % 2 == 0:
            print("found", x)
            break
    else:
        print("no even number in", xs)

find_first_even([1, 3, 5, 6, 7])
find_first_even([1, 3, 5])
find_first_even([])
