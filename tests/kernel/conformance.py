"""The standard Jupyter kernel conformance suite (jupyter_kernel_test) for rask.

Run by tests/kernel.rs with JUPYTER_PATH pointing at a temporary prefix where
`rask kernel install --prefix` put the kernelspec. Every sample is filled in: no test
of the suite is skipped.
"""

import unittest

import jupyter_kernel_test


class RaskKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "rask"
    language_name = "python"
    file_extension = ".py"

    code_hello_world = 'print("hello, world")'
    # a task's print goes to the process's stderr, which the kernel sends as a stream
    code_stderr = (
        "def shout(x):\n"
        "    print('from a task', x)\n"
        "    return x\n"
        "\n"
        "db.from_sequence([1, 2], npartitions=1).map(shout).compute()\n"
    )

    completion_samples = [
        {"text": "da.arang", "matches": {"arange"}},
        {"text": "np.linsp", "matches": {"linspace"}},
    ]

    complete_code_samples = ["x = 1", "print('hello')", "for i in range(3):\n    print(i)\n"]
    incomplete_code_samples = ["x = (1,", "for i in range(3):", "def f(x):\n    return x"]
    invalid_code_samples = ["x = = 1", "1 +* 2"]

    code_generate_error = "1 / 0"

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": "da.arange(10, chunks=5).sum().compute()", "result": "45"},
        {"code": "[1, 'a', None]", "result": "[1, 'a', None]"},
    ]
    code_history_pattern = "6*7"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "da.arange"

    code_display_data = [
        {"code": "from IPython.display import HTML\ndisplay(HTML('<b>rask</b>'))",
         "mime": "text/html"},
        {"code": "display(6 * 7)", "mime": "text/plain"},
        {"code": "da.ones(4, chunks=2).visualize()", "mime": "image/svg+xml"},
    ]
    code_page_something = "da.arange?"
    code_clear_output = "from IPython.display import clear_output\nclear_output()"


if __name__ == "__main__":
    unittest.main(verbosity=2)
