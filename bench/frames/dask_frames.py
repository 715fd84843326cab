"""One Dask data-frame workload per process on the NFS CSVs, so the driver sees this
process's own peak RSS. Prints a few numbers of the result (compared with rask's) and a
line `compute_seconds=S`: the wall time of the measured expression, .compute() included
(read_csv is lazy, so the CSVs are read inside the clock, as on the rask side).

usage: python dask_frames.py WORKLOAD DATA_DIR
WORKLOAD: groupby_size value_counts set_index_count set_index_minfd most_frequent per_capita
"""

import sys
import time

import dask
import dask.dataframe as dd
import pandas as pd

DIVISIONS = list(range(1974, 2001)) + [2000]


def most_frequent_food(p, food_mapping):
    """The tutorial's map_partitions function: (year, description of the most frequent
    minor food) of one year's partition."""
    minfd = p.groupby("minfd").size().idxmax()
    desc = food_mapping[food_mapping.minfd == minfd].minfddesc.iloc[0]
    return (int(p.index[0]), desc)


def per_capita(p):
    """Daily per-capita consumption of each food in one year's partition: the year's total
    quantity of the food over (persons in the year's households × 7 diary days)."""
    persons = p.drop_duplicates("hhno").memhh.sum()
    return p.groupby("minfd").cq.sum() / (persons * 7)


def main():
    workload, data = sys.argv[1], sys.argv[2]
    dask.config.set(scheduler="threads")
    df = dd.read_csv(f"{data}/NFS_*.csv")
    food_mapping = pd.read_csv(f"{data}/food_mapping.csv")
    t0 = time.perf_counter()
    if workload == "groupby_size":
        r = df.groupby("minfd").size().compute()
        shown = [len(r), int(r.sum())]
    elif workload == "value_counts":
        r = df.minfd.value_counts().compute()
        shown = [len(r), int(r.max())]  # Dask does not sort value_counts by default here
    elif workload == "set_index_count":
        # len() of a set_index is simplified by dask-expr to len() of its input (no
        # shuffle); counting each partition keeps the range shuffle in the measurement
        r = df.set_index("styr", divisions=DIVISIONS).map_partitions(len).compute()
        shown = [len(r), int(r.sum())]
    elif workload == "set_index_minfd":
        # no divisions: Dask computes them from approximate quantiles (a pass over the
        # column) before the shuffle; the partition count differs from rask's, the rows not
        r = df.set_index("minfd").map_partitions(len).compute()
        shown = [int(r.sum())]
    elif workload == "most_frequent":
        r = (
            df.set_index("styr", divisions=DIVISIONS)
            .map_partitions(most_frequent_food, food_mapping, meta=(None, object))
            .compute()
        )
        shown = [len(r), sum(y for y, _ in r)]
    elif workload == "per_capita":
        r = df.set_index("styr", divisions=DIVISIONS).map_partitions(per_capita).compute()
        shown = [len(r), round(float(r.sum()), 6)]
    else:
        sys.exit(f"unknown workload {workload}")
    el = time.perf_counter() - t0
    print(*shown)
    print(f"compute_seconds={el:.6f}")


if __name__ == "__main__":
    main()
