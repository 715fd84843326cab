clamp = lambda x, lo=0, hi=10: lo if x < lo else (hi if x > hi else x)
print([clamp(v) for v in [-5, 0, 5, 10, 15]])
print(clamp(50, hi=100), clamp(-1, lo=-10))
