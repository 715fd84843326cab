import time

t = time.gmtime(0)
print(t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour)
print(time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(86400 * 365)))
