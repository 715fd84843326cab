pi = 3.14159265
for spec_value in [pi, 2.5, 1 / 3, 100.0, -0.125]:
    print(f"{spec_value:.2f} {spec_value:.0f} {spec_value:.4f} {spec_value:8.3f}|")
