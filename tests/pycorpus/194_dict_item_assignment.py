stock = {}
stock["apples"] = 5
stock["pears"] = 2
stock["apples"] += 3
stock["pears"] -= 1
stock["kiwis"] = stock.get("kiwis", 0) + 7
print(stock)
print(len(stock), "apples" in stock, "plums" in stock)
