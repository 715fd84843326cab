principal = 1000.0
rate = 0.05
for year in range(1, 6):
    principal *= 1 + rate
    print(f"year {year}: {principal:,.2f}")
