from itertools import groupby
from operator import itemgetter

sales = [("east", 10), ("west", 5), ("east", 7), ("north", 1), ("west", 8)]
sales.sort(key=itemgetter(0))
for region, group in groupby(sales, key=itemgetter(0)):
    amounts = [amount for _, amount in group]
    print(region, amounts, sum(amounts))
