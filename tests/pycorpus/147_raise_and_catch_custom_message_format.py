def withdraw(balance, amount):
    if amount > balance:
        raise ValueError(f"cannot withdraw {amount:.2f}; balance is {balance:.2f}")
    return balance - amount

bal = 100.0
for amt in [30, 50, 40]:
    try:
        bal = withdraw(bal, amt)
        print(f"ok, balance {bal:.2f}")
    except ValueError as e:
        print("refused:", e)
