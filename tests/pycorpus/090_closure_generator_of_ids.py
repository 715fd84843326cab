def id_maker(prefix):
    n = 0
    def next_id():
        nonlocal n
        n += 1
        return f"{prefix}-{n:03d}"
    return next_id

order_id = id_maker("ORD")
user_id = id_maker("USR")
print(order_id(), order_id(), user_id(), order_id())
