# Writes the pandas and Dask HTML that frame/html.rs's tests compare against (run once,
# with pandas and Dask installed): python src/frame/pandas_html/gen.py
# (pandas 3.1.1 and Dask 2026.11.0 made the files here). max_columns is 20, as in a
# notebook (pandas sets it to 0 only in a terminal).
import os
import numpy as np
import pandas as pd
import dask.dataframe as dd

pd.set_option("display.max_columns", 20)
here = os.path.dirname(os.path.abspath(__file__))


def write(name, text):
    with open(os.path.join(here, name), "w") as f:
        f.write(text)


write("small.html", pd.DataFrame({"a": [1, 2], 'b<"&': [1.5, 2.25]})._repr_html_())
write(
    "named_index.html",
    pd.DataFrame({"a": [1, 2], "s": ["x<y", '"q"']}).set_index("a")._repr_html_(),
)
write(
    "truncated.html",
    pd.DataFrame({f"c{i}": np.arange(61) * 1.5 for i in range(22)})._repr_html_(),
)
write("empty.html", pd.DataFrame({"a": [], "b": []})._repr_html_())
pdf = pd.DataFrame({"a": np.arange(10), "b<": np.arange(10) * 1.5})
write("dask_3_partitions.html", dd.from_pandas(pdf, npartitions=3)._repr_html_())
pdf = pd.DataFrame({"a": np.arange(100), "b": np.arange(100) * 1.5})
write(
    "dask_10_partitions_unknown.html",
    dd.from_pandas(pdf, npartitions=10).clear_divisions()._repr_html_(),
)
