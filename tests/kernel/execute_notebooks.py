"""Re-execute exported session notebooks with nbconvert's ExecutePreprocessor (the code
`jupyter nbconvert --execute` runs, on nbclient) and the rask kernel installed under
JUPYTER_PATH. Usage: execute_notebooks.py ROOT OUT_DIR NOTEBOOK...

Each notebook runs with ROOT as the kernel's working directory (the sessions name data/,
examples/ and sessions/ relative to it, as `rask check` runs them), errors allowed (the
sessions show some on purpose). The executed notebook is validated with nbformat and
written to OUT_DIR under the same name.
"""

import os
import sys

import nbformat
from nbconvert.preprocessors import ExecutePreprocessor


def main():
    root, out_dir, notebooks = sys.argv[1], sys.argv[2], sys.argv[3:]
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)  # as exported
        ep = ExecutePreprocessor(timeout=600, kernel_name="rask", allow_errors=True)
        ep.preprocess(nb, {"metadata": {"path": root}})
        nbformat.validate(nb)
        out = os.path.join(out_dir, os.path.basename(path))
        nbformat.write(nb, out)
        print("executed:", os.path.basename(path), flush=True)


if __name__ == "__main__":
    main()
