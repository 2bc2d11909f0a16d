"""Refuse unaccountable answers before cookiecutter (or cruft) writes anything.

Thin on purpose: the rules live in prodready's ``core.answers`` module and the budget
warning in ``core.costing``, both reached through ``hooks/prodready_jinja.py`` (loaded by
path from the template checkout), so cookiecutter, cruft and copier give the same
verdict and the same warning in the same words. On refusal the hook exits 1 and
cookiecutter removes the project directory.
"""

import importlib.util
import json
import sys
from pathlib import Path

# cookiecutter runs this hook from a rendered copy in the temp directory and leaves it
# there, every answer in it: remove it before anything else (Python has read it already).
Path(__file__).unlink(missing_ok=True)

TEMPLATE = Path({{ prodready_template_dir | tojson }})
ANSWERS = json.loads({{ cookiecutter | jsonify | tojson }})
# Measured while cookiecutter rendered this hook, in its own process (an extract named by
# PRODREADY_SAMPLE; "" when fine or none): the same process that renders the contract from it.
SAMPLE_REFUSAL = {{ (prodready_sample_refusal() or "") | tojson }}

spec = importlib.util.spec_from_file_location("_prodready_jinja", TEMPLATE / "hooks" / "prodready_jinja.py")
glue = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = glue
spec.loader.exec_module(glue)

problem = glue.source_refusal({"cookiecutter": ANSWERS})
if problem:
    print(problem, file=sys.stderr)
    sys.exit(1)
refusal, warning = glue.check_answers(ANSWERS)
if refusal:
    print(refusal + glue.save_refused(ANSWERS, ANSWERS.get("_output_dir")), file=sys.stderr)
    sys.exit(1)
if SAMPLE_REFUSAL:
    print(SAMPLE_REFUSAL, file=sys.stderr)
    sys.exit(1)
if warning:
    print(warning, file=sys.stderr)
