stock = {"pear": 4, "apple": 10, "fig": 1, "kiwi": 10}
for name, qty in sorted(stock.items(), key=lambda kv: (-kv[1], kv[0])):
    print(f"{name:>6}: {'#' * qty}")
