import operator

print(operator.add(2, 3), operator.mul(4, 5), operator.sub(9, 4), operator.truediv(7, 2))
print(operator.floordiv(7, 2), operator.mod(7, 3), operator.pow(2, 5), operator.neg(3))
print(operator.eq(1, 1), operator.lt(1, 2), operator.not_(0), operator.contains([1, 2], 2))
