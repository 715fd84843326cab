config = {"db": {"host": "localhost", "port": 5432}, "debug": False}
config["db"]["port"] = 6543
config["db"]["user"] = "admin"
config["cache"] = {"size": 128}
config["cache"]["size"] *= 2
print(config)
print(config["db"].get("password", "<none>"))
