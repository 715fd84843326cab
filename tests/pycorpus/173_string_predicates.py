for s in ["abc", "ABC", "Abc", "123", "12.5", "abc123", "", "   ", "Title Case"]:
    print(repr(s), s.isalpha(), s.isdigit(), s.isalnum(), s.isupper(), s.islower(), s.isspace(), s.istitle())
