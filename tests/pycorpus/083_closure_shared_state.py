def bank_account(balance):
    def deposit(amount):
        nonlocal balance
        balance += amount
        return balance
    def withdraw(amount):
        nonlocal balance
        if amount > balance:
            return "insufficient funds"
        balance -= amount
        return balance
    def get():
        return balance
    return deposit, withdraw, get

dep, wd, get = bank_account(100)
print(dep(50))
print(wd(30))
print(wd(500))
print(get())
