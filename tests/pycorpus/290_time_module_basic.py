import time

start = time.time()
total = sum(range(10000))
elapsed = time.time() - start
print(total, elapsed >= 0, elapsed < 60)
t0 = time.perf_counter()
time.sleep(0.01)
print(time.perf_counter() - t0 >= 0.009)
