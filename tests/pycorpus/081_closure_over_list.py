def make_log():
    entries = []
    def log(msg):
        entries.append(msg)
        return len(entries)
    def dump():
        return list(entries)
    return log, dump

log, dump = make_log()
log("start")
log("middle")
print(log("end"))
print(dump())
