text = "the rain in spain falls mainly on the plain and the rain stays"
freq = {}
for w in text.split():
    freq[w] = freq.get(w, 0) + 1
width = max(len(w) for w in freq)
for w, n in sorted(freq.items(), key=lambda kv: (-kv[1], kv[0]))[:5]:
    print(f"{w:<{width}} {n:>2} {n / len(text.split()):.1%}")
