def connect(host, *, port=80, secure=False):
    scheme = "https" if secure else "http"
    return f"{scheme}://{host}:{port}"

print(connect("example.org"))
print(connect("example.org", port=8080))
print(connect("example.org", secure=True, port=443))
try:
    connect("example.org", 8080)
except TypeError:
    print("port is keyword-only")
