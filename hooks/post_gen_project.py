"""After cookiecutter (or cruft) has written the POC: say what to do next.

The same steps as the generated README, copier's closing message and ``prodready new``
(``core/next_steps.py``). ``prodready new`` prints them itself, after moving the POC
into place, and silences this hook.
"""

import importlib.util
import os
import sys
from pathlib import Path

# cookiecutter runs this hook from a rendered copy in the temp directory: remove it.
Path(__file__).unlink(missing_ok=True)

# Directories of one kind of POC (a RAG corpus, an LLM's prompts, an online service's
# API description and locustfile) are left empty for the others: cookiecutter cannot skip a directory
# (copier excludes them: `_exclude` in copier.yml).
for kind_only in ("api", "corpus", "load", "prompts"):
    directory = Path(kind_only)
    if directory.is_dir() and not any(directory.iterdir()):
        directory.rmdir()

if os.environ.get("PRODREADY_QUIET_HOOKS") != "1":
    TEMPLATE = Path({{ prodready_template_dir | tojson }})
    spec = importlib.util.spec_from_file_location("_prodready_jinja", TEMPLATE / "hooks" / "prodready_jinja.py")
    glue = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = glue
    spec.loader.exec_module(glue)
    print("Next steps:\n" + glue.load("next_steps").next_steps(os.path.basename(os.getcwd())))
