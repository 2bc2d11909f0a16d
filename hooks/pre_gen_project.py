"""Refuse unaccountable answers before cookiecutter (or cruft) writes anything.

Thin on purpose: the rules live in prodready's ``answers`` module, loaded by path from
the template checkout, so cookiecutter, cruft and copier give the same verdict in the
same words. On refusal the hook exits 1 and cookiecutter removes the project directory.
"""

import importlib.util
import json
import sys
from pathlib import Path

TEMPLATE = Path({{ prodready_template_dir | tojson }})
ANSWERS = json.loads({{ cookiecutter | jsonify | tojson }})

spec = importlib.util.spec_from_file_location("_prodready_answers", TEMPLATE / "src" / "prodready" / "answers.py")
rules = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = rules
spec.loader.exec_module(rules)

refusals = rules.validate(ANSWERS)
if refusals:
    print(rules.format_refusals(refusals), file=sys.stderr)
    sys.exit(1)
