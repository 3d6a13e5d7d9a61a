"""Operations on values and git: bump and rollback edit and commit; history reads; promote, rotate next.

The stages of each, in order:
  history what the env ran when, from git alone (history.py); rollback's earlier images come from it
  plan    from one snapshot of the values file, the edited text, checked before any write (bump.py, rollback.py)
  apply   under the env's lock: check nobody changed the file, replace it, render, commit,
          and undo every write if the commit fails (apply.py: apply_values_edits)
The entry point of bump is bump.plan_bump(...) then apply.apply_values_edits(...); rollback's is
rollback.plan_rollback(...) then the same apply.
This file imports nothing.
"""
