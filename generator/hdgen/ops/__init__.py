"""Operations on values and git: bump, promote, rollback and rotate edit and commit; history reads.

The stages of each, in order:
  history what the env ran when, from git alone (history.py); rollback's earlier images come from it
  plan    from one snapshot of the values file, the edited text, checked before any write
          (bump.py; promote.py takes the new images from another env's merged values;
          rollback.py from history; rotate.py raises a Secret's revision)
  apply   under the env's lock: check nobody changed the file, replace it, render, commit,
          and undo every write if the commit fails (apply.py: apply_values_edits)
The entry points: bump.plan_bump / promote.plan_promote / rollback.plan_rollback /
rotate's plan, then apply.apply_values_edits(...).
This file imports nothing.
"""
