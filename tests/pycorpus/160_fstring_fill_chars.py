print(f"{'title':*^20}")
print(f"{'left':-<12}|")
print(f"{'right':.>12}|")
print(f"{7:0>4} {7:#<4}|")
