"""``prodready audit``: readiness levels that gate CI, a repo-review plugin, portfolio reports."""
