config_text = """
# server settings
host = example.org
port = 8080
debug = true

workers = 4
name = my app
"""
config = {}
for raw in config_text.splitlines():
    line = raw.strip()
    if not line or line.startswith("#"):
        continue
    key, _, value = line.partition("=")
    key, value = key.strip(), value.strip()
    if value.isdigit():
        value = int(value)
    elif value in ("true", "false"):
        value = value == "true"
    config[key] = value
print(config)
