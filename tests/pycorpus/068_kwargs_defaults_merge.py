def make_config(**overrides):
    config = {"debug": False, "workers": 4, "name": "app"}
    for k, v in overrides.items():
        config[k] = v
    return config

print(make_config())
print(make_config(debug=True))
print(make_config(workers=8, name="batch", retries=3))
