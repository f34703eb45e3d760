"""Every shared vector's scenario: the binding answers as the Go CLI does."""

import json

import pytest

import gaisort
from conftest import VECTORS, VECTORS_DIR, vector_files

IDS = [name for name, _ in VECTORS]


def test_vectors_exist():
    # Without vectors the replay below tests nothing: that is a failure.
    assert vector_files(), "no vectors (*.json) under %s" % VECTORS_DIR


@pytest.mark.parametrize("name,scenario", VECTORS, ids=IDS)
def test_vector_dict(name, scenario, cli_answers):
    assert gaisort.sort(scenario) == cli_answers[name]


@pytest.mark.parametrize("name,scenario", VECTORS, ids=IDS)
def test_vector_json_text_and_slow_calls(name, scenario, cli_answers, slow_runtime):
    # The same scenario as JSON text, through Func.__call__ (no raw calls).
    assert slow_runtime.sort(json.dumps(scenario, indent=1)) == cli_answers[name]


@pytest.mark.parametrize("name,scenario", VECTORS[:5], ids=IDS[:5])
def test_vector_model_subset(name, scenario, cli_answers):
    # models in any order: the results come in that order, each as in the
    # all-models answer.
    by_model = {r["model"]: r for r in cli_answers[name]["results"]}
    names = list(by_model)[::-1]
    got = gaisort.sort(scenario, models=names)
    assert got == {"results": [by_model[n] for n in names]}
    got = gaisort.sort(scenario, models=",".join(names[:1]))
    assert got == {"results": [by_model[names[0]]]}


@pytest.fixture(scope="module")
def slow_runtime():
    return gaisort.Runtime(fast_calls=False)
