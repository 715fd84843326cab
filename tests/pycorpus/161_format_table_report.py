sales = [("north", 1250.5, 0.12), ("south", 980.25, -0.03), ("east", 15030.0, 0.4), ("west", 0.0, 0.0)]
print(f"{'region':<8}{'revenue':>12}{'growth':>9}")
print("-" * 29)
for region, revenue, growth in sales:
    print(f"{region:<8}{revenue:>12,.2f}{growth:>9.1%}")
print("-" * 29)
print(f"{'total':<8}{sum(r for _, r, _ in sales):>12,.2f}")
