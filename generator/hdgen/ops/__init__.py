"""Operations that edit values and commit them: bump today; history, rollback, promote, rotate next.

The stages of each, in order:
  plan    from one snapshot of the values file, the edited text, checked before any write (bump.py)
  apply   under the env's lock: check nobody changed the file, replace it, render, commit,
          and undo every write if the commit fails (apply.py: apply_values_edits)
The entry point of bump is bump.plan_bump(...) then apply.apply_values_edits(...).
This file imports nothing.
"""
