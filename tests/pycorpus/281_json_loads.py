import json

text = '{"id": 7, "items": [{"sku": "A1", "qty": 2}, {"sku": "B2", "qty": 5}], "paid": true, "note": null}'
order = json.loads(text)
print(order["id"], order["paid"], order["note"])
print(sum(item["qty"] for item in order["items"]))
print([item["sku"] for item in order["items"]])
print(type(order).__name__, type(order["items"]).__name__)
