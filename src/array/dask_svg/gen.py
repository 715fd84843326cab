# Writes the Dask pictures svg.rs's tests compare against (run once, with Dask installed):
#   python src/array/dask_svg/gen.py   (Dask 2026.11.0 made the files here)
import os
from dask.array.svg import svg

CASES = {
    "1d_10_chunks": ((100,) * 10,),
    "2d_50_column_chunks": ((1, 1), (2,) * 50),
    "3d": ((2, 2), (3, 3, 3), (4,)),
    "4d": ((2,), (3, 3), (4,), (5, 5, 5)),
    "5d": ((7,), (3, 3), (4,), (5, 5, 5), (2, 2)),
    "2d_tall_uneven": ((30, 30, 30, 10), (7, 3)),
}
here = os.path.dirname(os.path.abspath(__file__))
for name, chunks in CASES.items():
    with open(os.path.join(here, name + ".svg"), "w") as f:
        f.write(svg(chunks, size=120))
